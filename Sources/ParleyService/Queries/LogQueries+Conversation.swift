import ParleyEvents
import ParleyProjections

/// The answer of ``LogQueries/conversation(_:scope:)``.
public struct ConversationAnswer: Sendable {
    /// The conversation's timeline, state and episodes.
    public var view: ConversationView
    /// Its state at the end of the replay.
    public var state: ConversationBook.Conversation
    /// What the replay read.
    public var summary: Replay.Summary
    /// The moment its SLA clocks are judged at (ns since the epoch).
    public var now: Int64
    /// Whether a policy measures any of its episodes.
    public var hasSLA: Bool
    /// For each of ``ConversationView/episodes``, where its SLA clocks stand at ``now``; all `nil` when
    /// ``hasSLA`` is `false`.
    public var episodeSLA: [SLAState?]
    /// For each of ``ConversationView/episodes``, the business-day length (ns) of the policy measuring it,
    /// when it has one (``SLAPolicy/businessDayNanos``).
    public var episodeBusinessDay: [Int64?] = []
    /// What the user should know about the moment it was judged at (a historical log).
    public var notices: [QueryScope.Notice] = []
}

/// The answer of ``LogQueries/customer(_:scope:)``.
public struct CustomerAnswer: Sendable {
    /// The person: every linked id, their channels, conversations and messages.
    public var view: CustomerView
    /// What the first replay read.
    public var summary: Replay.Summary
    /// The moment the SLA clocks of the person's conversations are judged at (ns since the epoch).
    public var now: Int64 = 0
    /// For each of ``CustomerView/conversations``, for each of its episodes, where its SLA clocks stand at
    /// ``now`` (`nil` where no policy measures the episode).
    public var episodeSLA: [[SLAState?]] = []
    /// What the user should know about the moment it was judged at (a historical log).
    public var notices: [QueryScope.Notice] = []
}

extension LogQueries {
    /// One conversation within `scope`: its timeline, state, episodes and their SLA clocks, judged at the
    /// scope's moment (with a sequence number, the latest event time of the conversation).
    /// - Throws: ``ServiceError``: reading the log, or ``ServiceError/Code/notFound`` when the log (within
    ///   the scope) does not mention it.
    public func conversation(_ id: String, scope: QueryScope) throws(ServiceError) -> ConversationAnswer {
        var (view, summary) = try replaying { () throws in
            try ConversationView.replay(id: id, path: path, limit: scope.limit)
        }
        guard let state = view.state else { throw notFound("conversation \"\(id)\"", scope: scope, summary: summary) }
        // Judged as `queue` and `sla` judge: a historical log at its latest traffic, with the same notice.
        let judgement = scope.judgement(
            latestEventTime: view.latestTrafficTime,
            latestCommitTime: summary.lastCommitTime > 0 ? summary.lastCommitTime : nil,
            clock: clock)
        let now = judgement.moment
        let hasSLA = view.episodes.contains { $0.sla != nil }
        var states: [SLAState?] = []
        for episode in view.episodes { states.append(hasSLA ? view.slaState(of: episode, at: now) : nil) }
        var answer = ConversationAnswer(
            view: view, state: state, summary: summary, now: now, hasSLA: hasSLA, episodeSLA: states,
            episodeBusinessDay: view.episodes.map { view.businessDayNanos(of: $0) })
        answer.notices = QueryScope.notice(for: judgement).map { [$0] } ?? []
        return answer
    }

    /// The person `id` belongs to within `scope`, across every id linked to it, with the SLA clocks of
    /// their conversations' episodes judged at the scope's moment (with a sequence number, the latest
    /// event time of those conversations).
    /// - Throws: ``ServiceError``: reading the log, or ``ServiceError/Code/notFound`` when the log (within
    ///   the scope) does not mention the id.
    public func customer(_ id: String, scope: QueryScope) throws(ServiceError) -> CustomerAnswer {
        let (view, summary) = try replaying { () throws in
            try CustomerView.replay(id: id, path: path, limit: scope.limit)
        }
        guard view.isFound else { throw notFound("customer \"\(id)\"", scope: scope, summary: summary) }
        let judgement = scope.judgement(
            latestEventTime: view.latestTrafficTime,
            latestCommitTime: summary.lastCommitTime > 0 ? summary.lastCommitTime : nil,
            clock: clock)
        let now = judgement.moment
        var conversations = view.conversations
        var states: [[SLAState?]] = []
        for index in conversations.indices {
            let episodes = conversations[index].episodes
            states.append(episodes.map { conversations[index].slaState(of: $0, at: now) })
        }
        var answer = CustomerAnswer(view: view, summary: summary, now: now, episodeSLA: states)
        answer.notices = QueryScope.notice(for: judgement).map { [$0] } ?? []
        return answer
    }
}
