import ParleyEvents

/// Gathers, during one replay, what the KPI report needs: one compact record per episode and message
/// counts per day. Memory grows with conversations and episodes, never with message bodies.
public struct KPICollector: Sendable {
    /// An episode reduced to what the KPIs use.
    struct EpisodeRecord: Sendable {
        var start: Int64
        var isReopen: Bool
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
    }

    public internal(set) var book = ConversationBook()
    var episodes: [EpisodeRecord] = []
    /// Index in `episodes` of each conversation's latest episode, by position in the book (-1: none).
    var latestEpisode: [Int] = []
    var categories: [String] = []
    var categoryIDs: [String: Int32] = [:]
    /// `message_received` per UTC day, per channel (raw value), with the instant kept for weeks.
    var messagesPerDay: [Int64: [Int]] = [:]
    /// Earliest and latest event time seen (ns).
    public internal(set) var eventTimes: ClosedRange<Int64>?

    public init() {}

    /// Applies one event in log order.
    public mutating func apply(_ event: Event, seq: UInt64) {
        let at = event.at.nanoseconds
        eventTimes = min(eventTimes?.lowerBound ?? at, at)...max(eventTimes?.upperBound ?? at, at)
        if case .messageReceived(let message) = event.payload {
            let day = Bucketing(.day).index(of: at)
            messagesPerDay[day, default: [Int](repeating: 0, count: Channel.allCases.count)][
                Int(message.channel.rawValue)] += 1
        }
        switch book.apply(event, seq: seq) {
        case .none: break
        case .started(let episode, let conversation):
            while latestEpisode.count <= conversation { latestEpisode.append(-1) }
            let previous = latestEpisode[conversation]
            if previous >= 0 { episodes[previous].nextStart = episode.start }
            latestEpisode[conversation] = episodes.count
            episodes.append(
                EpisodeRecord(
                    start: episode.start, isReopen: episode.isReopen, channel: episode.channel, firstResponse: nil,
                    resolved: nil, touches: 0, category: -1, priority: nil, sla: episode.sla, nextStart: nil))
        case .ended(let episode, let conversation):
            update(latestEpisode[conversation], from: episode)
        }
    }

    /// Brings the records of still-open episodes up to date (first response and touches so far).
    mutating func refreshOpenEpisodes() {
        for (position, conversation) in book.all.enumerated() {
            guard let open = conversation.openEpisode else { continue }
            var episode = open
            episode.category = conversation.category
            update(latestEpisode[position], from: episode)
        }
    }

    private mutating func update(_ index: Int, from episode: Episode) {
        let category = intern(episode.category)
        episodes[index].firstResponse = episode.firstResponse
        episodes[index].touches = episode.touches
        episodes[index].resolved = episode.resolved
        episodes[index].category = category
        episodes[index].priority = episode.priority
        episodes[index].sla = episode.sla
    }

    private mutating func intern(_ category: String?) -> Int32 {
        guard let category else { return -1 }
        if let id = categoryIDs[category] { return id }
        let id = Int32(categories.count)
        categories.append(category)
        categoryIDs[category] = id
        return id
    }
}
