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

/// The answer of ``LogQueries/kpiGrouped(_:scope:)``.
public struct GroupedKPIAnswer: Sendable {
    /// One report per group value.
    public var report: GroupedKPIReport
    /// What the replays that built it read.
    public var summary: Replay.Summary
    /// What became of the checkpoint.
    public var checkpoint: CheckpointReport
}

extension LogQueries {
    /// KPIs per bucket within `scope`. The query's moment (the time open SLA clocks are judged at) is the
    /// scope's commit time, if any; otherwise the report judges at the latest event time.
    /// - Throws: ``ServiceError``: reading the log, or ``ServiceError/Code/invalidDate`` when a date bound
    ///   of `query` is not `YYYY-MM-DD` or its time zone is unknown (field `time_zone`).
    public func kpi(_ query: KPIReport.Query, scope: QueryScope) throws(ServiceError) -> KPIAnswer {
        let query = try Self.checked(query, scope: scope)
        let (state, checkpoint) = try state(scope, needsConversations: false)
        guard let report = KPIReport.make(from: state, query: query) else {
            throw ServiceError(.invalidDate, reason: "expected a date as YYYY-MM-DD")
        }
        return KPIAnswer(report: report, summary: state.summary, checkpoint: checkpoint)
    }

    /// KPIs per bucket within `scope`, one report per value of `query.groupBy` (as ``kpi(_:scope:)``).
    /// - Throws: as ``kpi(_:scope:)``.
    public func kpiGrouped(_ query: KPIReport.Query, scope: QueryScope) throws(ServiceError) -> GroupedKPIAnswer {
        let query = try Self.checked(query, scope: scope)
        let (state, checkpoint) = try state(scope, needsConversations: false)
        guard let report = KPIReport.makeGrouped(from: state, query: query) else {
            throw ServiceError(.invalidDate, reason: "expected a date as YYYY-MM-DD")
        }
        return GroupedKPIAnswer(report: report, summary: state.summary, checkpoint: checkpoint)
    }

    /// The query with the scope's moment, its dates and zone checked before any replay: a usage error costs
    /// no replay and leaves the checkpoint alone.
    static func checked(_ query: KPIReport.Query, scope: QueryScope) throws(ServiceError) -> KPIReport.Query {
        var query = query
        query.moment = scope.at ?? scope.limit.asOf
        switch KPIReport.check(query) {
        case .invalidDate:
            throw ServiceError(.invalidDate, reason: "expected a date as YYYY-MM-DD")
        case .unknownTimeZone(let zone):
            var error = ServiceError(.invalidDate, reason: "unknown time zone \"\(zone)\"")
            error.field = "time_zone"
            throw error
        case nil:
            return query
        }
    }
}
