import ParleyEvents
import ParleyLog
import ParleyProjections

/// `parley sla`: open episodes whose SLA is breached or falls due within the hour.
enum SLACommand: Command {
    static let name = "sla"
    static let abstract = "List open episodes whose SLA is breached or due within the next hour."
    static let synopsis = "[--at TIME | --until-seq N] [--format table|json] [--no-checkpoint] [--log PATH]"
    static let discussion = """
        Every open episode that an SLA policy measures is judged at a moment — now, or --at TIME (then only
        what had been committed at TIME counts, as with --as-of), or with --until-seq N the latest event
        time replayed. It is listed when its first-response or resolution clock is breached (over its target
        in business time), or is running and its deadline falls within the next hour (at risk). Each row
        gives the owner, and for each clock how late (business time over the target) or how close
        (calendar time to the deadline). Most urgent first: breached by the most, then the nearest deadline.

        A paused resolution clock (pending) is listed only when already breached. Without any policy in
        the log the command says so and lists nothing.
        """
    static let options: [OptionSpec] = [
        .log,
        .value("at", "TIME", "Judge at TIME, with only what was committed by then (RFC 3339)."),
        .value("as-of", "TIME", "Same as --at."),
        .value("until-seq", "N", "Only events up to seq N, judged at the latest event time."),
        .value("format", "FORMAT", "table (default) or json."),
        ProjectionLoader.option,
    ]

    /// One listed episode.
    private struct Row {
        var conversation: ConversationBook.Conversation
        var episode: Episode
        var state: SLAState
        /// Sort key: most negative business time left first, then nearest deadline.
        var urgency: (Int64, Int64)
    }

    static let riskWindow: Int64 = 3_600_000_000_000

    /// A JSON string literal.
    private static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONLineEncoder.appendJSONString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let format = try arguments.choice("format", ["table", "json"], default: "table")
        var limit = ReplayLimit(untilSeq: try arguments.integer("until-seq"))
        for option in ["at", "as-of"] {
            guard let text = arguments.value(option) else { continue }
            guard let time = Timestamp(rfc3339: text) else {
                throw .usage("--\(option): expected an RFC 3339 time such as 2026-03-02T18:00:00Z, got \"\(text)\"")
            }
            if limit.asOf != nil { throw .usage("--at and --as-of are the same option; give one") }
            limit.asOf = time.nanoseconds
        }
        if limit.untilSeq != nil && limit.asOf != nil { throw .usage("--at and --until-seq exclude each other") }
        let path = context.logPath(arguments)
        let state = try ProjectionLoader.load(arguments, path: path, limit: limit, context: context)
        var book = state.collector.book
        let now = limit.asOf ?? (limit.untilSeq != nil ? state.latestEventTime : nil) ?? context.clock()
        guard !book.policies.isEmpty else {
            if format == "json" {
                context.stdout.line(
                    "{\"at\":\"\(Timestamp(nanoseconds: now).rfc3339)\",\"policy\":false,\"episodes\":[]}")
            } else {
                context.stdout.line("no SLA policy in the log (see `parley policy set --help`)")
            }
            return .success
        }
        var rows: [Row] = []
        for conversation in book.all {
            guard let episode = conversation.openEpisode, let sla = book.slaState(of: episode, at: now) else {
                continue
            }
            let clocks = [sla.firstResponse, sla.resolution].compactMap { $0 }
            let flagged = clocks.contains { clock in
                clock.phase == .breached
                    || (clock.phase == .running && clock.deadline.map { $0 <= now &+ riskWindow } == true)
            }
            guard flagged else { continue }
            let left = clocks.map(\.remaining).min() ?? 0
            let deadline = clocks.compactMap(\.deadline).min() ?? .max
            rows.append(Row(conversation: conversation, episode: episode, state: sla, urgency: (left, deadline)))
        }
        rows.sort {
            ($0.urgency.0, $0.urgency.1, $0.conversation.id) < ($1.urgency.0, $1.urgency.1, $1.conversation.id)
        }
        if format == "json" {
            let items = rows.map { row -> String in
                let fields: [String] = [
                    "\"conversation\":" + quoted(row.conversation.id),
                    "\"episode\":" + String(row.episode.number),
                    "\"owner\":" + (row.conversation.owner.map(quoted) ?? "null"),
                    "\"priority\":" + (row.episode.priority.map { quoted($0.name) } ?? "null"),
                    "\"started\":" + quoted(Timestamp(nanoseconds: row.episode.start).rfc3339),
                    "\"first_response\":" + SLAText.json(row.state.firstResponse, now: now),
                    "\"resolution\":" + SLAText.json(row.state.resolution, now: now),
                ]
                return "{" + fields.joined(separator: ",") + "}"
            }
            context.stdout.line(
                "{\"at\":\"\(Timestamp(nanoseconds: now).rfc3339)\",\"policy\":true,\"episodes\":["
                    + items.joined(separator: ",") + "]}")
            return .success
        }
        let out = context.stdout
        out.line("\(rows.count) episode(s) breached or due within the hour at \(Timestamp(nanoseconds: now).rfc3339)")
        guard !rows.isEmpty else { return .success }
        var table = [["conversation", "episode", "owner", "priority", "started", "first response", "resolution"]]
        for row in rows {
            table.append([
                row.conversation.id, String(row.episode.number), row.conversation.owner ?? "-",
                row.episode.priority?.name ?? "-", Timestamp(nanoseconds: row.episode.start).rfc3339,
                SLAText.cell(row.state.firstResponse, now: now), SLAText.cell(row.state.resolution, now: now),
            ])
        }
        Table.print(table, to: out)
        return .success
    }
}
