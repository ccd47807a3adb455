import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Whole small files beside a log (checkpoints, cursors): written atomically and durably (temporary file,
/// `fsync`, `rename`, directory `fsync`), read whole with a size limit.
///
/// The temporary file is created exclusively (`O_CREAT | O_EXCL`, so nothing planted at its name is
/// written through) and `rename` replaces the directory entry at `path`, never the file a symbolic link
/// there points to. Reads never follow a symbolic link (unless asked to) and refuse anything but a
/// regular file, so a FIFO or device in a file's place cannot block them.
public enum AtomicFile {
    private static let counter = Atomic<UInt64>(0)

    /// Replaces the file at `path` with `bytes`: readers see the old file or the new one, never a mix,
    /// and once this returns the new one survives a crash. Mode 0600.
    /// - Throws: ``LogError`` `.io`.
    public static func write(_ bytes: [UInt8], to path: String) throws(LogError) {
        // Unique per process and per call, hidden (listings of cursor directories skip dot files), and in
        // the same directory so that `rename` is atomic.
        let unique = counter.add(1, ordering: .relaxed).newValue
        let temporary = LogFiles.temporary(for: path, unique: Int(unique))
        let fd: Int32
        switch SystemCalls.openRegularFile(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error): throw LogError.io("open", error, path: temporary)
        }
        let written = bytes.withUnsafeBytes { SystemCalls.writeFully(fd, $0) }.flatMap { SystemCalls.fsync(fd) }
        SystemCalls.close(fd)
        if case .failure(let error) = written {
            _ = SystemCalls.unlink(temporary)
            throw LogError.io("write+fsync", error, path: temporary)
        }
        if case .failure(let error) = SystemCalls.rename(temporary, path) {
            _ = SystemCalls.unlink(temporary)
            throw LogError.io("rename", error.rawValue == EISDIR ? .isDirectory : error, path: path)
        }
        if case .failure(let error) = SystemCalls.fsyncDirectory(of: path) {
            throw LogError.io("fsync (directory)", error, path: FilePath.directory(of: path))
        }
    }

    /// The whole file at `path`, or `nil` if there is none.
    /// - Parameters:
    ///   - path: the file.
    ///   - maxBytes: the largest size read.
    ///   - followSymlinks: whether a symbolic link at `path` is followed (a file the user named); a file
    ///     beside a log is never read through one.
    /// - Throws: ``LogError`` `.io`, `.notRegularFile`, or `.corruption` when it is larger than `maxBytes`.
    public static func read(_ path: String, maxBytes: Int, followSymlinks: Bool = false) throws(LogError) -> [UInt8]? {
        let fd: Int32
        switch SystemCalls.openRegularFile(path, O_RDONLY, followSymlinks: followSymlinks) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error == .noEntry: return nil
        case .failure(let error): throw LogError.io("open", error, path: path)
        }
        defer { SystemCalls.close(fd) }
        let size: Int64
        switch SystemCalls.fileSize(fd) {
        case .success(let value): size = value
        case .failure(let error): throw LogError.io("fstat", error, path: path)
        }
        guard size <= Int64(maxBytes) else {
            throw LogError(.corruption, reason: "file is \(size) bytes, more than the \(maxBytes) allowed", path: path)
        }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        switch bytes.withUnsafeMutableBytes({ SystemCalls.preadFully(fd, into: $0, at: 0) }) {
        case .success(let count): return Array(bytes[0..<count])
        case .failure(let error): throw LogError.io("pread", error, path: path)
        }
    }

    /// Removes the file at `path` if it exists.
    /// - Throws: ``LogError`` `.io` for any failure but "no such file".
    public static func remove(_ path: String) throws(LogError) {
        switch SystemCalls.unlink(path) {
        case .success: return
        case .failure(let error) where error == .noEntry: return
        case .failure(let error): throw LogError.io("unlink", error, path: path)
        }
    }
}

/// A file opened for reading parts of it later: what it held when opened stays readable through the
/// descriptor even if the path is replaced meanwhile (as ``AtomicFile/write(_:to:)`` does), so parts
/// read at different times come from one version of the file.
public final class FileSnapshot: Sendable {
    public let path: String
    /// Size when opened.
    public let size: Int64
    private let fd: Int32

    /// Opens the file at `path`; `nil` if there is none. Never through a symbolic link, and only a regular
    /// file (a FIFO or device in its place cannot block).
    /// - Throws: ``LogError`` `.io`, `.notRegularFile`.
    public init?(path: String) throws(LogError) {
        switch SystemCalls.openRegularFile(path, O_RDONLY) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error == .noEntry: return nil
        case .failure(let error): throw LogError.io("open", error, path: path)
        }
        self.path = path
        switch SystemCalls.fileSize(fd) {
        case .success(let value): size = value
        case .failure(let error):
            SystemCalls.close(fd)
            throw LogError.io("fstat", error, path: path)
        }
    }

    deinit { SystemCalls.close(fd) }

    /// `count` bytes at `offset` (fewer at the end of the file).
    /// - Throws: ``LogError`` `.io`.
    public func read(at offset: Int64, count: Int) throws(LogError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        switch bytes.withUnsafeMutableBytes({ SystemCalls.preadFully(fd, into: $0, at: offset) }) {
        case .success(let n):
            if n < bytes.count { bytes.removeSubrange(n...) }
            return bytes
        case .failure(let error): throw LogError.io("pread", error, path: path, offset: offset)
        }
    }
}
