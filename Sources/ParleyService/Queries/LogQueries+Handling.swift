import ParleyProjections

/// The answer of ``LogQueries/kpiWithHandling(_:scope:)`` and ``LogQueries/handling(scope:)``.
public struct HandlingAnswer: Sendable {
    /// The KPI report per bucket, when asked for.
    public var kpi: KPIReport?
    /// The handling figures: totals (filtered like the KPI report's episodes), per agent and per team.
    public var handling: HandlingReport
    /// What the replays that built it read.
    public var summary: Replay.Summary
    /// What became of the checkpoint.
    public var checkpoint: CheckpointReport
}

extension LogQueries {
    /// The KPI report of `query` (as ``kpi(_:scope:)`` gives it) and the handling figures of the same
    /// episodes, from one replay.
    /// - Throws: ``ServiceError``: reading the log, or ``ServiceError/Code/invalidDate`` when a date bound
    ///   of `query` is not `YYYY-MM-DD`.
    public func kpiWithHandling(_ query: KPIReport.Query, scope: QueryScope) throws(ServiceError) -> HandlingAnswer {
        let query = try Self.checked(query, scope: scope)
        let (state, checkpoint) = try stateWithHandling(scope)
        guard let report = KPIReport.make(from: state, query: query) else {
            throw ServiceError(.invalidDate, reason: "expected a date as YYYY-MM-DD")
        }
        // The dates are checked and the section is loaded (`stateWithHandling`): the report is there.
        guard let handling = HandlingReport.make(from: state, query: query, buckets: report.buckets) else {
            preconditionFailure("no handling report from a state with the handling section loaded")
        }
        return HandlingAnswer(kpi: report, handling: handling, summary: state.summary, checkpoint: checkpoint)
    }

    /// The handling figures of every episode within `scope`: totals, per agent and per team.
    /// - Throws: ``ServiceError``: reading the log.
    public func handling(scope: QueryScope) throws(ServiceError) -> HandlingAnswer {
        let (state, checkpoint) = try stateWithHandling(scope)
        guard let handling = HandlingReport.make(from: state) else {
            preconditionFailure("no handling report from a state with the handling section loaded")
        }
        return HandlingAnswer(kpi: nil, handling: handling, summary: state.summary, checkpoint: checkpoint)
    }

    /// The state within `scope` with the KPI and handling sections loaded, not necessarily the others: from
    /// an up-to-date checkpoint only those two are read. A damaged handling section refuses the checkpoint
    /// (the log is replayed, and the checkpoint saved anew when the scope is the whole log).
    func stateWithHandling(_ scope: QueryScope) throws(ServiceError) -> (
        state: ProjectionState, checkpoint: CheckpointReport
    ) {
        var (state, checkpoint) = try state(scope, needsConversations: false)
        do {
            try state.loadSection(of: HandlingProjection.self)
            return (state, checkpoint)
        } catch {
            // Loading every section finds the damage again, refuses the checkpoint and replays the log.
            return try self.state(scope, needsConversations: true)
        }
    }
}
