import ParleyEvents
import ParleyProjections
import ParleyService

/// `parley insights`: what the business learns, per category and per channel.
enum InsightsCommand: Command {
    static let name = "insights"
    static let abstract = "Per category and channel: volume, speed, FCR, CSAT, compensations, cost, orders."
    static let synopsis =
        "[--from DATE] [--to DATE] [--format table|json|csv] [--wide] [--cost-per-touch AMOUNT] "
        + "[--cost-per-hour AMOUNT --currency CUR] [--at TIME] [--as-of TIME | --until-seq N] [--no-checkpoint] [--log PATH]"
    static let discussion = """
        Two tables, one row per category (the conversation's category when the episode ended, or now) and
        one per channel (of the message that started the episode), then totals. Over the episodes that
        started between --from and --to (UTC dates, both included; default: the whole log):
        episodes and share; first response and resolution time p50 (p90 with --wide); reopen rate; mean
        touches; first-contact resolution rate (one touch, no reopen within 7 days; those whose 7 days are
        not over are left out of the rate); CSAT (the episode's last score: mean, share of 4-5, response
        rate = resolved episodes with a score / resolved episodes); compensations (count, amounts per
        currency, per conversation); cost to serve; contacts per 100 orders (episodes per 100 order_placed
        in the window); repeat purchases within 30 and 90 days after a resolved episode, against customers
        without any contact (from their first order in the window). Customers whose days are not over are
        counted apart. A score or compensation is the conversation's latest episode's at that moment (the
        open one, else the last resolved); with none yet it is counted apart as unattributed.

        Cost to serve = touches x --cost-per-touch + hours of handling x --cost-per-hour, in minor units of
        --currency (required with a cost). Amounts are decimal text read exactly (12.50; as many decimals
        as the currency has: 2 for EUR, 0 for JPY). An hour of handling is an hour during which the
        episode is open, not pending and owned by a person (not a bot), in event time.

        Text fits 100 columns; --wide shows every figure. JSON and CSV carry every figure (money as integer
        minor units). docs/PROJECTIONS.md, "Insights", defines each one. --as-of TIME reports what had been
        committed at TIME; --until-seq N what the log held up to seq N. Exit 64 on a bad option value.
        """
    static let options: [OptionSpec] =
        [
            .log,
            .value("from", "DATE", "First UTC date (YYYY-MM-DD) of the episodes and orders counted."),
            .value("to", "DATE", "Last UTC date counted (included)."),
            .value("format", "FORMAT", "table (default), json or csv."),
            .flag("wide", "Every column in the tables (wider than 100 columns)."),
            .value("cost-per-touch", "AMOUNT", "Cost of one non-automatic reply, e.g. 2.50 (needs --currency)."),
            .value("cost-per-hour", "AMOUNT", "Cost of one hour of handling, e.g. 30 (needs --currency)."),
            .value("currency", "CUR", "ISO 4217 code of the costs, e.g. EUR."),
            ScopeOptions.noCheckpoint,
        ] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let format = try arguments.choice("format", ["table", "json", "csv"], default: "table")
        let scope = try ScopeOptions.scope(arguments)
        let currency = arguments.value("currency")
        if let currency, !CustomerProfile.isCurrencyCode(currency) {
            throw .usage("--currency: expected an ISO 4217 code (three capital letters, e.g. EUR), got \"\(currency)\"")
        }
        var costs: [Int?] = []
        for option in ["cost-per-touch", "cost-per-hour"] {
            guard let text = arguments.value(option) else {
                costs.append(nil)
                continue
            }
            guard let currency else { throw .usage("--\(option) needs --currency") }
            guard let amount = MinorUnits.parse(text, currency: currency) else {
                let digits = MinorUnits.digits(of: currency)
                throw .usage(
                    "--\(option): expected an amount such as \(digits > 0 ? "12." + String(repeating: "5", count: digits) : "1250") "
                        + "(at most \(digits) decimals for \(currency)), got \"\(text)\"")
            }
            costs.append(amount)
        }
        for option in ["from", "to"] {
            if let text = arguments.value(option), Bucketing(.day).index(ofDate: text) == nil {
                throw .usage("--\(option): expected a date as YYYY-MM-DD, got \"\(text)\"")
            }
        }
        let query = InsightsQuery(
            from: arguments.value("from"), to: arguments.value("to"), costPerTouch: costs[0], costPerHour: costs[1],
            currency: currency)
        let answer: InsightsAnswer
        do {
            answer = try context.queries(arguments).insights(query, scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        context.report(answer.checkpoint)
        switch format {
        case "json": context.stdout.line(answer.report.json(context: header(answer.summary, scope)))
        case "csv": context.stdout.write(answer.report.csv())
        default: context.stdout.write(answer.report.table(wide: arguments.flag("wide")))
        }
        return .success
    }

    /// The first keys of the JSON report: what was replayed, and the scope.
    private static func header(_ summary: Replay.Summary, _ scope: QueryScope) -> [(String, String)] {
        var header: [(String, String)] = [("events", String(summary.events)), ("last_seq", String(summary.lastSeq))]
        if let until = scope.limit.untilSeq { header.append(("until_seq", String(until))) }
        if let asOf = scope.limit.asOf { header.append(("as_of", "\"\(Timestamp(nanoseconds: asOf).rfc3339)\"")) }
        return header
    }
}
