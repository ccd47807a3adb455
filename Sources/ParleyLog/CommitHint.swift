#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The commit hint: a small file beside the log (`<log>.commit`) where the writer publishes how far the
/// log is committed (written *and* `fdatasync`ed). Followers in other processes read frames only up to
/// it, so they never emit a frame whose sync has not returned (or failed and was cut back).
///
/// It is a hint, rebuilt by every writer at open: it is never `fsync`ed, and a reader that finds it
/// missing, torn or of another log falls back to the valid frames of the log itself. Nor is it trusted
/// beyond the log: a reader stops at the hint's end *and* at the frames the log actually holds, so a
/// hint that claims more (a stale one after a repair, a forged one) makes nothing appear that the log
/// does not hold. A hint whose numbers no writer writes (an end before the log's header or past
/// `Int64.max`, more events than bytes) is not a hint at all. The file is never opened through a
/// symbolic link, is created exclusively, and must be a regular file: anything else in its place is an
/// error (``LogError/Code/notRegularFile``) for writers and readers alike.
///
/// ```
/// offset size field
///  0      8   magic "PRLYCMT1"
///  8     16   log id
/// 24      8   committed end: offset just after the last committed frame (u64 LE)
/// 32      8   last committed seq (u64 LE)
/// 40      4   CRC-32C of bytes 0..<40 (u32 LE)
/// ```
public struct CommitHint: Equatable, Sendable {
    /// Offset just after the last committed frame.
    public var committedEnd: Int64
    /// Sequence number of the last committed event.
    public var lastSeq: UInt64

    static let magic: [UInt8] = Array("PRLYCMT1".utf8)
    static let byteCount = 44

    /// The hint file's path for a log.
    public static func path(forLog logPath: String) -> String { LogFiles(log: logPath).commitHint }

    /// The error for a hint path that names something other than a regular file.
    static func unusable(_ error: Errno, path: String) -> LogError {
        var failure = LogError.io("open", error, path: path)
        failure.reason = "the commit hint \(error); remove it (the next writer recreates it)"
        return failure
    }

    func encoded(logID: [UInt8]) -> [UInt8] {
        var bytes = Self.magic
        bytes.append(contentsOf: logID)
        bytes.appendLittleEndian(UInt64(bitPattern: committedEnd))
        bytes.appendLittleEndian(lastSeq)
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        return bytes
    }

    /// Decodes a hint; `nil` when it is torn, damaged, belongs to another log, or holds numbers no writer
    /// writes: a committed end before the end of the log's file header or past `Int64.max`, a last seq of
    /// more events than there are bytes after the header (every event takes at least one byte of a frame),
    /// events with no bytes or bytes with no events.
    static func decode(_ bytes: ArraySlice<UInt8>, logID: [UInt8]) -> CommitHint? {
        guard bytes.count == byteCount, bytes.prefix(8).elementsEqual(magic) else { return nil }
        let base = bytes.startIndex
        guard bytes[(base + 8)..<(base + 24)].elementsEqual(logID),
            bytes.loadLittleEndianUInt32(at: base + 40) == CRC32C.checksum(bytes.prefix(40))
        else { return nil }
        let end = bytes.loadLittleEndianUInt64(at: base + 24)
        let lastSeq = bytes.loadLittleEndianUInt64(at: base + 32)
        let headerEnd = UInt64(LogFormat.fileHeaderBytes)
        guard end >= headerEnd, end <= UInt64(Int64.max), lastSeq <= end - headerEnd,
            (lastSeq == 0) == (end == headerEnd)
        else { return nil }
        return CommitHint(committedEnd: Int64(end), lastSeq: lastSeq)
    }

    /// Reads the hint of the log at `logPath`; `nil` if there is none usable (missing, torn, of another
    /// log, not a regular file or a symbolic link).
    public static func read(forLog logPath: String, logID: [UInt8]) -> CommitHint? {
        guard case .success(let fd) = SystemCalls.openRegularFile(path(forLog: logPath), O_RDONLY) else { return nil }
        defer { SystemCalls.close(fd) }
        var bytes = [UInt8](repeating: 0, count: byteCount + 1)
        guard case .success(let count) = bytes.withUnsafeMutableBytes({ SystemCalls.preadFully(fd, into: $0, at: 0) })
        else { return nil }
        return decode(bytes[0..<count], logID: logID)
    }
}

/// The writer's open handle on its hint file: one `pwrite` of 44 bytes per commit, no sync.
struct CommitHintFile {
    let fd: Int32
    let logID: [UInt8]

    /// Opens the hint file, or creates it (mode 0600, `O_EXCL`) when there is none; never through a
    /// symbolic link. Failure to create it is not fatal: followers fall back to reading valid frames, so
    /// the writer goes on without a hint.
    /// - Throws: ``LogError`` `.notRegularFile` when a symbolic link, FIFO, device or directory is in its
    ///   place: writing the hint there would change another file (or block), and followers would refuse it.
    static func open(forLog logPath: String, logID: [UInt8]) throws(LogError) -> CommitHintFile? {
        let path = CommitHint.path(forLog: logPath)
        var opened = SystemCalls.openRegularFile(path, O_RDWR)
        if case .failure(.noEntry) = opened {
            opened = SystemCalls.openRegularFile(path, O_RDWR | O_CREAT | O_EXCL, mode: 0o600)
        }
        switch opened {
        case .success(let fd): return CommitHintFile(fd: fd, logID: logID)
        case .failure(let error) where error.isNotRegularFile: throw CommitHint.unusable(error, path: path)
        case .failure: return nil
        }
    }

    /// Publishes a commit. Errors are ignored: the hint is advisory and rebuilt at the next open.
    func publish(_ hint: CommitHint) {
        let bytes = hint.encoded(logID: logID)
        _ = bytes.withUnsafeBytes { SystemCalls.pwrite(fd, $0, at: 0) }
    }

    func close() { SystemCalls.close(fd) }
}
