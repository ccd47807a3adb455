import Dispatch
import Foundation
import Testing

@testable import ParleyLog

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The follower behind `parley tail`: committed frames only, in order, each once, across a writer's
/// crash and the next writer's recovery.
@Suite(.dedicatedThread) struct LogFollowerTests {
    /// Records of the three frames of ``threeFrameLog(at:)``: seq 1–3, 4–6, 7–9.
    static let frameRecords = [["a1", "a2", "a3"], ["b4", "b5", "b6"], ["c7", "c8", "c9"]]

    /// Writes a log of three frames (seq 1–3, 4–6, 7–9) with a writer, closes it and returns the commits.
    @discardableResult
    static func threeFrameLog(at path: String) throws -> [LogWriter.Commit] {
        let writer = try LogWriter.create(at: path, options: TestLog.options())
        defer { writer.close() }
        return try frameRecords.map { try writer.appendRecords($0) }
    }

    /// Calls `nextFrame()` until it returns nil, copying each frame.
    static func drain(_ follower: LogFollower) throws -> [StoredFrame] {
        var frames: [StoredFrame] = []
        while let frame = try follower.nextFrame() { frames.append(StoredFrame(frame)) }
        return frames
    }

    /// Replaces the commit hint of the log at `path` (in place, as the writer does).
    static func writeHint(forLog path: String, end: Int64, lastSeq: UInt64, logID: [UInt8] = TestLog.logID) throws {
        let bytes = CommitHint(committedEnd: end, lastSeq: lastSeq).encoded(logID: logID)
        try Files.overwrite(CommitHint.path(forLog: path), at: 0, with: bytes)
    }

    // MARK: Following

