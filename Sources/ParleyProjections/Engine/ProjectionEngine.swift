import ParleyEvents

/// Owns the conversation/episode state machine (``ConversationBook``: episodes, their SLA clocks under the
/// policies the log set) and feeds every ``Projection`` values: each event as it is applied, and each
/// episode started, changed or ended. Never an index into its own state.
public struct ProjectionEngine: Sendable {
    /// Every conversation, its open episode and SLA clocks, and the policies the log set.
    public internal(set) var conversations = ConversationBook()
    /// Earliest and latest event time applied (ns).
    public internal(set) var eventTimes: ClosedRange<Int64>?
    /// The latest event time of the events that name a conversation (ns): the log's traffic, without the
    /// configuration (policies, rules, agents' status, profiles, orders) that may be dated otherwise.
    public internal(set) var latestConversationEventTime: Int64?
    /// The KPI projection: built in, since every state answers `kpi`, and called directly (the compiler
    /// then hands it the episode where it lies; through an existential every call copies the conversation).
    public internal(set) var kpi = KPIProjection()
    /// The router (docs/ROUTING.md): built in too, since `append` asks it for decisions twice per event, and
    /// called directly; it follows conversations only once rules come (``Router/listening``).
    public internal(set) var router = Router()
    /// The other projections fed (plug-ins), in the order of ``ProjectionState/registered``.
    public internal(set) var projections: [any Projection]
    /// Positions in ``projections`` of those that listen to each kind of callback.
    private var conversationEventListeners: [Int] = []
    private var otherEventListeners: [Int] = []
    private var episodeListeners: [Int] = []

    /// An engine at the start of a log, feeding fresh instances of `projections` besides the KPI projection.
    public init(projections: [any Projection.Type]) {
        self.projections = projections.map { $0.init() }
        for (position, type) in projections.enumerated() {
            if type.interests.contains(.conversationEvents) { conversationEventListeners.append(position) }
            if type.interests.contains(.otherEvents) { otherEventListeners.append(position) }
            if type.interests.contains(.episodes) { episodeListeners.append(position) }
        }
    }

    /// Applies one event (in log order) and hands what it did to every projection.
    public mutating func apply(_ event: Event, seq: UInt64) {
        let at = event.at.nanoseconds
        if let times = eventTimes {
            if at < times.lowerBound || at > times.upperBound {
                eventTimes = min(times.lowerBound, at)...max(times.upperBound, at)
            }
        } else {
            eventTimes = at...at
        }
        let (position, change) = conversations.step(event, seq: seq)
        if position >= 0, at > latestConversationEventTime ?? .min { latestConversationEventTime = at }
        guard position >= 0 else {
            kpi.apply(event, seq: seq, conversation: nil)
            let routerWasListening = router.listening
            router.apply(event, seq: seq, conversation: nil)
            if !routerWasListening && router.listening { router.startListening(book: conversations) }
            for index in otherEventListeners { projections[index].apply(event, seq: seq, conversation: nil) }
            return
        }
        switch change {
        case .none:
            break
        case .started:
            kpi.started(
                conversations.all[position].openEpisode!, key: position, team: conversations.all[position].team,
                owner: conversations.all[position].owner, customer: conversations.all[position].customer)
        case .changed:
            kpi.changed(conversations.all[position].openEpisode!, key: position)
        case .ended:
            kpi.changed(conversations.lastEnded!, key: position)
        }
        kpi.count(event, key: position)
        if router.listening { notifyRouter(event, seq: seq, change: change, position: position) }
        // Apart, so that the copy of the conversation a plug-in call takes is made only when one listens.
        if !episodeListeners.isEmpty { notifyEpisode(change, position: position) }
        if !conversationEventListeners.isEmpty { notifyEvent(event, seq: seq, position: position) }
    }

    @inline(never)
    private mutating func notifyRouter(_ event: Event, seq: UInt64, change: ConversationBook.Change, position: Int) {
        let conversation = conversations.all[position]
        switch change {
        case .none, .changed: break
        case .started: router.episodeStarted(conversation.openEpisode!, conversation: conversation)
        case .ended: router.episodeEnded(conversations.lastEnded!, conversation: conversation)
        }
        router.apply(event, seq: seq, conversation: conversation)
    }

    @inline(never)
    private mutating func notifyEpisode(_ change: ConversationBook.Change, position: Int) {
        guard change != .none else { return }
        let conversation = conversations.all[position]
        switch change {
        case .none:
            break
        case .started:
            for index in episodeListeners {
                projections[index].episodeStarted(conversation.openEpisode!, conversation: conversation)
            }
        case .changed:
            for index in episodeListeners {
                projections[index].episodeChanged(conversation.openEpisode!, conversation: conversation)
            }
        case .ended:
            let ended = conversations.lastEnded!
            for index in episodeListeners {
                projections[index].episodeEnded(ended, conversation: conversation)
            }
        }
    }

    @inline(never)
    private mutating func notifyEvent(_ event: Event, seq: UInt64, position: Int) {
        for index in conversationEventListeners {
            projections[index].apply(event, seq: seq, in: conversations.all[position])
        }
    }

    /// The projection of type `type`, if the engine feeds one.
    public func projection<P: Projection>(_ type: P.Type) -> P? {
        if let kpi = kpi as? P { return kpi }
        if let router = router as? P { return router }
        for projection in projections {
            if let match = projection as? P { return match }
        }
        return nil
    }
}

extension ProjectionEngine {
    /// The next routing decision owed at `now` (ns), if one is (``Router/nextDecision(now:)``). Apply it
    /// before asking again.
    public mutating func nextRoutingDecision(now: Int64) -> Event? {
        router.nextDecision(now: now)
    }
}
