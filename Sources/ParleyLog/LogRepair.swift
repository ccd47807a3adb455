#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The explicit way to truncate a damaged log: cut at the first frame that is not acceptable,
/// after saving everything that is cut to a side file.
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
    }

    /// Checks every frame (checksums included) and, if the log does not end cleanly, saves the bytes
    /// from the first bad frame to the end into `<path>.cut-<offset>-<n>` (written, `fsync`ed, directory
    /// `fsync`ed), then truncates the log there and `fsync`s it. Holds the writer lock throughout.
    /// - Parameter path: the log file.
    /// - Returns: what was done, or `nil` when the log is sound and nothing was changed.
    /// - Throws: ``LogError`` `.locked` (a writer is active), `.notFound`, header errors (a damaged file
    ///   header cannot be repaired by truncation), `.io`.
    public static func repair(path: String) throws(LogError) -> Outcome? {
        try repair(path: path, io: .system)
    }

    /// ``repair(path:)`` making its changes through `io` (tests inject failures or a power loss).
    static func repair(path: String, io: FileOperations) throws(LogError) -> Outcome? {
        let fd: Int32
        switch io.open(path, O_RDWR, 0) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error == .noEntry:
            throw LogError(.notFound, reason: "no log file here", path: path)
        case .failure(let error): throw LogError.io("open", error, path: path)
        }
        defer { io.close(fd) }
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
        let copyPath = try saveCopy(fd: fd, from: cut, to: survey.fileSize, logPath: path, io: io)
        if case .failure(let error) = io.ftruncate(fd, cut) {
            throw LogError.io("ftruncate", error, path: path, offset: cut)
        }
        if case .failure(let error) = io.fsync(fd) {
            throw LogError.io("fsync", error, path: path)
        }
        return Outcome(
            ending: survey.ending, cutOffset: cut, cutBytes: survey.fileSize - cut, savedCopyPath: copyPath,
            eventsKept: survey.lastSeq)
    }

    /// Copies bytes `from..<to` of `fd` into a new file beside the log and makes it durable.
    private static func saveCopy(
        fd: Int32, from start: Int64, to end: Int64, logPath: String, io: FileOperations
    ) throws(LogError) -> String {
        var attempt = 0
        var copyPath = ""
        var out: Int32 = -1
        while out < 0 {
            copyPath = logPath + ".cut-\(start)" + (attempt == 0 ? "" : "-\(attempt)")
            switch io.open(copyPath, O_WRONLY | O_CREAT | O_EXCL, 0o600) {
            case .success(let descriptor): out = descriptor
            case .failure(let error) where error == .exists && attempt < 1000: attempt += 1
            case .failure(let error): throw LogError.io("open", error, path: copyPath)
            }
        }
        defer { io.close(out) }
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
                io.pwriteFully(out, UnsafeRawBufferPointer(rebasing: $0[0..<n]), at: position - start)
            }
            if let writeError { throw LogError.io("write", writeError, path: copyPath) }
            position += Int64(n)
        }
        if case .failure(let error) = io.fsync(out) { throw LogError.io("fsync", error, path: copyPath) }
        if case .failure(let error) = io.fsyncDirectory(copyPath) {
            throw LogError.io("fsync (directory)", error, path: copyPath)
        }
        return copyPath
    }
}
