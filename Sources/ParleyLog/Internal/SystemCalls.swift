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

    /// `strerror` text, e.g. "No space left on device".
    public var description: String {
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
