import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The single writer of a log. Appends batches as frames: validate → write → `fdatasync` → acknowledge.
///
/// - One writer per log: an exclusive `flock` is held from open to ``close()``; a second writer,
///   in this process or another, fails at once with ``LogError/Code/locked``.
/// - All or nothing: a batch that fails validation writes nothing; a failed write or sync is cut back off.
/// - Fail-stop: after any write, sync or truncate error the writer accepts nothing more
///   (``LogError/Code/writerFailed``), because after a failed `fdatasync` Linux may have dropped
///   the data and a retry would "succeed" and lie. Reopening runs recovery.
///
/// Thread-safe: appends from many tasks are serialised by a mutex and come out dense, never interleaved.
public final class LogWriter: Sendable {
    /// Settings of a writer. The defaults are right for production; tests inject clock and identity.
    public struct Options: Sendable {
        /// The commit clock, ns since the epoch. Commit times never go backwards: a frame gets
        /// `max(clock(), previous commit time)`.
        public var clock: @Sendable () -> Int64 = { SystemCalls.wallClockNanoseconds() }
        /// Log id for ``LogWriter/create(at:options:)`` (16 bytes); random when nil.
        public var logID: [UInt8]?
        /// Salt for ``LogWriter/create(at:options:)``; random when nil.
        public var salt: UInt64?
        /// The system calls that create, recover and append make; tests replace them to inject failures
        /// or to simulate a power loss.
        var io = FileOperations.system

        /// Default options.
        public init() {
            #if DEBUG
                // Debug builds only: PARLEY_DEBUG_PAUSE_MID_FRAME_MS=N writes each frame in two halves with a
                // pause of N ms between them, so that integration tests can kill a writer mid-frame.
                if let text = getenv("PARLEY_DEBUG_PAUSE_MID_FRAME_MS").map({ String(cString: $0) }),
                    let pause = Int(text)
                {
                    io.pwrite = { fd, buffer, offset in
                        guard buffer.count > 1 else { return SystemCalls.pwrite(fd, buffer, at: offset) }
                        let half = buffer.count / 2
                        switch SystemCalls.pwrite(fd, UnsafeRawBufferPointer(rebasing: buffer[0..<half]), at: offset) {
                        case .failure(let error): return .failure(error)
                        case .success(let written) where written < half: return .success(written)
                        case .success:
                            SystemCalls.sleep(milliseconds: pause)
                            let rest = UnsafeRawBufferPointer(rebasing: buffer[half...])
                            return SystemCalls.pwrite(fd, rest, at: offset + Int64(half)).map { half + $0 }
                        }
                    }
                }
            #endif
        }
    }

    /// What one append committed.
    public struct Commit: Sendable, Equatable {
        /// The sequence numbers the batch received.
        public var seqs: ClosedRange<UInt64>
        /// The frame's commit time, ns since the epoch.
        public var commitTime: Int64
        /// Offset of the frame in the file.
        public var offset: Int64
        /// Size of the frame in bytes.
        public var frameBytes: Int
    }

    private struct State {
        var fd: Int32
        var end: Int64
        var lastSeq: UInt64
        var lastCommit: Int64
        var failure: LogError?
        var isClosed = false
        /// Where commits are published for followers in other processes (nil if it could not be opened).
        var hint: CommitHintFile?
    }

    /// The commit point as readers in this process see it, and the followers waiting for the next commit.
    /// It has a lock of its own, never held across I/O: `state`'s lock is held through `pwrite` and
    /// `fdatasync`, and a follower on Swift's cooperative pool must not wait for a sync (waiting followers
    /// on every pool thread would stop all other async work in the process). Lock order: `state`, then
    /// `published`.
    private struct Published {
        var end: Int64
        var lastSeq: UInt64
        var isClosed = false
        /// In-process followers waiting for the next commit.
        var waiters: [UInt64: @Sendable () -> Void] = [:]
        var nextWaiterID: UInt64 = 0

        /// Removes the waiters, to be woken (outside the lock).
        mutating func takeWaiters() -> [@Sendable () -> Void] {
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
    }

    /// The log file.
    public let path: String
    /// The log's header.
    public let header: LogHeader
    /// The torn tail that opening cut off, if there was one.
    public let recoveredTornTail: TornTail?
    private let options: Options
    private let state: Mutex<State>
    private let published: Mutex<Published>