    @Test func followingFromTheStartReturnsEveryFrameOnceInOrderThenNil() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let commits = try Self.threeFrameLog(at: path)
            let follower = try LogFollower(path: path, fromSeq: 1)
            #expect(follower.nextSeq == 1)
            #expect(follower.position == Int64(LogFormat.fileHeaderBytes))
            #expect(follower.header == TestLog.header)
            let frames = try Self.drain(follower)
            #expect(frames.map(\.text) == Self.frameRecords)
            #expect(frames.map(\.seqs) == commits.map(\.seqs))
            #expect(frames.map(\.offset) == commits.map(\.offset))
            #expect(follower.nextSeq == 10)
            #expect(follower.position == commits[2].offset + Int64(commits[2].frameBytes))
            #expect(try follower.nextFrame() == nil, "caught up: nothing more, asked again")
        }
    }

    @Test(
        "Frames wholly before fromSeq are skipped; a start inside a frame returns that whole frame first",
        arguments: [
            (1, [1, 4, 7]), (2, [1, 4, 7]), (3, [1, 4, 7]), (4, [4, 7]), (5, [4, 7]), (6, [4, 7]), (7, [7]), (9, [7]),
            (10, []),
        ] as [(UInt64, [UInt64])])
    func startingAtASeq(fromSeq: UInt64, firstSeqs: [UInt64]) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let commits = try Self.threeFrameLog(at: path)
            let follower = try LogFollower(path: path, fromSeq: fromSeq)
            #expect(follower.nextSeq == fromSeq)
            // Positioned at the frame holding fromSeq (or at the end): the frames before it are never read again.
            let expectedPosition =
                commits.first { $0.seqs.upperBound >= fromSeq }?.offset
                ?? commits[2].offset + Int64(commits[2].frameBytes)
            #expect(follower.position == expectedPosition)
            let frames = try Self.drain(follower)
            #expect(frames.map(\.firstSeq) == firstSeqs)
            #expect(follower.nextSeq == max(fromSeq, 10))
        }
    }

    @Test func startingInsideAFrameMovesNextSeqToTheEndOfThatFrame() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try Self.threeFrameLog(at: path)
            let follower = try LogFollower(path: path, fromSeq: 5)
            let frame = try #require(try follower.nextFrame())
            #expect(frame.firstSeq == 4, "the caller skips seq 4 itself")
            #expect(StoredFrame(frame).text == ["b4", "b5", "b6"])
            #expect(follower.nextSeq == 7)
        }
    }

    @Test func startingPastTheEndReturnsNothingUntilTheFramesArrive() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try Self.threeFrameLog(at: path)
            let follower = try LogFollower(path: path, fromSeq: 12)
            #expect(try follower.nextFrame() == nil)
            let writer = try LogWriter.open(at: path, options: TestLog.options())
            defer { writer.close() }
            try writer.appendRecords(["d10", "d11"])
            try writer.appendRecords(["e12", "e13"])
            let frames = try Self.drain(follower)
            // The frame of seq 10–11 lies before fromSeq: the follower returns it (its header says so) and the
            // caller skips it by sequence number; what matters is that seq 12 is there and nothing is lost.
            #expect(frames.last?.text == ["e12", "e13"])
            #expect(frames.allSatisfy { $0.seqs.upperBound >= 10 })
            #expect(follower.nextSeq == 14)
        }
    }

    @Test func framesCommittedWhileFollowingAreReturnedByLaterCalls() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            defer { writer.close() }
            let follower = try LogFollower(path: path, fromSeq: 1)
            #expect(try follower.nextFrame() == nil, "an empty log has no frame yet")
            var expected: [[String]] = []
            for round in 0..<50 {
                let records = (0...(round % 4)).map { "r\(round)-\($0)" + String(repeating: "x", count: round * 40) }
                try writer.appendRecords(records)
                expected.append(records)
                if round % 3 == 0 { continue }  // sometimes two or more frames arrive between calls
                let frames = try Self.drain(follower)
                #expect(!frames.isEmpty)
                #expect(try follower.nextFrame() == nil)
                expected.removeFirst(frames.count)
                #expect(expected.isEmpty, "round \(round): every committed frame was returned")
            }
            #expect(follower.nextSeq == writer.lastSeq + 1)
        }
    }

    @Test func aFollowerOfAMissingFileIsNotFound() throws {
        try withTemporaryDirectory { dir in
            let error = #expect(throws: LogError.self) { try LogFollower(path: dir.file("none.log"), fromSeq: 1) }
            #expect(error?.code == .notFound)
        }
    }

    // MARK: The commit point

    @Test func aFrameBeyondTheCommitHintIsNotReturnedUntilTheHintAdvances() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let commits = try Self.threeFrameLog(at: path)
            let end2 = commits[1].offset + Int64(commits[1].frameBytes)
            let end3 = commits[2].offset + Int64(commits[2].frameBytes)
            // As if frame 3 were written but its fdatasync had not returned: the hint still says frame 2.
            try Self.writeHint(forLog: path, end: end2, lastSeq: 6)
            let follower = try LogFollower(path: path, fromSeq: 1)
            #expect(try follower.committedLastSeq() == 6)
            #expect(try Self.drain(follower).map(\.firstSeq) == [1, 4])
            #expect(try follower.nextFrame() == nil)
            #expect(follower.nextSeq == 7)
            #expect(follower.position == end2)

            try Self.writeHint(forLog: path, end: end3, lastSeq: 9)
            #expect(try follower.committedLastSeq() == 9)
            #expect(try Self.drain(follower).map(\.text) == [["c7", "c8", "c9"]])
        }
    }

    @Test func aFollowerStartedBeyondTheHintWaitsForTheHintToo() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let commits = try Self.threeFrameLog(at: path)
            try Self.writeHint(forLog: path, end: commits[0].offset + Int64(commits[0].frameBytes), lastSeq: 3)
            let follower = try LogFollower(path: path, fromSeq: 5)
            #expect(try follower.nextFrame() == nil, "frame 4–6 is not committed by the hint")
            try Self.writeHint(forLog: path, end: commits[2].offset + Int64(commits[2].frameBytes), lastSeq: 9)
            #expect(try Self.drain(follower).map(\.firstSeq) == [4, 7])
        }
    }

    /// A writer whose `fdatasync` blocks, after the frame is written, until the test lets it go; the sync
    /// then succeeds or fails as the test says.
    final class HeldSync: Sendable {
        private let armed = Shared(false)
        private let failNext = Shared(false)
        let written = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)

        /// Holds the next sync; `fail` makes it fail with EIO when released.
        func holdNext(fail: Bool) {
            armed.withLock { $0 = true }
            failNext.withLock { $0 = fail }
        }

        var io: FileOperations {
            var io = FileOperations.system
            io.fdatasync = { [armed, failNext, written, release] fd in
                let hold = armed.withLock { armed -> Bool in
                    let was = armed
                    armed = false
                    return was
                }
                guard hold else { return SystemCalls.fdatasync(fd) }
                written.signal()
                release.wait()
                return failNext.value ? .failure(Errno(EIO)) : SystemCalls.fdatasync(fd)
            }
            return io
        }
    }

    @Test func aFrameWrittenWhoseSyncHasNotReturnedIsNotReturned() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let held = HeldSync()
            let writer = try LogWriter.create(at: path, options: TestLog.options(io: held.io))
            defer { writer.close() }
            try writer.appendRecords(["a1", "a2"])
            let follower = try LogFollower(path: path, fromSeq: 1)
            #expect(try Self.drain(follower).map(\.firstSeq) == [1])
            let committedEnd = writer.committedEnd

            held.holdNext(fail: false)
            let appended = DispatchSemaphore(value: 0)
            Thread {
                _ = try? writer.appendRecords(["b3", "b4"])
                appended.signal()
            }.start()
            held.written.wait()
            // The whole frame is in the file; its fdatasync has not returned (the writer holds its lock meanwhile).
            #expect(try Files.size(path) == committedEnd + Int64(TestLog.frameLength(["b3", "b4"])))
            #expect(try follower.nextFrame() == nil)
            let fresh = try LogFollower(path: path, fromSeq: 1)
            #expect(try Self.drain(fresh).map(\.firstSeq) == [1], "a new follower does not see it either")
            let late = try LogFollower(path: path, fromSeq: 3)
            #expect(try late.nextFrame() == nil)

            held.release.signal()
            appended.wait()
            #expect(try Self.drain(follower).map(\.text) == [["b3", "b4"]])
            #expect(try Self.drain(fresh).map(\.text) == [["b3", "b4"]])
            #expect(try Self.drain(late).map(\.text) == [["b3", "b4"]])
        }
    }

    @Test(
        "A frame cut back after a failed sync is never returned, even when its bytes reached the follower's buffer",
        arguments: [false, true])
    func aFrameCutBackAfterAFailedSyncIsNeverReturned(followerBehind: Bool) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let held = HeldSync()
            let first = try LogWriter.create(at: path, options: TestLog.options(io: held.io))
            try first.appendRecords(["a1", "a2"])
            try first.appendRecords(["b3"])

            held.holdNext(fail: true)
            let appended = DispatchSemaphore(value: 0)
            Thread {
                _ = try? first.appendRecords(["never-4", "never-5"])
                appended.signal()
            }.start()
            held.written.wait()
            // The follower reads while the doomed frame is in the file, so its bytes reach the read buffer.
            // Caught up, it returns both committed frames; behind (a consumer busy with the first frame), it
            // returns one and reads on only after the next writer committed its own frame at the same offset.
            let follower = try LogFollower(path: path, fromSeq: 1)
            var early: [StoredFrame] = []
            if followerBehind {
                if let frame = try follower.nextFrame() { early.append(StoredFrame(frame)) }
            } else {
                early = try Self.drain(follower)
            }
            #expect(early.map(\.text) == (followerBehind ? [["a1", "a2"]] : [["a1", "a2"], ["b3"]]))
            held.release.signal()
            appended.wait()
            #expect(first.failure != nil, "the sync failed: the writer stopped and cut the frame back")
            first.close()

            // The next writer appends different events, in a frame of the same size, at the same offset.
            let second = try LogWriter.open(at: path, options: TestLog.options())
            defer { second.close() }
            let commit = try second.appendRecords(["fresh-4", "fresh-5"])
            #expect(commit.seqs == 4...5)
            let frames = try Self.drain(follower)
            #expect(
                frames.map(\.text) == (followerBehind ? [["b3"], ["fresh-4", "fresh-5"]] : [["fresh-4", "fresh-5"]]),
                "the follower returned bytes that were never committed (a stale read buffer)")
        }
    }

    @Test func withoutAHintFileTheFollowerReadsTheValidFrames() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try Self.threeFrameLog(at: path)
            try Files.truncate(path, to: try Files.size(path) - 5)  // and a torn last frame
            _ = unlink(CommitHint.path(forLog: path))
            let follower = try LogFollower(path: path, fromSeq: 1)
            #expect(try follower.committedLastSeq() == 6)
            #expect(try Self.drain(follower).map(\.firstSeq) == [1, 4])
        }
    }

    /// Ways a hint file can be unusable.
    enum BadHint: String, CaseIterable, Sendable {
        case empty, torn, flippedBit, otherLog, tooLong
    }

    @Test("A hint that is empty, torn, damaged, of another log or too long is ignored", arguments: BadHint.allCases)
    func anUnusableHintIsIgnored(bad: BadHint) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let commits = try Self.threeFrameLog(at: path)
            // A good hint would hold the follower at frame 1; the bad one must be ignored altogether.
            var bytes = CommitHint(committedEnd: commits[0].offset + Int64(commits[0].frameBytes), lastSeq: 3)
                .encoded(logID: TestLog.logID)
            switch bad {
            case .empty: bytes = []
            case .torn: bytes = Array(bytes.prefix(30))
            case .flippedBit: bytes[26] ^= 0x10
            case .otherLog:
                bytes = CommitHint(committedEnd: 64, lastSeq: 0).encoded(logID: Array(repeating: 0xEE, count: 16))
            case .tooLong: bytes.append(0)
            }
            try Files.write(bytes, to: CommitHint.path(forLog: path))
            let follower = try LogFollower(path: path, fromSeq: 1)
            #expect(try follower.committedLastSeq() == 9, "\(bad)")
            #expect(try Self.drain(follower).map(\.firstSeq) == [1, 4, 7], "\(bad)")
        }
    }

    // MARK: A killed writer's torn tail

    /// Where the torn bytes are when the follower reads the last committed frame.
    enum TornTailCase: String, CaseIterable, Sendable {
        /// Half of a big frame is already in the file (and in the follower's read buffer); the new frame is small.
        case bufferedAndLongerThanTheNewFrame
        /// A few bytes of a frame header are in the buffer; the new frame is longer.
        case bufferedAndShorterThanTheNewFrame
        /// The torn bytes land after the follower read the last frame.
        case writtenAfterTheFollowerRead
    }

    @Test(
        "After a torn tail is cut and rewritten by the next writer, the follower goes on with the new frames",
        arguments: TornTailCase.allCases)
    func followerContinuesAfterATornTailIsCutAndRewritten(torn: TornTailCase) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let first = try LogWriter.create(at: path, options: TestLog.options())
            try first.appendRecords(["a1", "a2", "a3"])
            try first.appendRecords(["b4", "b5", "b6"])
            let committedEnd = first.committedEnd
            first.close()  // as if killed: the hint says frame 2, the next bytes are torn

            let bigFrame = TestLog.frame(
                (7..<57).map { "never-\($0)-" + String(repeating: "z", count: 90) }, firstSeq: 7)
            let tornCount = torn == .bufferedAndShorterThanTheNewFrame ? 20 : bigFrame.count / 2
            let tornBytes = Array(bigFrame.prefix(tornCount))
            if torn != .writtenAfterTheFollowerRead { try Files.append(tornBytes, to: path) }
            let follower = try LogFollower(path: path, fromSeq: 1)
            #expect(try Self.drain(follower).map(\.firstSeq) == [1, 4])
            if torn == .writtenAfterTheFollowerRead { try Files.append(tornBytes, to: path) }
            #expect(try follower.nextFrame() == nil, "a torn frame is never returned")

            let second = try LogWriter.open(at: path, options: TestLog.options())
            defer { second.close() }
            #expect(second.recoveredTornTail?.offset == committedEnd)
            try second.appendRecords(["c7", "c8"])
            let next = try follower.nextFrame().map(StoredFrame.init)
            #expect(next?.seqs == 7...8, "\(torn): the committed frame at the cut was not returned")
            #expect(next?.text == ["c7", "c8"], "\(torn)")
            if next == nil {
                // Say whether it comes on the next call (late) or never (lost).
                #expect(try follower.nextFrame().map(StoredFrame.init)?.text == ["c7", "c8"], "\(torn): lost")
            }
            try second.appendRecords(["d9"])
            #expect(try Self.drain(follower).map(\.text) == [["d9"]])
            #expect(follower.nextSeq == 10)
        }
    }

    // MARK: A log cut below the follower's position

    /// What happens after the log is cut below the follower's position (as `parley repair` would).
    enum AfterTheCut: String, CaseIterable, Sendable {
        /// Nothing: the commit hint still names the old end.
        case hintLeftAsItWas
        /// The hint file is gone.
        case hintRemoved
        /// A writer opened the log and published its (smaller) committed end.
        case newWriterOpened
        /// A writer appended frames that reach past the follower's old position.
        case newWriterAppendedPastThePosition
    }

    @Test("A log cut below the follower's position is a corruption error", arguments: AfterTheCut.allCases)
    func aLogCutBelowThePositionIsCorruption(after: AfterTheCut) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let commits = try Self.threeFrameLog(at: path)
            let follower = try LogFollower(path: path, fromSeq: 1)
            #expect(try Self.drain(follower).count == 3)
            try Files.truncate(path, to: commits[1].offset)
            switch after {
            case .hintLeftAsItWas: break
            case .hintRemoved: _ = unlink(CommitHint.path(forLog: path))
            case .newWriterOpened:
                try LogWriter.open(at: path, options: TestLog.options()).close()
            case .newWriterAppendedPastThePosition:
                let writer = try LogWriter.open(at: path, options: TestLog.options())
                defer { writer.close() }
                for index in 0..<4 { try writer.appendRecords(["new-\(index)-" + String(repeating: "n", count: 30)]) }
                #expect(writer.committedEnd > follower.position)
            }
            let error = #expect(throws: LogError.self, "\(after)") { try follower.nextFrame() }
            #expect(error?.code == .corruption, "\(after)")
        }
    }

    // MARK: Waiting

    @Test func waitForChangeTimesOutWhenNothingHappens() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try Self.threeFrameLog(at: path)
            let follower = try LogFollower(path: path, fromSeq: 1)
            // A wake with nothing changed is allowed (a child spawned meanwhile by another test closes its
            // inherited copies of descriptors, which inotify reports as a close of the file): what must
            // come is a wait that lasts its 100 ms and ends as timed out.
            var timedOutWhole = false
            for _ in 0..<20 where !timedOutWhole {
                let start = monotonicSeconds()
                let wake = try follower.waitForChange(milliseconds: 100)
                timedOutWhole = wake == .timedOut && monotonicSeconds() - start >= 0.09
            }
            #expect(timedOutWhole)
        }
    }

    @Test func waitForChangeWakesPromptlyWhenAWriterCommits() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try Self.threeFrameLog(at: path)
            let writer = try LogWriter.open(at: path, options: TestLog.options())
            defer { writer.close() }
            let follower = try LogFollower(path: path, fromSeq: 10)
            _ = try follower.waitForChange(milliseconds: 1)  // sets up the watch
            let appendStarted = Shared(0.0)
            Thread {
                Thread.sleep(forTimeInterval: 0.2)
                appendStarted.withLock { $0 = monotonicSeconds() }
                _ = try? writer.appendRecords(["d10"])
            }.start()
            // Woken by the frame's write before its commit (the commit's hint update wakes it again), or by a
            // close of an inherited descriptor in a child another test spawned: it waits again.
            var frame: StoredFrame?
            var wakes: [FollowerWake] = []
            let deadline = monotonicSeconds() + 30
            while frame == nil, monotonicSeconds() < deadline {
                wakes.append(try follower.waitForChange(milliseconds: 10_000))
                frame = try follower.nextFrame().map(StoredFrame.init)
            }
            let received = monotonicSeconds()
            #expect(wakes.last == .changed, "\(wakes)")
            #expect(frame?.text == ["d10"])
            // `.changed`, not `.timedOut`, says the commit woke it; the bound only catches a wake-up that
            // came from something else, much later.
            #expect(received - appendStarted.value < 30, "woken by the commit")
        }
    }

    @Test func waitForChangeWakesForAReadableOrHungUpDescriptor() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try Self.threeFrameLog(at: path)
            let follower = try LogFollower(path: path, fromSeq: 1)
            var fds: [Int32] = [-1, -1]
            #expect(pipe(&fds) == 0)
            defer { close(fds[0]) }
            var byte: UInt8 = 1
            #expect(write(fds[1], &byte, 1) == 1)
            #expect(try follower.waitForChange(milliseconds: 5_000, readable: [fds[0]]) == .descriptor(fds[0]))
            // A write end whose reader went away reports an error: a closed stdout.
            var other: [Int32] = [-1, -1]
            #expect(pipe(&other) == 0)
            close(other[0])
            defer { close(other[1]) }
            #expect(try follower.waitForChange(milliseconds: 5_000, hangup: [other[1]]) == .descriptor(other[1]))
            close(fds[1])
        }
    }
}

