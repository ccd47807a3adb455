import ParleyEvents
import ParleyProjections

/// The JSON shared by `conversation --format json` and `customer --format json`: a conversation's state,
/// its episodes with their durations and SLA clocks, and events as `dump` writes them.
enum EpisodeJSON {
    /// One episode: `episode`, `started`, `started_seq`, `channel`, `reopen`, `first_response_at`,
    /// `first_response_seconds`, `resolved_at`, `resolution_seconds` (calendar seconds at full precision;
    /// `null` while it has none), `touches`, `category`, `priority`, and `sla` (`null` when no policy
    /// measures it, else `{first_response, resolution}` clocks as `sla --format json` writes them).
    static func episode(_ episode: Episode, sla: SLAState?, now: Int64) -> String {
        var fields = JSONFields()
        fields.integer("episode", episode.number)
        fields.time("started", episode.start)
        fields.raw("started_seq", String(episode.startSeq))
        fields.string("channel", episode.channel?.name)
        fields.bool("reopen", episode.isReopen)
        fields.time("first_response_at", episode.firstResponse)
        fields.raw("first_response_seconds", episode.firstResponse.map { seconds(episode.start, $0) } ?? "null")
        fields.time("resolved_at", episode.resolved)
        fields.raw("resolution_seconds", episode.resolved.map { seconds(episode.start, $0) } ?? "null")
        fields.integer("touches", episode.touches)
        fields.string("category", episode.category)
        fields.string("priority", episode.priority?.name)
        if let sla {
            var clocks = JSONFields()
            clocks.raw("first_response", SLAText.json(sla.firstResponse, now: now))
            clocks.raw("resolution", SLAText.json(sla.resolution, now: now))
            fields.raw("sla", clocks.json)
        } else {
            fields.raw("sla", "null")
        }
        return fields.json
    }

    /// The state members of a conversation: `status`, `owner`, `team`, `category`, `priority`, `open`
    /// (whether an episode is open).
    static func state(_ state: ConversationBook.Conversation, into fields: inout JSONFields) {
        fields.string("status", state.status?.name)
        fields.string("owner", state.owner)
        fields.string("team", state.team)
        fields.string("category", state.category)
        fields.string("priority", state.priority?.name)
        fields.bool("open", state.openEpisode != nil)
    }

    /// Events as `dump` writes them: `seq`, `recorded_at`, `type`, `at`, then the fields of the type.
    static func events(_ events: [SequencedEvent]) -> [String] {
        let encoder = JSONLineEncoder()
        return events.map { event in
            var out: [UInt8] = []
            encoder.encode(event, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Calendar seconds from `start` to `end` (clamped at 0, as the reports clamp late events).
    private static func seconds(_ start: Int64, _ end: Int64) -> String {
        end < start ? "0" : DurationText.seconds(from: start, to: end)
    }
}
