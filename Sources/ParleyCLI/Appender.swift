import Dispatch
import ParleyEvents
import ParleyLog
import ParleyProjections
import Synchronization

/// Reads JSON Lines, validates and encodes each event, and appends them in all-or-nothing batches.
/// Shared by `parley append` and `parley demo`.
struct Appender {
    /// What an append run committed.
    struct Summary {
        var events: UInt64 = 0
        var batches = 0
        var committed: ClosedRange<UInt64>?
    }

    let writer: LogWriter
    /// Events per batch; `nil` appends the whole input as one batch.
    let batchSize: Int?
    /// Called on the commit thread as soon as each batch is durable (`append --print-commits`).
    var onCommit: (@Sendable (LogWriter.Commit) -> Void)? = nil

    /// Called with a warning about an input line that is stored but that the projections will not use.
    var onWarning: ((String) -> Void)? = nil

    /// Why the projections will ignore this `policy_set` (docs/PROJECTIONS.md, "SLA policies"), if they
    /// will. `append` stores the policy as given (the log does not interpret it); `policy set` refuses it.
    private static func policyProblem(_ event: Event) -> String? {
        guard case .policySet(let set) = event.payload else { return nil }
        do {
            _ = try SLAPolicy(json: set.policy)
            return nil
        } catch {
            return "policy_set stored, but SLA projections will ignore it: field \"policy.\(error.field)\": "
                + error.reason + " (`parley policy set` checks a policy before appending it)"
        }
    }

    /// Appends every line of `input`.
    /// - Throws: ``CLIError`` exit 65 for bad input (the batch holding the bad line is not written; earlier
    ///   batches stay committed and the message says which sequence numbers they got), 74 for I/O.
    func run<Source: ByteSource>(_ input: inout JSONLinesReader<Source>) throws(CLIError) -> Summary {
        var summary = Summary()
        var batch = LogBatch(reservingCapacity: 1 << 20)
        var batchFirstLine = 0
        let decoder = JSONLineDecoder()
        // While one batch is written and fsynced on the commit queue, the next one is parsed here.
        let committer = BackgroundCommitter(writer: writer, onCommit: onCommit)

        /// Waits for the batch in flight and records it; throws if it failed.
        func settle() throws(CLIError) {
            switch committer.wait() {
            case nil: break
            case .success(let commit)?:
                summary.events += UInt64(commit.seqs.count)
                summary.batches += 1
                summary.committed = (summary.committed?.lowerBound ?? commit.seqs.lowerBound)...commit.seqs.upperBound
            case .failure(let error)?:
                throw failure(CLIError(error), summary: summary)
            }
        }

        /// Hands the full batch to the commit queue and continues with an empty one.
        func commit() throws(CLIError) {
            try settle()
            committer.start(&batch)
        }

        do throws(CLIError) {
            while true {
                let line: (number: Int, bytes: ArraySlice<UInt8>)
                do {
                    guard let next = try input.nextLine() else { break }
                    line = next
                } catch let error as EventError {
                    try settle()
                    throw failure(CLIError(error), summary: summary)
                } catch {
                    try settle()
                    throw failure(CLIError(.ioError, "\(error)"), summary: summary)
                }
                let event: Event
                do {
                    event = try decoder.decode(line.bytes, lineNumber: line.number)
                } catch {
                    try settle()
                    throw failure(CLIError(error), summary: summary)
                }
                if let warn = onWarning, let problem = Self.policyProblem(event) {
                    warn("line \(line.number): \(problem)")
                }
                if batch.isEmpty { batchFirstLine = line.number }
                batch.appendRecord { (out: inout [UInt8]) in EventCodec.encode(event, into: &out) }
                if batch.frameBytes > LogFormat.maxFrameBytes {
                    guard batchSize != nil, batch.count > 1 else {
                        try settle()
                        throw failure(
                            CLIError(
                                .dataError,
                                "line \(line.number): the input from line \(batchFirstLine) on does not fit in one batch "
                                    + "(a frame holds at most \(LogFormat.maxFrameBytes >> 20) MiB); "
                                    + "use --batch-size N to append it in several all-or-nothing batches"),
                            summary: summary)
                    }
                    // The batch is full by size before it is full by count: commit what fits.
                    let carried = batch.removeLastRecord()
                    try commit()
                    batch.appendRecord(bytes: carried)
                    batchFirstLine = line.number
                }
                if let batchSize, batch.count >= batchSize { try commit() }
            }
            if !batch.isEmpty { try commit() }
            try settle()
        } catch {
            _ = committer.wait()
            throw error
        }
        return summary
    }

    /// Adds to an error what was committed before it and that the failing batch was not written.
    private func failure(_ error: CLIError, summary: Summary) -> CLIError {
        var error = error
        if let committed = summary.committed {
            error.message +=
                "\nThe batch holding that line was rejected: nothing of it was written. "
                + "Committed before it: seq \(committed.lowerBound)–\(committed.upperBound) "
                + "(\(summary.events) events in \(summary.batches) batches)."
        } else if error.exitCode == .dataError {
            error.message += "\nNothing was written: the log is unchanged."
        }
        return error
    }
}

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

/// An in-memory byte source (the demo's generated input, tests).
public struct MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    /// A source that yields `bytes` then ends.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes[position..<(position + count)].withUnsafeBytes { buffer.copyMemory(from: $0) }
        position += count
        return count
    }
}
