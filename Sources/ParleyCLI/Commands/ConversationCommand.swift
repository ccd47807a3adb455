import ParleyEvents
import ParleyLog
import ParleyProjections

/// `parley conversation ID`: one conversation's timeline, state and episodes.
enum ConversationCommand: Command {
    static let name = "conversation"
    static let abstract = "Show one conversation: its timeline across channels, owner, status and episodes."
    static let synopsis = "ID [--as-of TIME | --until-seq N] [--log PATH]"
    static let discussion = """
        Replays the log and shows the conversation's current owner (one at any time), status, category and
        priority; its episodes with first response time, resolution time and touches (docs/PROJECTIONS.md);
        and every event of its timeline — messages, replies, notes, assignments, status and category
        changes — in log order. --as-of / --until-seq show it exactly as it stood then. An id the log (up to
        the limit) does not mention exits 67, saying how much of the log was read.
        """
    static let options: [OptionSpec] = [
        .log,
        .value("as-of", "TIME", "Only what was committed at TIME (RFC 3339)."),
        .value("until-seq", "N", "Only events up to seq N."),
    ]

    static func run(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> CLIError.ExitCode {
        guard arguments.positionals.count == 1 else { throw .usage("expected one conversation ID") }
        let id = arguments.positionals[0]
        let limit = try KPICommand.replayLimit(arguments)
        let path = context.logPath(arguments)
        var view: ConversationView
        let summary: Replay.Summary
        do {
            (view, summary) = try ConversationView.replay(id: id, path: path, limit: limit)
        } catch {
            throw CLIError(replaying: error, path: path)
        }
        guard let state = view.state else {
            throw CLIError.notFound("conversation \"\(id)\"", path: path, limit: limit, summary: summary)
        }
        let latest = view.timeline.map(\.event.at.nanoseconds).max()
        let now = limit.asOf ?? (limit.untilSeq != nil ? latest : nil) ?? context.clock()
        let out = context.stdout
        out.line("conversation \(id)")
        out.line(
            "  customer   \(state.customer ?? "-")"
                + (view.channels.isEmpty ? "" : " (channels: \(view.channels.map(\.name).joined(separator: ", ")))"))
        out.line("  status     \(state.status?.name ?? "-")")
        out.line("  owner      \(state.owner ?? "unassigned")" + (state.team.map { " (team \($0))" } ?? ""))
        out.line("  category   \(state.category ?? "-")" + (state.priority.map { ", priority \($0.name)" } ?? ""))
        out.line("")
        out.line("episodes (\(view.episodes.count))")
        let withSLA = view.episodes.contains { $0.sla != nil }
        out.line(
            "  #   started                          first response  resolution   touches"
                + (withSLA ? "  SLA first response / resolution" : ""))
        for episode in view.episodes {
            var sla = ""
            if withSLA, let state = view.slaState(of: episode, at: now) {
                sla =
                    "  " + SLAText.cell(state.firstResponse, now: now) + " / "
                    + SLAText.cell(state.resolution, now: now)
            }
            let started = Timestamp(nanoseconds: episode.start).rfc3339
            let frt =
                episode.firstResponse.map { KPIReport.human(Duration64.seconds(from: episode.start, to: $0).seconds) }
                ?? "-"
            let resolution =
                episode.resolved.map { KPIReport.human(Duration64.seconds(from: episode.start, to: $0).seconds) }
                ?? "(open)"
            out.line(
                "  " + pad(String(episode.number), 4) + pad(started, 33) + pad(frt, 16) + pad(resolution, 13)
                    + String(episode.touches) + (episode.isReopen ? "  reopen" : "") + sla)
        }
        out.line("")
        out.line("timeline (\(view.timeline.count) events)")
        for event in view.timeline { out.line("  " + TextFormat.line(event)) }
        return .success
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}
