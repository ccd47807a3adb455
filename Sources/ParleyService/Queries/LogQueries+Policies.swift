import ParleyEvents
import ParleyProjections

/// One `policy_set` event of the log.
public struct PolicyEntry: Equatable, Sendable {
    /// Its sequence number.
    public var seq: UInt64
    /// Its event time.
    public var at: Timestamp
    /// The policy, when it checks (then it is in force for episodes that start after it).
    public var policy: SLAPolicy?
    /// Why it does not check (then the projections ignore it).
    public var problem: SLAPolicyError?
}

extension LogQueries {
    /// Every `policy_set` event of the log, in log order.
    /// - Throws: ``ServiceError`` when the log cannot be read.
    public func policies() throws(ServiceError) -> [PolicyEntry] {
        var entries: [PolicyEntry] = []
        _ = try replaying { () throws in
            try Replay.run(path: path) { event, seq in
                guard case .policySet(let set) = event.payload else { return }
                var entry = PolicyEntry(seq: seq, at: event.at)
                do throws(SLAPolicyError) {
                    entry.policy = try SLAPolicy(json: set.policy)
                } catch {
                    entry.problem = error
                }
                entries.append(entry)
            }
        }
        return entries
    }
}
