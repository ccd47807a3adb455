import Foundation
import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

/// Backlog (issue #3): the number of **conversations** with an open episode at the end of a bucket. A late
/// message can open a conversation's next episode at an event time before the previous episode's
/// `resolved`; the two episodes then overlap in event time, and the conversation still counts once.
@Suite struct BacklogTests {
    /// c1: message 03-02 10:00, resolved 03-04 10:00; then a late email dated 03-03 09:00 opens episode 2,
    /// never resolved. c2: one episode 03-03 12:00 → 03-05 08:00 (another conversation still counts).
    static let overlapping = [
        Make.message("c1", Make.time("2026-03-02T10:00:00Z")),
        Make.status("c1", Make.time("2026-03-04T10:00:00Z"), .resolved),
        Make.message("c1", Make.time("2026-03-03T09:00:00Z")),
        Make.message("c2", Make.time("2026-03-03T12:00:00Z"), channel: .chat),
        Make.reply("c1", Make.time("2026-03-05T07:00:00Z")),
        Make.status("c2", Make.time("2026-03-05T08:00:00Z"), .resolved),
    ]

    @Test func aConversationWithTwoOverlappingEpisodesCountsOnce() throws {
        let report = try #require(KPIRun.report(Self.overlapping, query: KPIReport.Query(size: .day)))
        #expect(report.buckets.map(\.label) == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"])
        // End of 03-03: c1 has two open episodes (one from 03-02, one from 03-03 09:00), c2 one.
        #expect(report.buckets.map(\.backlogEnd) == [1, 2, 2, 1])
        #expect(report.totals.backlogEnd == 1)
        #expect(report.totals.newEpisodes == 3 && report.totals.reopens == 1)
        let week = try #require(KPIRun.report(Self.overlapping, query: KPIReport.Query(size: .week)))
        #expect(week.buckets.map(\.backlogEnd) == [1])
    }

    /// The filters choose episodes first; a conversation counts when any of its chosen episodes is open.
    @Test func filtersChooseEpisodesThenConversationsAreCounted() throws {
        let chat = try #require(KPIRun.report(Self.overlapping, query: KPIReport.Query(size: .day, channel: .chat)))
        #expect(chat.buckets.map(\.backlogEnd) == [0, 1, 1, 0])
        let email = try #require(KPIRun.report(Self.overlapping, query: KPIReport.Query(size: .day, channel: .email)))
        #expect(email.buckets.map(\.backlogEnd) == [1, 1, 1, 1])
        // --from/--to: the episodes carried in from before the range still count once.
        let late = try #require(
            KPIRun.report(Self.overlapping, query: KPIReport.Query(size: .day, from: "2026-03-03", to: "2026-03-06")))
        #expect(late.buckets.map(\.backlogEnd) == [2, 2, 1, 1])
    }

    /// Three episodes of one conversation, all overlapping and in no order of time, and one apart: the
    /// union of their open buckets, once.
    @Test func manyOverlappingEpisodesOfOneConversationCountOnce() throws {
        let events = [
            Make.message("c1", Make.time("2026-03-05T10:00:00Z")),
            Make.status("c1", Make.time("2026-03-06T10:00:00Z"), .resolved),
            Make.message("c1", Make.time("2026-03-02T10:00:00Z")),  // late: open 03-02 … 03-03 10:00
            Make.status("c1", Make.time("2026-03-03T10:00:00Z"), .resolved),
            Make.message("c1", Make.time("2026-03-02T11:00:00Z")),  // later still: 03-02 11:00 … 03-04 00:00
            Make.status("c1", Make.time("2026-03-04T00:00:00Z"), .resolved),
            Make.message("c1", Make.time("2026-03-08T09:00:00Z")),  // open to the end
        ]
        let report = try #require(KPIRun.report(events, query: KPIReport.Query(size: .day)))
        #expect(report.buckets.map(\.label).first == "2026-03-02")
        // Ends of 03-02 and 03-03: the two late episodes; 03-04: none; 03-05: the first; 03-08: the last.
        #expect(report.buckets.map(\.backlogEnd) == [1, 1, 0, 1, 0, 0, 1])
        #expect(report.totals.newEpisodes == 4)
    }

    /// A checkpoint taken between the two overlapping episodes, or after them, gives what a cold replay
    /// gives: the chain of a conversation's episodes is in the checkpoint.
    @Test func checkpointBetweenOverlappingEpisodesGivesTheColdReplay() throws {
        try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(Self.overlapping, to: path)
            let cold = try CheckpointTests.build(path, checkpoint: false)
            for split in [1, 2, 3, 4, 6] as [UInt64] {
                let partial = try ProjectionState.build(
                    path: path, limit: ReplayLimit(untilSeq: split), useCheckpoint: false)
                try Checkpoint.save(partial.state, logPath: path, logID: CheckpointTests.logID)
                let resumed = try CheckpointTests.build(path)
                #expect(resumed.use == .loaded(partial.state.position), "split at seq \(split)")
                #expect(resumed.answer == cold.answer, "split at seq \(split)")
                let report = try #require(KPIReport.make(from: resumed.state, query: .init(size: .day)))
                #expect(report.buckets.map(\.backlogEnd) == [1, 2, 2, 1], "split at seq \(split)")
            }
        }
    }

    /// A checkpoint whose record claims a previous episode at or after itself is refused, never trusted.
    @Test func checkpointWithABrokenEpisodeChainIsRefused() throws {
        var state = ProjectionState()
        for (index, event) in Self.overlapping.enumerated() { state.apply(event, seq: UInt64(index + 1)) }
        #expect(state.kpi.episodes.map(\.previous) == [-1, 0, -1])
        var position = LogPosition()
        position.lastSeq = UInt64(Self.overlapping.count)
        state.position = position
        let context = CheckpointContext(summary: state.summary, policies: 0)
        #expect(throws: Never.self) {
            var input = StateReader(Self.kpiSection(state.kpi)[...])
            _ = try KPIProjection(from: &input, context: context)
        }
        for broken in [[-1, 1, -1], [-1, 0, 0], [-2, 0, -1], [-1, 0, 2]] {
            var damaged = state.kpi
            for (index, previous) in broken.enumerated() { damaged.episodes[index].previous = previous }
            #expect(throws: StateReader.Malformed.self, "previous \(broken)") {
                var input = StateReader(Self.kpiSection(damaged)[...])
                _ = try KPIProjection(from: &input, context: context)
            }
            // And the whole checkpoint with it is refused.
            var whole = state
            whole.kpi = damaged
            #expect(throws: Checkpoint.Problem.self) {
                _ = try Checkpoint.decode(
                    Checkpoint.encode(whole, logID: CheckpointTests.logID)[...], logID: CheckpointTests.logID)
            }
        }
    }

    static func kpiSection(_ kpi: KPIProjection) -> [UInt8] {
        var out = StateWriter()
        kpi.encode(to: &out)
        return out.bytes
    }
}
