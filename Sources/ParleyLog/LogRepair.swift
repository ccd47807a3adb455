#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The explicit way to truncate a damaged log: cut at the first frame that is not acceptable,
/// after saving everything that is cut to a side file (and, through an exporter, the events of every
/// checksum-valid frame after the damage).
public enum LogRepair {
    /// What a repair did.
    public struct Outcome: Sendable {
        /// How the log ended before the repair.
        public var ending: LogEnding
        /// Offset the log was truncated at.
        public var cutOffset: Int64
        /// Bytes removed from the log (and saved in ``savedCopyPath``).
        public var cutBytes: Int64
        /// The file holding the bytes that were cut (mode 0600).
        public var savedCopyPath: String
        /// Events left in the log, and its last sequence number.
        public var eventsKept: UInt64
        /// The file the exporter's output was written to (`<savedCopyPath>.recovered.jsonl`, mode 0600), or
        /// `nil` when there was nothing to write (no frame recovered, or the exporter returned no bytes for
        /// any), for a torn tail, and without an exporter.
        public var recoveredPath: String?
        /// What the walk past the damage found (`nil` for a torn tail or without an exporter).
        public var salvage: SalvageReport?
    }

    /// Turns one checksum-valid frame found after the damage into the bytes to export for it (for `parley
    /// repair`: one JSON Lines line per event). Called in file order; ParleyLog itself does not decode events.
    public typealias FrameExporter = (Frame) -> [UInt8]

    /// Checks every frame (checksums included) and, if the log does not end cleanly, saves the bytes
    /// from the first bad frame to the end into `<path>.cut-<offset>-<n>` (written, `fsync`ed, directory
    /// `fsync`ed), then truncates the log there and `fsync`s it. Holds the writer lock throughout.
    /// - Parameter path: the log file.
    /// - Returns: what was done, or `nil` when the log is sound and nothing was changed.
    /// - Throws: ``LogError`` `.locked` (a writer is active), `.notFound`, header errors (a damaged file
    ///   header cannot be repaired by truncation), `.io`.
    ///
    /// With an `exporter`, and damage (not a torn tail) that checksum-valid frames of this log follow, the
    /// events of those frames are exported too: ``salvage(_:from:after:onFrame:)`` finds them, walking on
    /// past further damage, `exporter` turns each into bytes, and they are written to
    /// `<copy>.recovered.jsonl` through a temporary file (written, `fsync`ed, linked into place without
    /// replacing anything, directory `fsync`ed). The log is truncated only after that file is durable; if
    /// the export fails, the copy and the temporary file are removed and the log is left as it was.
    /// - Parameters:
    ///   - path: the log file.
    ///   - exporter: turns a recovered frame into bytes to export; `nil` exports nothing.
    public static func repair(path: String, exporter: FrameExporter? = nil) throws(LogError) -> Outcome? {
        try repair(path: path, io: .system, exporter: exporter)
    }

