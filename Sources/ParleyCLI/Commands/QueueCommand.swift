import ParleyEvents
import ParleyLog
import ParleyProjections

/// `parley queue`: open episodes now, oldest first.
enum QueueCommand: Command {
    static let name = "queue"
    static let abstract = "List open episodes, oldest first, with owner, priority and waiting time."
    static let synopsis = "[--team T] [--owner A] [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Replays the log and lists every conversation with an open episode (open or pending), oldest episode
        first. Waiting time runs from the episode's start to now — or to --as-of TIME when given (with
        --until-seq, to the latest event time replayed). SLA state comes with SLA policies (not yet built).
        """
    static let options: [OptionSpec] = [
        .log,
        .value("team", "T", "Only conversations of team T."),
        .value("owner", "A", "Only conversations owned by A (e.g. agent:ana)."),
        .value("as-of", "TIME", "Only what was committed at TIME (RFC 3339)."),
        .value("until-seq", "N", "Only events up to seq N."),
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let limit = try KPICommand.replayLimit(arguments)
        let path = context.logPath(arguments)
        var book = ConversationBook()
        var latest: Int64?
        do {
            _ = try Replay.run(path: path, limit: limit) { event, seq in
                latest = max(latest ?? event.at.nanoseconds, event.at.nanoseconds)
                book.apply(event, seq: seq)
            }
        } catch {
            throw CLIError(replaying: error, path: path)
        }
        let now = limit.asOf ?? (limit.untilSeq != nil ? latest : nil) ?? context.clock()
        let open = book.conversations.values
            .filter { $0.openEpisode != nil }
            .filter { conversation in arguments.value("team").map { conversation.team == $0 } ?? true }
            .filter { conversation in arguments.value("owner").map { conversation.owner == $0 } ?? true }
            .sorted { ($0.openEpisode!.start, $0.id) < ($1.openEpisode!.start, $1.id) }
        let out = context.stdout
        out.line("\(open.count) open episode(s) at \(Timestamp(nanoseconds: now).rfc3339)")
        guard !open.isEmpty else { return .success }
        let rows =
            [["conversation", "status", "owner", "team", "priority", "started", "waiting", "touches"]]
            + open.map { conversation in
                let episode = conversation.openEpisode!
                return [
                    conversation.id, conversation.status?.name ?? "-", conversation.owner ?? "-",
                    conversation.team ?? "-",
                    conversation.priority?.name ?? "-", Timestamp(nanoseconds: episode.start).rfc3339,
                    KPIReport.human(Duration64.seconds(from: episode.start, to: now).seconds), String(episode.touches),
                ]
            }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            out.line(
                row.enumerated().map { column, cell in cell + String(repeating: " ", count: widths[column] - cell.count)
                }
                .joined(separator: "  "))
        }
        return .success
    }
}
