import ParleyEvents
import ParleyProjections

/// What `route --check` found: every routing decision of the log re-derived from the log before it and the
/// rules in force.
public struct RoutingAudit: Equatable, Sendable {
    /// A decision the rules do not explain, or one they owe that the log lacks.
    public struct Finding: Equatable, Sendable {
        /// The seq of the recorded decision, or of the event before which a decision is missing (`nil`: at the
        /// end of the log).
        public var seq: UInt64?
        /// The decision recorded there (`nil`: missing).
        public var recorded: Event?
        /// What the rules give there (`nil`: no decision is owed there).
        public var expected: Event?
    }

    /// Events read.
    public var events: UInt64 = 0
    /// Recorded decisions checked.
    public var decisions: UInt64 = 0
    /// The first ``maxFindings`` findings, in log order.
    public var findings: [Finding] = []
    /// How many findings in all.
    public var findingCount = 0
    /// The most findings kept.
    public static let maxFindings = 100

    /// Whether every decision is explained and none is missing.
    public var isClean: Bool { findingCount == 0 }

    mutating func add(_ finding: Finding) {
        findingCount += 1
        if findings.count < Self.maxFindings { findings.append(finding) }
    }
}

extension LogQueries {
    /// Replays the log (with texts: the rules read subjects and bodies) and re-derives every routing decision:
    /// before each event that is no decision, the router must owe nothing; each recorded decision (`routed`,
    /// or `assigned` with `by`) must be the one the router owes there, field for field. A decision owed but
    /// missing is applied as owed, and a recorded one as recorded, so that one finding does not hide the rest
    /// (though later findings may follow from an earlier one).
    /// - Throws: ``ServiceError`` when the log cannot be read.
    public func auditRouting(_ scope: QueryScope = QueryScope()) throws(ServiceError) -> RoutingAudit {
        var audit = RoutingAudit()
        var state = ProjectionState()
        func settle(before seq: UInt64?, now: Int64) {
            var guardCount = 0
            while guardCount < 100_000, let owed = state.nextRoutingDecision(now: now) {
                audit.add(RoutingAudit.Finding(seq: seq, recorded: nil, expected: owed))
                state.apply(owed, seq: 0)
                guardCount += 1
            }
        }
        _ = try replaying { () throws in
            try Replay.run(path: path, limit: scope.limit, wants: { _ in true }) { sequenced in
                let event = sequenced.event
                audit.events += 1
                if Self.isDecision(event) {
                    audit.decisions += 1
                    let expected = state.nextRoutingDecision(now: event.at.nanoseconds)
                    if expected?.payload != event.payload || expected?.at.nanoseconds != event.at.nanoseconds {
                        audit.add(RoutingAudit.Finding(seq: sequenced.seq, recorded: event, expected: expected))
                    }
                } else {
                    settle(before: sequenced.seq, now: event.at.nanoseconds)
                }
                state.apply(event, seq: sequenced.seq)
            }
        }
        if let latest = state.latestEventTime { settle(before: nil, now: latest) }
        return audit
    }

    /// Whether an event is a routing decision: a `routed`, or an `assigned` with `by`.
    public static func isDecision(_ event: Event) -> Bool {
        switch event.payload {
        case .routed: true
        case .assigned(let assignment): assignment.by != nil
        default: false
        }
    }
}
