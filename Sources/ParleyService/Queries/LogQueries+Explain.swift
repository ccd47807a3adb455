import ParleyEvents
import ParleyProjections

/// One change of a conversation's handling, as ``LogQueries/explain(_:scope:)`` finds it in the log: the
/// event that made it, what it changed (old → new), and who or what decided it.
public struct ExplainChange: Equatable, Sendable {
    /// What kind of change it is.
    public enum Kind: String, Sendable {
        /// An episode started: a message arrived (or a status change reopened the conversation).
        case episode
        /// A routing decision: team, priority, mode, policy (`routed`).
        case routed
        /// The owner changed (`assigned`): a decision when it has a `by`, by hand otherwise.
        case assigned
        /// A bot handed the conversation to humans (`escalated`).
        case escalated
        /// The category or priority was set by hand (`categorized`).
        case categorized
        /// The status changed (`status_changed`) without starting an episode.
        case status
    }

    /// One value that changed.
    public struct Field: Equatable, Sendable {
        /// `owner`, `team`, `priority`, `mode`, `category` or `status`.
        public var name: String
        /// The value before the event; `nil`: none.
        public var old: String?
        /// The value after it; `nil`: none.
        public var new: String?

        /// A change of `name` from `old` to `new`.
        public init(name: String, old: String?, new: String?) {
            self.name = name
            self.old = old
            self.new = new
        }
    }

    /// The seq of the event.
    public var seq: UInt64
    /// The event, with its texts (reasons, what the bot understood, the subject).
    public var event: Event
    /// What kind of change it is.
    public var kind: Kind
    /// The number of the episode it started (``Kind/episode`` only).
    public var episode: Int?
    /// The values that changed, in the order owner, team, priority, mode, category, status.
    public var changed: [Field]

    /// The event's time (ns since the epoch).
    public var at: Int64 { event.at.nanoseconds }

    /// Who or what decided: a `routed`'s or `assigned`'s `by` (`nil` for a hand-made assignment), the bot
    /// that escalated.
    public var by: String? {
        switch event.payload {
        case .routed(let routed): routed.by
        case .assigned(let assigned): assigned.by
        case .escalated(let escalated): escalated.by
        default: nil
        }
    }

    /// Whether a person made this change by hand (an `assigned` without `by`).
    public var isByHand: Bool {
        if case .assigned(let assigned) = event.payload { return assigned.by == nil }
        return false
    }

    /// The reason the event gives, if any (read from the log with its text).
    public var reason: String? {
        switch event.payload {
        case .routed(let routed): routed.reason
        case .assigned(let assigned): assigned.reason
        case .escalated(let escalated): escalated.reason
        default: nil
        }
    }
}

/// The answer of ``LogQueries/explain(_:scope:)``.
public struct ExplainAnswer: Sendable {
    /// The conversation's id.
    public var conversation: String
    /// Every change of its handling, in log order.
    public var changes: [ExplainChange]
    /// Its routing at the end of the scope (team, owner, mode, waiting); `nil` when routing never saw it.
    public var routing: Router.Conversation?
    /// Its state in the conversation book at the end of the scope (status, owner, team, priority).
    public var state: ConversationBook.Conversation
    /// Whether routing rules were in force at the end of the scope.
    public var hasRules: Bool
    /// The moment the scope judges at (ns since the epoch).
    public var now: Int64
    /// What the replay of the conversation read.
    public var summary: Replay.Summary
    /// What became of the checkpoint (for the routing state).
    public var checkpoint: CheckpointReport
}

extension LogQueries {
    /// Why conversation `id` is where it is: every change of its owner, team, priority, mode, category and
    /// status within `scope`, with the event that made it and its reason, then its routing at the end of the
    /// scope.
    /// - Throws: ``ServiceError``: reading the log, or ``ServiceError/Code/notFound`` when the log (within
    ///   the scope) does not mention it.
    public func explain(_ id: String, scope: QueryScope) throws(ServiceError) -> ExplainAnswer {
        var walk = ExplainWalk(id: id)
        let summary = try replaying { () throws in
            try Replay.run(path: path, limit: scope.limit, wants: { $0.payload.conversation == id }) { walk.apply($0) }
        }
        guard let conversation = walk.book[id] else {
            throw notFound("conversation \"\(id)\"", scope: scope, summary: summary)
        }
        let (state, checkpoint, now) = try judgedState(scope)
        let router = state.router
        return ExplainAnswer(
            conversation: id, changes: walk.changes, routing: router?.conversation(id), state: conversation,
            hasRules: router?.rules != nil, now: now,
            summary: summary, checkpoint: checkpoint)
    }
}

/// Walks the events of one conversation, keeping its state as the conversation book does, and notes each
/// change with the values before and after it.
struct ExplainWalk {
    let id: String
    var book = ConversationBook()
    /// The handling mode: only `routed` decisions set it.
    var mode: HandlingMode?
    var changes: [ExplainChange] = []

    init(id: String) { self.id = id }

    mutating func apply(_ sequenced: SequencedEvent) {
        let event = sequenced.event
        let before = book[id]
        let oldMode = mode
        let episodeChange = book.apply(event, seq: sequenced.seq)
        let after = book[id]
        if case .routed(let routed) = event.payload { mode = routed.mode }
        var changed: [ExplainChange.Field] = []
        func note(_ name: String, _ old: String?, _ new: String?) {
            if old != new { changed.append(ExplainChange.Field(name: name, old: old, new: new)) }
        }
        note("owner", before?.owner, after?.owner)
        note("team", before?.team, after?.team)
        note("priority", before?.priority?.name, after?.priority?.name)
        note("mode", oldMode?.name, mode?.name)
        note("category", before?.category, after?.category)
        note("status", before?.status?.name, after?.status?.name)
        let kind: ExplainChange.Kind
        var episode: Int?
        if case .started(let started) = episodeChange {
            kind = .episode
            episode = started.number
        } else {
            switch event.payload {
            case .routed: kind = .routed
            case .assigned: kind = .assigned
            case .escalated: kind = .escalated
            case .categorized: kind = .categorized
            case .statusChanged: kind = .status
            default: return  // messages within an episode, replies, notes: no change of handling
            }
        }
        changes.append(
            ExplainChange(seq: sequenced.seq, event: event, kind: kind, episode: episode, changed: changed))
    }
}
