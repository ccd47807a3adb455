import ParleyEvents

/// What the KPI report needs, gathered during replay: one compact record per episode and message counts
/// per day. Memory grows with conversations and episodes, never with message bodies.
public struct KPIProjection: Projection {
    public static let section = CheckpointSection(id: 16, version: 1, name: "kpi")

    /// An episode reduced to what the KPIs use.
    struct EpisodeRecord: Sendable {
        var start: Int64
        /// Index in `episodes` of the same conversation's episode before this one (-1: its first). Ties the
        /// episodes of one conversation together, so that the backlog counts conversations, not episodes.
        var previous: Int
        var channel: Channel?
        var firstResponse: Int64?
        var resolved: Int64?
        var touches: Int
        /// Index into `categories` (-1: none).
        var category: Int32
        /// Priority when it ended (or now, if open).
        var priority: Priority?
        /// SLA clocks, when a policy measures it.
        var sla: SLAClocks?
        /// Start of the conversation's next episode, if it had one (for first-contact resolution).
        var nextStart: Int64?

        /// An episode on a conversation that had one before.
        var isReopen: Bool { previous >= 0 }
    }

    var episodes: [EpisodeRecord] = []
    /// Index in `episodes` of each conversation's latest episode, by conversation ordinal (-1: none).
    var latestEpisode: [Int] = []
    var categories: [String] = []
    var categoryIDs: [String: Int32] = [:]
    /// `message_received` per UTC day (days since the epoch), per channel (raw value).
    var messagesPerDay: [Int64: [Int]] {
        var result: [Int64: [Int]] = [:]
        for (day, slot) in daySlots { result[day] = dayCounts[slot] }
        return result
    }
    /// Counts by day: `dayCounts[daySlots[day]][channel]`, with the last day used cached, since events
    /// mostly come in time order.
    private var daySlots: [Int64: Int] = [:]
    var dayCounts: [[Int]] = []
    private var lastDay: Int64 = .min
    private var lastSlot = -1

    public init() {}

    /// Sets the counts of one day (checkpoint loading).
    /// - Returns: `false` if the day already had counts.
    mutating func setMessages(_ counts: [Int], day: Int64) -> Bool {
        guard daySlots[day] == nil else { return false }
        daySlots[day] = dayCounts.count
        dayCounts.append(counts)
        return true
    }

    public mutating func apply(_ event: Event, seq: UInt64, conversation: ConversationBook.Conversation?) {
        count(event)
    }

    /// Counts a message in its day.
    @inline(__always)
    mutating func count(_ event: Event) {
        guard case .messageReceived(let message) = event.payload else { return }
        let day = Bucketing(.day).index(of: event.at.nanoseconds)
        if day != lastDay || lastSlot < 0 {
            lastDay = day
            if let slot = daySlots[day] {
                lastSlot = slot
            } else {
                lastSlot = dayCounts.count
                daySlots[day] = lastSlot
                dayCounts.append([Int](repeating: 0, count: Channel.allCases.count))
            }
        }
        dayCounts[lastSlot][Int(message.channel.rawValue)] += 1
    }

    public mutating func episodeStarted(_ episode: Episode, conversation: ConversationBook.Conversation) {
        started(episode, key: conversation.ordinal)
    }

    public mutating func episodeChanged(_ episode: Episode, conversation: ConversationBook.Conversation) {
        changed(episode, key: conversation.ordinal)
    }

    public mutating func episodeEnded(_ episode: Episode, conversation: ConversationBook.Conversation) {
        changed(episode, key: conversation.ordinal)
    }

    // The engine's direct calls: the conversation's ordinal only (the engine then copies no conversation).

    @inline(__always)
    mutating func started(_ episode: Episode, key: Int) {
        while latestEpisode.count <= key { latestEpisode.append(-1) }
        let previous = latestEpisode[key]
        if previous >= 0 { episodes[previous].nextStart = episode.start }
        latestEpisode[key] = episodes.count
        episodes.append(
            EpisodeRecord(
                start: episode.start, previous: previous, channel: nil, firstResponse: nil, resolved: nil, touches: 0,
                category: -1, priority: nil, sla: nil, nextStart: nil))
        Self.update(&episodes[episodes.count - 1], from: episode, categories: &categories, categoryIDs: &categoryIDs)
    }

    /// The episode changed or ended. Records of open episodes are kept up to date, so a report needs no
    /// conversation.
    @inline(__always)
    mutating func changed(_ episode: Episode, key: Int) {
        Self.update(
            &episodes[latestEpisode[key]], from: episode, categories: &categories, categoryIDs: &categoryIDs)
    }

    /// Copies what the report uses of `episode` into its record. Static, with the parts it changes passed
    /// in, so that the record is changed in place.
    private static func update(
        _ record: inout EpisodeRecord, from episode: Episode, categories: inout [String],
        categoryIDs: inout [String: Int32]
    ) {
        record.channel = episode.channel
        record.firstResponse = episode.firstResponse
        record.touches = episode.touches
        record.resolved = episode.resolved
        record.priority = episode.priority
        record.sla = episode.sla
        // Interned only when it changed: most updates are replies, which leave the category alone.
        let current = record.category >= 0 ? categories[Int(record.category)] : nil
        if current != episode.category {
            record.category = intern(episode.category, categories: &categories, categoryIDs: &categoryIDs)
        }
    }

    private static func intern(_ category: String?, categories: inout [String], categoryIDs: inout [String: Int32])
        -> Int32
    {
        guard let category else { return -1 }
        if let id = categoryIDs[category] { return id }
        let id = Int32(categories.count)
        categories.append(category)
        categoryIDs[category] = id
        return id
    }
}