    private init(
        path: String, header: LogHeader, survey: LogSurvey, fd: Int32, torn: TornTail?, hint: CommitHintFile?,
        options: Options
    ) {
        self.path = path
        self.header = header
        self.options = options
        self.recoveredTornTail = torn
        self.state = Mutex(
            State(
                fd: fd, end: survey.validEnd, lastSeq: survey.lastSeq,
                lastCommit: survey.commitTimes?.upperBound ?? header.createdAt, hint: hint))
        self.published = Mutex(Published(end: survey.validEnd, lastSeq: survey.lastSeq))
    }

    deinit { close() }

    /// Sequence number of the last committed event (0 for an empty log). Never waits for an append in
    /// progress.
    public var lastSeq: UInt64 { published.withLock { $0.lastSeq } }

    /// Offset just after the last committed frame. Never waits for an append in progress.
    public var committedEnd: Int64 { published.withLock { $0.end } }

    /// Whether ``close()`` was called. Never waits for an append in progress.
    public var isClosed: Bool { published.withLock { $0.isClosed } }

    /// Registers `wake` to be called once, after the next commit (or at close). Returns `nil` — and
    /// registers nothing — when `seq` is already committed or the writer is closed, so the caller can
    /// read on at once.
    /// - Parameters:
    ///   - seq: the sequence number the caller waits for.
    ///   - wake: called (from the committing thread, outside no lock of the caller's) once.
    /// - Returns: a token for ``cancelWait(_:)``.
    func waitForCommit(of seq: UInt64, wake: @escaping @Sendable () -> Void) -> UInt64? {
        published.withLock { published in
            if published.isClosed || published.lastSeq >= seq { return nil }
            let id = published.nextWaiterID
            published.nextWaiterID += 1
            published.waiters[id] = wake
            return id
        }
    }

    /// Removes a registered waiter (cancellation); calls nothing.
    func cancelWait(_ id: UInt64) {
        _ = published.withLock { $0.waiters.removeValue(forKey: id) }
    }

    /// How many in-process followers are registered, waiting for the next commit (for tests).
    var waitingFollowerCount: Int { published.withLock { $0.waiters.count } }

    /// The error that stopped this writer, if one did.
    public var failure: LogError? { state.withLock { $0.failure } }

    /// Creates a new, empty log and opens it for writing.
    ///
    /// The header is written to a temporary file in the same directory (mode 0600), `fsync`ed,
    /// hard-linked to `path` (which fails rather than replace an existing file), and the directory is
    /// `fsync`ed: the log never exists half-written.
    /// - Parameters:
    ///   - path: where the log goes; nothing may exist there.
    ///   - options: clock and identity.
    /// - Throws: ``LogError`` `.alreadyExists`, `.io`.
    public static func create(at path: String, options: Options = Options()) throws(LogError) -> LogWriter {
        if SystemCalls.exists(path) {
            throw LogError(.alreadyExists, reason: "a file already exists here; not overwriting it", path: path)
        }
        var generator = SystemRandomNumberGenerator()
        let logID = options.logID ?? (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let header = LogHeader(
            logID: logID, salt: options.salt ?? generator.next(), createdAt: options.clock())
        let directory = FilePath.directory(of: path)
        let temporary =
            directory + "/." + FilePath.lastComponent(of: path)
            + ".init-\(SystemCalls.processID())-\(generator.next() % 1_000_000)"
        let io = options.io
        let fd: Int32
        switch io.open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error == .noEntry:
            throw LogError(.notFound, reason: "directory \(directory) does not exist", path: path)
        case .failure(let error): throw LogError.io("open", error, path: temporary)
        }
        let bytes = header.encoded()
        let (_, writeError) = bytes.withUnsafeBytes { io.pwriteFully(fd, $0, at: 0) }
        let written: Result<Void, Errno> = writeError.map { .failure($0) } ?? io.fsync(fd)
        io.close(fd)
        if case .failure(let error) = written {
            _ = io.unlink(temporary)
            throw LogError.io("write+fsync", error, path: temporary)
        }
        let linked = io.link(temporary, path)
        _ = io.unlink(temporary)
        switch linked {
        case .success: break
        case .failure(let error) where error == .exists:
            throw LogError(.alreadyExists, reason: "a file already exists here; not overwriting it", path: path)
        case .failure(let error): throw LogError.io("link", error, path: path)
        }
        if case .failure(let error) = io.fsyncDirectory(path) {
            throw LogError.io("fsync (directory)", error, path: directory)
        }
        return try open(at: path, options: options)
    }

