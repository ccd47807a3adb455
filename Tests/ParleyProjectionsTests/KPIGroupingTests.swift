import Foundation
import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

/// `kpi --by … --group-by …`: which group each episode falls in, what the groups count, the notes for
/// filters that match nothing, business-time statistics, and the checkpoint that keeps it all.
@Suite struct KPIGroupingTests {
    /// c1 (email, u1 "key" when it ended, ana/support), c2 (chat, u2 "vip" now, open, bo/sales, billing,
    /// high), c3 (email, nothing known, open).
    static let events = """
        {"type":"customer_profile","at":"2026-03-01T00:00:00Z","customer":"u1","tier":"key"}
        {"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"u1","channel":"email","body":"a"}
        {"type":"assigned","at":"2026-03-02T09:01:00Z","conversation":"c1","assignee":"agent:ana","team":"support"}
        {"type":"reply_sent","at":"2026-03-02T09:10:00Z","conversation":"c1","author":"agent:ana","body":"b"}
        {"type":"status_changed","at":"2026-03-02T10:00:00Z","conversation":"c1","status":"resolved"}
        {"type":"customer_profile","at":"2026-03-02T11:00:00Z","customer":"u1","tier":"standard"}
        {"type":"message_received","at":"2026-03-02T12:00:00Z","conversation":"c2","customer":"u2","channel":"chat","body":"c"}
        {"type":"categorized","at":"2026-03-02T12:01:00Z","conversation":"c2","category":"billing","priority":"high"}
        {"type":"assigned","at":"2026-03-02T12:02:00Z","conversation":"c2","assignee":"agent:bo","team":"sales"}
        {"type":"customer_profile","at":"2026-03-03T08:00:00Z","customer":"u2","tier":"vip"}
        {"type":"message_received","at":"2026-03-03T09:00:00Z","conversation":"c3","customer":"u3","channel":"email","body":"d"}
        """

    static func state(_ text: String = events) throws -> ProjectionState {
        var state = ProjectionState()
        for (index, event) in try TestLog.decode(text).enumerated() { state.apply(event, seq: UInt64(index + 1)) }
        return state
    }

