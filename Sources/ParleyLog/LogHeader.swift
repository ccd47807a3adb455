/// The 64-byte file header: identifies the file as a Parley log and carries the log's identity.
///
/// ```
/// offset size field
///  0      8   magic "PARLEYLG"
///  8      2   format version (u16 LE) = 1
/// 10      2   header size (u16 LE) = 64
/// 12      4   flags (u32 LE) = 0
/// 16     16   log id (random)
/// 32      8   salt (u64 LE, random); repeated in every frame
/// 40      8   created at (i64 LE, ns since the Unix epoch)
/// 48     12   reserved, zero
/// 60      4   CRC-32C of bytes 0..<60 (u32 LE)
/// ```
public struct LogHeader: Equatable, Sendable {
    /// Random identity of the log; checkpoints and cursors record it to detect a different log.
    public var logID: [UInt8]
    /// Random value every frame repeats: frames of another log (or garbage) do not carry it.
    public var salt: UInt64
    /// When the log was created, in nanoseconds since the Unix epoch.
    public var createdAt: Int64

    /// Creates a header.
    /// - Parameters:
    ///   - logID: exactly 16 bytes.
    ///   - salt: the frame salt.
    ///   - createdAt: creation time in ns since the epoch.
    public init(logID: [UInt8], salt: UInt64, createdAt: Int64) {
        precondition(logID.count == 16, "a log id has 16 bytes")
        self.logID = logID
        self.salt = salt
        self.createdAt = createdAt
    }

    /// The log id as 32 lowercase hex digits.
    public var logIDHex: String { Self.hex(logID) }

    /// Bytes as lowercase hex digits.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    /// The 64 header bytes.
    public func encoded() -> [UInt8] {
        var bytes = LogFormat.magic
        bytes.reserveCapacity(LogFormat.fileHeaderBytes)
        bytes.appendLittleEndian(LogFormat.version)
        bytes.appendLittleEndian(UInt16(LogFormat.fileHeaderBytes))
        bytes.appendLittleEndian(UInt32(0))
        bytes.append(contentsOf: logID)
        bytes.appendLittleEndian(salt)
        bytes.appendLittleEndian(UInt64(bitPattern: createdAt))
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 12))
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        return bytes
    }

    /// Decodes and checks a file header.
    /// - Parameters:
    ///   - bytes: the first bytes of the file (fewer than 64 means the header is truncated).
    ///   - path: the file, for error messages.
    /// - Throws: ``LogError`` `.notALog`, `.unsupportedVersion` or `.corruptHeader`.
    public static func decode(_ bytes: ArraySlice<UInt8>, path: String? = nil) throws(LogError) -> LogHeader {
        guard bytes.count >= LogFormat.magic.count, bytes.prefix(LogFormat.magic.count).elementsEqual(LogFormat.magic)
        else {
            if bytes.isEmpty {
                throw LogError(.corruptHeader, reason: "the file is empty: no file header", path: path, offset: 0)
            }
            if LogFormat.magic.starts(with: bytes) {
                throw LogError(
                    .corruptHeader,
                    reason: "file header truncated: \(bytes.count) of \(LogFormat.fileHeaderBytes) bytes",
                    path: path, offset: 0)
            }
            throw LogError(
                .notALog, reason: "not a Parley log (the file does not start with \"PARLEYLG\")", path: path, offset: 0)
        }
        guard bytes.count >= LogFormat.fileHeaderBytes else {
            throw LogError(
                .corruptHeader, reason: "file header truncated: \(bytes.count) of \(LogFormat.fileHeaderBytes) bytes",
                path: path, offset: 0)
        }
        var reader = ByteReader(bytes.prefix(LogFormat.fileHeaderBytes))
        _ = reader.readBytes(8)
        let version = reader.readUInt16()!
        let size = reader.readUInt16()!
        let flags = reader.readUInt32()!
        let logID = Array(reader.readBytes(16)!)
        let salt = reader.readUInt64()!
        let created = Int64(bitPattern: reader.readUInt64()!)
        _ = reader.readBytes(12)
        let stored = reader.readUInt32()!
        let computed = CRC32C.checksum(bytes.prefix(60))
        guard stored == computed else {
            throw LogError(
                .corruptHeader,
                reason: "file header checksum mismatch (stored \(hex32(stored)), computed \(hex32(computed)))",
                path: path, offset: 60)
        }
        guard version == LogFormat.version else {
            throw LogError(
                .unsupportedVersion,
                reason: "format version \(version) is not supported (this build reads version \(LogFormat.version))",
                path: path, offset: 8)
        }
        guard size == UInt16(LogFormat.fileHeaderBytes), flags == 0 else {
            throw LogError(
                .corruptHeader, reason: "unexpected header size \(size) or flags \(flags)", path: path, offset: 10)
        }
        return LogHeader(logID: logID, salt: salt, createdAt: created)
    }
}

/// `0x1a2b3c4d`.
func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
