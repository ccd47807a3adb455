import Foundation
import ParleyEvents
import ParleyLog
import ParleyProjections
import ParleyService
import ParleyTestSupport
import Testing

/// Each typed query on a small log with a Paris business-hours policy (UTC+1: 09:00Z is 10:00 in Paris),
/// judged at a pinned clock of 2026-03-02T12:00:00Z (13:00 in Paris, the lunch break).
@Suite(.dedicatedThread) struct LogQueriesTests {
    static let policy = """
        {"type":"policy_set","at":"2026-03-02T00:00:00Z","policy":{"name":"Paris standard","time_zone":"Europe/Paris",\
        "business_hours":{"monday":["09:00-12:30","13:30-18:00"],"tuesday":["09:00-12:30","13:30-18:00"]},\
        "targets":{"urgent":{"first_response":30,"resolution":240},"normal":{"first_response":240,"resolution":960}}}}
        """
    static let lines = [
        policy,  // 1
        message("c1", at: "2026-03-02T09:00:00Z", customer: "ann", channel: "chat"),  // 2
        #"{"type":"assigned","at":"2026-03-02T09:01:00Z","conversation":"c1","assignee":"agent:ana","team":"support"}"#,
        #"{"type":"categorized","at":"2026-03-02T09:02:00Z","conversation":"c1","category":"billing","priority":"urgent"}"#,
        message("c2", at: "2026-03-02T09:30:00Z", customer: "bob"),  // 5
        #"{"type":"assigned","at":"2026-03-02T09:31:00Z","conversation":"c2","assignee":"agent:bo","team":"billing"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:40:00Z","conversation":"c2","author":"agent:bo","body":"hi"}"#,
        message("c3", at: "2026-03-02T10:00:00Z", customer: "carl"),  // 8
        #"{"type":"status_changed","at":"2026-03-02T10:30:00Z","conversation":"c3","status":"resolved"}"#,
        #"{"type":"customer_linked","at":"2026-03-02T11:00:00Z","customer":"ann-alt","same_as":"ann"}"#,
        message("c4", at: "2026-03-02T11:00:00Z", customer: "ann-alt", channel: "sms"),  // 11
        message("c5", at: "2026-03-02T11:30:00Z", customer: "dora"),  // 12
        #"{"type":"categorized","at":"2026-03-02T11:31:00Z","conversation":"c5","category":"returns","priority":"urgent"}"#,
    ]
    /// 2026-03-02T12:00:00Z.
    static let noon: Int64 = 1_772_452_800 * 1_000_000_000

    static func log() throws -> (log: TemporaryLog, queries: LogQueries) {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        _ = try EventAppender(writer: writer).append(jsonLines: MemorySource(jsonLines(lines)))
        return (log, LogQueries(path: log.path, clock: { noon }))
    }

    @Test func queueListsOpenEpisodesOldestFirstWithTheirClocks() throws {
        let (log, queries) = try Self.log()
        let queue = try queries.queue(scope: QueryScope())
        #expect(queue.now == Self.noon)
        #expect(queue.hasPolicies)
        #expect(queue.rows.map(\.conversation.id) == ["c1", "c2", "c4", "c5"])
        let first = try #require(queue.rows.first)
        #expect(first.conversation.owner == "agent:ana")
        #expect(first.conversation.team == "support")
        #expect(first.conversation.priority == .urgent)
        #expect(first.waitingSeconds == 3 * 3600)
        #expect(first.episode.touches == 0)
        #expect(first.sla?.firstResponse?.phase == .breached)
        #expect(queue.rows[1].episode.touches == 1)
        #expect(queue.rows[1].sla?.firstResponse?.phase == .met)
        #expect(try queries.queue(team: "support", scope: QueryScope()).rows.map(\.conversation.id) == ["c1"])
        #expect(try queries.queue(owner: "agent:bo", scope: QueryScope()).rows.map(\.conversation.id) == ["c2"])
        _ = log
    }

    @Test func slaAlertsListBreachedThenAtRiskEpisodesMostUrgentFirst() throws {
        let (log, queries) = try Self.log()
        let answer = try queries.slaAlerts(scope: QueryScope())
        #expect(answer.hasPolicies)
        // c1 is late on its first response; c5's (urgent) falls due at 13:00Z, within the hour; c2 and c4
        // are not due within the hour.
        #expect(answer.alerts.map(\.conversation.id) == ["c1", "c5"])
        #expect(answer.alerts[0].leastRemaining < 0)
        #expect(answer.alerts[1].state.firstResponse?.phase == .running)
        #expect(answer.alerts[1].nearestDeadline == Self.noon + 3_600_000_000_000)
        // With a narrower window, only the breach is left.
        let narrow = try queries.slaAlerts(scope: QueryScope(), riskWindow: 60_000_000_000)
        #expect(narrow.alerts.map(\.conversation.id) == ["c1"])
        _ = log
    }

