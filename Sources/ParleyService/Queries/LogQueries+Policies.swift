import ParleyEvents
import ParleyProjections

/// One `policy_set` event of the log.
public struct PolicyEntry: Equatable, Sendable {
    /// Its sequence number.
    public var seq: UInt64
    /// Its event time.
    public var at: Timestamp
    /// The policy, when it checks (then it measures the episodes that start from its event time on, until
    /// the next policy's).
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

/// Which episodes one policy measures (docs/PROJECTIONS.md, "SLA policies"): those that started while it
/// was in force, by event time.
public struct PolicyCoverage: Equatable, Sendable {
    /// The policy's name, if it has one.
    public var name: String?
    /// When it takes effect: its `policy_set`'s event time (ns).
    public var effect: Int64
    /// When the next policy takes effect (ns), if one does.
    public var until: Int64?
    /// Episodes it measures.
    public var episodes: Int
    /// Their earliest and latest start (ns).
    public var starts: ClosedRange<Int64>?
    /// Earliest and latest start of every episode of the log (ns), measured or not.
    public var logStarts: ClosedRange<Int64>?
}

extension LogQueries {
    /// What the last valid policy of the log (in log order: the one `policy set` just appended) measures;
    /// `nil` when the log holds none. Starts from the checkpoint when it matches.
    /// - Throws: ``ServiceError`` when the log cannot be read.
    public func latestPolicyCoverage() throws(ServiceError) -> PolicyCoverage? {
        let book = try state(QueryScope()).state.conversations
        guard let index = book.currentPolicy else { return nil }
        let timeline = book.policyTimeline
        return PolicyCoverage(
            name: book.policies[index].policy.name, effect: timeline.effectTimes[index],
            until: timeline.nextEffectTime(after: index), episodes: timeline.coverage[index].episodes,
            starts: timeline.coverage[index].starts, logStarts: timeline.episodeStarts)
    }
}