    static func groups(_ state: ProjectionState, _ grouping: KPIGrouping) throws -> [String: KPIReport] {
        let grouped = try #require(
            KPIReport.makeGrouped(from: state, query: KPIReport.Query(size: .day, groupBy: grouping)))
        #expect(grouped.grouping == grouping)
        return Dictionary(uniqueKeysWithValues: grouped.groups.map { ($0.name, $0.report) })
    }

    @Test(arguments: [
        (KPIGrouping.team, ["sales": 1, "support": 1, "(none)": 1]),
        (.agent, ["agent:ana": 1, "agent:bo": 1, "(none)": 1]),
        (.tier, ["key": 1, "vip": 1, "(none)": 1]),
        (.priority, ["high": 1, "(none)": 2]),
        (.category, ["billing": 1, "(none)": 2]),
        (.channel, ["chat": 1, "email": 2]),
    ])
    func eachEpisodeFallsInTheGroupOfItsValue(grouping: KPIGrouping, expected: [String: Int]) throws {
        let groups = try Self.groups(try Self.state(), grouping)
        #expect(groups.mapValues(\.totals.newEpisodes) == expected)
        // Every group lists the same buckets: the whole log's traffic.
        for report in groups.values { #expect(report.buckets.map(\.label) == ["2026-03-02", "2026-03-03"]) }
    }

    @Test func groupsAreInNameOrderWithNoneLast() throws {
        let grouped = try #require(
            KPIReport.makeGrouped(from: try Self.state(), query: KPIReport.Query(size: .day, groupBy: .team)))
        #expect(grouped.groups.map(\.name) == ["sales", "support", "(none)"])
    }

    @Test func messagesAreCountedPerChannelOnly() throws {
        let channels = try Self.groups(try Self.state(), .channel)
        #expect(channels["email"]?.totals.messages == 2 && channels["chat"]?.totals.messages == 1)
        #expect(channels.values.allSatisfy { $0.countsMessages })
        let teams = try Self.groups(try Self.state(), .team)
        #expect(teams.values.allSatisfy { !$0.countsMessages && $0.totals.messages == 0 })
    }

    /// The team of an open episode is the conversation's now: an assignment after the start moves it.
    @Test func anOpenEpisodeFollowsItsConversationsLatestAssignment() throws {
        let text =
            Self.events + "\n"
            + #"{"type":"assigned","at":"2026-03-03T10:00:00Z","conversation":"c2","assignee":"agent:cy","team":"support"}"#
        let teams = try Self.groups(try Self.state(text), .team)
        #expect(teams["support"]?.totals.newEpisodes == 2 && teams["sales"] == nil)
        let agents = try Self.groups(try Self.state(text), .agent)
        #expect(agents["agent:cy"]?.totals.newEpisodes == 1 && agents["agent:bo"] == nil)
    }

    @Test func aGroupingNoEpisodeHasSaysSo() throws {
        let text = """
            {"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"u1","channel":"email","body":"a"}
            """
        let grouped = try #require(
            KPIReport.makeGrouped(from: try Self.state(text), query: KPIReport.Query(size: .day, groupBy: .tier)))
        #expect(grouped.groups.map(\.name) == ["(none)"])
        #expect(grouped.notes == ["no episode has a tier: all 1 are in the group (none)"])
    }

    @Test func filtersThatMatchNothingNameWhatExists() throws {
        let state = try Self.state()
        let category = try #require(KPIReport.make(from: state, query: KPIReport.Query(size: .day, category: "nosuch")))
        #expect(category.notes == ["no episode has category nosuch (categories: billing)"])
        #expect(category.totals.newEpisodes == 0)
        let channel = try #require(KPIReport.make(from: state, query: KPIReport.Query(size: .day, channel: .sms)))
        #expect(channel.notes == ["no message or episode on channel sms (channels with traffic: email, chat)"])
        let fine = try #require(KPIReport.make(from: state, query: KPIReport.Query(size: .day, category: "billing")))
        #expect(fine.notes.isEmpty)
    }

    /// With a policy, business-time FRT and resolution sit beside calendar time: the SLA clocks.
    @Test func businessTimeStatisticsAreTheSLAClocks() throws {
        // Business hours 09:00–17:00 UTC on weekdays; 2026-03-06 is a Friday.
        let text = """
            {"type":"policy_set","at":"2026-03-01T00:00:00Z","policy":{"time_zone":"UTC","business_hours":{"monday":["09:00-17:00"],"tuesday":["09:00-17:00"],"wednesday":["09:00-17:00"],"thursday":["09:00-17:00"],"friday":["09:00-17:00"]},"targets":{"normal":{"first_response":60,"resolution":600}}}}
            {"type":"message_received","at":"2026-03-06T16:00:00Z","conversation":"c1","customer":"u1","channel":"email","body":"a"}
            {"type":"reply_sent","at":"2026-03-09T10:00:00Z","conversation":"c1","author":"agent:ana","body":"b"}
            {"type":"status_changed","at":"2026-03-09T11:00:00Z","conversation":"c1","status":"resolved"}
            """
        let report = try #require(KPIRun.report(try TestLog.decode(text), query: KPIReport.Query(size: .week)))
        #expect(report.totals.firstResponse.p50 == Double(66 * 3600))
        #expect(report.totals.businessFirstResponse?.p50 == Double(2 * 3600))
        #expect(report.totals.resolution.p50 == Double(67 * 3600))
        #expect(report.totals.businessResolution?.p90 == Double(3 * 3600))
        let none = try #require(KPIRun.report(try TestLog.decode(Self.events), query: KPIReport.Query(size: .week)))
        #expect(none.totals.businessFirstResponse == nil && none.buckets.allSatisfy { $0.businessResolution == nil })
    }

    /// Team, agent, customer and tier ids survive a checkpoint: the grouped reports are the same after it.
    @Test func groupsAreTheSameFromACheckpoint() throws {
        let state = try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(try TestLog.decode(Self.events), to: path)
            return try ProjectionState.build(path: path, useCheckpoint: false).state
        }
        var decoded = try Checkpoint.decode(
            Checkpoint.encode(state, logID: CheckpointTests.logID)[...], logID: CheckpointTests.logID)
        try decoded.loadDeferredSections()
        for grouping in KPIGrouping.allCases {
            let query = KPIReport.Query(size: .day, groupBy: grouping)
            #expect(
                KPIReport.makeGrouped(from: decoded, query: query) == KPIReport.makeGrouped(from: state, query: query))
        }
    }

    /// A checkpoint written with the previous KPI section (version 1) is set aside and the log replayed.
    @Test func aCheckpointWithTheOldKPISectionIsIgnoredAndTheLogReplayed() throws {
        try withTemporaryPath { directory in
            let (path, bytes, _) = try CheckpointTests.smallLog(in: directory)
            let replayed = try ProjectionState.build(path: path, useCheckpoint: false).state
            var patched = bytes
            let count = Int(patched[12]) | Int(patched[13]) << 8
            var found = false
            for entry in 0..<count {
                let base = 80 + 32 * entry
                guard patched[base] == 16, patched[base + 1] == 0 else { continue }
                #expect(patched[base + 4] == UInt8(KPIProjection.section.version))
                patched[base + 4] = 1
                found = true
            }
            #expect(found)
            let end = 84 + 32 * count
            let crc = CRC32C.checksum(patched[0..<end])
            for index in 0..<4 { patched[end + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
            try Data(patched).write(to: URL(fileURLWithPath: Checkpoint.path(for: path)))
            let built = try ProjectionState.build(path: path)
            let reason = try #require(CheckpointTests.reason(built.checkpoint))
            #expect(reason.contains("16") || reason.contains("kpi"), "\(reason)")
            let query = KPIReport.Query(size: .day)
            #expect(KPIReport.make(from: built.state, query: query) == KPIReport.make(from: replayed, query: query))
        }
    }
}
