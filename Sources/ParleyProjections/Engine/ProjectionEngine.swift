import ParleyEvents

/// Owns the conversation/episode state machine (``ConversationBook``: episodes, their SLA clocks under the
/// policies the log set) and feeds every ``Projection`` values: each event as it is applied, and each
/// episode started, changed or ended. Never an index into its own state.
public struct ProjectionEngine: Sendable {
    /// Every conversation, its open episode and SLA clocks, and the policies the log set.
    public internal(set) var conversations = ConversationBook()
    /// Earliest and latest event time applied (ns).
    public internal(set) var eventTimes: ClosedRange<Int64>?
    /// The projections fed, in the order of ``ProjectionState/registered``.
    public internal(set) var projections: [any Projection]

    /// An engine at the start of a log, feeding fresh instances of `projections`.
    public init(projections: [any Projection.Type]) {
        self.projections = projections.map { $0.init() }
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
        guard position >= 0 else {
            for index in projections.indices { projections[index].apply(event, seq: seq, conversation: nil) }
            return
        }
        switch change {
        case .none:
            break
        case .started:
            for index in projections.indices {
                projections[index].episodeStarted(
                    conversations.all[position].openEpisode!, conversation: conversations.all[position])
            }
        case .changed:
            for index in projections.indices {
                projections[index].episodeChanged(
                    conversations.all[position].openEpisode!, conversation: conversations.all[position])
            }
        case .ended:
            for index in projections.indices {
                projections[index].episodeEnded(conversations.lastEnded!, conversation: conversations.all[position])
            }
        }
        for index in projections.indices {
            projections[index].apply(event, seq: seq, conversation: conversations.all[position])
        }
    }

    /// The projection of type `type`, if the engine feeds one.
    public func projection<P: Projection>(_ type: P.Type) -> P? {
        for projection in projections {
            if let match = projection as? P { return match }
        }
        return nil
    }
}
