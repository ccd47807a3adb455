import ParleyEvents
import ParleyProjections
import ParleyService

extension ConversationAnswer {
    /// The conversation's state, its episodes (with their SLA clocks when a policy measures any) and its
    /// timeline, one text line per event.
    func render(to out: Output) {
        out.line("conversation \(view.id)")
        out.line(
            "  customer   \(state.customer ?? "-")"
                + (view.channels.isEmpty ? "" : " (channels: \(view.channels.map(\.name).joined(separator: ", ")))"))
        out.line("  status     \(state.status?.name ?? "-")")
        out.line("  owner      \(state.owner ?? "unassigned")" + (state.team.map { " (team \($0))" } ?? ""))
        out.line("  category   \(state.category ?? "-")" + (state.priority.map { ", priority \($0.name)" } ?? ""))
        out.line("")
        out.line("episodes (\(view.episodes.count))")
        out.line(
            "  #   started                          first response  resolution   touches"
                + (hasSLA ? "  SLA first response / resolution" : ""))
        for (episode, sla) in zip(view.episodes, episodeSLA) {
            let clocks =
                sla.map {
                    "  " + SLAText.cell($0.firstResponse, now: now) + " / " + SLAText.cell($0.resolution, now: now)
                }
                ?? ""
            let started = Timestamp(nanoseconds: episode.start).rfc3339
            let frt = episode.firstResponse.map { Self.since(episode.start, $0) } ?? "-"
            let resolution = episode.resolved.map { Self.since(episode.start, $0) } ?? "(open)"
            out.line(
                "  " + Self.pad(String(episode.number), 4) + Self.pad(started, 33) + Self.pad(frt, 16)
                    + Self.pad(resolution, 13) + String(episode.touches) + (episode.isReopen ? "  reopen" : "") + clocks
            )
        }
        out.line("")
        out.line("timeline (\(view.timeline.count) events)")
        for event in view.timeline { out.line("  " + EventText.line(event)) }
    }

    /// `1h05m` from `start` to `end`.
    private static func since(_ start: Int64, _ end: Int64) -> String {
        KPIReport.human(Duration64.seconds(from: start, to: end).seconds)
    }

    /// `text` then spaces up to `width` (at least one).
    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}

extension CustomerAnswer {
    /// The person's ids and channels, each conversation with its state, then the messages and replies of
    /// those conversations, one text line per event.
    func render(to out: Output) {
        out.line("customer \(view.id)")
        out.line("  ids            \(view.ids.joined(separator: ", "))")
        out.line("  channels       \(view.channels.isEmpty ? "-" : view.channels.map(\.name).joined(separator: ", "))")
        out.line("  conversations  \(view.conversations.count)")
        out.line("")
        let ids = Set(view.ids)
        for conversation in view.conversations {
            guard let state = conversation.state else { continue }
            let open = state.openEpisode != nil ? "open episode" : "no open episode"
            // A conversation someone else started: say who.
            let starter = state.customer.map { ids.contains($0) ? "" : ", started by \($0)" } ?? ""
            out.line(
                "  \(conversation.id): \(state.status?.name ?? "-"), owner \(state.owner ?? "unassigned"), "
                    + "\(conversation.episodes.count) episode(s), \(open)" + (state.category.map { ", \($0)" } ?? "")
                    + starter)
        }
        out.line("")
        out.line("messages and replies (\(view.timeline.count))")
        for event in view.timeline { out.line("  " + EventText.line(event)) }
    }
}
