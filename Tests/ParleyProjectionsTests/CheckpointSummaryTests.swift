import Testing

@testable import ParleyProjections

/// The summary's last seq and the header's must agree: a state replayed to the recorded frame ends at its
/// last event.
@Suite struct CheckpointSummaryTests {
    @Test func aSummaryEndingBeforeTheRecordedFrameIsRefused() throws {
        var state = try CheckpointBoundsTests.state()
        #expect(state.summary.unknown == 0)
        #expect(state.summary.lastSeq == state.position.lastSeq)
        state.summary.lastSeq -= 1
        let problem = #expect(throws: Checkpoint.Problem.self) { try CheckpointBoundsTests.reload(state) }
        #expect(problem?.reason.contains("state ends at seq") == true, "\(String(describing: problem))")
    }

    @Test func withUnknownRecordsSkippedTheSummaryMayEndEarlier() throws {
        var state = try CheckpointBoundsTests.state()
        // The last record replayed was of an unknown type: neither an event nor the summary's last seq.
        state.summary.lastSeq -= 1
        state.summary.events -= 1
        state.summary.unknown = 1
        try CheckpointBoundsTests.reload(state)
    }

    @Test func theSummaryEndsNoEarlierThanTheUnknownRecordsSkippedAllow() throws {
        var state = try CheckpointBoundsTests.state()
        state.summary.lastSeq -= 2
        state.summary.events -= 2
        state.summary.unknown = 1
        let problem = #expect(throws: Checkpoint.Problem.self) { try CheckpointBoundsTests.reload(state) }
        #expect(problem?.reason.contains("state ends at seq") == true, "\(String(describing: problem))")
    }
}
