import ParleyEvents
import ParleyProjections
import ParleyService

extension ConversationAnswer {
    /// The conversation's state, its episodes (with their SLA clocks when a policy measures any) in a table
    /// fitted to 100 columns unless `wide`, and its timeline, one text line per event.
    func render(to out: Output, wide: Bool = false) {
        out.line("conversation \(view.id)")
        out.line(
            "  customer   \(state.customer ?? "-")"
                + (view.channels.isEmpty ? "" : " (channels: \(view.channels.map(\.name).joined(separator: ", ")))"))
        out.line("  status     \(state.status?.name ?? "-")")
        out.line("  owner      \(state.owner ?? "unassigned")" + (state.team.map { " (team \($0))" } ?? ""))
        out.line("  category   \(state.category ?? "-")" + (state.priority.map { ", priority \($0.name)" } ?? ""))
        out.line("")
        out.line("episodes (\(view.episodes.count)), times UTC" + (hasSLA ? ", SLA judged at \(Self.time(now))" : ""))
        var columns = [
            Table.Column("#"), Table.Column("started", dropRank: 2), Table.Column("first response"),
            Table.Column("resolution"), Table.Column("touches", dropRank: 1),
        ]
        if hasSLA { columns += [Table.Column("first response SLA"), Table.Column("resolution SLA")] }
        var table = Table(columns)
        for (position, episode) in view.episodes.enumerated() {
            let frt = episode.firstResponse.map { Self.since(episode.start, $0) } ?? "-"
            let resolution = episode.resolved.map { Self.since(episode.start, $0) } ?? "(open)"
            var cells = [
                String(episode.number) + (episode.isReopen ? " reopen" : ""), Self.time(episode.start), frt, resolution,
                String(episode.touches),
            ]
            if hasSLA {
                let sla = episodeSLA[position]
                let day = position < episodeBusinessDay.count ? episodeBusinessDay[position] : nil
                cells += [
                    SLAText.cell(sla?.firstResponse, now: now, businessDay: day),
                    SLAText.cell(sla?.resolution, now: now, businessDay: day),
                ]
            }
            table.append(cells)
        }
        table.print(width: wide ? nil : Table.narrowWidth, to: out)
        out.line("")
        out.line("timeline (\(view.timeline.count) events)")
        for event in view.timeline { out.line(timelineLine(event)) }
    }

    /// `conversation --format json`: one object with `conversation`, `customer`, `channels`, the state
    /// (``EpisodeJSON/state(_:into:)``), `at` (the moment SLA clocks are judged at), `episodes`
    /// (``EpisodeJSON/episode(_:sla:now:)``) and `timeline` (events as `dump` writes them).
    func json() -> String {
        var document = JSONFields()
        document.string("conversation", view.id)
        document.string("customer", state.customer)
        document.array("channels", view.channels.map { Format.json($0.name) })
        EpisodeJSON.state(state, into: &document)
        document.time("at", now)
        document.array(
            "episodes",
            view.episodes.enumerated().map { position, episode in
                EpisodeJSON.episode(episode, sla: episodeSLA[position], now: now)
            })
        document.array("timeline", EpisodeJSON.events(view.timeline))
        return document.json
    }

    /// `1h05m` from `start` to `end` (0 when a late event puts `end` first).
    private static func since(_ start: Int64, _ end: Int64) -> String {
        end < start ? "0s" : DurationText.between(start, end)
    }

    private static func time(_ nanoseconds: Int64) -> String { Timestamp(nanoseconds: nanoseconds).rfc3339 }
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
        out.line("messages and replies (\(view.timeline.count)), times UTC")
        for event in view.timeline { out.line(timelineLine(event)) }
    }

    /// `customer --format json`: one object with `customer` (the id asked for), `ids`, `channels`, `at` (the
    /// moment SLA clocks are judged at), `conversations` (each: `conversation`, `started_by`, `channels`,
    /// the state, `episodes`) and `timeline` (the messages and replies, as `dump` writes them).
    func json() -> String {
        var document = JSONFields()
        document.string("customer", view.id)
        document.array("ids", view.ids.map(Format.json))
        document.array("channels", view.channels.map { Format.json($0.name) })
        document.time("at", now)
        var conversations: [String] = []
        for (index, conversation) in view.conversations.enumerated() {
            guard let state = conversation.state else { continue }
            var fields = JSONFields()
            fields.string("conversation", conversation.id)
            fields.string("started_by", state.customer)
            fields.array("channels", conversation.channels.map { Format.json($0.name) })
            EpisodeJSON.state(state, into: &fields)
            let slas = index < episodeSLA.count ? episodeSLA[index] : []
            fields.array(
                "episodes",
                conversation.episodes.enumerated().map { position, episode in
                    EpisodeJSON.episode(episode, sla: position < slas.count ? slas[position] : nil, now: now)
                })
            conversations.append(fields.json)
        }
        document.array("conversations", conversations)
        document.array("timeline", EpisodeJSON.events(view.timeline))
        return document.json
    }
}

/// One event of a timeline, wrapped at 100 columns (continuation lines indented under the text).
func timelineLine(_ event: SequencedEvent) -> String {
    let words = EventText.line(event, utc: true).split(separator: " ", omittingEmptySubsequences: false).map(
        String.init)
    return HelpText.wrap(words, first: "  ", indent: "      ")
}
