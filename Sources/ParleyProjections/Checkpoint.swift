import ParleyLog

/// Checkpoint files: a ``ProjectionState`` saved beside its log (`LOG.checkpoint`), so that commands
/// replay only the events after it. Layout (docs/PROJECTIONS.md, "Checkpoints"), little-endian:
///
///     offset size
///      0      8   magic "PARLEYCP"
///      8      4   format version (u32) = 2
///     12      4   reserved, 0
///     16     16   log id of the log it was built from
///     32      8   seq of the last record of the frame it reaches (u64)
///     40      8   seq of that frame's first record (u64)
///     48      8   offset of that frame (u64)
///     56      8   offset just after it (u64)
///     64      4   the CRC-32C stored in that frame (u32)
///     68      4   reserved, 0
///     72      8   that frame's commit time (i64, ns)
///     80      8   length R of the reports section (u64)
///     88      4   CRC-32C of the reports section (u32)
///     92      4   reserved, 0
///     96      8   length C of the conversations section (u64)
///    104      4   CRC-32C of the conversations section (u32)
///    108     16   reserved, 0
///    124      4   CRC-32C of bytes 0 ..< 124
///    128      R   reports section
///    128+R    C   conversations section
///
/// Two sections, each with its own checksum, so that `kpi` checks and decodes only what it reads: the
/// conversations are needed only to apply further events, and by `queue` and `sla`. A checkpoint that
/// does not match its log — other log id, a frame that is not there or not the same, a checksum failure,
/// another format version — is refused with the reason and never trusted.
public enum Checkpoint {
    /// The checkpoint file of the log at `logPath`.
    public static func path(for logPath: String) -> String { LogFiles(log: logPath).checkpoint }

    static let magic = Array("PARLEYCP".utf8)
    /// The format version this build reads and writes.
    public static let version: UInt32 = 2
    static let headerBytes = 128
    /// Largest checkpoint read (guards memory on a damaged file): 8 GiB.
    static let maxBytes = 8 << 30

    /// Why a checkpoint was refused.
    public struct Problem: Error, Equatable, Sendable {
        public var reason: String
    }

    /// Saves `state` beside the log at `logPath` (atomically, durably).
    /// - Throws: ``LogError`` `.io`.
    public static func save(_ state: ProjectionState, logPath: String, logID: [UInt8]) throws(LogError) {
        try AtomicFile.write(encode(state, logID: logID), to: path(for: logPath))
    }

