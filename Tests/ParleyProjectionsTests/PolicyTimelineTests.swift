import Foundation
import ParleyEvents
import ParleyLog
import ParleyProjections
import Testing

/// SLA policies take effect by event time: an episode is measured by the policy whose `at` is the latest
/// at or before its start (on a tie the later in log order), whatever order the log holds them in.
@Suite struct PolicyTimelineTests {
    static let minute: Int64 = 60_000_000_000

    /// Open all day every day (business time is calendar time), named, with a first-response target.
    static func policy(_ name: String, firstResponse: Int, at: String) -> Event {
        let text = """
            {"name":"\(name)","time_zone":"UTC","business_hours":{"monday":["00:00-24:00"],"tuesday":["00:00-24:00"],
             "wednesday":["00:00-24:00"],"thursday":["00:00-24:00"],"friday":["00:00-24:00"],
             "saturday":["00:00-24:00"],"sunday":["00:00-24:00"]},
             "targets":{"normal":{"first_response":\(firstResponse),"resolution":100000}}}
            """
        return Event(at: Make.time(at), payload: .policySet(PolicySet(policy: SLAStream.policy(text))))
    }

    /// Last year's history: c1 answered in 30 minutes, c2 in 2 hours.
    static let history: [Event] = [
        Make.message("c1", Make.time("2025-11-03T09:00:00Z")),
        Make.reply("c1", Make.time("2025-11-03T09:30:00Z")),
        Make.message("c2", Make.time("2025-11-03T10:00:00Z")),
        Make.reply("c2", Make.time("2025-11-03T12:00:00Z")),
    ]

    /// The name of the policy that measures the open episode of `conversation`, if one does.
    static func policyName(_ book: ConversationBook, _ conversation: String) -> String? {
        guard let clocks = book[conversation]?.openEpisode?.sla else { return nil }
        return book.policies[clocks.policy].policy.name
    }

