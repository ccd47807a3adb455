import Dispatch
import Foundation
import ParleyEvents
import ParleyTestSupport
import Synchronization
import Testing

@testable import ParleyLog

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// 2026-03-02T10:00:00Z, in ns.
private let createdAt: Int64 = 1_772_445_600_000_000_000

/// A commit clock that moves one second per reading, so each frame has its own commit time.
private final class SteppingClock: Sendable {
    private let value = Mutex(createdAt)

    func now() -> Int64 {
        value.withLock { value in
            defer { value += 1_000_000_000 }
            return value
        }
    }
}

/// The `index`-th test event: a note, one minute after the previous one, written at +01:00.
private func note(_ index: Int) -> Event {
    Event(
        at: Timestamp(nanoseconds: createdAt + Int64(index) * 60_000_000_000, offsetMinutes: 60),
        payload: .noteAdded(NoteAdded(conversation: "c\(index % 3)", author: "agent:ana", body: "note \(index)")))
}

/// Runs `body` with a fresh directory, removed afterwards.
private func inTemporaryDirectory<Result>(_ body: (String) async throws -> Result) async throws -> Result {
    try await withTemporaryDirectory(prefix: "parley-events-tests") { try await body($0.path) }
}

/// Runs blocking work (appends that `fdatasync`) on a thread of its own and awaits it.
private func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// Seconds on a monotonic clock.
private func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Waits until `condition` holds, at most `seconds`; returns whether it held. The bound is generous on
/// purpose: it only keeps a broken build from hanging, it is no speed test.
private func eventually(within seconds: Double = 60, _ condition: () -> Bool) async -> Bool {
    let deadline = now() + seconds
    while !condition() {
        if now() > deadline { return false }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return true
}

/// Creates a log at `directory/a.log` whose commit times step by a second.
private func makeWriter(in directory: String) throws -> LogWriter {
    var options = LogWriter.Options()
    let clock = SteppingClock()
    options.clock = { clock.now() }
    return try LogWriter.create(at: directory + "/a.log", options: options)
}

extension LogWriter {
    /// Appends `events` as one frame; returns the events as a consumer should see them.
    fileprivate func append(events: [Event]) throws -> [SequencedEvent] {
        var batch = LogBatch()
        for event in events { batch.appendRecord { EventCodec.encode(event, into: &$0) } }
        let commit = try append(&batch)
        return zip(commit.seqs, events).map { seq, event in
            SequencedEvent(seq: seq, recordedAt: Timestamp(nanoseconds: commit.commitTime), event: event)
        }
    }

    /// Appends raw records as one frame.
    fileprivate func append(records: [[UInt8]]) throws {
        var batch = LogBatch()
        for record in records { batch.appendRecord(bytes: record) }
        try append(&batch)
    }
}

/// The bytes of `event`'s record.
private func record(_ event: Event) -> [UInt8] {
    var bytes: [UInt8] = []
    EventCodec.encode(event, into: &bytes)
    return bytes
}

/// What an iterating task received.
private final class Received: Sendable {
    let events = Mutex<[SequencedEvent]>([])
    let times = Mutex<[Double]>([])

    var count: Int { events.withLock { $0.count } }
    var all: [SequencedEvent] { events.withLock { $0 } }
}

/// Starts a task that iterates `writer.committedEvents(from:)` into `received`; it returns the count.
private func iterate(_ writer: LogWriter, from seq: UInt64 = 1, into received: Received) -> Task<Int, any Error> {
    Task {
        var count = 0
        for try await event in writer.committedEvents(from: seq) {
            let time = now()
            received.events.withLock { $0.append(event) }
            received.times.withLock { $0.append(time) }
            count += 1
        }
        return count
    }
}

/// `LogWriter.committedEvents(from:)`: decoded events for in-process consumers, woken by the writer.
@Suite struct CommittedEventsTests {
    @Test func eventsComeInOrderWithTheirSeqAndTheFramesCommitTime() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try makeWriter(in: dir)
            var expected = try writer.append(events: [note(1), note(2)])
            expected += try writer.append(events: [note(3)])
            expected += try writer.append(events: [note(4), note(5), note(6)])
            writer.close()
            var received: [SequencedEvent] = []
            for try await event in writer.committedEvents() { received.append(event) }
            #expect(received == expected)
            #expect(received.map(\.seq) == Array(1...6))
            #expect(Set(received.map(\.recordedAt)).count == 3, "one commit time per frame")
        }
    }

    @Test(
        "from: seq skips earlier events, also inside the frame that holds seq",
        arguments: [(1, [1, 2, 3, 4, 5, 6]), (2, [2, 3, 4, 5, 6]), (3, [3, 4, 5, 6]), (5, [5, 6]), (7, [])]
            as [(UInt64, [UInt64])])
    func startingAtASeq(fromSeq: UInt64, seqs: [UInt64]) async throws {
        try await inTemporaryDirectory { dir in
            let writer = try makeWriter(in: dir)
            var expected = try writer.append(events: [note(1), note(2)])
            expected += try writer.append(events: [note(3), note(4), note(5), note(6)])
            writer.close()
            var received: [SequencedEvent] = []
            for try await event in writer.committedEvents(from: fromSeq) { received.append(event) }
            #expect(received.map(\.seq) == seqs)
            #expect(received == expected.filter { $0.seq >= fromSeq })
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aWaitingConsumerGetsEveryEventOnceInOrderAcrossManyAppends() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try makeWriter(in: dir)
            let received = Received()
            let task = iterate(writer, into: received)
            // Slow appends first (the consumer is asleep each time: it must be woken), then a burst.
            var expected: [SequencedEvent] = []
            var appendedAt: [(seq: UInt64, time: Double)] = []
            var index = 0
            for _ in 0..<5 {
                #expect(await eventually { writer.waitingFollowerCount == 1 }, "the consumer is not waiting")
                let events = [note(index), note(index + 1)]
                index += 2
                let start = now()
                let sequenced = await onThread { try? writer.append(events: events) }
                expected += try #require(sequenced)
                appendedAt.append((expected.last!.seq, start))
                #expect(await eventually { received.count == expected.count })
            }
            let burstStart = index
            let burst = await onThread { () -> [SequencedEvent]? in
                var all: [SequencedEvent] = []
                for batch in 0..<300 {
                    let events = (0...(batch % 4)).map { note(burstStart + batch * 10 + $0) }
                    guard let sequenced = try? writer.append(events: events) else { return nil }
                    all += sequenced
                }
                return all
            }
            expected += try #require(burst)
            #expect(await eventually { received.count >= expected.count })
            writer.close()
            #expect(try await task.value == expected.count)
            #expect(received.all == expected, "every event once, in order")
            let times = received.times.withLock { $0 }
            for (seq, start) in appendedAt {
                let latency = times[Int(seq) - 1] - start
                // Nothing polls: the consumer is woken by the commit or never. The bound only catches "never".
                #expect(latency < 30, "seq \(seq) arrived \(latency) s after its append began")
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func cancellingTheConsumerEndsItsLoop() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try makeWriter(in: dir)
            defer { writer.close() }
            _ = try writer.append(events: [note(1)])
            let received = Received()
            let task = iterate(writer, into: received)
            #expect(await eventually { received.count == 1 && writer.waitingFollowerCount == 1 })
            task.cancel()  // while it waits for a commit
            #expect(try await task.value == 1)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func closingTheWriterEndsTheConsumersLoop() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try makeWriter(in: dir)
            let received = Received()
            let task = iterate(writer, into: received)
            _ = await onThread { try? writer.append(events: [note(1), note(2)]) }
            #expect(await eventually { received.count == 2 && writer.waitingFollowerCount == 1 })
            writer.close()
            #expect(try await task.value == 2)
        }
    }

    @Test(
        "A consumer waiting before the earlier frames are committed gets no event before from",
        .timeLimit(.minutes(2)),
        arguments: [
            (3, [[1, 2], [3, 4]], [3, 4]),
            (2, [[1], [2, 3]], [2, 3]),
            (2, [[1, 2, 3], [4]], [2, 3, 4]),  // the frame holding seq 2 also holds seq 1
            (4, [[1], [2], [3], [4, 5]], [4, 5]),
        ] as [(UInt64, [[Int]], [UInt64])])
    func aConsumerStartedEarlyGetsNoEventBeforeFrom(fromSeq: UInt64, frames: [[Int]], seqs: [UInt64]) async throws {
        try await inTemporaryDirectory { dir in
            let writer = try makeWriter(in: dir)
            let received = Received()
            let task = iterate(writer, from: fromSeq, into: received)
            var expected: [SequencedEvent] = []
            for indexes in frames {
                #expect(await eventually { writer.waitingFollowerCount == 1 }, "the consumer is not waiting")
                let sequenced = await onThread { try? writer.append(events: indexes.map(note)) }
                expected += try #require(sequenced)
            }
            #expect(await eventually { received.count >= seqs.count })
            writer.close()
            #expect(try await task.value == seqs.count)
            #expect(received.all.map(\.seq) == seqs)
            #expect(received.all == expected.filter { $0.seq >= fromSeq })
        }
    }

    @Test func recordsOfAnUnknownTypeOrSchemaVersionAreSkipped() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try makeWriter(in: dir)
            var future = record(note(2))
            future[0] = 200  // a type this build does not know
            var newer = record(note(3))
            newer[1] = 9  // a schema version this build does not know
            try writer.append(records: [record(note(1)), future, newer, record(note(4))])
            writer.close()
            var received: [SequencedEvent] = []
            for try await event in writer.committedEvents() { received.append(event) }
            #expect(received.map(\.seq) == [1, 4])
            #expect(received.map(\.event) == [note(1), note(4)])
        }
    }

    @Test func theEventsBeforeAMalformedRecordAreDeliveredThenItIsAnError() async throws {
        try await inTemporaryDirectory { dir in
            let writer = try makeWriter(in: dir)
            let expected = try writer.append(events: [note(1)])
            let good = record(note(2))
            // seq 2 is sound, seq 3 (same frame) is a known type cut short: as `dump` does, the consumer gets
            // every event before the bad one, then the error.
            try writer.append(records: [good, Array(good.dropLast(3))])
            writer.close()
            var iterator = writer.committedEvents().makeAsyncIterator()
            #expect(try await iterator.next() == expected[0])
            do {
                let second = try await iterator.next()
                #expect(second?.seq == 2)
                await #expect(throws: EventError.self) { _ = try await iterator.next() }
            } catch {
                Issue.record("seq 2, sound, was not delivered before the error about seq 3 of its frame: \(error)")
            }
        }
    }
}