    /// The checkpoint file's bytes for `state` (whose conversations must be loaded).
    static func encode(_ state: ProjectionState, logID: [UInt8]) -> [UInt8] {
        precondition(state.deferred == nil, "a state with unloaded conversations cannot be saved")
        let reports = state.encodeReports()
        let conversations = state.encodeConversations()
        let position = state.position
        var bytes = magic
        bytes.reserveCapacity(headerBytes + reports.count + conversations.count)
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
        bytes.appendLittleEndian(UInt64(reports.count))
        bytes.appendLittleEndian(CRC32C.checksum(reports))
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(UInt64(conversations.count))
        bytes.appendLittleEndian(CRC32C.checksum(conversations))
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 16))
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        bytes.append(contentsOf: reports)
        bytes.append(contentsOf: conversations)
        return bytes
    }

    /// Loads the checkpoint beside the log at `logPath`, checked for `logID`: header and reports section
    /// checked and decoded, the conversations section kept for ``ProjectionState/loadConversations()``.
    /// - Returns: `nil` when there is none.
    /// - Throws: ``Problem`` when there is one that cannot be trusted (its position is checked against
    ///   the log by ``ProjectionState/build(path:limit:useCheckpoint:needsConversations:)``, not here).
    static func load(for logPath: String, logID: [UInt8]) throws(Problem) -> ProjectionState? {
        do {
            guard let file = try FileSnapshot(path: path(for: logPath)) else { return nil }
            guard file.size <= Int64(maxBytes) else {
                throw Problem(reason: "checkpoint is \(file.size) bytes, more than the \(maxBytes) allowed")
            }
            // The header and the reports section now; the conversations section when it is needed.
            let header = try file.read(at: 0, count: headerBytes)
            let reportsLength = header.count == headerBytes ? header[...].loadLittleEndianUInt64(at: 80) : 0
            guard reportsLength <= UInt64(file.size) else {
                throw Problem(reason: "checkpoint is \(file.size) bytes, its header says \(reportsLength) of reports")
            }
            let reports = try file.read(at: Int64(headerBytes), count: Int(reportsLength))
            return try decode(header[...], reports: reports[...], fileSize: file.size, logID: logID) {
                (offset, count) throws(Problem) in
                do {
                    return try file.read(at: offset, count: count)[...]
                } catch {
                    throw Problem(reason: "\(error)")
                }
            }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(reason: "\(error)")
        }
    }

    /// Reads a whole checkpoint file's bytes, for the log `logID` (tests).
    static func decode(_ bytes: ArraySlice<UInt8>, logID: [UInt8]) throws(Problem) -> ProjectionState {
        let start = bytes.startIndex
        let header = bytes.prefix(headerBytes)
        let reportsLength = header.count == headerBytes ? header.loadLittleEndianUInt64(at: start + 80) : 0
        let reportsEnd = start + headerBytes + Int(min(reportsLength, UInt64(max(0, bytes.count - headerBytes))))
        let reports = bytes[min(start + headerBytes, bytes.endIndex)..<min(reportsEnd, bytes.endIndex)]
        return try decode(header, reports: reports, fileSize: Int64(bytes.count), logID: logID) {
            (offset, count) throws(Problem) in
            let from = start + Int(offset)
            return bytes[from..<min(from + count, bytes.endIndex)]
        }
    }

    /// Checks the header and decodes the reports section; `read` fetches the conversations section later.
    static func decode(
        _ header: ArraySlice<UInt8>, reports: ArraySlice<UInt8>, fileSize: Int64, logID: [UInt8],
        read: @escaping @Sendable (Int64, Int) throws(Problem) -> ArraySlice<UInt8>
    ) throws(Problem) -> ProjectionState {
        let start = header.startIndex
        guard header.count >= headerBytes, Array(header[start..<start + 8]) == magic else {
            throw Problem(reason: "not a Parley checkpoint")
        }
        let version = header.loadLittleEndianUInt32(at: start + 8)
        guard version == Self.version else {
            throw Problem(reason: "checkpoint format version \(version), this build reads version \(Self.version)")
        }
        guard CRC32C.checksum(header[start..<start + 124]) == header.loadLittleEndianUInt32(at: start + 124) else {
            throw Problem(reason: "checkpoint header checksum mismatch (damaged)")
        }
        let reportsLength = header.loadLittleEndianUInt64(at: start + 80)
        let conversationsLength = header.loadLittleEndianUInt64(at: start + 96)
        let available = UInt64(max(0, fileSize - Int64(headerBytes)))
        guard reportsLength <= available, conversationsLength == available - reportsLength,
            reports.count == Int(reportsLength)
        else {
            throw Problem(
                reason:
                    "checkpoint is \(fileSize) bytes, its header says \(reportsLength) + \(conversationsLength) of state"
            )
        }
        guard Array(header[start + 16..<start + 32]) == logID else {
            let other = header[start + 16..<start + 32].map { String(Int($0) + 0x100, radix: 16).dropFirst() }.joined()
            throw Problem(reason: "checkpoint belongs to another log (log id \(other))")
        }
        var position = LogPosition()
        position.lastSeq = header.loadLittleEndianUInt64(at: start + 32)
        position.frameFirstSeq = header.loadLittleEndianUInt64(at: start + 40)
        position.frameOffset = Int64(bitPattern: header.loadLittleEndianUInt64(at: start + 48))
        position.frameEnd = Int64(bitPattern: header.loadLittleEndianUInt64(at: start + 56))
        position.frameCRC = header.loadLittleEndianUInt32(at: start + 64)
        position.commitTime = Int64(bitPattern: header.loadLittleEndianUInt64(at: start + 72))
        let logHeader = Int64(LogFormat.fileHeaderBytes)
        let consistent =
            position.lastSeq == 0
            ? position.frameOffset == 0 && position.frameEnd == logHeader
            : position.frameFirstSeq >= 1 && position.frameFirstSeq <= position.lastSeq
                && position.frameOffset >= logHeader && position.frameEnd > position.frameOffset
        guard consistent else { throw Problem(reason: "checkpoint position is inconsistent") }
        guard CRC32C.checksum(reports) == header.loadLittleEndianUInt32(at: start + 88) else {
            throw Problem(reason: "checkpoint checksum mismatch in the reports section (damaged)")
        }
        var state: ProjectionState
        do {
            state = try ProjectionState.decodeReports(reports, position: position)
        } catch {
            throw Problem(reason: "checkpoint state is malformed (\(error.reason))")
        }
        let offset = Int64(headerBytes) + Int64(reportsLength)
        let count = Int(conversationsLength)
        state.deferred = ProjectionState.Deferred(
            checksum: header.loadLittleEndianUInt32(at: start + 104),
            read: { () throws(Problem) in try read(offset, count) })
        return state
    }
}