    static func build(_ events: [Event], limit: ReplayLimit = ReplayLimit()) throws -> ProjectionState {
        try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(events, to: path)
            return try ProjectionState.build(path: path, limit: limit, useCheckpoint: false).state
        }
    }

    @Test func policySetAfterAnImportMeasuresTheImportedEpisodes() throws {
        let events = Self.history + [Self.policy("Standard", firstResponse: 60, at: "2025-01-01T00:00:00Z")]
        var book = try Self.build(events).conversations
        #expect(Self.policyName(book, "c1") == "Standard")
        let c1 = try #require(book["c1"]?.openEpisode)
        let c2 = try #require(book["c2"]?.openEpisode)
        let now = Make.time("2025-11-04T00:00:00Z").nanoseconds
        #expect(book.slaState(of: c1, at: now)?.firstResponse?.phase == .met)
        #expect(book.slaState(of: c2, at: now)?.firstResponse?.phase == .breached)
        #expect(book.slaState(of: c2, at: now)?.firstResponse?.elapsed == 120 * Self.minute)
        #expect(book.policyTimeline.coverage.map(\.episodes) == [2])
        #expect(!book.policyTimeline.metRetroactivePolicy)
    }

    @Test func aPolicyDatedAfterEveryEpisodeMeasuresNone() throws {
        let events = Self.history + [Self.policy("Later", firstResponse: 60, at: "2026-01-01T00:00:00Z")]
        let book = try Self.build(events).conversations
        #expect(Self.policyName(book, "c1") == nil)
        #expect(book.policyTimeline.coverage.map(\.episodes) == [0])
    }

    @Test func policiesInForceFollowTheirEventTimesNotTheLogOrder() throws {
        // B (June) is set first, A (January) later; an episode in March is A's, one in July B's.
        let events = [
            Self.policy("B", firstResponse: 60, at: "2025-06-01T00:00:00Z"),
            Make.message("march", Make.time("2025-03-01T09:00:00Z")),
            Make.message("july", Make.time("2025-07-01T09:00:00Z")),
            Self.policy("A", firstResponse: 240, at: "2025-01-01T00:00:00Z"),
            Make.message("april", Make.time("2025-04-01T09:00:00Z")),
        ]
        let book = try Self.build(events).conversations
        #expect(Self.policyName(book, "march") == "A")
        #expect(Self.policyName(book, "april") == "A")
        #expect(Self.policyName(book, "july") == "B")
        #expect(book.policyTimeline.coverage.map(\.episodes) == [1, 2])
        #expect(book.policyTimeline.nextEffectTime(after: 1) == Make.time("2025-06-01T00:00:00Z").nanoseconds)
    }

    @Test func onATieTheLaterInLogOrderWins() throws {
        let events = [
            Self.policy("first", firstResponse: 60, at: "2025-01-01T00:00:00Z"),
            Self.policy("second", firstResponse: 60, at: "2025-01-01T00:00:00Z"),
            Make.message("c1", Make.time("2025-02-01T09:00:00Z")),
        ]
        #expect(Self.policyName(try Self.build(events).conversations, "c1") == "second")
    }

    @Test func asOfBeforeThePolicyWasCommittedMeasuresNothing() throws {
        let events = Self.history + [Self.policy("Standard", firstResponse: 60, at: "2025-01-01T00:00:00Z")]
        try withTemporaryPath { directory in
            let path = directory + "/log"
            let commits = try TestLog.write(events, to: path)
            let beforePolicy = commits[commits.count - 2].commitTime
            let state = try ProjectionState.build(path: path, limit: ReplayLimit(asOf: beforePolicy)).state
            #expect(state.conversations.policies.isEmpty)
            #expect(Self.policyName(state.conversations, "c2") == nil)
            let whole = try ProjectionState.build(path: path).state
            #expect(Self.policyName(whole.conversations, "c2") == "Standard")
        }
    }

    @Test func checkpointWithARetroactivePolicyInItsTailGivesTheFullReplay() throws {
        let events =
            Self.history + [
                Make.status("c1", Make.time("2025-11-03T13:00:00Z"), .resolved),
                Self.policy("Standard", firstResponse: 60, at: "2025-01-01T00:00:00Z"),
                Make.message("c3", Make.time("2025-11-04T09:00:00Z")),
            ]
        try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(events, to: path)
            let logID = try LogReader(path: path).header.logID
            // A checkpoint before the policy, then the policy in the tail.
            let partial = try ProjectionState.build(path: path, limit: ReplayLimit(untilSeq: 5), useCheckpoint: false)
            try Checkpoint.save(partial.state, logPath: path, logID: logID)
            let fromCheckpoint = try ProjectionState.build(path: path)
            let replayed = try ProjectionState.build(path: path, useCheckpoint: false)
            #expect(fromCheckpoint.state.conversations.all == replayed.state.conversations.all)
            #expect(Self.policyName(fromCheckpoint.state.conversations, "c2") == "Standard")
            let query = KPIReport.Query(size: .day)
            let report = try #require(KPIReport.make(from: replayed.state, query: query))
            #expect(KPIReport.make(from: fromCheckpoint.state, query: query) == report)
            // c1 met its first-response target (30 min), c2 breached it (2 h); c3 waits.
            #expect(report.totals.slaFirstResponse?.met == 1)
            #expect(report.totals.slaFirstResponse?.breached == 1)
            // The rebuilt state is whole and right: it can be saved, and read back the same.
            try Checkpoint.save(fromCheckpoint.state, logPath: path, logID: logID)
            let reloaded = try ProjectionState.build(path: path)
            #expect(reloaded.state.conversations.all == replayed.state.conversations.all)
            #expect(reloaded.state.conversations.policyTimeline == replayed.state.conversations.policyTimeline)
        }
    }

    @Test func aPolicyDatedBeforeEpisodesThatALaterPolicyMeasuresIsNotRetroactive() {
        // July's policy measures the July episode; one dated January, set after, measures nothing replayed.
        var book = ConversationBook()
        book.apply(Self.policy("July", firstResponse: 60, at: "2025-07-01T00:00:00Z"), seq: 1)
        book.apply(Make.message("c1", Make.time("2025-07-02T09:00:00Z")), seq: 2)
        book.apply(Self.policy("January", firstResponse: 60, at: "2025-01-01T00:00:00Z"), seq: 3)
        #expect(!book.policyTimeline.metRetroactivePolicy)
        #expect(Self.policyName(book, "c1") == "July")
        // But one dated in July, after the first, takes the episode: retroactive.
        book.apply(Self.policy("Later July", firstResponse: 60, at: "2025-07-01T12:00:00Z"), seq: 4)
        #expect(book.policyTimeline.metRetroactivePolicy)
    }

    @Test func aBookAppliedInLogOrderKnowsItMetARetroactivePolicy() {
        var book = ConversationBook()
        for (index, event) in Self.history.enumerated() { book.apply(event, seq: UInt64(index + 1)) }
        book.apply(Self.policy("Standard", firstResponse: 60, at: "2025-01-01T00:00:00Z"), seq: 5)
        #expect(book.policyTimeline.metRetroactivePolicy)
        var again = ConversationBook(knowingPoliciesOf: book)
        for (index, event) in Self.history.enumerated() { again.apply(event, seq: UInt64(index + 1)) }
        again.apply(Self.policy("Standard", firstResponse: 60, at: "2025-01-01T00:00:00Z"), seq: 5)
        #expect(!again.policyTimeline.metRetroactivePolicy)
        #expect(again.policies.count == 1)
        #expect(Self.policyName(again, "c1") == "Standard")
    }
}
