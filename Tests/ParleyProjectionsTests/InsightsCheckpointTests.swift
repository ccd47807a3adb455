import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

/// The insights section (id 20) of a checkpoint: a checkpoint at any frame boundary plus the events after it
/// gives the report of a full replay, and a section cut anywhere is refused.
@Suite struct InsightsCheckpointTests {
    static let logID = [UInt8](0..<16)

    static func bytes(_ state: ProjectionState) throws -> [UInt8] {
        var out = StateWriter()
        try #require(state.projection(InsightsProjection.self)).encode(to: &out)
        return out.bytes
    }

    @Test func checkpointAtEveryFrameBoundaryGivesTheFullReplay() throws {
        try withTemporaryPath { directory in
            let path = directory + "/log"
            let lines = InsightsProjectionTests.lines
            try TestLog.write(try TestLog.decode(lines.joined(separator: "\n")), to: path)
            let full = try ProjectionState.build(path: path, useCheckpoint: false).state
            let expected = try #require(InsightsReport.make(from: full, query: InsightsProjectionTests.costs))
            #expect(expected.totals.episodes == 5 && expected.totals.cost == 7000)
            for end in 0...UInt64(lines.count) {
                let partial = try ProjectionState.build(
                    path: path, limit: ReplayLimit(untilSeq: end), useCheckpoint: false)
                try Checkpoint.save(partial.state, logPath: path, logID: Self.logID)
                let resumed = try ProjectionState.build(path: path)
                #expect(resumed.checkpoint == .loaded(partial.state.position), "split at seq \(end)")
                #expect(
                    InsightsReport.make(from: resumed.state, query: InsightsProjectionTests.costs) == expected,
                    "split at seq \(end)")
                #expect(try Self.bytes(resumed.state) == (try Self.bytes(full)), "split at seq \(end)")
            }
        }
    }

    @Test func anUpToDateCheckpointLoadsTheInsightsSectionOnDemand() throws {
        try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(try TestLog.decode(InsightsProjectionTests.lines.joined(separator: "\n")), to: path)
            let full = try ProjectionState.build(path: path, useCheckpoint: false).state
            try Checkpoint.save(full, logPath: path, logID: Self.logID)
            var state = try ProjectionState.build(path: path, needsConversations: false).state
            #expect(InsightsReport.make(from: state, query: .init()) == nil)
            try state.loadSection(of: InsightsProjection.self)
            try state.loadSection(of: CustomerDirectory.self)
            #expect(InsightsReport.make(from: state, query: .init()) == InsightsReport.make(from: full, query: .init()))
            try state.loadDeferredSections()
            #expect(try Self.bytes(state) == (try Self.bytes(full)))
        }
    }

    @Test func aSectionCutAnywhereIsRefused() throws {
        let state = try InsightsProjectionTests.state()
        let bytes = try Self.bytes(state)
        let context = CheckpointContext(summary: state.summary, policies: 0)
        var whole = StateReader(bytes[...])
        var decoded = StateWriter()
        try InsightsProjection(from: &whole, context: context).encode(to: &decoded)
        #expect(whole.isAtEnd && decoded.bytes == bytes)
        // Every field is read in a fixed order up to the last byte: any cut leaves one short.
        for cut in 0..<bytes.count {
            var input = StateReader(bytes[..<cut])
            #expect(throws: StateReader.Malformed.self, "cut at \(cut)") {
                _ = try InsightsProjection(from: &input, context: context)
            }
        }
    }
}
