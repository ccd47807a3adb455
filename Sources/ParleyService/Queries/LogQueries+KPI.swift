import ParleyProjections

/// The answer of ``LogQueries/kpi(_:scope:)``.
public struct KPIAnswer: Sendable {
    /// The report.
    public var report: KPIReport
    /// What the replays that built it read.
    public var summary: Replay.Summary
    /// What became of the checkpoint.
    public var checkpoint: CheckpointReport
}

extension LogQueries {
    /// KPIs per bucket within `scope`. The query's moment (the time open SLA clocks are judged at) is the
    /// scope's commit time, if any; otherwise the report judges at the latest event time.
    /// - Throws: ``ServiceError``: reading the log, or ``ServiceError/Code/invalidDate`` when a date bound
    ///   of `query` is not `YYYY-MM-DD`.
    public func kpi(_ query: KPIReport.Query, scope: QueryScope) throws(ServiceError) -> KPIAnswer {
        var query = query
        query.moment = scope.at ?? scope.limit.asOf
        // Checked before the replay: a usage error costs no replay and leaves the checkpoint alone.
        let bucketing = Bucketing(query.size)
        for date in [query.from, query.to].compactMap({ $0 }) where bucketing.index(ofDate: date) == nil {
            throw ServiceError(.invalidDate, reason: "expected a date as YYYY-MM-DD")
        }
        let (state, checkpoint) = try state(scope, needsConversations: false)
        guard let report = KPIReport.make(from: state, query: query) else {
            throw ServiceError(.invalidDate, reason: "expected a date as YYYY-MM-DD")
        }
        return KPIAnswer(report: report, summary: state.summary, checkpoint: checkpoint)
    }
}
