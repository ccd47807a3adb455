#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A file operation of the test support failed (the tests' own I/O, not the code under test).
struct TestFileError: Error, CustomStringConvertible {
    var description: String

    init(_ call: String, errno: Int32, path: String) {
        description = "\(call) \(path): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// Plain POSIX file access for tests. Each call works on the file in place (no rename), so a
/// descriptor the code under test holds keeps seeing the same file.
enum Files {
    /// The whole content of the file.
    static func read(_ path: String) throws -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw TestFileError("read", errno: errno, path: path) }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    /// Creates the file (mode 0600) or empties it, then writes `bytes`.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = try open(path, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(fd) }
        try write(fd: fd, bytes, at: 0, path: path)
    }

    /// Appends `bytes` at the end of the file.
    static func append(_ bytes: [UInt8], to path: String) throws {
        try overwrite(path, at: size(path), with: bytes)
    }

    /// Writes `bytes` at `offset`, over whatever is there.
    static func overwrite(_ path: String, at offset: Int64, with bytes: [UInt8]) throws {
        let fd = try open(path, O_WRONLY)
        defer { close(fd) }
        try write(fd: fd, bytes, at: offset, path: path)
    }

    /// Cuts the file to `length` bytes.
    static func truncate(_ path: String, to length: Int64) throws {
        if Glibc.truncate(path, off_t(length)) != 0 { throw TestFileError("truncate", errno: errno, path: path) }
    }

    /// Size of the file in bytes.
    static func size(_ path: String) throws -> Int64 {
        try status(path).size
    }

    /// Permission bits of the file.
    static func mode(_ path: String) throws -> mode_t {
        try status(path).mode
    }

    private static func status(_ path: String) throws -> (size: Int64, mode: mode_t) {
        var info = stat()
        if stat(path, &info) != 0 { throw TestFileError("stat", errno: errno, path: path) }
        return (Int64(info.st_size), info.st_mode & 0o7777)
    }

    private static func open(_ path: String, _ flags: Int32) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC, 0o600)
        if fd < 0 { throw TestFileError("open", errno: errno, path: path) }
        return fd
    }

    private static func write(fd: Int32, _ bytes: [UInt8], at offset: Int64, path: String) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes {
                pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(offset) + off_t(done))
            }
            if n < 0 { throw TestFileError("pwrite", errno: errno, path: path) }
            done += n
        }
    }
}
