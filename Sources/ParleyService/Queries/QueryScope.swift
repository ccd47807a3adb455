import ParleyEvents
import ParleyProjections

/// How much of the log a query sees, and the moment it judges at: the one rule for `--at TIME`,
/// `--as-of TIME`, `--until-seq N` and for "now".
///
/// Two views of the past, combinable:
/// - The **business view** (`at`, `--at TIME`): only events whose event time (`at`) is at or before TIME
///   count, and the query judges at TIME (waiting times, SLA clocks, open episodes). It answers "what was
///   the backlog on 1 November?" for history imported later. Event times are not in log order, so such a
///   query reads the whole log (within the other limits) and never starts from a checkpoint.
/// - The **audit view** (`asOf`, `--as-of TIME`): only what had been committed by TIME counts, and the
///   query judges at TIME; or (`untilSeq`) only events up to a sequence number, judged at the latest event
///   time replayed. The commit time and the sequence number exclude each other.
///
/// With both, `at` decides the moment: `--at T1 --as-of T2` is what had been committed by T2 of the events
/// that had happened by T1, judged at T1.
///
/// Without any limit the whole log counts and the query judges "now" (``judgement(latestEventTime:latestCommitTime:clock:)``):
/// the clock's time, unless the log is historical. The KPI report, a report of history, judges its open
/// SLA clocks at the latest event time replayed when no moment is given (``LogQueries/kpi(_:scope:)``).
public struct QueryScope: Equatable, Sendable {
    /// What a replay for this scope reads.
    public let limit: ReplayLimit

    /// The event-time limit (ns since the epoch): the business view's moment, if one was given.
    public var at: Int64? { limit.eventsUntil }

    /// The whole log, judged now.
    public init() { limit = ReplayLimit() }

    /// A scope from the limits a user gave.
    /// - Parameters:
    ///   - asOf: only what was committed at or before this time.
    ///   - untilSeq: only events up to this sequence number.
    ///   - at: only events that happened (event time) at or before this time; judged then.
    /// - Throws: ``ServiceError/Code/conflictingLimits`` when both a commit time and a sequence number are
    ///   given.
    public init(asOf: Timestamp? = nil, untilSeq: UInt64? = nil, at: Timestamp? = nil) throws(ServiceError) {
        guard asOf == nil || untilSeq == nil else {
            throw ServiceError(.conflictingLimits, reason: "a commit time and a sequence number exclude each other")
        }
        limit = ReplayLimit(untilSeq: untilSeq, asOf: asOf?.nanoseconds, eventsUntil: at?.nanoseconds)
    }

    /// A log is historical when its latest event time is more than this (24 h, ns) before its latest commit
    /// time: its events were imported after the fact. (Only when the clock reads past that commit: a clock
    /// set to or before it is the caller's chosen moment.)
    public static let historicalLag: Int64 = 24 * 3_600 * 1_000_000_000

    /// The moment a query judges at (ns since the epoch), and why.
    /// - Parameters:
    ///   - latestEventTime: the latest event time the query replayed, if any.
    ///   - latestCommitTime: the commit time of the last frame the query read, if any.
    ///   - clock: the current time, read only when nothing else decides.
    public func judgement(latestEventTime: Int64?, latestCommitTime: Int64?, clock: () -> Int64) -> Judgement {
        if let at = limit.eventsUntil { return Judgement(moment: at, reason: .eventTime) }
        if let asOf = limit.asOf { return Judgement(moment: asOf, reason: .commitTime) }
        if limit.untilSeq != nil, let latestEventTime {
            return Judgement(moment: latestEventTime, reason: .latestEventOfLimit)
        }
        let now = clock()
        // A clock that does not read past the log's last commit was set by the caller (a test, a replay):
        // it is the moment asked for.
        if let latestEventTime, let latestCommitTime, now > latestCommitTime, latestCommitTime > latestEventTime,
            latestCommitTime - latestEventTime > Self.historicalLag
        {
            return Judgement(moment: latestEventTime, reason: .historical)
        }
        return Judgement(moment: now, reason: .clock)
    }

