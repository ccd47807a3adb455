import Synchronization

/// The frames a writer commits, from a sequence number on, as an `AsyncSequence` for consumers in the
/// writer's process. When it has caught up, the iterator sleeps until the writer wakes it after its next
/// commit (no polling); it ends when the writer is closed and everything committed was returned.
/// Cancelling the task ends the iteration (`next()` returns `nil`).
///
/// The first frame returned is the one holding the starting sequence number, whole (its earlier events
/// included: skipping them is the caller's business, as ``CommittedEvents`` does); a frame wholly before
/// it is never returned, also when the iterator started before that frame was committed.
///
/// Frames are read from the file, only up to the writer's committed end: a frame whose `fdatasync` has
/// not returned is never seen. As with ``LogReader``, a frame's payload is valid until the next call.
///
/// No thread is blocked while waiting: the waiting task is suspended on a continuation that the writer's
/// commit (or close, or the task's cancellation) resumes, so any number of iterators can wait on Swift's
/// cooperative pool. Reading the committed frames is `pread` on a regular file.
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
        /// The first sequence number still wanted: frames that end before it are never returned.
        var nextSeq: UInt64
        var reader: LogReader?
        /// Whether the reader stands at the first frame holding `nextSeq` (or past it). Until then, frames
        /// are skipped by their headers alone, without checksumming.
        var positioned = false

        init(writer: LogWriter, nextSeq: UInt64) {
            self.writer = writer
            self.nextSeq = nextSeq
        }

        /// The next committed frame holding events at or after the starting sequence number. A frame that
        /// holds the starting sequence number and earlier ones is returned whole; frames wholly before it
        /// never are, however long the iterator waited for them to be committed.
        /// - Throws: ``LogError`` `.io` from reading, `.corruption` for committed bytes that do not read as
        ///   a frame.
        public mutating func next() async throws(LogError) -> Frame? {
            if reader == nil { reader = try LogReader(path: writer.path) }
            guard let reader else { return nil }
            while !Task.isCancelled {
                let committedEnd = writer.committedEnd
                // Never buffer bytes past the commit point: they may be cut back if their sync fails.
                reader.readLimit = committedEnd
                while reader.position < committedEnd {
                    reader.verifyChecksums = positioned
                    guard let frame = try reader.nextFrame() else {
                        // Committed bytes that do not read as frames: damage, not something to wait for.
                        throw LogError(
                            .corruption,
                            reason: "committed bytes do not read as a frame: \(String(describing: reader.stop))",
                            path: writer.path, offset: reader.position)
                    }
                    if frame.lastSeq < nextSeq { continue }  // wholly before the wanted seq: never returned
                    if !positioned {
                        // Found by its header: read it again, checksummed.
                        positioned = true
                        reader.seek(toFrameAt: frame.offset, nextSeq: frame.firstSeq)
                        continue
                    }
                    nextSeq = frame.lastSeq + 1
                    return frame
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
    /// - Parameter seq: the first sequence number wanted (1 = from the start of the log): the first frame
    ///   returned holds it; no frame wholly before it is returned.
    public func committedFrames(from seq: UInt64 = 1) -> CommittedFrames {
        precondition(seq >= 1, "sequence numbers start at 1")
        return CommittedFrames(writer: self, fromSeq: seq)
    }
}

/// Suspends until the writer commits `seq` (or closes), or the task is cancelled; resumes exactly once.
/// A cancelled wait is unregistered from the writer at once (no abandoned waiter is left until the next
/// commit).
enum CommitWait {
    private final class Slot: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Void, Never>?
            var cancelled = false
            /// The writer's token for the registered wait.
            var id: UInt64?
        }

        private let state = Mutex(State())

        /// Keeps the continuation; returns whether the task was cancelled already.
        func hold(_ continuation: CheckedContinuation<Void, Never>) -> Bool {
            state.withLock {
                $0.continuation = continuation
                return $0.cancelled
            }
        }

        /// Keeps the writer's token; returns whether the task was cancelled meanwhile.
        func registered(_ id: UInt64) -> Bool {
            state.withLock {
                $0.id = id
                return $0.cancelled
            }
        }

        /// Marks the wait cancelled; returns the token to unregister, if it was registered.
        func cancel() -> UInt64? {
            state.withLock {
                $0.cancelled = true
                return $0.id
            }
        }

        func resume() {
            state.withLock { $0.continuation.take() }?.resume()
        }
    }

    static func wait(for seq: UInt64, on writer: LogWriter) async {
        let slot = Slot()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                if slot.hold(continuation) { return slot.resume() }
                guard let id = writer.waitForCommit(of: seq, wake: { slot.resume() }) else { return slot.resume() }
                // Registered: a commit, a close or the cancellation handler resumes it.
                if slot.registered(id) {
                    writer.cancelWait(id)
                    slot.resume()
                }
            }
        } onCancel: {
            if let id = slot.cancel() { writer.cancelWait(id) }
            slot.resume()
        }
    }
}
