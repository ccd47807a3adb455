import ParleyEvents
import ParleyProjections

/// What `parley insights` asks: the window and the costs (docs/PROJECTIONS.md, "Insights").
public typealias InsightsQuery = InsightsReport.Query

/// The answer of ``LogQueries/insights(_:scope:)``.
public struct InsightsAnswer: Sendable {
    /// The report.
    public var report: InsightsReport
    /// What the replays that built it read.
    public var summary: Replay.Summary
    /// What became of the checkpoint.
    public var checkpoint: CheckpointReport
}

extension LogQueries {
    /// The insights per category and per channel within `scope`. The query's moment is the scope's commit
    /// time, if any; otherwise the latest event time replayed (a report of history, like the KPI report).
    /// - Throws: ``ServiceError``: reading the log; ``ServiceError/Code/invalidDate`` when a date bound is
    ///   not `YYYY-MM-DD` or `from` is after `to`. Costs are taken as given, in minor units of the query's
    ///   currency (the command line checks that one is given and is an ISO 4217 code).
    public func insights(_ query: InsightsQuery, scope: QueryScope) throws(ServiceError) -> InsightsAnswer {
        var query = query
        query.moment = scope.at ?? scope.limit.asOf
        // Checked before the replay: a usage error costs no replay.
        let day = Bucketing(.day)
        var bounds: [Int64] = []
        for date in [query.from, query.to].compactMap({ $0 }) {
            guard let index = day.index(ofDate: date) else {
                throw ServiceError(.invalidDate, reason: "expected a date as YYYY-MM-DD, got \"\(date)\"")
            }
            bounds.append(index)
        }
        if query.from != nil, query.to != nil, bounds[0] > bounds[1] {
            throw ServiceError(.invalidDate, reason: "the first date \(query.from!) is after the last \(query.to!)")
        }
        var (state, checkpoint) = try state(scope, needsConversations: false)
        do {
            try state.loadSection(of: InsightsProjection.self)
            try state.loadSection(of: CustomerDirectory.self)
        } catch {
            // Loading every section finds the damage again, refuses the checkpoint and replays the log.
            (state, checkpoint) = try self.state(scope, needsConversations: true)
        }
        guard let report = InsightsReport.make(from: state, query: query) else {
            preconditionFailure("no insights report from a state with its sections loaded and its dates checked")
        }
        return InsightsAnswer(report: report, summary: state.summary, checkpoint: checkpoint)
    }
}
