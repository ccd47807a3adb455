import ParleyEvents
import ParleyProjections
import ParleyService

/// `parley questions`: recurring questions, the first messages of episodes that read alike.
enum QuestionsCommand: Command {
    static let name = "questions"
    static let abstract = "Recurring questions: first messages of episodes clustered by text similarity."
    static let synopsis =
        "[--min N] [--from DATE] [--to DATE] [--format table|json|csv] [--at TIME] [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Takes the first message (subject and body) of each episode that a message started in the window,
        normalises it (case, accents; numbers, order ids, emails and URLs become placeholders; @mentions
        are dropped), and clusters the messages whose words (stop words aside) overlap: estimated Jaccard
        similarity ≥ 0.6 (--similarity), MinHash with LSH; docs/QUESTIONS.md gives the method and its
        limits. First messages without words (only punctuation, emoji, @mentions) are counted apart
        ("without words"), not clustered. Clusters of --min or more messages are listed, largest first, with: a label (the words
        most typical of the cluster against all first messages), the count, the count in the previous
        window of equal length and the change, channels and categories, up to five example
        conversations with the start of the first message, and template reuse: the share of the
        episodes' first human replies that nearly repeat another reply in the cluster (a high share:
        agents already answer from a template, which the knowledge base could carry).

        The window runs from --from to --to, both UTC days included (as with kpi and insights). One bound
        alone gives the 28 days from --from or up to --to; without either, the 28 days that end at the
        latest event time; a window stops at the ends of the clock (1677-09-21 .. 2262-04-11). --as-of TIME
        and --until-seq N read the log as it stood. An answer with no cluster exits 0.
        """
    static let options: [OptionSpec] =
        [
            .log,
            .value("min", "N", "Smallest cluster listed (default 5)."),
            .value("from", "DATE", "First UTC day of the window (YYYY-MM-DD)."),
            .value("to", "DATE", "Last UTC day of the window (included, as with kpi and insights)."),
            .value("limit", "N", "List at most N clusters (the largest)."),
            .value("similarity", "X", "Estimated Jaccard similarity at which messages join (0 < X <= 1; default 0.6)."),
            .flag("members", "JSON only: list every conversation of each cluster (`members`)."),
            .value("format", "FORMAT", "table (default), json or csv."),
        ] + ScopeOptions.limits

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let format = try arguments.choice("format", ["table", "json", "csv"], default: "table")
        let minimum = try arguments.integer("min", in: 1...1_000_000) ?? UInt64(QuestionsQuery.defaultMinimum)
        let limit = try arguments.integer("limit", in: 1...1_000_000).map(Int.init)
        for option in ["from", "to"] {
            if let date = arguments.value(option), Bucketing(.day).index(ofDate: date) == nil {
                throw .usage("--\(option): expected a date as YYYY-MM-DD, got \"\(date)\"")
            }
        }
        if let from = arguments.value("from"), let to = arguments.value("to"), from > to {
            throw .usage("--from \(from) is after --to \(to)")
        }
        let scope = try ScopeOptions.scope(arguments)
        // --to names the last day, as with kpi and insights; the query's bound is the day after it.
        let days = Bucketing(.day)
        let end = arguments.value("to").flatMap { days.index(ofDate: $0) }.map { days.label(of: $0 + 1) }
        var query = QuestionsQuery(from: arguments.value("from"), to: end, minimum: Int(minimum))
        if let text = arguments.value("similarity") {
            guard let value = Double(text), value > 0, value <= 1 else {
                throw .usage("--similarity: expected a number above 0 and at most 1, got \"\(text)\"")
            }
            query.threshold = value
        }
        if arguments.flag("members") && format != "json" { throw .usage("--members needs --format json") }
        let answer: QuestionsAnswer
        do {
            answer = try context.queries(arguments).questions(query, scope: scope)
        } catch {
            throw CLIError(querying: error)
        }
        if answer.report.episodes == 0 {
            context.warn("no episode started by a message in the window")
        }
        switch format {
        case "json":
            context.stdout.line(
                answer.report.json(
                    summary: answer.summary, scope: scope, limit: limit, members: arguments.flag("members")))
        case "csv": context.stdout.write(answer.report.csv(limit: limit))
        default: context.stdout.write(answer.report.table(limit: limit))
        }
        return .success
    }
}
