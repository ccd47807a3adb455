import Synchronization

/// The frames a writer commits, from a sequence number on, as an `AsyncSequence` for consumers in the
/// writer's process. When it has caught up, the iterator sleeps until the writer wakes it after its next
/// commit (no polling); it ends when the writer is closed and everything committed was returned.
/// Cancelling the task ends the iteration (`next()` returns `nil`).
///
/// Frames are read from the file, only up to the writer's committed end: a frame whose `fdatasync` has
/// not returned is never seen. As with ``LogReader``, a frame's payload is valid until the next call.
public struct CommittedFrames: AsyncSequence, Sendable {
    public typealias Element = Frame
    public typealias Failure = LogError

    let writer: LogWriter
    let fromSeq: UInt64

    public func makeAsyncIterator() -> Iterator { Iterator(writer: writer, nextSeq: fromSeq) }

    /// Iterates committed frames.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = Frame
        public typealias Failure = LogError

        let writer: LogWriter
        var nextSeq: UInt64
        var reader: LogReader?

        /// The next committed frame holding events at or after the starting sequence number.
        public mutating func next() async throws(LogError) -> Frame? {
            if reader == nil {
                let follower = try LogFollower(path: writer.path, fromSeq: nextSeq)
                let reader = try LogReader(path: writer.path)
                reader.seek(toFrameAt: follower.position, nextSeq: follower.reader.nextSeq)
                self.reader = reader
            }
            guard let reader else { return nil }
            while !Task.isCancelled {
                let committedEnd = writer.committedEnd
                if reader.position < committedEnd {
                    guard let frame = try reader.nextFrame() else {
                        // Committed bytes that do not read as frames: damage, not something to wait for.
                        throw LogError(
                            .corruption,
                            reason: "committed bytes do not read as a frame: \(String(describing: reader.stop))",
                            path: writer.path, offset: reader.position)
                    }
                    if frame.endOffset <= committedEnd {
                        nextSeq = frame.lastSeq + 1
                        return frame
                    }
                    reader.seek(toFrameAt: frame.offset, nextSeq: frame.firstSeq)
                }
                if writer.isClosed && reader.position >= writer.committedEnd { return nil }
                await CommitWait.wait(for: nextSeq, on: writer)
            }
            return nil
        }
    }
}

extension LogWriter {
    /// Frames committed by this writer (and before it), from `seq` on; see ``CommittedFrames``.
    /// - Parameter seq: the first sequence number wanted (1 = from the start of the log).
    public func committedFrames(from seq: UInt64 = 1) -> CommittedFrames {
        precondition(seq >= 1, "sequence numbers start at 1")
        return CommittedFrames(writer: self, fromSeq: seq)
    }
}

/// Suspends until the writer commits `seq` (or closes), or the task is cancelled; resumes exactly once.
enum CommitWait {
    private final class Slot: Sendable {
        let continuation = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let cancelled = Mutex(false)

        func resume() {
            continuation.withLock { $0.take() }?.resume()
        }
    }

    static func wait(for seq: UInt64, on writer: LogWriter) async {
        let slot = Slot()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                slot.continuation.withLock { $0 = continuation }
                if slot.cancelled.withLock({ $0 }) { return slot.resume() }
                guard let id = writer.waitForCommit(of: seq, wake: { slot.resume() }) else { return slot.resume() }
                // Registered: a commit, a close or the cancellation handler resumes it.
                if slot.cancelled.withLock({ $0 }) {
                    writer.cancelWait(id)
                    slot.resume()
                }
            }
        } onCancel: {
            slot.cancelled.withLock { $0 = true }
            slot.resume()
        }
    }
}
