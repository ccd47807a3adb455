#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Follows a log from a sequence number on, frame by frame, waiting for new commits: the engine of
/// `parley tail --follow`, for consumers in other processes.
///
/// It only returns committed, checksum-valid frames, in sequence order, each once: frames are read up
/// to the writer's published commit point (``CommitHint``), so a frame whose `fdatasync` has not
/// returned — or failed and was cut back — is never returned, nor a torn frame a killed writer left.
/// When the next writer cuts a torn tail and appends in its place, the follower reads the new frame at
/// the same offset and continues with the right sequence numbers.
///
/// The hint bounds what is read, never the other way round: a hint that claims more than the log holds
/// (stale after a repair, or forged) makes nothing appear that is not a frame of the log, and
/// ``committedLastSeq()`` answers from the frames themselves (``hintProblem`` says when they disagree).
public final class LogFollower {
    /// The log file.
    public let path: String
    /// The log's header.
    public var header: LogHeader { reader.header }
    /// Sequence number of the next event to return.
    public private(set) var nextSeq: UInt64
    /// Offset of the next frame.
    public var position: Int64 { reader.position }

    let reader: LogReader
    /// Watches the commit hint (or the log, while there is no hint), set up before the first read so a
    /// commit that lands between reading and waiting still wakes the follower.
    private var watcher: FileWatcher?
    /// The commit hint, kept open and re-read with one `pread` per look.
    private var hintDescriptor: Int32 = -1
    /// Set by ``committedLastSeq()`` when the commit hint claims more than the log holds (a stale hint
    /// after a repair, or a forged one): what it claims and what the log holds. The answer came from the
    /// log; callers may warn.
    public private(set) var hintProblem: String?

    /// Starts following at `fromSeq` (the first event returned has that sequence number; 1 = the start).
    /// Frames wholly before it are skipped by their headers alone.
    /// - Throws: ``LogError`` from opening and reading the log.
    public init(path: String, fromSeq: UInt64) throws(LogError) {
        precondition(fromSeq >= 1, "sequence numbers start at 1")
        self.path = path
        self.reader = try LogReader(path: path)
        self.nextSeq = fromSeq
        try openHint()
        watcher = try FileWatcher(paths: [hintDescriptor >= 0 ? CommitHint.path(forLog: path) : path])
        // Skip whole frames before fromSeq without checksumming them (they are not returned).
        reader.verifyChecksums = false
        var skipTo: (offset: Int64, seq: UInt64)?
        while let frame = try reader.nextFrame(), frame.lastSeq < fromSeq {
            skipTo = (frame.endOffset, frame.lastSeq + 1)
        }
        reader.verifyChecksums = true
        if let skipTo {
            reader.seek(toFrameAt: skipTo.offset, nextSeq: skipTo.seq)
        } else {
            reader.seek(toFrameAt: Int64(LogFormat.fileHeaderBytes), nextSeq: 1)
        }
    }

    deinit {
        if hintDescriptor >= 0 { SystemCalls.close(hintDescriptor) }
    }

    /// Opens the commit hint if it exists. Only the hint is watched then: the writer rewrites it after
    /// every commit, so a follower wakes once per commit (watching the log too woke it at the frame's
    /// write as well, before the commit).
    /// - Throws: ``LogError`` `.notRegularFile` when a symbolic link, FIFO, device or directory is in the
    ///   hint's place (never followed nor read: it could block, or stand for another file).
    private func openHint() throws(LogError) {
        guard hintDescriptor < 0 else { return }
        let hintPath = CommitHint.path(forLog: path)
        switch SystemCalls.openRegularFile(hintPath, O_RDONLY) {
        case .success(let fd):
            hintDescriptor = fd
            watcher = nil
        case .failure(let error) where error.isNotRegularFile: throw CommitHint.unusable(error, path: hintPath)
        case .failure: return
        }
    }

