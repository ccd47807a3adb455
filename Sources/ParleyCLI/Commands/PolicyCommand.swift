import ParleyEvents
import ParleyLog
import ParleyService

/// `parley policy set FILE.json` / `parley policy show`: SLA policies, as `policy_set` events in the log.
enum PolicyCommand: Command {
    static let name = "policy"
    static let abstract = "Set the SLA policy (appends a policy_set event) or show the policies in the log."
    static let synopsis = "set FILE.json [--at TIME] [--log PATH] | show [--log PATH]"
    static let discussion = """
        `policy set FILE.json` checks the policy and appends it as one `policy_set` event whose event time
        (--at TIME, default now) is when it takes effect: it measures the episodes that start from then on
        (by their event time, whatever the log order), until the next policy's time; an episode keeps the
        policy in force at its start. To measure history imported earlier, date the policy before it
        (--at 2025-01-01T00:00:00Z). It then says which episodes it covers. The file holds one JSON object
        (docs/PROJECTIONS.md, "SLA policies"):

          {"name": "Standard", "time_zone": "Europe/Paris",
           "business_hours": {"monday": ["09:00-12:30", "13:30-18:00"], "tuesday": ["09:00-18:00"], ...},
           "holidays": ["2026-12-25"],
           "targets": {"urgent": {"first_response": 30, "resolution": 240},
                       "normal": {"first_response": 240, "resolution": 2880}}}

        Weekdays left out are closed; targets are business minutes; an episode without a priority is
        measured as normal; a priority without a target has no SLA. A policy that does not check is refused
        with the field and the reason (exit 65) and nothing is written.

        `policy show` lists the policy_set events in the log in order: each valid one measures the episodes
        that start from its `at` on; an invalid one (appended with `parley append`) is ignored.
        """
    static let options: [OptionSpec] = [
        .log,
        .value("at", "TIME", "When the policy takes effect: the policy_set's event time (RFC 3339; default: now)."),
        CommandContext.noRoute,
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try SetOrShow.dispatch(
            arguments, noun: "policy",
            set: { (file) throws(CLIError) in try set(file: file, arguments, context: context) },
            show: { () throws(CLIError) in try show(arguments, context: context) })
    }

    private static func set(file: String, _ arguments: ParsedArguments, context: CommandContext) throws(CLIError)
        -> CLIError.ExitCode
    {
        let json = try JSONDocument.read(file)
        let payload = EventPayload.policySet(PolicySet(policy: json))
        // The policy is checked before --at, and both before the log is opened.
        if let problem = EventAppender.policyProblem(Event(at: Timestamp(nanoseconds: 0), payload: payload)) {
            throw CLIError(.dataError, "\(file): \(problem)")
        }
        let code = try SetOrShow.append(payload, noun: "policy", file: file, arguments, context: context)
        let coverage: PolicyCoverage?
        do {
            coverage = try context.queries(arguments).latestPolicyCoverage()
        } catch {
            throw CLIError(querying: error)
        }
        if let coverage { context.stdout.line(describe(coverage)) }
        return code
    }

    /// Two lines: `policy in force from T until the next policy (T2)`, then `covers 12 episodes: first
    /// start …, last start …` or why it covers none.
    static func describe(_ coverage: PolicyCoverage) -> String {
        let span =
            "policy in force from \(Format.time(coverage.effect))"
            + (coverage.until.map { " until the next policy (\(Format.time($0)))" } ?? " on")
        guard let starts = coverage.starts, coverage.episodes > 0 else {
            guard let all = coverage.logStarts else { return span + "\ncovers no episode yet: the log has none" }
            return span + "\ncovers no episode yet: the log's episodes start \(Format.time(all.lowerBound)) … "
                + "\(Format.time(all.upperBound)); date it with --at TIME"
        }
        return span + "\ncovers \(Format.grouped(coverage.episodes)) episode\(coverage.episodes == 1 ? "" : "s"): "
            + "first start \(Format.time(starts.lowerBound)), last start \(Format.time(starts.upperBound))"
    }

    private static func show(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError)
        -> CLIError.ExitCode
    {
        // `--at` dates a policy being set; `show` lists every policy with its own time.
        if arguments.value("at") != nil {
            throw .usage("--at is for policy set (when the policy takes effect), not show")
        }
        let entries: [PolicyEntry]
        do {
            entries = try context.queries(arguments).policies()
        } catch {
            throw CLIError(querying: error)
        }
        guard !entries.isEmpty else {
            context.stdout.line("no SLA policy in the log")
            return .success
        }
        var rows = [["seq", "at", "name", "time zone", "state"]]
        for entry in entries {
            rows.append([
                String(entry.seq), entry.at.rfc3339, entry.policy?.name ?? "-", entry.policy?.timeZone ?? "-",
                entry.policy == nil ? "invalid (ignored)" : "valid",
            ])
        }
        Table.print(rows, to: context.stdout)
        return .success
    }
}
