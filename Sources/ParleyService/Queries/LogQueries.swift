import ParleyEvents
import ParleyLog
import ParleyProjections

/// Typed queries over one log: KPIs, the queue, SLA alerts, a conversation, a customer, the policies.
/// Each returns values; front ends render them.
///
/// Queries over the projections (``kpi(_:scope:)``, ``queue(team:owner:scope:)``, ``slaAlerts(scope:)``)
/// start from the checkpoint beside the log when it matches (``useCheckpoint``) and replay only the events
/// after it. A checkpoint that does not match is ignored (the whole log is replayed, and the answer is the
/// same) and, when the query read the whole log, saved anew; ``CheckpointReport`` says which happened.
public struct LogQueries: Sendable {
    /// The log.
    public let path: String
    /// Whether to start from the checkpoint beside the log (`false`: always replay the whole log).
    public var useCheckpoint: Bool
    /// The current time (ns since the epoch), for queries judged "now"; tests pin it.
    public let clock: @Sendable () -> Int64

    /// Queries over the log at `path`.
    /// - Parameters:
    ///   - path: the log.
    ///   - useCheckpoint: whether to use the checkpoint beside it.
    ///   - clock: the current time; the system's by default.
    public init(path: String, useCheckpoint: Bool = true, clock: @escaping @Sendable () -> Int64 = SystemClock.now) {
        self.path = path
        self.useCheckpoint = useCheckpoint
        self.clock = clock
    }

    /// The projections within `scope`, and what became of the checkpoint.
    /// - Parameter needsConversations: `false` when only the KPI records are read.
    /// - Throws: ``ServiceError`` (``ServiceError/Code/log`` or ``ServiceError/Code/undecodableLog``).
    public func state(_ scope: QueryScope, needsConversations: Bool = true) throws(ServiceError) -> (
        state: ProjectionState, checkpoint: CheckpointReport
    ) {
        let built = try replaying { () throws in
            try ProjectionState.build(
                path: path, limit: scope.limit, useCheckpoint: useCheckpoint, needsConversations: needsConversations)
        }
        var report = CheckpointReport(path: Checkpoint.path(for: path), use: built.checkpoint)
        if let notice = scope.emptyNotice(summary: built.state.summary, firstCommitTime: firstCommitTime) {
            report.notices.append(notice)
        }
        // Only a state of the whole log is worth saving.
        if report.ignoredReason != nil && scope.isWholeLog {
            do {
                let header = try LogReader(path: path).header
                try Checkpoint.save(built.state, logPath: path, logID: header.logID)
                report.rebuild = .saved(lastSeq: built.state.position.lastSeq)
            } catch {
                report.rebuild = .failed("\(error)")
            }
        }
        return (built.state, report)
    }

    /// The projections within `scope`, what became of the checkpoint, and the moment the query judges at
    /// (``QueryScope/judgement(latestEventTime:latestCommitTime:clock:)``); a judgement the user should
    /// know of (a historical log) is among the report's notices.
    public func judgedState(_ scope: QueryScope, needsConversations: Bool = true) throws(ServiceError) -> (
        state: ProjectionState, checkpoint: CheckpointReport, now: Int64
    ) {
        var (state, checkpoint) = try self.state(scope, needsConversations: needsConversations)
        let judgement = scope.judgement(
            latestEventTime: state.latestConversationEventTime ?? state.latestEventTime,
            latestCommitTime: state.latestCommitTime, clock: clock)
        if let notice = QueryScope.notice(for: judgement) { checkpoint.notices.append(notice) }
        return (state, checkpoint, judgement.moment)
    }

    /// The commit time of the log's first frame, if it has one (`nil` too when it cannot be read).
    func firstCommitTime() -> Int64? {
        guard let reader = try? LogReader(path: path), let frame = try? reader.nextFrame() else { return nil }
        return frame.commitTime
    }

    /// Replays the whole log, ignoring any checkpoint, and saves the checkpoint beside it.
    /// - Returns: the state saved.
    /// - Throws: ``ServiceError``: reading (``ServiceError/Code/log``, ``ServiceError/Code/undecodableLog``,
    ///   with ``ServiceError/path``) or saving (``ServiceError/Code/log`` without a path).
    public func rebuildCheckpoint() throws(ServiceError) -> ProjectionState {
        let (logID, state) = try replaying { () throws in
            (try LogReader(path: path).header.logID, try ProjectionState.build(path: path, useCheckpoint: false).state)
        }
        do {
            try Checkpoint.save(state, logPath: path, logID: logID)
        } catch {
            throw ServiceError(error)
        }
        return state
    }

    /// Runs a replay of the log, mapping what it throws to ``ServiceError``.
    func replaying<T>(_ body: () throws -> T) throws(ServiceError) -> T {
        do {
            return try body()
        } catch {
            throw ServiceError(replaying: error, path: path)
        }
    }

    /// A "not found" error for `subject` after a replay within `scope` that read `summary`.
    func notFound(_ subject: String, scope: QueryScope, summary: Replay.Summary) -> ServiceError {
        var error = ServiceError(.notFound, reason: "no \(subject) in \(path)")
        error.path = path
        error.subject = subject
        error.limit = scope.limit
        error.replayed = summary
        if let notice = scope.emptyNotice(summary: summary, firstCommitTime: firstCommitTime) {
            error.reason += " (\(notice.message))"
        }
        return error
    }
}
