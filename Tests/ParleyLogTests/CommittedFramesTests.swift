import Dispatch
import Foundation
import Testing

@testable import ParleyLog

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Runs `body` with a fresh directory, removed afterwards (the async counterpart of `withTemporaryDirectory`).
private func inTemporaryDirectory<Result>(_ body: (TemporaryDirectory) async throws -> Result) async throws
    -> Result
{
    try await withTemporaryDirectory(prefix: "parley-frames-tests", body)
}

/// Runs blocking work (appends that `fdatasync`, semaphore waits) on a thread of its own and awaits it, so
/// that the cooperative pool stays free for the iterating tasks.
private func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// Waits until `condition` holds, checking every millisecond, at most `seconds`; returns whether it held.
/// The bound is generous on purpose: it only keeps a broken build from hanging, it is no speed test.
private func eventually(within seconds: Double = 60, _ condition: () -> Bool) async -> Bool {
    let deadline = monotonicSeconds() + seconds
    while !condition() {
        if monotonicSeconds() > deadline { return false }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return true
}

/// What an iterating task has received: the frames and when each arrived.
private final class Received: Sendable {
    let frames = Shared<[StoredFrame]>([])
    let times = Shared<[Double]>([])

    func add(_ frame: Frame) {
        let now = monotonicSeconds()
        frames.withLock { $0.append(StoredFrame(frame)) }
        times.withLock { $0.append(now) }
    }

    var count: Int { frames.value.count }
    var lastSeq: UInt64 { frames.value.last.map { $0.seqs.upperBound } ?? 0 }
}

/// Starts a task that iterates `writer.committedFrames(from:)` into `received` and returns how many frames
/// it got when the loop ended.
private func iterate(_ writer: LogWriter, from seq: UInt64 = 1, into received: Received) -> Task<Int, any Error> {
    Task {
        var count = 0
        for try await frame in writer.committedFrames(from: seq) {
            received.add(frame)
            count += 1
        }
        return count
    }
}

/// `LogWriter.committedFrames(from:)`: in-process consumers woken by the writer.
@Suite struct CommittedFramesTests {
    @Test func returnsTheFramesAlreadyCommittedInOrderAndEndsWhenTheWriterCloses() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options())
            for records in LogFollowerTests.frameRecords { try writer.appendRecords(records) }
            var iterator = writer.committedFrames().makeAsyncIterator()
            var frames: [StoredFrame] = []
            for _ in 0..<3 {
                if let frame = try await iterator.next() { frames.append(StoredFrame(frame)) }
            }
            #expect(frames.map(\.text) == LogFollowerTests.frameRecords)
            #expect(frames.map(\.firstSeq) == [1, 4, 7])
            writer.close()
            #expect(try await iterator.next() == nil)
            #expect(try await iterator.next() == nil, "and stays ended")
        }
    }

    @Test(
        "from: seq starts with the frame that holds seq; earlier frames are not returned",
        arguments: [(1, [1, 4, 7]), (2, [1, 4, 7]), (4, [4, 7]), (5, [4, 7]), (9, [7]), (10, [])]
            as [(UInt64, [UInt64])])
    func startingAtASeq(fromSeq: UInt64, firstSeqs: [UInt64]) async throws {
        try await inTemporaryDirectory { dir in
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options())
            for records in LogFollowerTests.frameRecords { try writer.appendRecords(records) }
            writer.close()
            var seqs: [UInt64] = []
            for try await frame in writer.committedFrames(from: fromSeq) { seqs.append(frame.firstSeq) }
            #expect(seqs == firstSeqs)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aWaitingIteratorIsWokenByEachCommit() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options())
            defer { writer.close() }
            let received = Received()
            let task = iterate(writer, into: received)
            var appendedAt: [Double] = []
            for round in 0..<8 {
                // Let the iterator run dry and go to sleep, then commit.
                #expect(await eventually { writer.waitingFollowerCount == 1 }, "round \(round): not waiting")
                #expect(received.count == round)
                appendedAt.append(monotonicSeconds())
                _ = await onThread { try? writer.appendRecords(["r\(round)"]) }
                #expect(await eventually { received.count == round + 1 }, "round \(round): never woken")
            }
            let latencies = zip(received.times.value, appendedAt).map { $0 - $1 }
            // Nothing polls: an iterator is woken by the commit or never. The bound only catches "never".
            #expect(latencies.allSatisfy { $0 < 30 }, "woken after each commit: \(latencies)")
            #expect(received.frames.value.map(\.text) == (0..<8).map { ["r\($0)"] })
            writer.close()
            #expect(try await task.value == 8)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func everyFrameArrivesOnceInOrderWhileOtherThreadsAppend() async throws {
        try await inTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            let received = Received()
            let task = iterate(writer, into: received)
            let threads = 4
            let appendsPerThread = 150
            await onThread {
                onThreads(threads) { thread in
                    for index in 0..<appendsPerThread {
                        let records = (0...(index % 3)).map { "t\(thread)-\(index)-\($0)" }
                        _ = try? writer.appendRecords(records)
                    }
                }
            }
            let total = writer.lastSeq
            #expect(await eventually { received.lastSeq == total })
            writer.close()
            #expect(try await task.value == threads * appendsPerThread)
            let frames = received.frames.value
            #expect(frames == (try readLog(at: path)).frames, "the frames of the log, each once, in order")
            var seq: UInt64 = 1
            for frame in frames {
                #expect(frame.firstSeq == seq)
                seq += UInt64(frame.count)
            }
            let records = frames.flatMap(\.text)
            #expect(Set(records).count == records.count)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func cancellingTheIteratingTaskEndsTheLoop() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options())
            defer { writer.close() }
            try writer.appendRecords(["a"])
            try writer.appendRecords(["b"])
            let received = Received()
            let task = iterate(writer, into: received)
            #expect(await eventually { received.count == 2 && writer.waitingFollowerCount == 1 })
            task.cancel()  // while it waits for a commit
            #expect(try await task.value == 2, "next() returned nil: the loop ended normally")
            #expect(writer.waitingFollowerCount == 0, "the cancelled wait was unregistered")
            // Commits after the cancellation go to no one, and do not trip over the abandoned wait.
            try writer.appendRecords(["c"])
            #expect(received.count == 2)
        }
    }

    @Test func anIteratorInAnAlreadyCancelledTaskReturnsNil() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options())
            defer { writer.close() }
            let task = Task {
                while !Task.isCancelled { await Task.yield() }
                var iterator = writer.committedFrames().makeAsyncIterator()
                return try await iterator.next() == nil
            }
            task.cancel()
            #expect(try await task.value)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func closingTheWriterWakesAWaitingIteratorAndEndsIt() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options())
            let received = Received()
            let task = iterate(writer, from: 2, into: received)
            _ = await onThread {
                for index in 1...3 { _ = try? writer.appendRecords(["e\(index)"]) }
            }
            #expect(await eventually { received.count == 2 && writer.waitingFollowerCount == 1 })
            writer.close()
            #expect(try await task.value == 2)
            #expect(received.frames.value.map(\.text) == [["e2"], ["e3"]])
        }
    }

    @Test func anIteratorMadeAfterTheWriterClosedReturnsEverythingCommittedThenEnds() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options())
            for records in LogFollowerTests.frameRecords { try writer.appendRecords(records) }
            writer.close()
            var texts: [[String]] = []
            for try await frame in writer.committedFrames() { texts.append(StoredFrame(frame).text) }
            #expect(texts == LogFollowerTests.frameRecords)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aFrameWhoseSyncHasNotReturnedIsNotSeenAndOneWhoseSyncFailedNever() async throws {
        try await inTemporaryDirectory { dir in
            let held = LogFollowerTests.HeldSync()
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options(io: held.io))
            let received = Received()
            let task = iterate(writer, into: received)
            try writer.appendRecords(["a1"])
            #expect(await eventually { received.count == 1 })

            // Written, sync held: not seen.
            held.holdNext(fail: false)
            let synced = Task { await onThread { (try? writer.appendRecords(["b2"])) != nil } }
            await onThread { held.written.wait() }
            // The iterator, woken or not, must not return the frame: it is written but not committed.
            #expect(await eventually { writer.waitingFollowerCount == 1 })
            #expect(received.count == 1, "a frame was returned before its fdatasync returned")
            held.release.signal()
            #expect(await synced.value)
            #expect(await eventually { received.count == 2 })

            // Written, sync failed and cut back: never seen.
            held.holdNext(fail: true)
            let failed = Task { await onThread { (try? writer.appendRecords(["never"])) != nil } }
            await onThread { held.written.wait() }
            #expect(await eventually { writer.waitingFollowerCount == 1 })
            held.release.signal()
            #expect(await failed.value == false)
            #expect(writer.failure != nil)
            writer.close()
            #expect(try await task.value == 2)
            #expect(received.frames.value.map(\.text) == [["a1"], ["b2"]])
        }
    }

    /// Iterators that start before the frames they skip are committed: the first frame they return is the
    /// one holding `from`, never an earlier one (issue #10: an iterator from seq 2 got seq 1).
    @Test(
        "An iterator waiting before the earlier frames are committed returns none of them",
        .timeLimit(.minutes(2)),
        arguments: [
            (2, [["a1"], ["b2"], ["c3"]], [2, 3]),
            (3, [["a1", "a2"], ["b3", "b4"]], [3]),
            (4, [["a1"], ["b2", "b3"], ["c4", "c5"], ["d6"]], [4, 6]),
            (2, [["a1", "a2", "a3"], ["b4"]], [1, 4]),  // the frame holding seq 2 is returned whole
        ] as [(UInt64, [[String]], [UInt64])])
    func anIteratorStartedEarlyNeverReturnsAFrameBeforeFrom(
        fromSeq: UInt64, frames: [[String]], firstSeqs: [UInt64]
    ) async throws {
        try await inTemporaryDirectory { dir in
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options())
            let received = Received()
            let task = iterate(writer, from: fromSeq, into: received)
            // The iterator has looked at the empty log and waits: only then do the frames come, one by one,
            // each committed while the iterator waits.
            for records in frames {
                #expect(await eventually { writer.waitingFollowerCount == 1 }, "the iterator is not waiting")
                _ = await onThread { try? writer.appendRecords(records) }
            }
            #expect(await eventually { received.lastSeq == writer.lastSeq })
            writer.close()
            #expect(try await task.value == firstSeqs.count)
            #expect(received.frames.value.map(\.firstSeq) == firstSeqs)
        }
    }

    /// The same when the wanted frame is committed at once after the ones before it (no wait between).
    @Test(.timeLimit(.minutes(2)))
    func anIteratorStartedEarlySkipsFramesCommittedTogetherBeforeFrom() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options())
            let received = Received()
            let task = iterate(writer, from: 3, into: received)
            #expect(await eventually { writer.waitingFollowerCount == 1 })
            _ = await onThread {
                for records in [["a1"], ["b2"], ["c3"], ["d4"]] { _ = try? writer.appendRecords(records) }
            }
            #expect(await eventually { received.lastSeq == 4 })
            writer.close()
            #expect(try await task.value == 2)
            #expect(received.frames.value.map(\.text) == [["c3"], ["d4"]])
        }
    }

    /// A server with `committedFrames` must not starve: iterators never block a thread of Swift's
    /// cooperative pool, also not while an append is in its `fdatasync` (the writer's lock is held then).
    /// Twice as many iterators as the pool has threads start while a sync is held; all of them must get to
    /// run and wait, and other async work must still run. Blocking ones would each hold a pool thread.
    @Test(.timeLimit(.minutes(2)))
    func iteratorsNeverBlockThePoolAlsoWhileASyncIsInProgress() async throws {
        try await inTemporaryDirectory { dir in
            let held = LogFollowerTests.HeldSync()
            let writer = try LogWriter.create(at: dir.file("a.log"), options: TestLog.options(io: held.io))
            defer { writer.close() }
            try writer.appendRecords(["a1"])
            held.holdNext(fail: false)
            let appended = Task { await onThread { (try? writer.appendRecords(["b2"])) != nil } }
            await onThread { held.written.wait() }  // b2 is written, its sync held: the writer's lock is taken

            let iterators = 2 * ProcessInfo.processInfo.activeProcessorCount
            let started = Shared(0)
            let tasks = (0..<iterators).map { _ in
                Task { () throws -> UInt64? in
                    started.withLock { $0 += 1 }
                    var iterator = writer.committedFrames(from: 2).makeAsyncIterator()
                    return try await iterator.next()?.firstSeq
                }
            }
            // Watched from a thread of its own (the test's task needs the pool too), then the sync goes on.
            let (allStarted, otherWorkRan) = await onThread { () -> (Bool, Bool) in
                let deadline = monotonicSeconds() + 30
                while started.value < iterators && monotonicSeconds() < deadline { usleep(1000) }
                let allStarted = started.value == iterators
                let probe = DispatchSemaphore(value: 0)
                Task.detached { probe.signal() }
                let otherWorkRan = probe.wait(timeout: .now() + 30) == .success
                held.release.signal()
                return (allStarted, otherWorkRan)
            }
            #expect(
                allStarted, "only \(started.value) of \(iterators) iterators ran: the others found the pool blocked")
            #expect(otherWorkRan, "other async work did not run while iterators waited")
            #expect(await appended.value)
            for task in tasks { #expect(try await task.value == 2) }
        }
    }
}
