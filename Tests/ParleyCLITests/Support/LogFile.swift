import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Raw access to a log file for the tests that damage it: frame boundaries (read from the bytes per
/// docs/FORMAT.md, independently of ParleyLog), byte flips and truncation in place.
enum LogFile {
    /// Size of the file header.
    static let headerBytes = 64
    /// Size of a frame header.
    static let frameHeaderBytes = 36

    /// One frame as found in the bytes.
    struct FrameInfo: Equatable {
        var offset: Int
        var length: Int
        var firstSeq: UInt64
        var count: Int
        var end: Int { offset + length }
        var lastSeq: UInt64 { firstSeq + UInt64(count) - 1 }
    }

    /// The frames of a log, by walking the length fields from offset 64 (stops at the first frame
    /// that does not fit in the file).
    static func frames(_ bytes: [UInt8]) -> [FrameInfo] {
        var frames: [FrameInfo] = []
        var offset = headerBytes
        while offset + frameHeaderBytes <= bytes.count {
            let length = Int(littleEndian(bytes, at: offset + 4, size: 4))
            guard length >= frameHeaderBytes, offset + length <= bytes.count else { break }
            frames.append(
                FrameInfo(
                    offset: offset, length: length, firstSeq: littleEndian(bytes, at: offset + 16, size: 8),
                    count: Int(littleEndian(bytes, at: offset + 24, size: 4))))
            offset += length
        }
        return frames
    }

    /// The frames of the log at `path`.
    static func frames(at path: String) throws -> [FrameInfo] {
        frames(try ParleyProcess.readBytes(path))
    }

    static func littleEndian(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value
    }

    /// XORs the byte at `offset` with `mask`, in place (same inode).
    static func flipByte(at offset: Int, in path: String, mask: UInt8 = 0x01) throws {
        let fd = open(path, O_RDWR)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var byte: UInt8 = 0
        guard pread(fd, &byte, 1, off_t(offset)) == 1 else { throw POSIXError(.EIO) }
        byte ^= mask
        guard pwrite(fd, &byte, 1, off_t(offset)) == 1 else { throw POSIXError(.EIO) }
    }

    /// Truncates the file at `path` to `size` bytes, in place.
    static func truncate(_ path: String, to size: Int) throws {
        guard Glibc.truncate(path, off_t(size)) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Appends bytes to the file at `path`, in place.
    static func appendBytes(_ bytes: [UInt8], to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    /// What a file looks like: its bytes, inode, size and modification time (to the nanosecond).
    struct Snapshot: Equatable {
        var bytes: [UInt8]
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
    }

    /// Takes a snapshot of the file at `path`.
    static func snapshot(_ path: String) throws -> Snapshot {
        var info = stat()
        guard stat(path, &info) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return Snapshot(
            bytes: try ParleyProcess.readBytes(path), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedSeconds: info.st_mtim.tv_sec, modifiedNanoseconds: info.st_mtim.tv_nsec)
    }

    /// Whether some process holds an exclusive `flock` on the file at `path`, according to `/proc/locks`.
    /// Reading `/proc/locks` takes no lock itself, so the probe cannot disturb the writer it watches.
    /// - Returns: nil when `/proc/locks` cannot be read.
    static func exclusiveFlockHolder(of path: String, pid: Int32) -> Bool? {
        var info = stat()
        guard stat(path, &info) == 0, let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else {
            return nil
        }
        let inode = String(info.st_ino)
        for line in locks.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"
            guard fields.count >= 6, fields[1] == "FLOCK", fields[3] == "WRITE", fields[4] == Substring(String(pid))
            else { continue }
            if fields[5].split(separator: ":").last.map(String.init) == inode { return true }
        }
        return false
    }
}