    @Test func kpiReportsTheLogAndWhatWasReplayed() throws {
        let (log, queries) = try Self.log()
        let answer = try queries.kpi(KPIReport.Query(size: .day), scope: QueryScope())
        #expect(answer.summary.events == UInt64(Self.lines.count))
        #expect(answer.summary.lastSeq == UInt64(Self.lines.count))
        #expect(answer.report.totals.messages == 5)
        #expect(answer.report.totals.newEpisodes == 5)
        #expect(answer.report.buckets.map(\.label) == ["2026-03-02"])
        let upTo = try queries.kpi(KPIReport.Query(size: .day), scope: QueryScope(untilSeq: 5))
        #expect(upTo.report.totals.messages == 2)
        #expect(throws: ServiceError.self) {
            try queries.kpi(KPIReport.Query(size: .day, from: "March"), scope: QueryScope())
        }
        _ = log
    }

    @Test func conversationIsJudgedAtItsLatestEventWithASequenceLimit() throws {
        let (log, queries) = try Self.log()
        let whole = try queries.conversation("c1", scope: QueryScope())
        #expect(whole.state.owner == "agent:ana")
        #expect(whole.view.episodes.count == 1)
        #expect(whole.hasSLA)
        #expect(whole.now == Self.noon)
        #expect(whole.episodeSLA.first??.firstResponse?.phase == .breached)
        // Up to seq 3: judged at c1's latest event then (09:01Z), when its first response was still due.
        let early = try queries.conversation("c1", scope: QueryScope(untilSeq: 3))
        #expect(early.now == Self.noon - 179 * 60_000_000_000)
        #expect(early.state.priority == nil)
        #expect(early.episodeSLA.first??.firstResponse?.phase == .running)
        _ = log
    }

    @Test func anIdTheLogDoesNotMentionIsNotFoundWithWhatWasRead() throws {
        let (log, queries) = try Self.log()
        do {
            _ = try queries.conversation("c9", scope: QueryScope(untilSeq: 4))
            Issue.record("c9 was found")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.subject == "conversation \"c9\"")
            #expect(error.limit == ReplayLimit(untilSeq: 4))
            #expect(error.replayed?.lastSeq == 4)
            #expect(error.path == log.path)
        }
        #expect(throws: ServiceError.self) { try queries.customer("zed", scope: QueryScope()) }
    }

    @Test func customerGathersEveryLinkedId() throws {
        let (log, queries) = try Self.log()
        for id in ["ann", "ann-alt"] {
            let answer = try queries.customer(id, scope: QueryScope())
            #expect(Set(answer.view.ids) == ["ann", "ann-alt"])
            #expect(answer.view.conversations.map(\.id) == ["c1", "c4"])
            #expect(answer.view.channels == [.chat, .sms])
        }
        _ = log
    }

    @Test func policiesAreListedInLogOrder() throws {
        let (log, queries) = try Self.log()
        let entries = try queries.policies()
        #expect(entries.map(\.seq) == [1])
        #expect(entries.first?.policy?.name == "Paris standard")
        #expect(entries.first?.problem == nil)
        _ = log
    }

    @Test func scopeIsOneRuleForLimitsAndNow() throws {
        #expect(throws: ServiceError.self) { try QueryScope(asOf: Timestamp(nanoseconds: 1), untilSeq: 2) }
        let asOf = try QueryScope(asOf: Timestamp(nanoseconds: 5))
        #expect(asOf.limit == ReplayLimit(asOf: 5))
        #expect(asOf.now(latestEventTime: 7, clock: { 9 }) == 5)
        let untilSeq = try QueryScope(untilSeq: 3)
        #expect(untilSeq.now(latestEventTime: 7, clock: { 9 }) == 7)
        #expect(untilSeq.now(latestEventTime: nil, clock: { 9 }) == 9)
        #expect(QueryScope().now(latestEventTime: 7, clock: { 9 }) == 9)
        #expect(QueryScope().isWholeLog && !untilSeq.isWholeLog)
    }

    @Test func anIgnoredCheckpointIsReportedAndRebuiltForTheWholeLogOnly() throws {
        let (log, queries) = try Self.log()
        let checkpoint = LogFiles(log: log.path).checkpoint
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: checkpoint))
        let limited = try queries.queue(scope: QueryScope(untilSeq: 5))
        #expect(limited.checkpoint.ignoredReason != nil)
        #expect(limited.checkpoint.rebuild == nil)
        let whole = try queries.queue(scope: QueryScope())
        #expect(whole.checkpoint.path == checkpoint)
        #expect(whole.checkpoint.ignoredReason != nil)
        #expect(whole.checkpoint.rebuild == .saved(lastSeq: UInt64(Self.lines.count)))
        let again = try queries.queue(scope: QueryScope())
        #expect(again.checkpoint.ignoredReason == nil)
        #expect(again.rows == whole.rows)
        var replaying = queries
        replaying.useCheckpoint = false
        #expect(try replaying.queue(scope: QueryScope()).checkpoint.use == .none)
    }

    @Test func rebuildSavesACheckpointTheQueriesThenLoad() throws {
        let (log, queries) = try Self.log()
        let state = try queries.rebuildCheckpoint()
        #expect(state.position.lastSeq == UInt64(Self.lines.count))
        let answer = try queries.slaAlerts(scope: QueryScope())
        #expect(answer.checkpoint.use == .loaded(state.position))
        _ = log
    }
}
