import ParleyEvents
import ParleyLog
import ParleyProjections

/// `parley queue`: open episodes now, oldest first.
enum QueueCommand: Command {
    static let name = "queue"
    static let abstract = "List open episodes, oldest first, with owner, priority, waiting time and SLA state."
    static let synopsis = "[--team T] [--owner A] [--as-of TIME | --until-seq N] [--no-checkpoint] [--log PATH]"
    static let discussion = """
        Lists every conversation with an open episode (open or pending), oldest episode first. Waiting time
        runs from the episode's start to now — or to --as-of TIME when given (with --until-seq, to the latest
        event time replayed). When an SLA policy measures the episode, two columns show its first-response
        and resolution clocks: met, due in (calendar time to the deadline), paused (business time left),
        or late (business time over the target). Without any policy in the log they are absent.
        """
    static let options: [OptionSpec] = [
        .log,
        .value("team", "T", "Only conversations of team T."),
        .value("owner", "A", "Only conversations owned by A (e.g. agent:ana)."),
        .value("as-of", "TIME", "Only what was committed at TIME (RFC 3339)."),
        .value("until-seq", "N", "Only events up to seq N."),
        ProjectionLoader.option,
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        try arguments.expectPositionals(atMost: 0)
        let limit = try KPICommand.replayLimit(arguments)
        let path = context.logPath(arguments)
        let state = try ProjectionLoader.load(arguments, path: path, limit: limit, context: context)
        var book = state.collector.book
        let now = limit.asOf ?? (limit.untilSeq != nil ? state.latestEventTime : nil) ?? context.clock()
        let team = arguments.value("team")
        let owner = arguments.value("owner")
        var open: [(conversation: ConversationBook.Conversation, episode: Episode)] = []
        for conversation in book.all {
            guard let episode = conversation.openEpisode else { continue }
            if let team, conversation.team != team { continue }
            if let owner, conversation.owner != owner { continue }
            open.append((conversation, episode))
        }
        open.sort { ($0.episode.start, $0.conversation.id) < ($1.episode.start, $1.conversation.id) }
        let out = context.stdout
        out.line("\(open.count) open episode(s) at \(Timestamp(nanoseconds: now).rfc3339)")
        guard !open.isEmpty else { return .success }
        let withSLA = !book.policies.isEmpty
        var header = ["conversation", "status", "owner", "team", "priority", "started", "waiting", "touches"]
        if withSLA { header += ["first response", "resolution"] }
        var rows = [header]
        for (conversation, episode) in open {
            var row = [
                conversation.id, conversation.status?.name ?? "-", conversation.owner ?? "-", conversation.team ?? "-",
                conversation.priority?.name ?? "-", Timestamp(nanoseconds: episode.start).rfc3339,
                KPIReport.human(Duration64.seconds(from: episode.start, to: now).seconds), String(episode.touches),
            ]
            if withSLA {
                let sla = book.slaState(of: episode, at: now)
                row += [SLAText.cell(sla?.firstResponse, now: now), SLAText.cell(sla?.resolution, now: now)]
            }
            rows.append(row)
        }
        Table.print(rows, to: out)
        return .success
    }
}

/// Left-aligned columns separated by two spaces.
enum Table {
    static func print(_ rows: [[String]], to out: Output) {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                cell + String(repeating: " ", count: widths[column] - cell.count)
            }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            out.line(line)
        }
    }
}