    /// ``repair(path:exporter:)`` making its changes through `io` (tests inject failures or a power loss).
    static func repair(path: String, io: FileOperations, exporter: FrameExporter? = nil) throws(LogError) -> Outcome? {
        let fd: Int32
        switch io.open(path, O_RDWR, 0) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error == .noEntry:
            throw LogError(.notFound, reason: "no log file here", path: path)
        case .failure(let error): throw LogError.io("open", error, path: path)
        }
        defer {
            SystemCalls.unlock(fd)  // not left to `close`: a child being spawned may hold a copy of `fd`
            io.close(fd)
        }
        do {
            try LogWriter.lockForWriting(fd, path: path)
        } catch  where error.code == .locked {
            throw LogError(.locked, reason: "a writer has this log open; stop it before repairing", path: path)
        }
        let reader = try LogReader(fd: fd, path: path, ownsDescriptor: false)
        let survey = try LogSurveyor.survey(reader, verifyChecksums: true)
        let cut: Int64
        switch survey.ending {
        case .clean: return nil
        case .tornTail(let tail): cut = tail.offset
        case .damaged(let damage): cut = damage.offset
        }
        let headerBytes = Array(try reader.rawBytes(at: 0, count: LogFormat.fileHeaderBytes))
        let copyPath = try saveCopy(fd: fd, header: headerBytes, from: cut, to: survey.fileSize, logPath: path, io: io)
        var recoveredPath: String?
        var salvage: SalvageReport?
        if case .damaged(let damage) = survey.ending, let exporter {
            var temporary: (fd: Int32, path: String)?
            defer { if let temporary { io.close(temporary.fd) } }
            do {
                var output: [UInt8] = []
                var written: Int64 = 0
                let report = try Self.salvage(reader, from: cut, after: damage.expectedSeq - 1) {
                    (frame) throws(LogError) in
                    output += exporter(frame)
                    if output.count < 1 << 20 { return }
                    try flush(&output, into: &temporary, written: &written, near: copyPath, io: io)
                }
                salvage = report
                if !output.isEmpty || written > 0 {
                    try flush(&output, into: &temporary, written: &written, near: copyPath, io: io)
                    if let temporary {
                        let target = LogFiles.recoveredEvents(besideCut: copyPath)
                        try publish(temporary, as: target, io: io)
                        recoveredPath = target
                    }
                }
            } catch {
                if let temporary { _ = io.unlink(temporary.path) }
                _ = io.unlink(copyPath)
                _ = io.fsyncDirectory(copyPath)
                throw error
            }
        }
        if case .failure(let error) = io.ftruncate(fd, cut) {
            throw LogError.io("ftruncate", error, path: path, offset: cut)
        }
        if case .failure(let error) = io.fsync(fd) {
            throw LogError.io("fsync", error, path: path)
        }
        return Outcome(
            ending: survey.ending, cutOffset: cut, cutBytes: survey.fileSize - cut, savedCopyPath: copyPath,
            eventsKept: survey.lastSeq, recoveredPath: recoveredPath, salvage: salvage)
    }

    /// The name of the recovered events beside a cut copy: `<copy>.recovered.jsonl`.
    public static var recoveredSuffix: String { LogFiles.recoveredSuffix }

    /// Writes `output` to the temporary export file (creating it beside `copyPath` on first use) and empties it.
    private static func flush(
        _ output: inout [UInt8], into temporary: inout (fd: Int32, path: String)?, written: inout Int64,
        near copyPath: String, io: FileOperations
    ) throws(LogError) {
        if temporary == nil {
            let name = LogFiles.temporary(for: LogFiles.recoveredEvents(besideCut: copyPath))
            // A leftover of an interrupted repair of this log (the writer lock, held, rules out a running one).
            _ = io.unlink(name)
            switch io.open(name, O_WRONLY | O_CREAT | O_EXCL, 0o600) {
            case .success(let descriptor): temporary = (descriptor, name)
            case .failure(let error): throw LogError.io("open", error, path: name)
            }
        }
        guard let file = temporary else { return }
        let (_, error) = output.withUnsafeBytes { io.pwriteFully(file.fd, $0, at: written) }
        if let error {
            throw LogError.io("write", error, path: file.path, offset: written)
        }
        written += Int64(output.count)
        output.removeAll(keepingCapacity: true)
    }

    /// Makes the temporary export file durable and links it into place as `target` (never replacing a file).
    private static func publish(_ temporary: (fd: Int32, path: String), as target: String, io: FileOperations)
        throws(LogError)
    {
        if case .failure(let error) = io.fsync(temporary.fd) { throw LogError.io("fsync", error, path: temporary.path) }
        if case .failure(let error) = io.link(temporary.path, target) { throw LogError.io("link", error, path: target) }
        _ = io.unlink(temporary.path)
        if case .failure(let error) = io.fsyncDirectory(target) {
            _ = io.unlink(target)
            throw LogError.io("fsync (directory)", error, path: target)
        }
    }

    /// Delivers every checksum-valid frame of this log (its salt) from `offset` to the end of the file, in
    /// file order, walking on past damage: at each place the frames stop, the damage scan
    /// (``LogSurveyor/scanForValidFrame(_:after:fileSize:checksumLimit:)``) looks for the next one. A frame is
    /// walked with its own first sequence number, so frames after a gap are delivered too; one that claims a
    /// sequence number at or below the last one held (`after` at first) is skipped and reported instead. All
    /// the scans together checksum at most 4 × the bytes from `offset` to the end of the file (the budget of
    /// one damage scan); a scan that would pass it ends the walk (``SalvageReport/scanLimitReached``).
    /// - Parameters:
    ///   - reader: a reader of the file (its header gives the salt); its position is not used or changed.
    ///   - offset: where to start (a frame start, e.g. the damage's offset, or 64 for the whole file).
    ///   - after: the last sequence number already held (0 for none).
    ///   - onFrame: called for each frame delivered.
    /// - Throws: ``LogError`` `.io`, or what `onFrame` throws.
    public static func salvage(
        _ reader: LogReader, from offset: Int64, after: UInt64, onFrame: (Frame) throws(LogError) -> Void
    ) throws(LogError) -> SalvageReport {
        var report = SalvageReport()
        let fileSize = try reader.fileSize()
        var budget = LogSurveyor.damageScanChecksumLimit(tailBytes: fileSize - offset)
        var lastSeq = after
        var covered = offset
        var position: Int64? = offset
        let walker = try LogReader(fd: reader.fd, path: reader.path, ownsDescriptor: false)
        while let start = position, start < fileSize {
            position = nil
            var stopAt = start
            // Walk the frames from here with the first one's own sequence number.
            let head = try reader.rawBytes(at: start, count: LogFormat.frameHeaderBytes)
            let first =
                head.count == LogFormat.frameHeaderBytes ? head.loadLittleEndianUInt64(at: head.startIndex + 16) : 0
            if first >= 1 {
                walker.seek(toFrameAt: start, nextSeq: first)
                while let frame = try walker.nextFrame() {
                    if frame.offset > covered { report.unreadable.append((covered, frame.offset - covered)) }
                    covered = frame.endOffset
                    if frame.firstSeq <= lastSeq {
                        report.skippedFrames.append(.init(offset: frame.offset, seqs: frame.firstSeq...frame.lastSeq))
                    } else {
                        report.add(frame)
                        lastSeq = frame.lastSeq
                        try onFrame(frame)
                    }
                }
                if walker.stop == .endOfFile { break }
                stopAt = walker.stop?.offset(fileEnd: fileSize) ?? start
                if stopAt > start {
                    // The frame there may be valid with a sequence number of its own (after a gap or a stale copy).
                    position = stopAt
                    continue
                }
            }
            let scan = try LogSurveyor.scanForValidFrame(
                reader, after: stopAt, fileSize: fileSize, checksumLimit: budget)
            budget -= scan.checksummedBytes
            report.scanLimitReached = scan.limitReached
            position = scan.found?.offset
        }
        if covered < fileSize { report.unreadable.append((covered, fileSize - covered)) }
        return report
    }

    /// Writes the log's file header (its 64 bytes as stored), then bytes `from..<to` of `fd`, into a new file beside the log and makes
    /// it durable. With the header, the copy is a file `parley dump --salvage` and `verify --salvage` read
    /// (its frames do not start at seq 1, so plain `verify` calls it damaged at offset 64). A copy that
    /// fails half-way is removed.
    private static func saveCopy(
        fd: Int32, header: [UInt8], from start: Int64, to end: Int64, logPath: String, io: FileOperations
    ) throws(LogError) -> String {
        var attempt = 0
        var copyPath = ""
        var out: Int32 = -1
        while out < 0 {
            copyPath = LogFiles(log: logPath).cutCopy(at: start, attempt: attempt)
            if SystemCalls.exists(LogFiles.recoveredEvents(besideCut: copyPath)), attempt < 1000 {
                attempt += 1
                continue
            }
            switch io.open(copyPath, O_WRONLY | O_CREAT | O_EXCL, 0o600) {
            case .success(let descriptor): out = descriptor
            case .failure(let error) where error == .exists && attempt < 1000: attempt += 1
            case .failure(let error): throw LogError.io("open", error, path: copyPath)
            }
        }
        defer { io.close(out) }
        do {
            try copy(
                fd: fd, header: header, from: start, to: end, into: out, copyPath: copyPath, logPath: logPath, io: io)
        } catch {
            _ = io.unlink(copyPath)
            throw error
        }
        return copyPath
    }

    private static func copy(
        fd: Int32, header: [UInt8], from start: Int64, to end: Int64, into out: Int32, copyPath: String,
        logPath: String, io: FileOperations
    ) throws(LogError) {
        let (_, headerError) = header.withUnsafeBytes { io.pwriteFully(out, $0, at: 0) }
        if let headerError { throw LogError.io("write", headerError, path: copyPath) }
        let base = Int64(header.count)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var position = start
        while position < end {
            let want = Int(min(Int64(buffer.count), end - position))
            let read = buffer.withUnsafeMutableBytes {
                SystemCalls.preadFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]), at: position)
            }
            let n: Int
            switch read {
            case .success(let count): n = count
            case .failure(let error): throw LogError.io("pread", error, path: logPath, offset: position)
            }
            if n == 0 { break }
            let (_, writeError) = buffer.withUnsafeBytes {
                io.pwriteFully(out, UnsafeRawBufferPointer(rebasing: $0[0..<n]), at: base + position - start)
            }
            if let writeError { throw LogError.io("write", writeError, path: copyPath) }
            position += Int64(n)
        }
        if case .failure(let error) = io.fsync(out) { throw LogError.io("fsync", error, path: copyPath) }
        if case .failure(let error) = io.fsyncDirectory(copyPath) {
            throw LogError.io("fsync (directory)", error, path: copyPath)
        }
    }
}

