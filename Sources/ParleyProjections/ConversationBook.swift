import ParleyEvents

/// The state of every conversation, built by applying events in log order. It decides episodes:
/// when they start and end, their first response and touches. Everything here is derived from the log.
///
/// Rules (docs/PROJECTIONS.md): an episode starts at a `message_received`, or a `status_changed` to
/// `open` or `pending`, while the conversation has no open episode, and ends at `status_changed` →
/// `resolved`. A reply or a `resolved` while no episode is open belongs to no episode and is counted
/// apart. `pending` keeps the episode open. Event time drives durations, log order drives state.
public struct ConversationBook: Sendable {
    /// What is known about one conversation now.
    public struct Conversation: Sendable {
        public var id: String
        /// The customer id of its first message.
        public var customer: String?
        public var status: ConversationStatus?
        public var owner: String?
        public var team: String?
        public var category: String?
        public var priority: Priority?
        /// The open episode, if any.
        public var openEpisode: Episode?
        /// How many episodes it has had (open one included).
        public var episodes = 0
    }

    /// Counts of events the rules set apart.
    public struct Anomalies: Equatable, Sendable {
        /// Durations that came out negative (late events) and were clamped to 0. Counted by the KPI report
        /// for the episodes it reports (so it follows its filters); the book itself computes no durations.
        public var negativeDurations = 0
        /// Non-automatic replies while no episode was open.
        public var repliesOutsideEpisodes = 0
        /// `resolved` while no episode was open.
        public var resolvesOutsideEpisodes = 0
    }

    /// Conversations by id.
    public private(set) var conversations: [String: Conversation] = [:]
    public private(set) var anomalies = Anomalies()

    public init() {}

    /// What applying one event did to episodes, for the reports that listen.
    public enum Change: Sendable {
        case none
        case started(Episode)
        case ended(Episode)
    }

    /// Applies one event (in log order).
    /// - Returns: the episode started or ended by it, if any.
    @discardableResult
    public mutating func apply(_ event: Event, seq: UInt64) -> Change {
        guard let id = event.payload.conversation else { return .none }
        var conversation = conversations[id] ?? Conversation(id: id)
        defer { conversations[id] = conversation }
        let at = event.at.nanoseconds
        switch event.payload {
        case .messageReceived(let message):
            if conversation.customer == nil { conversation.customer = message.customer }
            if conversation.openEpisode == nil {
                return .started(startEpisode(&conversation, at: at, seq: seq, channel: message.channel))
            }
        case .replySent(let reply):
            guard !reply.isAutomatic else { return .none }
            guard var episode = conversation.openEpisode else {
                anomalies.repliesOutsideEpisodes += 1
                return .none
            }
            episode.touches += 1
            if episode.firstResponse == nil { episode.firstResponse = at }
            conversation.openEpisode = episode
        case .assigned(let assignment):
            conversation.owner = assignment.assignee
            if let team = assignment.team { conversation.team = team }
        case .categorized(let categorized):
            conversation.category = categorized.category
            if let priority = categorized.priority { conversation.priority = priority }
            conversation.openEpisode?.category = conversation.category
            conversation.openEpisode?.priority = conversation.priority
        case .statusChanged(let change):
            conversation.status = change.status
            switch change.status {
            case .open, .pending:
                if conversation.openEpisode == nil {
                    return .started(startEpisode(&conversation, at: at, seq: seq, channel: nil))
                }
            case .resolved:
                guard var episode = conversation.openEpisode else {
                    anomalies.resolvesOutsideEpisodes += 1
                    return .none
                }
                episode.resolved = at
                episode.category = conversation.category
                episode.priority = conversation.priority
                conversation.openEpisode = nil
                return .ended(episode)
            }
        case .noteAdded, .customerLinked, .policySet:
            break
        }
        return .none
    }

    private mutating func startEpisode(
        _ conversation: inout Conversation, at: Int64, seq: UInt64, channel: Channel?
    ) -> Episode {
        conversation.episodes += 1
        if conversation.status == nil || conversation.status == .resolved { conversation.status = .open }
        let episode = Episode(
            conversation: conversation.id, number: conversation.episodes, start: at, startSeq: seq, channel: channel,
            firstResponse: nil, touches: 0, resolved: nil, category: conversation.category,
            priority: conversation.priority)
        conversation.openEpisode = episode
        return episode
    }
}
