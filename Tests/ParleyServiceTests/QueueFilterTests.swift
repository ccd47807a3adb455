import ParleyProjections
import ParleyService
import Testing

/// `LogQueries.queue`: what a filter that matches nothing learns of the log (teams and owners it knows,
/// the owner meant), the limit against the total, and the business-day length of the measuring policy.
/// The log is ``LogQueriesTests``': c1 (agent:ana, support), c2 (agent:bo, billing), c4 and c5 open at
/// noon, unowned; c3 resolved.
@Suite(.dedicatedThread) struct QueueFilterTests {
    @Test func limitKeepsTheOldestAndCountsThemAll() throws {
        let (log, queries) = try LogQueriesTests.log()
        let queue = try queries.queue(limit: 2, scope: QueryScope())
        #expect(queue.rows.map(\.conversation.id) == ["c1", "c2"])
        #expect(queue.total == 4 && queue.filterMiss == nil)
        // Paris standard: 09:00–12:30 and 13:30–18:00, 8 hours on each open day.
        #expect(queue.rows.allSatisfy { $0.businessDay == 8 * 3_600_000_000_000 })
        _ = log
    }

    @Test func anUnknownTeamNamesTheTeamsThatExist() throws {
        let (log, queries) = try LogQueriesTests.log()
        let queue = try queries.queue(team: "tier9", scope: QueryScope())
        #expect(queue.rows.isEmpty && queue.total == 0)
        #expect(queue.filterMiss == .unknownTeam("tier9", known: ["billing", "support"]))
        _ = log
    }

    @Test func anOwnerWithoutItsKindIsSuggestedTheOneMeant() throws {
        let (log, queries) = try LogQueriesTests.log()
        #expect(
            try queries.queue(owner: "ANA", scope: QueryScope()).filterMiss
                == .unknownOwner("ANA", known: ["agent:ana", "agent:bo"], suggestions: ["agent:ana"]))
        #expect(
            try queries.queue(owner: "zed", scope: QueryScope()).filterMiss
                == .unknownOwner("zed", known: ["agent:ana", "agent:bo"], suggestions: []))
        _ = log
    }

    @Test func knownNamesWithNothingOpenSaySo() throws {
        let (log, queries) = try LogQueriesTests.log()
        let queue = try queries.queue(team: "support", owner: "agent:bo", scope: QueryScope())
        #expect(queue.filterMiss == .nothingOpen(team: "support", owner: "agent:bo"))
        // A filter that matches has no miss.
        #expect(try queries.queue(team: "support", scope: QueryScope()).filterMiss == nil)
        _ = log
    }
}