/// The commit hint: its bytes, and that writers publish it.
@Suite struct CommitHintTests {
    @Test func encodingIsMagicLogIDEndSeqAndCRC() {
        let bytes = CommitHint(committedEnd: 0x0102_0304_0506, lastSeq: 0x0A0B).encoded(logID: TestLog.logID)
        #expect(bytes.count == 44)
        #expect(bytes.count == CommitHint.byteCount)
        #expect(Array(bytes[0..<8]) == Array("PRLYCMT1".utf8))
        #expect(Array(bytes[8..<24]) == TestLog.logID)
        #expect(Array(bytes[24..<32]) == [0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0, 0])
        #expect(Array(bytes[32..<40]) == [0x0B, 0x0A, 0, 0, 0, 0, 0, 0])
        let crc = referenceCRC32C(bytes[0..<40])
        #expect(Array(bytes[40..<44]) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> $0) })
    }

    @Test func decodeRoundTrips() {
        let hint = CommitHint(committedEnd: 123_456, lastSeq: 789)
        #expect(CommitHint.decode(hint.encoded(logID: TestLog.logID)[...], logID: TestLog.logID) == hint)
    }

    @Test("A hint with any byte changed does not decode", arguments: 0..<44)
    func decodeRejectsAnyChangedByte(index: Int) {
        var bytes = CommitHint(committedEnd: 4096, lastSeq: 17).encoded(logID: TestLog.logID)
        bytes[index] ^= 0x01
        #expect(CommitHint.decode(bytes[...], logID: TestLog.logID) == nil)
    }

