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

    // MARK: Writing frames by hand (docs/FORMAT.md)

    /// CRC-32C (Castagnoli), bit by bit: slow and obviously right.
    static func crc32c(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0x82F6_3B78 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    static func appendLittleEndian(_ value: UInt64, size: Int, to out: inout [UInt8]) {
        for index in 0..<size { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    /// The salt of a log, from its file header.
    static func salt(_ bytes: [UInt8]) -> UInt64 { littleEndian(bytes, at: 32, size: 8) }

    /// An event record: the 12-byte prefix (type, schema version, at, offset) and `body`.
    static func record(type: UInt8, schemaVersion: UInt8 = 1, at: Int64, body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [type, schemaVersion]
        appendLittleEndian(UInt64(bitPattern: at), size: 8, to: &out)
        appendLittleEndian(0, size: 2, to: &out)
        return out + body
    }

    /// A checksum-valid frame holding `records`.
    static func frame(salt: UInt64, firstSeq: UInt64, commitTime: Int64, records: [[UInt8]]) -> [UInt8] {
        var body: [UInt8] = []
        appendLittleEndian(salt, size: 8, to: &body)
        appendLittleEndian(firstSeq, size: 8, to: &body)
        appendLittleEndian(UInt64(records.count), size: 4, to: &body)
        appendLittleEndian(UInt64(bitPattern: commitTime), size: 8, to: &body)
        for record in records {
            appendLittleEndian(UInt64(record.count), size: 4, to: &body)
            body += record
        }
        var lengthAndBody: [UInt8] = []
        appendLittleEndian(UInt64(body.count + 8), size: 4, to: &lengthAndBody)
        lengthAndBody += body
        var frame: [UInt8] = []
        appendLittleEndian(UInt64(crc32c(lengthAndBody)), size: 4, to: &frame)
        return frame + lengthAndBody
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