    /// The commit hint as it is now, if there is a usable one.
    private func readHint() throws(LogError) -> CommitHint? {
        if hintDescriptor < 0 { try openHint() }
        guard hintDescriptor >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: CommitHint.byteCount + 1)
        guard
            case .success(let count) = bytes.withUnsafeMutableBytes({
                SystemCalls.preadFully(hintDescriptor, into: $0, at: 0)
            })
        else { return nil }
        return CommitHint.decode(bytes[0..<count], logID: reader.header.logID)
    }

    /// The last committed sequence number now (0 for an empty log): the last seq of the frames the log
    /// holds up to the commit hint's end (to its last valid frame without a hint), read by their headers.
    /// The hint's own last seq is never the answer: a hint that claims more than the log holds sets
    /// ``hintProblem``.
    public func committedLastSeq() throws(LogError) -> UInt64 {
        let hint = try readHint()
        let probe = try LogReader(path: path)
        probe.verifyChecksums = false
        probe.readLimit = hint?.committedEnd
        var last: UInt64 = 0
        while let frame = try probe.nextFrame() { last = frame.lastSeq }
        if let hint, hint.lastSeq != last || hint.committedEnd != probe.position {
            hintProblem =
                "commit hint \(CommitHint.path(forLog: path)) claims seq \(hint.lastSeq) committed up to offset "
                + "\(hint.committedEnd), but the log holds seq \(last) up to offset \(probe.position); "
                + "answered from the log (a stale or forged hint: the next writer rewrites it)"
        } else {
            hintProblem = nil
        }
        return last
    }

    /// The next committed frame holding events at or after ``nextSeq``, without waiting.
    /// - Returns: the frame, or `nil` when there is none yet. Events of the frame before ``nextSeq`` are
    ///   the caller's to skip (`frame.firstSeq` may be lower when following starts inside a frame).
    /// - Throws: ``LogError`` `.corruption` when the log shrank below the follower's position (a repair
    ///   cut committed frames: the sequence numbers it returned are gone), `.io`.
    public func nextFrame() throws(LogError) -> Frame? {
        let hint = try readHint()
        if let hint, hint.committedEnd < reader.position || hint.lastSeq < reader.nextSeq - 1 {
            // The committed log is now shorter than what was already returned: it was cut (repaired).
            throw cutBelowPosition()
        }
        // Never buffer bytes past the commit point: they may be cut and rewritten before they commit.
        reader.readLimit = hint?.committedEnd
        if hint == nil || hint!.committedEnd > reader.position, let frame = try reader.nextFrame() {
            if let limit = hint?.committedEnd, frame.endOffset > limit {
                // Written but not yet committed: leave it for a later call.
                reader.seek(toFrameAt: frame.offset, nextSeq: frame.firstSeq)
                return nil
            }
            nextSeq = max(nextSeq, frame.lastSeq + 1)
            return frame
        }
        let fileSize = try reader.fileSize()
        if fileSize < reader.position { throw cutBelowPosition() }
        try checkForDamage(hint: hint, fileSize: fileSize)
        // Bytes read ahead past the position may be rewritten before the next look (a torn tail cut and
        // replaced, a frame cut back after a failed sync): never reuse them.
        reader.discardBuffer()
        return nil
    }

    /// Damage is an error, never a quiet end or an endless wait: where the reader stopped, either the
    /// bytes classify as damage (``LogReader/damageWhereStopped()``), or the commit hint says a frame that
    /// does not read was committed (a torn frame is never committed; a hint beyond the file proves nothing).
    private func checkForDamage(hint: CommitHint?, fileSize: Int64) throws(LogError) {
        guard let stop = reader.stop, stop != .endOfFile else { return }
        if let damage = try reader.damageWhereStopped() { throw damage.readError(path: path) }
        if let hint, case .invalid(let offset, let fault) = stop, offset < hint.committedEnd,
            hint.committedEnd <= fileSize
        {
            let last = max(reader.nextSeq, hint.lastSeq)
            throw LogError(
                .corruption,
                reason: "the frame at offset \(offset) was committed but is damaged: \(fault). The events from seq "
                    + "\(reader.nextSeq) on cannot be read. `parley verify` shows the details; `parley repair` "
                    + "truncates the log at offset \(offset) and keeps a copy of what it cuts.",
                path: path, offset: offset, sequenceRange: reader.nextSeq...last)
        }
    }

    private func cutBelowPosition() -> LogError {
        LogError(
            .corruption,
            reason: "the log was cut below the follower's position (at offset \(reader.position), seq \(nextSeq)); "
                + "was it repaired? Restart from a sequence number that still exists",
            path: path, offset: reader.position)
    }

    /// Waits for the log or its commit hint to change, for one of `readable` to become readable or for
    /// one of `hangup` to report a hang-up, or at most `milliseconds`. Uses inotify; idle CPU is nil.
    public func waitForChange(milliseconds: Int32, readable: [Int32] = [], hangup: [Int32] = []) throws(LogError)
        -> FollowerWake
    {
        if watcher == nil {
            watcher = try FileWatcher(paths: [hintDescriptor >= 0 ? CommitHint.path(forLog: path) : path])
        }
        switch watcher!.wait(milliseconds: milliseconds, readable: readable, hangup: hangup) {
        case .changed: return .changed
        case .timedOut: return .timedOut
        case .descriptor(let fd): return .descriptor(fd)
        }
    }
}

/// Why ``LogFollower/waitForChange(milliseconds:readable:hangup:)`` returned.
public enum FollowerWake: Equatable, Sendable {
    /// The log or its commit hint changed.
    case changed
    /// Nothing happened in time.
    case timedOut
    /// One of the extra descriptors is ready.
    case descriptor(Int32)
}