    /// The moment a query judges at (ns since the epoch): ``judgement(latestEventTime:latestCommitTime:clock:)``.
    public func now(latestEventTime: Int64?, latestCommitTime: Int64?, clock: () -> Int64) -> Int64 {
        judgement(latestEventTime: latestEventTime, latestCommitTime: latestCommitTime, clock: clock).moment
    }

    /// The moment a query judges at when the commit times are unknown (never judged historical).
    public func now(latestEventTime: Int64?, clock: () -> Int64) -> Int64 {
        now(latestEventTime: latestEventTime, latestCommitTime: nil, clock: clock)
    }

    /// Whether the scope is the whole log (a state built for it is worth saving as a checkpoint).
    public var isWholeLog: Bool { limit == ReplayLimit() }
}

extension QueryScope {
    /// The moment a query judges at, and why it is that moment.
    public struct Judgement: Equatable, Sendable {
        /// Why a moment was chosen.
        public enum Reason: String, Sendable {
            /// `--at TIME`: the business view's moment.
            case eventTime = "event_time"
            /// `--as-of TIME`: the audit view's moment.
            case commitTime = "commit_time"
            /// `--until-seq N`: the latest event time replayed.
            case latestEventOfLimit = "latest_event_of_limit"
            /// No limit, but the log is historical (``QueryScope/historicalLag``): its latest event time.
            case historical
            /// No limit: the clock's time.
            case clock
        }

        /// The moment (ns since the epoch).
        public var moment: Int64
        public var reason: Reason

        public init(moment: Int64, reason: Reason) {
            self.moment = moment
            self.reason = reason
        }
    }
}

extension QueryScope {
    /// Something the user should know about how a scope shaped an answer: why it is empty, or which
    /// moment it was judged at. Front ends print it apart from the answer (the CLI: on stderr).
    public struct Notice: Equatable, Sendable {
        public enum Kind: String, Sendable {
            /// `--as-of` before the first commit: nothing counts.
            case nothingCommitted = "nothing_committed"
            /// `--at` before every event time within the other limits: nothing counts.
            case nothingHappened = "nothing_happened"
            /// No limit, historical log: judged at its latest event time (``QueryScope/historicalLag``).
            case judgedHistorical = "judged_historical"
        }

        public var kind: Kind
        /// One line, for people.
        public var message: String

        public init(kind: Kind, message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// Why a replay within this scope delivered nothing, if the limits are the reason.
    /// - Parameters:
    ///   - summary: what the replay read.
    ///   - firstCommitTime: the commit time of the log's first frame, if it has one (read only when needed).
    public func emptyNotice(summary: Replay.Summary, firstCommitTime: () -> Int64?) -> Notice? {
        guard summary.events == 0 else { return nil }
        if let asOf = limit.asOf, summary.lastCommitTime == 0, let first = firstCommitTime() {
            return Notice(
                kind: .nothingCommitted,
                message: "nothing had been committed by \(Self.text(asOf)) (the first commit is \(Self.text(first)))"
                    + "; for what had happened by then use --at")
        }
        if let at = limit.eventsUntil, let earliest = summary.earliestSkipped {
            return Notice(
                kind: .nothingHappened,
                message: "nothing had happened by \(Self.text(at)) (the earliest event time is \(Self.text(earliest)))")
        }
        return nil
    }

    /// The notice a judgement calls for: one for a historical log, judged at its latest event time.
    public static func notice(for judgement: Judgement) -> Notice? {
        guard judgement.reason == .historical else { return nil }
        return Notice(
            kind: .judgedHistorical,
            message: "judged at \(text(judgement.moment)), the latest event time: the log holds history imported "
                + "later; --at TIME to choose")
    }

    private static func text(_ nanoseconds: Int64) -> String { Timestamp(nanoseconds: nanoseconds).rfc3339 }
}
