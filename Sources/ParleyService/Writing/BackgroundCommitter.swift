import Dispatch
import ParleyLog
import Synchronization

/// Runs one `LogWriter.append` at a time on a serial queue, so that parsing the next batch overlaps
/// the write and `fdatasync` of the previous one. Acknowledgement order is unchanged: a batch counts as
/// committed only once ``wait()`` has returned its result, and a failed batch stops everything after it.
final class BackgroundCommitter: Sendable {
    private struct Slot {
        var batch = LogBatch()
        var result: Result<LogWriter.Commit, LogError>?
    }

    private let writer: LogWriter
    private let onCommit: (@Sendable (LogWriter.Commit) -> Void)?
    private let queue = DispatchQueue(label: "parley.append.commit")
    private let group = DispatchGroup()
    private let slot = Mutex(Slot())

    init(writer: LogWriter, onCommit: (@Sendable (LogWriter.Commit) -> Void)? = nil) {
        self.writer = writer
        self.onCommit = onCommit
    }

    /// Starts committing `batch` in the background and hands back an empty batch (with the capacity of
    /// the one committed before). Call ``wait()`` first: one batch is in flight at a time.
    func start(_ batch: inout LogBatch) {
        slot.withLock { slot in
            swap(&slot.batch, &batch)  // the slot takes the full batch; the caller gets the last one back
            slot.result = nil
        }
        batch.removeAll()
        queue.async(group: group) { [self] in
            var inFlight = self.slot.withLock { slot in
                var taken = LogBatch()
                swap(&taken, &slot.batch)
                return taken
            }
            let result = Result { () throws(LogError) in try self.writer.append(&inFlight) }
            if case .success(let commit) = result { self.onCommit?(commit) }
            self.slot.withLock { slot in
                slot.result = result
                slot.batch = inFlight
            }
        }
    }

    /// Waits for the batch in flight, if any, and returns its outcome (nil when nothing was started
    /// since the last call).
    func wait() -> Result<LogWriter.Commit, LogError>? {
        group.wait()
        return slot.withLock { slot in
            defer { slot.result = nil }
            return slot.result
        }
    }
}
