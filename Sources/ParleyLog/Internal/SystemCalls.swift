#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// An `errno` value from a failed system call.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    /// The raw `errno` value.
    public var rawValue: Int32

    /// Wraps a raw `errno` value.
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The current thread's `errno`.
    static var current: Errno { Errno(errno) }

    public static let wouldBlock = Errno(EWOULDBLOCK)
    public static let exists = Errno(EEXIST)
    public static let noEntry = Errno(ENOENT)
    public static let io = Errno(EIO)
    public static let noSpace = Errno(ENOSPC)

    // Parley's own values, below zero (no `errno` is), for a path that ``SystemCalls/openRegularFile``
    // refuses: it names something other than a regular file.
    /// The path names a directory.
    public static let isDirectory = Errno(-1)
    /// The path names a FIFO (named pipe).
    public static let isFIFO = Errno(-2)
    /// The path names a character device (such as `/dev/null` or a terminal).
    public static let isCharacterDevice = Errno(-3)
    /// The path names a block device.
    public static let isBlockDevice = Errno(-4)
    /// The path names a Unix socket.
    public static let isSocket = Errno(-5)
    /// The path names a symbolic link, which is not followed there.
    public static let isSymbolicLink = Errno(-6)
    /// The path names a file of another kind.
    public static let isOtherFileKind = Errno(-7)
    /// The path names a regular file with other hard links, opened for writing beside a log: writing it
    /// would change another file too.
    public static let isHardLinked = Errno(-8)

    /// Whether this is one of Parley's values for "not a regular file" (``isDirectory`` … ``isHardLinked``).
    public var isNotRegularFile: Bool { rawValue < 0 && rawValue >= -8 }

    /// `strerror` text, e.g. "No space left on device"; for Parley's own values, what the path names.
    public var description: String {
        switch self {
        case .isDirectory: return "is a directory, not a regular file"
        case .isFIFO: return "is a FIFO (named pipe), not a regular file"
        case .isCharacterDevice: return "is a character device, not a regular file"
        case .isBlockDevice: return "is a block device, not a regular file"
        case .isSocket: return "is a socket, not a regular file"
        case .isSymbolicLink: return "is a symbolic link, which Parley does not follow for the files beside a log"
        case .isOtherFileKind: return "is not a regular file"
        case .isHardLinked:
            return "has other hard links, which Parley does not write through for the files beside a log"
        default: break
        }
        guard let text = strerror(rawValue) else { return "errno \(rawValue)" }
        return String(cString: text) + " (errno \(rawValue))"
    }
}

/// The only place in ParleyLog that calls the C library for files. Every call retries `EINTR`
/// and returns `Result<T, Errno>`; callers map errors to ``LogError`` once.
enum SystemCalls {
    /// Retries `body` while it fails with `EINTR`.
    @inline(__always)
    private static func retrying<T: BinaryInteger>(_ body: () -> T) -> Result<T, Errno> {
        while true {
            let result = body()
            if result >= 0 { return .success(result) }
            let error = Errno.current
            if error.rawValue != EINTR { return .failure(error) }
        }
    }