    @Test func decodeRejectsAnotherLogAndWrongSizes() {
        let bytes = CommitHint(committedEnd: 4096, lastSeq: 17).encoded(logID: TestLog.logID)
        #expect(CommitHint.decode(bytes[...], logID: Array(repeating: 7, count: 16)) == nil)
        #expect(CommitHint.decode(bytes.dropLast(), logID: TestLog.logID) == nil)
        #expect(CommitHint.decode((bytes + [0])[...], logID: TestLog.logID) == nil)
        #expect(CommitHint.decode([], logID: TestLog.logID) == nil)
    }

    @Test func decodeReadsASliceThatDoesNotStartAtZero() {
        let bytes = [0xAA, 0xBB] + CommitHint(committedEnd: 99, lastSeq: 3).encoded(logID: TestLog.logID)
        #expect(CommitHint.decode(bytes[2...], logID: TestLog.logID) == CommitHint(committedEnd: 99, lastSeq: 3))
    }

    @Test func readingAMissingHintGivesNil() throws {
        try withTemporaryDirectory { dir in
            #expect(CommitHint.read(forLog: dir.file("a.log"), logID: TestLog.logID) == nil)
            #expect(CommitHint.path(forLog: dir.file("a.log")) == dir.file("a.log.commit"))
        }
    }

