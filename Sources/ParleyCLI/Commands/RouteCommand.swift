import ParleyEvents
import ParleyLog
import ParleyService

/// `parley route --check` / `parley route --tick`: audit the routing decisions of the log, or make the ones
/// time owes.
enum RouteCommand: Command {
    static let name = "route"
    static let abstract = "Check every routing decision against the rules (--check), or make those time owes (--tick)."
    static let synopsis = "--check [--as-of TIME | --until-seq N] [--log PATH] | --tick [--at TIME] [--log PATH]"
    static let discussion = """
        --check replays the log and re-derives every routing decision (a `routed` event, or an `assigned` with
        `by`) from the log before it and the rules in force. It prints each recorded decision the rules do not
        explain, and each decision they owe that the log lacks, then a summary; the exit code is 1 if there is
        any, 0 if every decision is explained. Decisions depend on nothing but the log, so this proves that
        assignments followed the rules (docs/ROUTING.md).

        --tick appends the decisions that fall due by TIME (default: now) with nothing else to cause them:
        the rules' timers (a first response coming due, a conversation unanswered) and the conversations of
        agents offline past the grace period. `parley append` makes them too, before each event it appends;
        --tick is for a timer (cron, a systemd timer) to call when no traffic comes. It prints how many
        decisions it appended.
        """
    static let options: [OptionSpec] = [
        .log,
        .flag("check", "Re-derive every routing decision; exit 1 if one is not explained."),
        .flag("tick", "Append the decisions due by --at (default now)."),
        .value("at", "TIME", "--tick: the time to decide at (RFC 3339)."),
        ScopeOptions.asOf, ScopeOptions.untilSeq,
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        switch (arguments.flag("check"), arguments.flag("tick")) {
        case (true, false): return try check(arguments, context: context)
        case (false, true): return try tick(arguments, context: context)
        default: throw .usage("expected one of --check or --tick")
        }
    }

    private static func check(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError)
        -> CLIError.ExitCode
    {
        let scope = try ScopeOptions.auditScope(arguments)
        let audit: RoutingAudit
        do {
            audit = try context.queries(arguments).auditRouting(scope)
        } catch {
            throw CLIError(querying: error)
        }
        for finding in audit.findings {
            let place = finding.seq.map { "seq \($0)" } ?? "end of log"
            if let recorded = finding.recorded {
                context.stdout.line("\(place): recorded: \(Self.describe(recorded))")
                context.stdout.line(
                    "  the rules give: " + (finding.expected.map(Self.describe) ?? "no decision here"))
            } else if let expected = finding.expected {
                context.stdout.line("before \(place): missing: \(Self.describe(expected))")
            }
        }
        if audit.findingCount > audit.findings.count {
            context.stdout.line("… and \(audit.findingCount - audit.findings.count) more")
        }
        let summary =
            "checked \(Format.grouped(audit.decisions)) routing decisions in \(Format.grouped(audit.events)) events"
        if audit.isClean {
            context.stdout.line(summary + ": every one follows from the rules")
            return .success
        }
        context.stdout.line(
            summary + ": \(audit.findingCount) not explained by the rules (later ones may follow from the first)")
        return .damaged
    }

    /// A decision on one line, without seq: `routed [c1] by rule:billing team finance …`.
    private static func describe(_ event: Event) -> String {
        let line = EventText.line(SequencedEvent(seq: 0, recordedAt: event.at, event: event))
        return String(line.drop { $0 != " " }.dropFirst())
    }

    private static func tick(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError)
        -> CLIError.ExitCode
    {
        let at = try JSONDocument.eventTime(arguments, context: context)
        let path = context.logPath(arguments)
        let writer = try context.openWriter(path: path)
        defer { writer.close() }
        var appender = try context.appender(writer: writer, path: path, arguments: arguments)
        guard let session = appender.routing, session.hasRules else {
            context.stdout.line("no routing rules in force: nothing to decide")
            return .success
        }
        var decisions: [Event] = []
        session.drain(now: at.nanoseconds) { event, _ in decisions.append(event) }
        guard !decisions.isEmpty else {
            context.stdout.line("nothing due by \(at.rfc3339)")
            return .success
        }
        // Already applied to the session's state: written as they are.
        appender.routing = nil
        do {
            let summary = try appender.append(decisions)
            context.stdout.line(
                "appended \(decisions.count) routing decisions due by \(at.rfc3339): seq "
                    + "\(summary.committed.map { "\($0.lowerBound)–\($0.upperBound)" } ?? "-")")
        } catch {
            throw CLIError(appending: error)
        }
        return .success
    }
}
