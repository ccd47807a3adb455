import ParleyEvents
import ParleyProjections
import ParleyService
import ParleyTestSupport
import Testing

/// The business view (`at`: what had happened by a moment, judged then) beside the audit view (`asOf`),
/// the notices that say why an answer is empty, and "now" for a log of history imported later.
@Suite(.dedicatedThread) struct EventTimeScopeTests {
    /// November 2025, imported on 2026-03-02 (the test writer's clock): a historical log.
    static let lines = [
        #"{"type":"policy_set","at":"2025-01-01T00:00:00Z","policy":{"name":"All day","time_zone":"UTC","#
            + #""business_hours":{"monday":["00:00-24:00"],"tuesday":["00:00-24:00"],"wednesday":["00:00-24:00"],"#
            + #""thursday":["00:00-24:00"],"friday":["00:00-24:00"],"saturday":["00:00-24:00"],"#
            + #""sunday":["00:00-24:00"]},"targets":{"normal":{"first_response":60,"resolution":1440}}}}"#,
        message("c1", at: "2025-11-03T09:00:00Z"),
        #"{"type":"reply_sent","at":"2025-11-03T09:30:00Z","conversation":"c1","author":"agent:ana","body":"hi"}"#,
        #"{"type":"status_changed","at":"2025-11-05T09:00:00Z","conversation":"c1","status":"resolved"}"#,
        message("c2", at: "2025-11-10T09:00:00Z"),
        message("c3", at: "2025-11-20T09:00:00Z"),
        #"{"type":"reply_sent","at":"2025-11-20T09:10:00Z","conversation":"c3","author":"agent:ana","body":"ok"}"#,
    ]
    /// The wall clock of the queries: 2026-12-03.
    static let wallClock = time("2026-12-03T12:00:00Z")

    static func time(_ text: String) -> Int64 { Timestamp(rfc3339: text)!.nanoseconds }
    static func scope(at: String? = nil, asOf: String? = nil) throws -> QueryScope {
        try QueryScope(asOf: asOf.flatMap { Timestamp(rfc3339: $0) }, at: at.flatMap { Timestamp(rfc3339: $0) })
    }

    static func log() throws -> (log: TemporaryLog, queries: LogQueries) {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        _ = try EventAppender(writer: writer).append(jsonLines: MemorySource(jsonLines(lines)))
        return (log, LogQueries(path: log.path, clock: { wallClock }))
    }

    @Test func aHistoricalLogIsJudgedAtItsLatestEventTimeAndSaysSo() throws {
        let (log, queries) = try Self.log()
        let queue = try queries.queue(scope: QueryScope())
        #expect(queue.now == Self.time("2025-11-20T09:10:00Z"))
        #expect(queue.rows.map(\.conversation.id) == ["c2", "c3"])
        #expect(queue.rows.first?.waitingSeconds == Double(10 * 86_400 + 600))
        #expect(queue.checkpoint.notices.map(\.kind) == [.judgedHistorical])
        #expect(queue.checkpoint.notices.first?.message.contains("2025-11-20T09:10:00Z") == true)
        _ = log
    }

    @Test func atShowsOnlyWhatHadHappenedJudgedThen() throws {
        let (log, queries) = try Self.log()
        let queue = try queries.queue(scope: Self.scope(at: "2025-11-04T00:00:00Z"))
        #expect(queue.now == Self.time("2025-11-04T00:00:00Z"))
        // c1 was resolved on 5 November: still open on the 4th. c2 and c3 had not written yet.
        #expect(queue.rows.map(\.conversation.id) == ["c1"])
        #expect(queue.rows.first?.waitingSeconds == Double(15 * 3_600))
        #expect(queue.checkpoint.notices.isEmpty)
        let alerts = try queries.slaAlerts(scope: Self.scope(at: "2025-11-10T10:30:00Z"))
        #expect(alerts.now == Self.time("2025-11-10T10:30:00Z"))
        #expect(alerts.alerts.map(\.conversation.id) == ["c2"])
        #expect(alerts.alerts.first?.state.firstResponse?.phase == .breached)
        _ = log
    }

    @Test func theAuditViewBeforeTheFirstCommitIsEmptyAndSaysWhy() throws {
        let (log, queries) = try Self.log()
        let queue = try queries.queue(scope: Self.scope(asOf: "2025-11-15T00:00:00Z"))
        #expect(queue.rows.isEmpty)
        let notice = try #require(queue.checkpoint.notices.first)
        #expect(notice.kind == .nothingCommitted)
        #expect(notice.message.contains("nothing had been committed by 2025-11-15T00:00:00Z"))
        #expect(notice.message.contains("the first commit is 2026-03-02T"))
        #expect(notice.message.contains("use --at"))
        // Both views combined: committed by then, so nothing still.
        let both = try queries.queue(scope: Self.scope(at: "2025-11-15T00:00:00Z", asOf: "2025-11-15T00:00:00Z"))
        #expect(both.checkpoint.notices.map(\.kind) == [.nothingCommitted])
        _ = log
    }

    @Test func atBeforeEveryEventIsEmptyAndSaysWhy() throws {
        let (log, queries) = try Self.log()
        let queue = try queries.queue(scope: Self.scope(at: "2024-12-01T00:00:00Z"))
        #expect(queue.rows.isEmpty)
        let notice = try #require(queue.checkpoint.notices.first)
        #expect(notice.kind == .nothingHappened)
        #expect(notice.message.contains("the earliest event time is 2025-01-01T00:00:00Z"))
        _ = log
    }

    @Test func atCombinesWithACommitTime() throws {
        let (log, queries) = try Self.log()
        let queue = try queries.queue(scope: Self.scope(at: "2025-11-04T00:00:00Z", asOf: "2026-12-01T00:00:00Z"))
        #expect(queue.rows.map(\.conversation.id) == ["c1"])
        #expect(queue.now == Self.time("2025-11-04T00:00:00Z"))
        _ = log
    }

    @Test func theJudgementRuleTellsHistoryFromALiveLog() throws {
        let scope = QueryScope()
        let day: Int64 = 86_400_000_000_000
        let live = scope.judgement(latestEventTime: 10 * day, latestCommitTime: 10 * day + day, clock: { 99 * day })
        #expect(live == QueryScope.Judgement(moment: 99 * day, reason: .clock))
        let historical = scope.judgement(
            latestEventTime: 10 * day, latestCommitTime: 11 * day + 1, clock: { 99 * day })
        #expect(historical == QueryScope.Judgement(moment: 10 * day, reason: .historical))
        #expect(QueryScope.notice(for: historical)?.kind == .judgedHistorical)
        #expect(QueryScope.notice(for: live) == nil)
        // A clock set to the last commit (or before it) is the moment the caller chose.
        let pinned = scope.judgement(latestEventTime: 10 * day, latestCommitTime: 20 * day, clock: { 20 * day })
        #expect(pinned == QueryScope.Judgement(moment: 20 * day, reason: .clock))
        // Limits decide before any of that.
        let at = try QueryScope(at: Timestamp(nanoseconds: 5 * day))
        #expect(
            at.judgement(latestEventTime: 4 * day, latestCommitTime: 20 * day, clock: { 99 * day }).reason == .eventTime
        )
    }
}
