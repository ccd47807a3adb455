import ParleyLog

/// Checkpoint files: a ``ProjectionState`` saved beside its log (`LOG.checkpoint`), so that commands
/// replay only the events after it. Layout (docs/PROJECTIONS.md, "Checkpoints"), little-endian:
///
///     offset size
///      0      8   magic "PARLEYCP"
///      8      4   format version (u32) = 1
///     12      4   reserved, 0
///     16     16   log id of the log it was built from
///     32      8   seq of the last record of the frame it reaches (u64)
///     40      8   seq of that frame's first record (u64)
///     48      8   offset of that frame (u64)
///     56      8   offset just after it (u64)
///     64      4   the CRC-32C stored in that frame (u32)
///     68      4   reserved, 0
///     72      8   that frame's commit time (i64, ns)
///     80      8   body length B (u64)
///     88      B   body: the state
///     88+B    4   CRC-32C of bytes 0 ..< 88+B
///
/// A checkpoint that does not match its log — other log id, a frame that is not there or not the same,
/// a checksum failure, another format version — is refused with the reason and never trusted.
public enum Checkpoint {
    /// The checkpoint file of the log at `logPath`.
    public static func path(for logPath: String) -> String { logPath + ".checkpoint" }

    static let magic = Array("PARLEYCP".utf8)
    /// The format version this build reads and writes.
    public static let version: UInt32 = 1
    static let headerBytes = 88
    /// Largest checkpoint read (guards memory on a damaged file): 4 GiB.
    static let maxBytes = 4 << 30

    /// Why a checkpoint was refused.
    public struct Problem: Error, Equatable, Sendable {
        public var reason: String
    }

    /// Saves `state` beside the log at `logPath` (atomically, durably).
    /// - Throws: ``LogError`` `.io`.
    public static func save(_ state: ProjectionState, logPath: String, logID: [UInt8]) throws(LogError) {
        try AtomicFile.write(encode(state, logID: logID), to: path(for: logPath))
    }

    /// The checkpoint file's bytes for `state`.
    static func encode(_ state: ProjectionState, logID: [UInt8]) -> [UInt8] {
        let body = state.encodeBody()
        let position = state.position
        var bytes = magic
        bytes.reserveCapacity(headerBytes + body.count + 4)
        bytes.appendLittleEndian(version)
        bytes.appendLittleEndian(UInt32(0))
        bytes.append(contentsOf: logID)
        bytes.appendLittleEndian(position.lastSeq)
        bytes.appendLittleEndian(position.frameFirstSeq)
        bytes.appendLittleEndian(UInt64(bitPattern: position.frameOffset))
        bytes.appendLittleEndian(UInt64(bitPattern: position.frameEnd))
        bytes.appendLittleEndian(position.frameCRC)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(UInt64(bitPattern: position.commitTime))
        bytes.appendLittleEndian(UInt64(body.count))
        bytes.append(contentsOf: body)
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        return bytes
    }

    /// Loads the checkpoint beside the log at `logPath`, checked for `logID`.
    /// - Returns: `nil` when there is none.
    /// - Throws: ``Problem`` when there is one that cannot be trusted (its position is checked against
    ///   the log by ``ProjectionState/build(path:limit:useCheckpoint:)``, not here).
    static func load(for logPath: String, logID: [UInt8]) throws(Problem) -> ProjectionState? {
        let bytes: [UInt8]
        do {
            guard let read = try AtomicFile.read(path(for: logPath), maxBytes: maxBytes) else { return nil }
            bytes = read
        } catch {
            throw Problem(reason: error.description)
        }
        return try decode(bytes[...], logID: logID)
    }

    /// Reads a checkpoint file's bytes, for the log `logID`.
    static func decode(_ bytes: ArraySlice<UInt8>, logID: [UInt8]) throws(Problem) -> ProjectionState {
        let start = bytes.startIndex
        guard bytes.count >= headerBytes + 4, Array(bytes[start..<start + 8]) == magic else {
            throw Problem(reason: "not a Parley checkpoint")
        }
        let version = bytes.loadLittleEndianUInt32(at: start + 8)
        guard version == Self.version else {
            throw Problem(reason: "checkpoint format version \(version), this build writes version \(Self.version)")
        }
        let bodyLength = bytes.loadLittleEndianUInt64(at: start + 80)
        guard bodyLength == UInt64(bytes.count - headerBytes - 4) else {
            throw Problem(reason: "checkpoint is \(bytes.count) bytes, its header says \(bodyLength) of state")
        }
        let stored = bytes.loadLittleEndianUInt32(at: bytes.endIndex - 4)
        guard CRC32C.checksum(bytes[start..<bytes.endIndex - 4]) == stored else {
            throw Problem(reason: "checkpoint checksum mismatch (damaged)")
        }
        guard Array(bytes[start + 16..<start + 32]) == logID else {
            let other = bytes[start + 16..<start + 32].map { String(Int($0) + 0x100, radix: 16).dropFirst() }.joined()
            throw Problem(reason: "checkpoint belongs to another log (log id \(other))")
        }
        var position = LogPosition()
        position.lastSeq = bytes.loadLittleEndianUInt64(at: start + 32)
        position.frameFirstSeq = bytes.loadLittleEndianUInt64(at: start + 40)
        position.frameOffset = Int64(bitPattern: bytes.loadLittleEndianUInt64(at: start + 48))
        position.frameEnd = Int64(bitPattern: bytes.loadLittleEndianUInt64(at: start + 56))
        position.frameCRC = bytes.loadLittleEndianUInt32(at: start + 64)
        position.commitTime = Int64(bitPattern: bytes.loadLittleEndianUInt64(at: start + 72))
        let header = Int64(LogFormat.fileHeaderBytes)
        let consistent =
            position.lastSeq == 0
            ? position.frameOffset == 0 && position.frameEnd == header
            : position.frameFirstSeq >= 1 && position.frameFirstSeq <= position.lastSeq
                && position.frameOffset >= header && position.frameEnd > position.frameOffset
        guard consistent else { throw Problem(reason: "checkpoint position is inconsistent") }
        do {
            return try ProjectionState.decodeBody(bytes[start + headerBytes..<bytes.endIndex - 4], position: position)
        } catch {
            throw Problem(reason: "checkpoint state is malformed (\(error.reason))")
        }
    }
}
