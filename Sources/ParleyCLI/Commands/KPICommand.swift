import ParleyEvents
import ParleyProjections
import ParleyService

/// `parley kpi`: KPIs per day, ISO week or month, rebuilt by replaying the log.
enum KPICommand: Command {
    static let name = "kpi"
    static let abstract =
        "KPIs per day, ISO week or month (volume, episodes, FRT, resolution, backlog, SLA, handling)."
    static let synopsis =
        "(--by day|week|month [--tz ZONE] [--from DATE] [--to DATE] [--channel C] [--category C] "
        + "[--group-by G] [--wide] | --group-by agent|team) [--format table|json|csv] "
        + "[--at TIME] [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Replays the log and reports, per bucket: messages received by channel, episodes started, reopens,
        episodes resolved, first response time and resolution time (count, mean, p50, p90; nearest-rank;
        calendar time), mean touches, first-contact resolutions (one touch, no reopen within 7 days; those
        whose 7 days are not over yet are counted apart as "FCR pend") and the backlog at the end of the
        bucket (conversations with an episode open then, each once); then totals. An episode belongs to the
        bucket it started in. docs/PROJECTIONS.md defines every figure and the JSON format.

        Buckets are days, ISO weeks (Monday to Sunday) or calendar months, in UTC or, with --tz, in that
        IANA zone's local time (e.g. Europe/Paris; daylight-saving days last 23 or 25 hours). Labels and
        --from/--to are local dates in that zone. The buckets listed run from the first to the last with
        traffic (a message, an episode started or resolved): quiet buckets at either end are left out
        unless --from/--to ask for them; quiet buckets in between are listed.

        With SLA policies in the log (`parley policy set`), each bucket also reports business-time FRT and
        resolution (the SLA clocks: business hours of the policy measuring the episode; `pending` stretches
        not counted) and SLA attainment: episodes whose first response and resolution met their targets,
        were breached, or are still open (judged at --as-of, or at the latest event time).

        The text table fits 100 columns: the least important columns are left out (named under the table);
        --wide shows them all. JSON (full precision, every figure) and CSV (every column) are not cut.