    @Test func writersPublishTheCommittedEndAtOpenAndAfterEveryAppend() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            #expect(try Files.mode(CommitHint.path(forLog: path)) == 0o600)
            #expect(
                CommitHint.read(forLog: path, logID: TestLog.logID)
                    == CommitHint(committedEnd: Int64(LogFormat.fileHeaderBytes), lastSeq: 0))
            for round in 1...5 {
                let commit = try writer.appendRecords((0..<round).map { "r\(round)-\($0)" })
                #expect(
                    CommitHint.read(forLog: path, logID: TestLog.logID)
                        == CommitHint(committedEnd: writer.committedEnd, lastSeq: commit.seqs.upperBound))
            }
            let end = writer.committedEnd
            writer.close()
            // A torn tail and a stale hint: the next writer cuts the tail and publishes the truth.
            try Files.append(Array(TestLog.frame(["torn"], firstSeq: 16).prefix(30)), to: path)
            try Files.write(
                CommitHint(committedEnd: 64, lastSeq: 0).encoded(logID: TestLog.logID),
                to: CommitHint.path(forLog: path))
            let reopened = try LogWriter.open(at: path, options: TestLog.options())
            defer { reopened.close() }
            #expect(CommitHint.read(forLog: path, logID: TestLog.logID) == CommitHint(committedEnd: end, lastSeq: 15))
        }
    }
}
