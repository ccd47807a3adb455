import ParleyEvents

/// Who handled each episode and how (docs/PROJECTIONS.md, "Handling figures"): one record per episode with
/// its bot involvement, human replies, escalation, time from the escalation to the first human reply, owner
/// changes and its team and owner at the end; and, per agent, the human replies they sent and the episodes
/// taken away from them. ``HandlingReport`` turns it into the figures of `parley kpi`.
///
/// A human reply is a non-automatic `reply_sent` whose author is no bot (``Router/isBot(_:)``). A bot
/// handled an episode when a bot owned it at some point or sent a non-automatic reply in it.
public struct HandlingProjection: Projection {
    public static let section = CheckpointSection(id: 19, version: 1, name: "handling")
    /// Only the events: it tells episodes that start and end from the conversation it is handed (one call
    /// per event through the existential, not two).
    public static var interests: ProjectionInterests { .conversationEvents }

    /// No name (an index into ``names``).
    static let none: Int32 = -1

    /// One episode, as handling sees it. Names are indices into ``HandlingProjection/names`` (−1: none).
    public struct Record: Equatable, Sendable {
        /// The conversation's ordinal.
        public var conversation: Int
        /// Event time (ns) of the event that started it.
        public var start: Int64
        /// Channel of the message that started it (`nil` when a status change did).
        public var channel: Channel?
        /// The conversation's category, team and owner when the episode ended (or now, while it is open).
        public var category: Int32 = HandlingProjection.none
        public var team: Int32 = HandlingProjection.none
        public var owner: Int32 = HandlingProjection.none
        /// The last non-nil owner it had while open: the one an `assigned` to someone else takes it from.
        public var lastOwner: Int32 = HandlingProjection.none
        /// Author and event time (ns) of the first non-automatic reply in it.
        public var firstResponder: Int32 = HandlingProjection.none
        public var firstResponse: Int64?
        /// Event time (ns) of the `resolved` that ended it.
        public var resolved: Int64?
        /// A bot owned it or sent a non-automatic reply in it.
        public var botHandled = false
        /// Human replies in it.
        public var humanReplies = 0
        /// Event time (ns) of its first `escalated`.
        public var escalated: Int64?
        /// Event time (ns) of the first human reply after that escalation.
        public var firstHumanAfterEscalation: Int64?
        /// Owner changes after its first owner.
        public var reassignments = 0
    }

    /// Agents, teams and categories named by the records, in order of first use.
    public internal(set) var names: [String] = []
    var nameIDs: [String: Int32] = [:]
    /// One record per episode, in order of start (log order).
    public internal(set) var records: [Record] = []
    /// Per conversation ordinal: the index of its open episode's record, −1 for none.
    var open: [Int] = []
    /// Per name: human replies sent inside an episode.
    var humanReplies: [Int] = []
    /// Per name: episodes taken from them by an `assigned` to someone else.
    var reassignedAway: [Int] = []
    /// `assigned` and `escalated` events applied (inside an episode or not): the report says whether the log
    /// has any.
    public internal(set) var assignedEvents = 0
    public internal(set) var escalatedEvents = 0

    public init() {}

    /// The name at `index`, if any.
    public func name(_ index: Int32) -> String? { index >= 0 ? names[Int(index)] : nil }

    /// Human replies sent by the name at `index`, and episodes taken from them.
    func agentCounts(_ index: Int) -> (humanReplies: Int, reassignedAway: Int) {
        (humanReplies[index], reassignedAway[index])
    }

    /// The index of `name`, added when new. `likely`, an index the name often has (the value being
    /// replaced), is compared first: equal short strings compare faster than a lookup hashes.
    mutating func intern(_ name: String?, likely: Int32 = HandlingProjection.none) -> Int32 {
        guard let name else { return Self.none }
        if likely >= 0 && names[Int(likely)] == name { return likely }
        if let id = nameIDs[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        nameIDs[name] = id
        humanReplies.append(0)
        reassignedAway.append(0)
        return id
    }

    /// The conversation's open episode started with the event just applied.
    private mutating func start(_ episode: Episode, _ conversation: borrowing ConversationBook.Conversation) {
        var record = Record(conversation: conversation.ordinal, start: episode.start, channel: episode.channel)
        record.category = intern(conversation.category)
        record.team = intern(conversation.team)
        record.owner = intern(conversation.owner)
        // An owner it starts with (a hand assignment before its first message, or the previous episode's
        // owner) is its first owner.
        record.lastOwner = record.owner
        if let owner = conversation.owner, Router.isBot(owner) { record.botHandled = true }
        while open.count <= conversation.ordinal { open.append(-1) }
        open[conversation.ordinal] = records.count
        records.append(record)
    }

    /// The episode of record `index` ended (resolved at `at`).
    private mutating func end(_ index: Int, at: Int64, _ conversation: borrowing ConversationBook.Conversation) {
        records[index].resolved = at
        records[index].category = intern(conversation.category, likely: records[index].category)
        records[index].team = intern(conversation.team, likely: records[index].team)
        records[index].owner = intern(conversation.owner, likely: records[index].owner)
        open[conversation.ordinal] = -1
    }

    public mutating func apply(_ event: Event, seq: UInt64, conversation: ConversationBook.Conversation?) {
        if let conversation { apply(event, seq: seq, in: conversation) }
    }

    public mutating func apply(_ event: Event, seq: UInt64, in conversation: borrowing ConversationBook.Conversation) {
        switch event.payload {
        case .assigned: assignedEvents += 1
        case .escalated: escalatedEvents += 1
        default: break
        }
        let index = conversation.ordinal < open.count ? open[conversation.ordinal] : -1
        guard index >= 0 else {
            // No episode was open: the event started one, or belongs to none.
            if let episode = conversation.openEpisode { start(episode, conversation) }
            return
        }
        let at = event.at.nanoseconds
        if case .none = conversation.openEpisode {
            // Only a `resolved` ends an episode.
            end(index, at: at, conversation)
            return
        }
        switch event.payload {
        case .replySent(let reply) where !reply.isAutomatic:
            let author = intern(reply.author, likely: records[index].owner)
            if records[index].firstResponse == nil {
                records[index].firstResponse = at
                records[index].firstResponder = author
            }
            if Router.isBot(reply.author) {
                records[index].botHandled = true
            } else {
                records[index].humanReplies += 1
                humanReplies[Int(author)] += 1
                if records[index].escalated != nil && records[index].firstHumanAfterEscalation == nil {
                    records[index].firstHumanAfterEscalation = at
                }
            }
        case .escalated:
            records[index].botHandled = true
            if records[index].escalated == nil { records[index].escalated = at }
        case .assigned(let assignment):
            records[index].team = intern(conversation.team, likely: records[index].team)
            records[index].owner = intern(conversation.owner, likely: records[index].owner)
            guard let assignee = assignment.assignee else { return }
            if Router.isBot(assignee) { records[index].botHandled = true }
            let owner = records[index].owner
            let previous = records[index].lastOwner
            if previous != Self.none && previous != owner {
                records[index].reassignments += 1
                reassignedAway[Int(previous)] += 1
            }
            records[index].lastOwner = owner
        case .routed:
            records[index].team = intern(conversation.team, likely: records[index].team)
        case .categorized:
            records[index].category = intern(conversation.category, likely: records[index].category)
        default:
            break
        }
    }
}
