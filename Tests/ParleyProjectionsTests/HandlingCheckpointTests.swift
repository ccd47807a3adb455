import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

/// The handling section (id 19) of a checkpoint: a checkpoint at any frame boundary plus the events after it
/// gives the handling figures of a full replay, `kpi` reads that section alone from an up-to-date
/// checkpoint, and a cut section is refused.
@Suite struct HandlingCheckpointTests {
    static let logID = [UInt8](0..<16)

    /// The section's bytes.
    static func bytes(_ state: ProjectionState) throws -> [UInt8] {
        var out = StateWriter()
        try #require(state.projection(HandlingProjection.self)).encode(to: &out)
        return out.bytes
    }

    /// The hand-built log of ``HandlingProjectionTests``, with a reopen that carries an owner over.
    static let events =
        HandlingProjectionTests.lines + [
            #"{"type":"message_received","at":"2026-03-03T09:00:00Z","conversation":"c4","customer":"u4","channel":"email","body":"again"}"#,
            #"{"type":"assigned","at":"2026-03-03T09:07:00Z","conversation":"c4","assignee":"agent:ana","team":"support"}"#,
            #"{"type":"reply_sent","at":"2026-03-03T09:08:00Z","conversation":"c5","author":"agent:bo","auto":false,"body":"b"}"#,
        ]

    @Test func checkpointAtEveryFrameBoundaryGivesTheFullReplay() throws {
        try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(try TestLog.decode(Self.events.joined(separator: "\n")), to: path)
            let full = try ProjectionState.build(path: path, useCheckpoint: false).state
            let expected = try #require(HandlingReport.make(from: full))
            #expect(expected.totals.reassignments == 4 && expected.totals.awaitingHuman == 0)
            for end in 0...UInt64(Self.events.count) {
                let partial = try ProjectionState.build(
                    path: path, limit: ReplayLimit(untilSeq: end), useCheckpoint: false)
                try Checkpoint.save(partial.state, logPath: path, logID: Self.logID)
                let resumed = try ProjectionState.build(path: path)
                #expect(resumed.checkpoint == .loaded(partial.state.position), "split at seq \(end)")
                #expect(HandlingReport.make(from: resumed.state) == expected, "split at seq \(end)")
                #expect(try Self.bytes(resumed.state) == (try Self.bytes(full)), "split at seq \(end)")
            }
        }
    }

    @Test func anUpToDateCheckpointLoadsTheHandlingSectionAlone() throws {
        try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(try TestLog.decode(Self.events.joined(separator: "\n")), to: path)
            let full = try ProjectionState.build(path: path, useCheckpoint: false).state
            try Checkpoint.save(full, logPath: path, logID: Self.logID)
            var state = try ProjectionState.build(path: path, needsConversations: false).state
            #expect(!state.hasConversations)
            #expect(HandlingReport.make(from: state) == nil)
            try state.loadSection(of: HandlingProjection.self)
            #expect(HandlingReport.make(from: state) == HandlingReport.make(from: full))
            // The other sections are still deferred; loading them checks the handling section against the
            // conversations.
            #expect(!state.hasConversations)
            try state.loadDeferredSections()
            #expect(try Self.bytes(state) == (try Self.bytes(full)))
        }
    }

    @Test func aSectionCutAnywhereIsRefused() throws {
        var state = ProjectionState()
        for (index, event) in try TestLog.decode(Self.events.joined(separator: "\n")).enumerated() {
            state.apply(event, seq: UInt64(index + 1))
        }
        let bytes = try Self.bytes(state)
        let context = CheckpointContext(summary: state.summary, policies: 0)
        var whole = StateReader(bytes[...])
        var decoded = StateWriter()
        try HandlingProjection(from: &whole, context: context).encode(to: &decoded)
        #expect(whole.isAtEnd && decoded.bytes == bytes)
        for cut in 0..<bytes.count {
            var input = StateReader(bytes[..<cut])
            let refused: Bool
            do {
                _ = try HandlingProjection(from: &input, context: context)
                refused = !input.isAtEnd
            } catch {
                refused = true
            }
            #expect(refused, "cut at \(cut) of \(bytes.count)")
        }
    }

    @Test func countsAboveTheEventsReplayedAreRefused() throws {
        var state = ProjectionState()
        for (index, event) in try TestLog.decode(Self.events.joined(separator: "\n")).enumerated() {
            state.apply(event, seq: UInt64(index + 1))
        }
        var fewer = state.summary
        fewer.events = 3
        var input = StateReader(try Self.bytes(state)[...])
        #expect(throws: StateReader.Malformed.self) {
            _ = try HandlingProjection(from: &input, context: CheckpointContext(summary: fewer, policies: 0))
        }
    }
}