        --at TIME reports what had happened by TIME (event time: the business view; a full replay);
        --as-of TIME reports what had been committed at TIME (RFC 3339); --until-seq N what the log held up
        to seq N: the report is exactly what it was then. The checkpoint written by `parley rebuild` is used
        when it matches the log; only the events after it are replayed. --channel keeps the episodes a
        message on that channel started, and that channel's messages. --category keeps episodes of that
        category (the conversation's category when the episode ended, or now if it is open); message counts
        are not filtered by category. A filter that matches nothing says so on stderr, naming what exists.

        --group-by G with --by: one table per value of G (a long CSV with a `group` column; JSON `groups`).
        An episode's group: channel = the channel of the message that started it; category, priority = the
        conversation's when the episode ended (or now); team, agent = the conversation's team and owner
        then; tier = its customer's tier from the latest customer_profile then. Episodes without a value
        are in the group "(none)". Messages are counted per channel only: under the other groupings the
        message columns are left out (empty in CSV, null in JSON); "new" is the volume of the group.

        Handling figures (--handling): the report adds bot containment (resolved episodes a bot handled that
        no human replied in), the escalation rate, the time from an episode's first escalation to the first
        human reply after it, and owner changes per resolved episode (a block after the table; the
        `handling` key in JSON; more columns in CSV), over the same episodes. Without --by, --group-by agent
        reports, per agent, the resolved episodes they owned, their human replies, their first responses
        (FRT) and the episodes taken from them; --group-by team the handling figures of each team's episodes
        (the team when the episode was resolved, or now); these take no filter.
        """
    static let options: [OptionSpec] =
        [
            .log,
            .value("by", "SIZE", "day, week or month (required except for --group-by agent|team alone)."),
            .value(
                "group-by", "G",
                "channel, category, team, agent, priority or tier: one table per value (with --by); agent or "
                    + "team alone: handling figures per agent or team."),
            .value("tz", "ZONE", "IANA time zone the buckets are cut in (default UTC), e.g. Europe/Paris."),
            .value("from", "DATE", "First bucket to list: the one holding this local date (YYYY-MM-DD)."),
            .value("to", "DATE", "Last bucket to list."),
            .value("channel", "C", "Only this channel."),
            .value("category", "C", "Only episodes of this category."),
            .value("format", "FORMAT", "table (default), json or csv."),
            .flag("wide", "Every column in the text table, however wide."),
            .flag("handling", "Add the handling figures: bot containment, escalations, time to human, reassignments."),
            ScopeOptions.noCheckpoint,
        ] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let groupValue = arguments.value("group-by")
        guard let by = arguments.value("by") else {
            if let groupValue { return try runGrouped(groupValue, arguments, context: context) }
            throw .usage("--by day|week|month is required")
        }
        guard let size = Bucketing.Size(rawValue: by) else {
            throw .usage("--by: expected day, week or month, got \"\(by)\"")
        }
        let format = try arguments.choice("format", ["table", "json", "csv"], default: "table")
        var channel: Channel?
        if let name = arguments.value("channel") {
            guard let known = Channel(name: name) else {
                throw .usage(
                    "--channel: unknown channel \"\(name)\" (\(Channel.allCases.map(\.name).joined(separator: ", ")))")
            }
            channel = known
        }
        let zone = arguments.value("tz")
        if let zone, !ZonedBucketing.isKnownZone(zone) {
            throw .usage("--tz: unknown time zone \"\(zone)\" (an IANA name such as Europe/Paris or UTC)")
        }
        var grouping: KPIGrouping?
        if let groupValue {
            guard let known = KPIGrouping(rawValue: groupValue) else {
                throw .usage(
                    "--group-by: expected \(KPIGrouping.allCases.map(\.rawValue).joined(separator: ", ")), "
                        + "got \"\(groupValue)\"")
            }
            if arguments.flag("handling") { throw .usage("--group-by with --by and --handling exclude each other") }
            grouping = known
        }
        let scope = try ScopeOptions.scope(arguments)
        if let from = arguments.value("from"), let to = arguments.value("to"), from > to {
            throw .usage("--from \(from) is after --to \(to)")
        }
        let query = KPIReport.Query(
            size: size, from: arguments.value("from"), to: arguments.value("to"), channel: channel,
            category: arguments.value("category"), timeZone: zone, groupBy: grouping)
        let wide = arguments.flag("wide")
        if grouping != nil {
            let answer: GroupedKPIAnswer
            do {
                answer = try context.queries(arguments).kpiGrouped(query, scope: scope)
            } catch {
                throw CLIError(querying: error)
            }
            context.report(answer.checkpoint)
            for note in answer.report.notes { context.stderr.line("note: " + note) }
            switch format {
            case "json":
                context.stdout.line(
                    answer.report.json(context: header(answer.summary, scope), size: size, timeZone: zone))
            case "csv": context.stdout.write(answer.report.csv())
            default: context.stdout.write(answer.report.table(wide: wide))
            }
            return .success
        }
        guard arguments.flag("handling") else {
            // The report alone reads only the sections it needs from a checkpoint.
            let answer: KPIAnswer
            do {
                answer = try context.queries(arguments).kpi(query, scope: scope)
            } catch {
                throw CLIError(querying: error)
            }
            context.report(answer.checkpoint)
            for note in answer.report.notes { context.stderr.line("note: " + note) }
            switch format {
            case "json": context.stdout.line(answer.report.json(context: header(answer.summary, scope)))
            case "csv": context.stdout.write(answer.report.csv())
            default: context.stdout.write(answer.report.table(wide: wide))
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
        for note in report.notes { context.stderr.line("note: " + note) }
        switch format {
        case "json": context.stdout.line(report.json(context: header(answer.summary, scope), handling: answer.handling))
        case "csv": context.stdout.write(report.csv(handling: answer.handling))
        default: context.stdout.write(report.table(wide: wide) + answer.handling.block())
        }
        return .success
    }

    /// `--group-by agent|team`: the handling figures per agent or per team.
    private static func runGrouped(_ value: String, _ arguments: ParsedArguments, context: CommandContext)
        throws(CLIError) -> CLIError.ExitCode
    {
        guard let grouping = HandlingReport.Grouping(rawValue: value) else {
            throw .usage(
                "--group-by: expected agent or team without --by, got \"\(value)\" (with --by day|week|month: "
                    + KPIGrouping.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        for option in ["from", "to", "channel", "category", "tz"] where arguments.value(option) != nil {
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
