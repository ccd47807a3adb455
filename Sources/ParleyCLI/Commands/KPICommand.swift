import ParleyEvents
import ParleyProjections
import ParleyService

/// `parley kpi`: KPIs per day or ISO week, rebuilt by replaying the log.
enum KPICommand: Command {
    static let name = "kpi"
    static let abstract = "KPIs per UTC day or ISO week (volume, episodes, FRT, resolution, backlog, SLA, handling)."
    static let synopsis =
        "(--by day|week [--from DATE] [--to DATE] [--channel C] [--category C] | --group-by agent|team) "
        + "[--format table|json|csv] [--at TIME] [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Replays the log and reports, per bucket: messages received by channel, episodes started, reopens,
        first response time and resolution time (count, mean, p50, p90; nearest-rank; seconds of calendar
        time), mean touches, first-contact resolutions (one touch, no reopen within 7 days; those whose 7
        days are not over yet are counted apart) and the backlog at the end of the bucket (conversations
        with an episode open then, each once); then totals.
        Every bucket from the first to the last event is listed, empty ones included. An episode belongs to
        the bucket it started in. docs/PROJECTIONS.md defines every figure and the JSON format.

        With SLA policies in the log (`parley policy set`), each bucket also reports SLA attainment: episodes
        whose first response and resolution met their targets in business time, were breached, or are still
        open (judged at --as-of, or at the latest event time).

        --as-of TIME reports what had been committed at TIME (RFC 3339); --until-seq N what the log held up
        to seq N: the report is exactly what it was then. The checkpoint written by `parley rebuild` is used
        when it matches the log; only the events after it are replayed. --channel keeps the episodes a message on that
        channel started, and that channel's messages. --category keeps episodes of that category (the
        conversation's category when the episode ended, or now if it is open); message counts are not
        filtered by category.

        Handling figures (--handling): the report adds bot containment (resolved episodes a bot handled that no human replied in), the escalation rate, the time
        from an episode's first escalation to the first human reply after it, and owner changes per resolved
        episode (a block after the table; the `handling` key in JSON; more columns in CSV), over the same
        episodes. --group-by agent reports, per agent, the resolved episodes they owned, their human replies,
        their first responses (FRT) and the episodes taken from them; --group-by team the handling figures of
        each team's episodes (the team when the episode was resolved, or now). --group-by replaces --by and
        takes no filter.
        """
    static let options: [OptionSpec] =
        [
            .log,
            .value("by", "SIZE", "day or week (required without --group-by)."),
            .value("group-by", "G", "agent or team: handling figures per agent or per team, instead of buckets."),
            .value("from", "DATE", "First bucket to list: the one holding this UTC date (YYYY-MM-DD)."),
            .value("to", "DATE", "Last bucket to list."),
            .value("channel", "C", "Only this channel."),
            .value("category", "C", "Only episodes of this category."),
            .value("format", "FORMAT", "table (default), json or csv."),
            .flag("handling", "Add the handling figures: bot containment, escalations, time to human, reassignments."),
            ScopeOptions.noCheckpoint,
        ] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        if let grouping = arguments.value("group-by") { return try runGrouped(grouping, arguments, context: context) }
        guard let by = arguments.value("by") else { throw .usage("--by day|week is required") }
        guard let size = Bucketing.Size(rawValue: by) else { throw .usage("--by: expected day or week, got \"\(by)\"") }
        let format = try arguments.choice("format", ["table", "json", "csv"], default: "table")
        var channel: Channel?
        if let name = arguments.value("channel") {
            guard let known = Channel(name: name) else {
                throw .usage(
                    "--channel: unknown channel \"\(name)\" (\(Channel.allCases.map(\.name).joined(separator: ", ")))")
            }
            channel = known
        }
        let scope = try ScopeOptions.scope(arguments)
        if let from = arguments.value("from"), let to = arguments.value("to"), from > to {
            throw .usage("--from \(from) is after --to \(to)")
        }
        let query = KPIReport.Query(
            size: size, from: arguments.value("from"), to: arguments.value("to"), channel: channel,
            category: arguments.value("category"))
        guard arguments.flag("handling") else {
            // The report alone reads only the sections it needs from a checkpoint.
            let answer: KPIAnswer
            do {
                answer = try context.queries(arguments).kpi(query, scope: scope)
            } catch {
                throw CLIError(querying: error)
            }
            context.report(answer.checkpoint)
            switch format {
            case "json": context.stdout.line(answer.report.json(context: header(answer.summary, scope)))
            case "csv": context.stdout.write(answer.report.csv())
            default: context.stdout.write(answer.report.table())
            }
            return .success
        }
        let answer: HandlingAnswer
        do {
            answer = try context.queries(arguments).kpiWithHandling(query, scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        context.report(answer.checkpoint)
        let report = answer.kpi!
        switch format {
        case "json": context.stdout.line(report.json(context: header(answer.summary, scope), handling: answer.handling))
        case "csv": context.stdout.write(report.csv(handling: answer.handling))
        default: context.stdout.write(report.table() + answer.handling.block())
        }
        return .success
    }

    /// `--group-by agent|team`: the handling figures per agent or per team.
    private static func runGrouped(_ value: String, _ arguments: ParsedArguments, context: CommandContext)
        throws(CLIError) -> CLIError.ExitCode
    {
        guard let grouping = HandlingReport.Grouping(rawValue: value) else {
            throw .usage("--group-by: expected agent or team, got \"\(value)\"")
        }
        for option in ["by", "from", "to", "channel", "category"] where arguments.value(option) != nil {
            throw .usage("--group-by and --\(option) exclude each other")
        }
        let format = try arguments.choice("format", ["table", "json", "csv"], default: "table")
        let scope = try ScopeOptions.scope(arguments)
        let answer: HandlingAnswer
        do {
            answer = try context.queries(arguments).handling(scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        context.report(answer.checkpoint)
        switch format {
        case "json":
            context.stdout.line(answer.handling.json(grouping: grouping, context: header(answer.summary, scope)))
        case "csv": context.stdout.write(answer.handling.csv(grouping: grouping))
        default: context.stdout.write(answer.handling.table(grouping: grouping))
        }
        return .success
    }

    /// The first keys of the JSON report: what was replayed, and the scope.
    private static func header(_ summary: Replay.Summary, _ scope: QueryScope) -> [(String, String)] {
        var header: [(String, String)] = [
            ("events", String(summary.events)), ("last_seq", String(summary.lastSeq)),
        ]
        if let until = scope.limit.untilSeq { header.append(("until_seq", String(until))) }
        if let asOf = scope.limit.asOf { header.append(("as_of", "\"\(Timestamp(nanoseconds: asOf).rfc3339)\"")) }
        return header
    }
}
