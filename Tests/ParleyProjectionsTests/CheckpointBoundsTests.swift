import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

/// A checkpoint with valid checksums but numbers no replay produces (a faulty writer, or a file written
/// on purpose) must be refused when loaded, not trap later in the report or the SLA clocks. The
/// `checkpoint` fuzz target found these (Fixtures/fuzz/crashes/README.md); each case here changes one
/// number of a real state and re-encodes it with valid checksums.
@Suite struct CheckpointBoundsTests {
    /// A real state with policies, open and resolved episodes, SLA clocks and messages.
    static func state() throws -> ProjectionState {
        var random = SplitMix64(seed: 21)
        var state = try withTemporaryPath { directory in
            let path = directory + "/log"
            _ = try CheckpointTests.writeLog(SLAStream.events(count: 120, using: &random), to: path, using: &random)
            return try ProjectionState.build(path: path, useCheckpoint: false).state
        }
        #expect(!state.kpi.episodes.isEmpty && !state.conversations.policies.isEmpty)
        state.deferred = []
        return state
    }

    /// Encodes `state` and decodes it again, conversations included.
    static func reload(_ state: ProjectionState) throws(Checkpoint.Problem) {
        var decoded = try Checkpoint.decode(
            Checkpoint.encode(state, logID: CheckpointTests.logID)[...],
            logID: CheckpointTests.logID)
        try decoded.loadDeferredSections()
    }

    @Test func theUntouchedStateLoads() throws {
        try Self.reload(try Self.state())
    }

    @Test func aTargetBeyondWhatPoliciesAllowIsRefused() throws {
        var state = try Self.state()
        var policy = state.conversations.policies[0].policy
        policy.targets[.normal] = SLAPolicy.Targets(firstResponse: 1 << 40, resolution: 60)
        state.engine.conversations.policies[0] = try #require(BusinessCalendar(policy))
        #expect(throws: Checkpoint.Problem.self) { try Self.reload(state) }
    }

    @Test func moreMessagesThanEventsAreRefused() throws {
        var state = try Self.state()
        let slot = try #require(state.kpi.messagesPerSlot.keys.first)
        var counts = state.kpi.messagesPerSlot[slot]!
        counts[0] = 1 << 62
        var rebuilt = KPIProjection()
        rebuilt.episodes = state.kpi.episodes
        rebuilt.latestEpisode = state.kpi.latestEpisode
        rebuilt.categories = state.kpi.categories
        rebuilt.categoryIDs = state.kpi.categoryIDs
        rebuilt.teams = state.kpi.teams
        rebuilt.agents = state.kpi.agents
        rebuilt.tiers = state.kpi.tiers
        rebuilt.customerTiers = state.kpi.customerTiers
        for (other, values) in state.kpi.messagesPerSlot {
            _ = rebuilt.setMessages(other == slot ? counts : values, slot: other)
        }
        state.kpi = rebuilt
        #expect(throws: Checkpoint.Problem.self) { try Self.reload(state) }
    }

    @Test func moreTouchesThanEventsAreRefused() throws {
        var state = try Self.state()
        state.kpi.episodes[0].touches = 210_793_986_697_609_221
        #expect(throws: Checkpoint.Problem.self) { try Self.reload(state) }
    }

    @Test(arguments: [Int64.max, Int64.min, -1])
    func aClockOutsideWhatBusinessTimeCanCountIsRefused(accrued: Int64) throws {
        var state = try Self.state()
        let index = try #require(state.kpi.episodes.firstIndex { $0.sla != nil })
        state.kpi.episodes[index].sla!.resolutionAccrued = accrued
        #expect(throws: Checkpoint.Problem.self) { try Self.reload(state) }
    }

    /// A count of unknown records that does not add up with the events to the position's seq: with
    /// `UInt64.max`, the next unknown record a replay skipped would overflow it (found in review).
    @Test(arguments: [UInt64.max, 1])
    func unknownRecordsThatDoNotAddUpAreRefused(unknown: UInt64) throws {
        var state = try Self.state()
        state.summary.unknown = unknown
        #expect(throws: Checkpoint.Problem.self) { try Self.reload(state) }
    }

    @Test func anEpisodeCounterNearItsLimitIsRefused() throws {
        var state = try Self.state()
        state.engine.conversations.all[0].episodes = Int.max
        #expect(throws: Checkpoint.Problem.self) { try Self.reload(state) }
    }
}