    /// Opens an existing log for writing, running recovery.
    ///
    /// Recovery reads every frame and checks its checksum, salt, sequence numbers and records (one pass
    /// over the file, about as fast as `verify`). An incomplete or checksum-invalid frame at the very end,
    /// with no valid frame after it, is a torn tail: it is cut off (`ftruncate`, `fdatasync`) and reported
    /// in ``recoveredTornTail``. Anything else is refused, so nothing is ever acknowledged on top of damage
    /// that a later `repair` would cut away.
    /// - Parameters:
    ///   - path: the log file.
    ///   - options: clock (identity options are ignored).
    /// - Throws: ``LogError`` `.notFound`, `.locked`, `.notALog`, `.corruptHeader`, `.unsupportedVersion`,
    ///   `.corruption` (naming offset and sequence numbers), `.io`.
    public static func open(at path: String, options: Options = Options()) throws(LogError) -> LogWriter {
        let fd: Int32
        switch options.io.open(path, O_RDWR, 0) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error == .noEntry:
            throw LogError(.notFound, reason: "no log file here (create one with `parley init`)", path: path)
        case .failure(let error): throw LogError.io("open", error, path: path)
        }
        do throws(LogError) {
            try lockForWriting(fd, path: path)
            let reader = try LogReader(fd: fd, path: path, ownsDescriptor: false)
            let survey = try LogSurveyor.survey(reader, verifyChecksums: true)
            var torn: TornTail?
            switch survey.ending {
            case .clean: break
            case .damaged(let damage): throw damage.error(path: path)
            case .tornTail(let tail):
                if case .failure(let error) = options.io.ftruncate(fd, tail.offset) {
                    throw LogError.io("ftruncate", error, path: path, offset: tail.offset)
                }
                if case .failure(let error) = options.io.fdatasync(fd) {
                    throw LogError.io("fdatasync", error, path: path)
                }
                torn = tail
            }
            // Frames a killed writer wrote but never synced are valid and stay: make them durable before
            // publishing them to followers as committed.
            if case .failure(let error) = options.io.fdatasync(fd) {
                throw LogError.io("fdatasync", error, path: path)
            }
            let hint = try CommitHintFile.open(forLog: path, logID: reader.header.logID)
            hint?.publish(CommitHint(committedEnd: survey.validEnd, lastSeq: survey.lastSeq))
            return LogWriter(
                path: path, header: reader.header, survey: survey, fd: fd, torn: torn, hint: hint, options: options)
        } catch {
            // Unlocked before the close: a child another thread is spawning may hold a copy of the
            // descriptor until its exec, and with it the lock, which `close` alone would leave held.
            SystemCalls.unlock(fd)
            options.io.close(fd)
            throw error
        }
    }

    /// Takes the exclusive writer lock without blocking. Quick retries (10 ms apart, about a quarter of a
    /// second in all) ride out the moments when someone else holds the lock for an instant: a reader's
    /// ``hasActiveWriter(at:)`` probe, or a child process that another thread of this process is spawning,
    /// which holds copies of every descriptor (and so of a just-closed writer's lock) until its `exec`, a
    /// moment that can stretch to tens of milliseconds on a busy machine. A real writer holds the lock for its
    /// lifetime and still fails this promptly, in human terms.
    static func lockForWriting(_ fd: Int32, path: String) throws(LogError) {
        var attempt = 0
        while true {
            switch SystemCalls.flock(fd, exclusive: true) {
            case .success: return
            case .failure(let error) where error == .wouldBlock:
                attempt += 1
                if attempt >= 25 {
                    throw LogError(
                        .locked, reason: "another writer has this log open (advisory lock held); one writer per log",
                        path: path)
                }
                SystemCalls.sleep(milliseconds: 10)
            case .failure(let error): throw LogError.io("flock", error, path: path)
            }
        }
    }

