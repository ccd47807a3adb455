import ParleyEvents
import ParleyProjections

/// The answer of ``LogQueries/questions(_:scope:)``.
public struct QuestionsAnswer: Sendable {
    /// The recurring questions of the window.
    public var report: QuestionsReport
    /// What the replay read.
    public var summary: Replay.Summary

    /// The clusters of at least the query's minimum, largest first.
    public var clusters: [QuestionCluster] { report.clusters }
}

extension LogQueries {
    /// The recurring questions within `scope`: the first messages of the episodes that started in the
    /// query's window, clustered by text similarity (docs/QUESTIONS.md), with the previous window of equal
    /// length for the trend. Streaming replays (two when the window ends at the latest event time: the
    /// first finds it); only the texts of those messages and of the episodes' first human replies are
    /// decoded, and only their signatures are kept.
    /// - Throws: ``ServiceError``: reading the log, or ``ServiceError/Code/invalidDate`` when a bound is not
    ///   a `YYYY-MM-DD` date or the window is empty.
    public func questions(_ query: QuestionsQuery, scope: QueryScope) throws(ServiceError) -> QuestionsAnswer {
        var window = try Self.window(of: query)
        var limit = scope.limit
        if case .endingAtLatest(let length) = window {
            // A first, text-less replay finds the latest event time: the window is then fixed, and the second
            // replay reads the texts of its episodes only (the sample's own streaming bound would read those
            // of every episode in the log). The second replay stops where the first did.
            var latest: Int64?
            let first = try replaying { () throws in
                try Replay.run(path: path, limit: limit) { event, _ in
                    latest = max(latest ?? event.at.nanoseconds, event.at.nanoseconds)
                }
            }
            if let latest {
                window = .until(QuestionSample.end(after: latest), length: length)
            }
            limit.untilSeq = first.lastSeq
        }
        var sample = QuestionSample(window: window)
        let summary = try replaying { () throws in
            try Replay.run(path: path, limit: limit, wants: { sample.wants($0) }) { sample.take($0.event) }
        }
        return QuestionsAnswer(
            report: sample.report(minimum: query.minimum, threshold: query.threshold), summary: summary)
    }

    /// The window `query` names (dates are UTC days; `to` is the first day after the window).
    static func window(of query: QuestionsQuery) throws(ServiceError) -> QuestionSample.Window {
        let length = Int64(QuestionsQuery.defaultDays) * 86_400_000_000_000
        func start(of date: String?, _ option: String) throws(ServiceError) -> Int64? {
            guard let date else { return nil }
            guard let start = QuestionsQuery.start(ofDate: date) else {
                throw ServiceError(.invalidDate, reason: "\(option) \"\(date)\": expected a date as YYYY-MM-DD")
            }
            return start
        }
        let from = try start(of: query.from, "from")
        let to = try start(of: query.to, "to")
        // Days past either end of the Int64 ns range start at its ends (Bucketing): no window fits there.
        if let from, from == .max {
            throw ServiceError(
                .invalidDate,
                reason: "from \(query.from!): starts after the last time the log can hold (2262-04-11T23:47:16Z)")
        }
        if let to, to == .min {
            throw ServiceError(
                .invalidDate,
                reason: "to \(query.to!): starts before the first time the log can hold (1677-09-21T00:12:43Z)")
        }
        switch (from, to) {
        case (let from?, let to?):
            guard from < to else {
                throw ServiceError(
                    .invalidDate, reason: "the window is empty: from \(query.from!) is not before to \(query.to!)")
            }
            return .fixed(start: from, end: to)
        case (let from?, nil): return .from(from, length: length)
        case (nil, let to?): return .until(to, length: length)
        case (nil, nil): return .endingAtLatest(length: length)
        }
    }
}