    /// `open(2)`; `O_CLOEXEC` is always added. Never returns descriptor 0, 1 or 2: the standard
    /// descriptors are filled with `/dev/null` first when closed (``StandardDescriptors``), and a file that
    /// still lands there (another thread closed one meanwhile) is moved above them.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) -> Result<Int32, Errno> {
        guard StandardDescriptors.ensureOpen() else { return .failure(Errno(EMFILE)) }
        let opened = retrying { Glibc.open(path, flags | O_CLOEXEC, mode) }
        guard case .success(let fd) = opened, fd <= 2 else { return opened }
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        let error = Errno.current
        Glibc.close(fd)
        StandardDescriptors.ensureOpen()
        return moved >= 0 ? .success(moved) : .failure(error)
    }

    /// Opens a log or a file beside it, and only if it is a regular file: the one way Parley opens such
    /// files. A FIFO, device, socket or directory in its place never blocks the caller (the `open(2)`
    /// itself has `O_NONBLOCK`, so a FIFO without a writer does not block it) and is refused after an
    /// `fstat(2)`; `O_NONBLOCK` is then cleared again with `fcntl(2)` unless `flags` asked for it.
    /// - Parameters:
    ///   - path: the file.
    ///   - flags: `open(2)` flags; `O_CLOEXEC` and `O_NONBLOCK` are added, and `O_NOFOLLOW` unless
    ///     `followSymlinks`.
    ///   - mode: the mode of a file `O_CREAT` creates.
    ///   - followSymlinks: `true` only for a path the user chose (the log itself); the files Parley keeps
    ///     beside a log are never opened through a symbolic link, nor for writing when they have other
    ///     hard links.
    /// - Returns: the descriptor, or the `errno`; a path that names something other than a regular file
    ///   fails with one of Parley's own values (``Errno/isNotRegularFile``), e.g. ``Errno/isFIFO``.
    static func openRegularFile(_ path: String, _ flags: Int32, mode: mode_t = 0, followSymlinks: Bool = false)
        -> Result<Int32, Errno>
    {
        let fd: Int32
        switch open(path, flags | O_NONBLOCK | O_NOCTTY | (followSymlinks ? 0 : O_NOFOLLOW), mode: mode) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error.rawValue == ELOOP || error.rawValue == EISDIR || error.rawValue == ENXIO:
            // ELOOP: a symbolic link under O_NOFOLLOW; EISDIR: a directory opened for writing; ENXIO: a
            // socket, or a FIFO opened for writing without a reader. Say which, if the path tells.
            return .failure(kind(ofPath: path, following: followSymlinks) ?? error)
        case .failure(let error): return .failure(error)
        }
        var info = stat()
        if case .failure(let error) = retrying({ Glibc.fstat(fd, &info) }) {
            close(fd)
            return .failure(error)
        }
        if let refused = kind(of: info.st_mode) {
            close(fd)
            return .failure(refused)
        }
        if !followSymlinks, flags & O_ACCMODE != O_RDONLY, info.st_nlink > 1 {
            close(fd)
            return .failure(.isHardLinked)
        }
        if flags & O_NONBLOCK == 0 {
            let current = fcntl(fd, F_GETFL)
            if current < 0 || fcntl(fd, F_SETFL, current & ~O_NONBLOCK) < 0 {
                let error = Errno.current
                close(fd)
                return .failure(error)
            }
        }
        return .success(fd)
    }

    /// Parley's "not a regular file" value for a file mode, or `nil` for a regular file.
    private static func kind(of mode: mode_t) -> Errno? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: .isDirectory
        case S_IFIFO: .isFIFO
        case S_IFCHR: .isCharacterDevice
        case S_IFBLK: .isBlockDevice
        case S_IFSOCK: .isSocket
        case S_IFLNK: .isSymbolicLink
        default: .isOtherFileKind
        }
    }

    /// What `path` names when it is not a regular file (`lstat(2)`, or `stat(2)` when following), if it
    /// can be told.
    private static func kind(ofPath path: String, following: Bool) -> Errno? {
        var info = stat()
        guard cStat(path, &info, following: following) == 0 else { return nil }
        return kind(of: info.st_mode)
    }

    /// `close(2)`. Errors are ignored: after `close` fails the descriptor is gone anyway.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// `pread(2)` until `count` bytes are read or end of file; returns the bytes read.
    static func preadFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64)
        -> Result<Int, Errno>
    {
        var done = 0
        while done < buffer.count {
            let base = buffer.baseAddress! + done
            let n = retrying { Glibc.pread(fd, base, buffer.count - done, off_t(offset) + off_t(done)) }
            switch n {
            case .failure(let error): return .failure(error)
            case .success(0): return .success(done)
            case .success(let count): done += count
            }
        }
        return .success(done)
    }

    /// `read(2)` once; returns the bytes read, 0 at end of input.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        retrying { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// `write(2)` until every byte is written.
    static func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Result<Void, Errno> {
        var done = 0
        while done < buffer.count {
            let n = retrying { Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done) }
            switch n {
            case .failure(let error): return .failure(error)
            case .success(let count): done += count
            }
        }
        return .success(())
    }

    /// `pwrite(2)` once; may write fewer bytes than asked.
    static func pwrite(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, at offset: Int64) -> Result<Int, Errno> {
        retrying { Glibc.pwrite(fd, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// `fdatasync(2)`. Never retried after a failure other than `EINTR`: see ``LogWriter``.
    static func fdatasync(_ fd: Int32) -> Result<Void, Errno> {
        retrying { Glibc.fdatasync(fd) }.map { _ in () }
    }

    /// `fsync(2)`.
    static func fsync(_ fd: Int32) -> Result<Void, Errno> {
        retrying { Glibc.fsync(fd) }.map { _ in () }
    }

    /// `ftruncate(2)`.
    static func ftruncate(_ fd: Int32, _ length: Int64) -> Result<Void, Errno> {
        retrying { Glibc.ftruncate(fd, off_t(length)) }.map { _ in () }
    }

    /// `flock(2)` with `LOCK_NB`: fails at once with `EWOULDBLOCK` when another open file holds it.
    static func flock(_ fd: Int32, exclusive: Bool) -> Result<Void, Errno> {
        retrying { cFlock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) }.map { _ in () }
    }

    /// `flock(2)` `LOCK_UN`.
    static func unlock(_ fd: Int32) {
        _ = cFlock(fd, LOCK_UN)
    }

    /// `fstat(2)`: the file size in bytes.
    static func fileSize(_ fd: Int32) -> Result<Int64, Errno> {
        var info = stat()
        return retrying { Glibc.fstat(fd, &info) }.map { _ in Int64(info.st_size) }
    }

    /// `link(2)`: fails with `EEXIST` rather than replacing an existing file.
    static func link(_ from: String, _ to: String) -> Result<Void, Errno> {
        retrying { Glibc.link(from, to) }.map { _ in () }
    }

    /// `unlink(2)`.
    static func unlink(_ path: String) -> Result<Void, Errno> {
        retrying { Glibc.unlink(path) }.map { _ in () }
    }

    /// `rename(2)`.
    static func rename(_ from: String, _ to: String) -> Result<Void, Errno> {
        retrying { Glibc.rename(from, to) }.map { _ in () }
    }

    /// Opens the directory holding `path` and `fsync(2)`s it, making a created, linked or renamed
    /// entry durable.
    static func fsyncDirectory(of path: String) -> Result<Void, Errno> {
        let directory = FilePath.directory(of: path)
        switch open(directory, O_RDONLY | O_DIRECTORY) {
        case .failure(let error): return .failure(error)
        case .success(let fd):
            defer { close(fd) }
            return fsync(fd)
        }
    }

    /// `nanosleep(2)`.
    static func sleep(milliseconds: Int) {
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// `mkdir(2)`.
    static func mkdir(_ path: String, mode: mode_t) -> Result<Void, Errno> {
        retrying { Glibc.mkdir(path, mode) }.map { _ in () }
    }

    /// The names in a directory (`opendir`/`readdir`), without `.` and `..`; empty if it cannot be read.
    static func directoryEntries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// `getpid(2)`.
    static func processID() -> Int32 { Glibc.getpid() }

    /// `clock_gettime(CLOCK_REALTIME)` in nanoseconds since the epoch.
    static func wallClockNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Whether a file exists at `path` (`access(2)`).
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}

/// `stat(2)` or `lstat(2)`; inside `SystemCalls` the name `stat` means the struct.
private func cStat(_ path: String, _ info: inout stat, following: Bool) -> Int32 {
    following ? stat(path, &info) : lstat(path, &info)
}

/// `flock(2)`; inside `SystemCalls` Glibc's `struct flock` shadows the function's name.
private func cFlock(_ fd: Int32, _ operation: Int32) -> Int32 { flock(fd, operation) }

/// Path helpers without Foundation.
enum FilePath {
    /// The directory part of `path` (`.` when there is none).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of `path`.
    static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
