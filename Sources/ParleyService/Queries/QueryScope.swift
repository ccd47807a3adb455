import ParleyEvents
import ParleyProjections

/// How much of the log a query sees, and the moment it judges at: the one rule for `--as-of TIME`,
/// `--until-seq N` (and `sla --at TIME`) and for "now".
///
/// - With a commit time (`asOf`), only what had been committed by then counts, and the query judges at
///   that time.
/// - With a sequence number (`untilSeq`), only events up to it count, and the query judges at the latest
///   event time it replayed (the log's "now" at that point).
/// - Otherwise the whole log counts and the query judges at the clock's time (``now(latestEventTime:clock:)``).
///   The one exception is the KPI report, a report of history: without a commit time its open SLA clocks
///   are judged at the latest event time replayed (``LogQueries/kpi(_:scope:)`` sets the report's moment).
///
/// The two limits exclude each other.
public struct QueryScope: Equatable, Sendable {
    /// What a replay for this scope reads.
    public let limit: ReplayLimit

    /// The whole log, judged now.
    public init() { limit = ReplayLimit() }

    /// A scope from the limits a user gave.
    /// - Parameters:
    ///   - asOf: only what was committed at or before this time.
    ///   - untilSeq: only events up to this sequence number.
    /// - Throws: ``ServiceError/Code/conflictingLimits`` when both are given.
    public init(asOf: Timestamp? = nil, untilSeq: UInt64? = nil) throws(ServiceError) {
        guard asOf == nil || untilSeq == nil else {
            throw ServiceError(.conflictingLimits, reason: "a commit time and a sequence number exclude each other")
        }
        limit = ReplayLimit(untilSeq: untilSeq, asOf: asOf?.nanoseconds)
    }

    /// The moment a query judges at (ns since the epoch).
    /// - Parameters:
    ///   - latestEventTime: the latest event time the query replayed, if any.
    ///   - clock: the current time, read only when neither limit decides.
    public func now(latestEventTime: Int64?, clock: () -> Int64) -> Int64 {
        limit.asOf ?? (limit.untilSeq != nil ? latestEventTime : nil) ?? clock()
    }

    /// Whether the scope is the whole log (a state built for it is worth saving as a checkpoint).
    public var isWholeLog: Bool { limit == ReplayLimit() }
}