    /// Appends a batch as one frame and returns once it is durable.
    ///
    /// The frame is written with `pwrite` at the committed end, then `fdatasync`ed; only then does the
    /// committed end move and this method return. If anything fails, the file is truncated back to the
    /// committed end and the writer stops (every later call throws ``LogError/Code/writerFailed``).
    /// - Parameter batch: the records; its frame header is filled in place.
    /// - Returns: the sequence numbers and commit time given to the batch.
    /// - Throws: ``LogError`` `.emptyBatch` or `.batchTooLarge` (nothing written, the writer stays usable);
    ///   `.io` (the writer has failed); `.writerFailed`; `.closed`.
    @discardableResult
    public func append(_ batch: inout LogBatch) throws(LogError) -> Commit {
        guard !batch.isEmpty else {
            throw LogError(.emptyBatch, reason: "a batch needs at least one event", path: path)
        }
        guard batch.frameBytes <= LogFormat.maxFrameBytes, batch.count <= LogFormat.maxEventsPerFrame else {
            throw LogError(
                .batchTooLarge,
                reason: "the batch is \(batch.frameBytes) bytes and \(batch.count) events; a frame holds at most "
                    + "\(LogFormat.maxFrameBytes) bytes and \(LogFormat.maxEventsPerFrame) events",
                path: path)
        }
        let io = options.io
        let clock = options.clock
        let salt = header.salt
        let path = self.path
        return try state.withLock { (state: inout State) throws(LogError) -> Commit in
            if state.isClosed { throw LogError(.closed, reason: "the writer is closed", path: path) }
            if let failure = state.failure {
                throw LogError(
                    .writerFailed,
                    reason: "an earlier error stopped this writer (\(failure.reason)); reopen the log to recover",
                    path: path)
            }
            let firstSeq = state.lastSeq + 1
            let commitTime = max(clock(), state.lastCommit)
            batch.seal(salt: salt, firstSeq: firstSeq, commitTime: commitTime)
            let fd = state.fd
            let offset = state.end
            let written: Result<Void, LogError> = batch.frame.withUnsafeBytes { bytes in
                let (done, writeError) = io.pwriteFully(fd, bytes, at: offset)
                if let writeError {
                    return .failure(LogError.io("pwrite", writeError, path: path, offset: offset + Int64(done)))
                }
                if case .failure(let error) = io.fdatasync(fd) {
                    return .failure(LogError.io("fdatasync", error, path: path, offset: offset))
                }
                return .success(())
            }
            if case .failure(var error) = written {
                // Cut back whatever reached the file; never retry the sync on this descriptor.
                if case .failure(let truncateError) = io.ftruncate(fd, offset) {
                    error.reason += "; truncating back to offset \(offset) also failed: \(truncateError)"
                }
                error.sequenceRange = firstSeq...(firstSeq + UInt64(batch.count) - 1)
                error.reason += "; the batch was not committed and this writer is stopped (reopen to recover)"
                state.failure = error
                throw error
            }
            state.end = offset + Int64(batch.frameBytes)
            state.lastSeq = firstSeq + UInt64(batch.count) - 1
            state.lastCommit = commitTime
            state.hint?.publish(CommitHint(committedEnd: state.end, lastSeq: state.lastSeq))
            let (end, lastSeq) = (state.end, state.lastSeq)
            let wakes = published.withLock { published in
                published.end = end
                published.lastSeq = lastSeq
                return published.takeWaiters()
            }
            for wake in wakes { wake() }
            return Commit(
                seqs: firstSeq...state.lastSeq, commitTime: commitTime, offset: offset, frameBytes: batch.frameBytes)
        }
    }

    /// Whether some process holds the writer lock of the log at `path` right now (a probe with a shared,
    /// non-blocking `flock` that is released at once).
    /// - Throws: ``LogError`` `.notFound`, `.io`.
    public static func hasActiveWriter(at path: String) throws(LogError) -> Bool {
        let fd: Int32
        switch SystemCalls.openRegularFile(path, O_RDONLY, followSymlinks: true) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error == .noEntry:
            throw LogError(.notFound, reason: "no log file here", path: path)
        case .failure(let error): throw LogError.io("open", error, path: path)
        }
        defer {
            SystemCalls.unlock(fd)  // not left to `close`: see `open(at:options:)`
            SystemCalls.close(fd)
        }
        switch SystemCalls.flock(fd, exclusive: false) {
        case .success: return false
        case .failure(let error) where error == .wouldBlock: return true
        case .failure(let error): throw LogError.io("flock", error, path: path)
        }
    }

    /// Releases the lock and closes the file. Further appends throw ``LogError/Code/closed``.
    public func close() {
        let io = options.io
        state.withLock { state in
            guard !state.isClosed else { return }
            SystemCalls.unlock(state.fd)
            io.close(state.fd)
            state.hint?.close()
            state.hint = nil
            state.isClosed = true
            let wakes = published.withLock { published in
                published.isClosed = true
                return published.takeWaiters()
            }
            for wake in wakes { wake() }
        }
    }
}