/// What a walk over the bytes of a log found past its first damage: every checksum-valid frame of this log,
/// and what lies between them. See ``LogRepair/salvage(_:from:after:onFrame:)``.
public struct SalvageReport: Sendable {
    /// A frame of this log that was checksum-valid but not delivered, and why.
    public struct SkippedFrame: Sendable, Equatable {
        /// Where it starts.
        public var offset: Int64
        /// The sequence numbers it claims.
        public var seqs: ClosedRange<UInt64>
    }

    /// Frames delivered.
    public var frames = 0
    /// Events in them.
    public var events: UInt64 = 0
    /// Sequence numbers delivered, as maximal runs in file order.
    public var seqRuns: [ClosedRange<UInt64>] = []
    /// Checksum-valid frames of this log not delivered because they claim a sequence number at or below one
    /// already held (stale or duplicated copies).
    public var skippedFrames: [SkippedFrame] = []
    /// Byte ranges (offset, byte count) that are not part of any checksum-valid frame of this log.
    public var unreadable: [(offset: Int64, byteCount: Int64)] = []
    /// Whether the search stopped at its checksum budget before the end of the file (a crafted tail).
    public var scanLimitReached = false

    /// Whether every byte walked was part of a delivered frame.
    public var isComplete: Bool { unreadable.isEmpty && skippedFrames.isEmpty && !scanLimitReached }

    mutating func add(_ frame: Frame) {
        frames += 1
        events += UInt64(frame.count)
        if let last = seqRuns.last, last.upperBound + 1 == frame.firstSeq {
            seqRuns[seqRuns.count - 1] = last.lowerBound...frame.lastSeq
        } else {
            seqRuns.append(frame.firstSeq...frame.lastSeq)
        }
    }
}
