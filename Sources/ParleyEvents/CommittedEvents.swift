import ParleyLog

/// The events a writer commits, from a sequence number on, decoded: an `AsyncSequence` for in-process
/// consumers (a search indexer, a notifier). Built on ``CommittedFrames``: woken by the writer, no
/// polling, no thread blocked while it waits; cancellation ends it. Events of a type or schema version
/// this build does not know are skipped.
///
/// No event before the starting sequence number is delivered (nor is a record before it decoded, so it
/// cannot fail the iteration), also when the frame holding it holds earlier events too.
public struct CommittedEvents: AsyncSequence, Sendable {
    public typealias Element = SequencedEvent
    public typealias Failure = any Error

    let frames: CommittedFrames
    let fromSeq: UInt64

    public func makeAsyncIterator() -> Iterator {
        Iterator(frames: frames.makeAsyncIterator(), fromSeq: fromSeq)
    }

    /// Iterates committed events.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = SequencedEvent
        public typealias Failure = any Error

        var frames: CommittedFrames.Iterator
        let fromSeq: UInt64
        var pending: [SequencedEvent] = []
        var index = 0
        var deferredError: (any Error)?
        var finished = false

        /// The next event.
        /// - Throws: ``LogError`` from reading, ``EventError`` for a record that does not decode.
        public mutating func next() async throws -> SequencedEvent? {
            while index == pending.count {
                if let error = deferredError {
                    // The sound events before the bad record went out first; after the error, the end.
                    deferredError = nil
                    finished = true
                    throw error
                }
                if finished { return nil }
                guard let frame = try await frames.next() else { return nil }
                pending.removeAll(keepingCapacity: true)
                index = 0
                for record in frame.events(seqs: fromSeq...UInt64.max) {
                    if case .failure(let error) = record.decoded {
                        deferredError = error
                        break
                    }
                    if let event = record.event { pending.append(event) }
                }
            }
            defer { index += 1 }
            return pending[index]
        }
    }
}

extension LogWriter {
    /// Events committed by this writer (and before it), from `seq` on; see ``CommittedEvents``.
    /// - Parameter seq: the first sequence number wanted (1 = from the start of the log); no earlier event
    ///   is delivered.
    public func committedEvents(from seq: UInt64 = 1) -> CommittedEvents {
        CommittedEvents(frames: committedFrames(from: seq), fromSeq: seq)
    }
}
