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
/// missing, torn or of another log falls back to the valid frames of the log itself.
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
    public static func path(forLog logPath: String) -> String { logPath + ".commit" }

    func encoded(logID: [UInt8]) -> [UInt8] {
        var bytes = Self.magic
        bytes.append(contentsOf: logID)
        bytes.appendLittleEndian(UInt64(committedEnd))
        bytes.appendLittleEndian(lastSeq)
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        return bytes
    }

    /// Decodes a hint; `nil` when it is torn, damaged or belongs to another log.
    static func decode(_ bytes: ArraySlice<UInt8>, logID: [UInt8]) -> CommitHint? {
        guard bytes.count == byteCount, bytes.prefix(8).elementsEqual(magic) else { return nil }
        let base = bytes.startIndex
        guard bytes[(base + 8)..<(base + 24)].elementsEqual(logID),
            bytes.loadLittleEndianUInt32(at: base + 40) == CRC32C.checksum(bytes.prefix(40))
        else { return nil }
        return CommitHint(
            committedEnd: Int64(bitPattern: bytes.loadLittleEndianUInt64(at: base + 24)),
            lastSeq: bytes.loadLittleEndianUInt64(at: base + 32))
    }

    /// Reads the hint of the log at `logPath`; `nil` if there is none usable.
    public static func read(forLog logPath: String, logID: [UInt8]) -> CommitHint? {
        guard case .success(let fd) = SystemCalls.open(path(forLog: logPath), O_RDONLY) else { return nil }
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

    /// Creates or opens the hint file (mode 0600). Failure to create it is not fatal: followers fall back
    /// to reading valid frames, so the writer goes on without a hint.
    static func open(forLog logPath: String, logID: [UInt8]) -> CommitHintFile? {
        guard case .success(let fd) = SystemCalls.open(CommitHint.path(forLog: logPath), O_RDWR | O_CREAT, mode: 0o600)
        else { return nil }
        return CommitHintFile(fd: fd, logID: logID)
    }

    /// Publishes a commit. Errors are ignored: the hint is advisory and rebuilt at the next open.
    func publish(_ hint: CommitHint) {
        let bytes = hint.encoded(logID: logID)
        _ = bytes.withUnsafeBytes { SystemCalls.pwrite(fd, $0, at: 0) }
    }

    func close() { SystemCalls.close(fd) }
}
