import ParleyLog

/// Checkpoint files: a ``ProjectionState`` saved beside its log (`LOG.checkpoint`), so that commands
/// replay only the events after it. Layout (docs/PROJECTIONS.md, "Checkpoints"), little-endian:
///
///     offset   size
///      0        8   magic "PARLEYCP"
///      8        4   format version (u32) = 3
///     12        4   section count N (u32), 1 … 64
///     16       16   log id of the log it was built from
///     32       48   the position: last seq, frame first seq, offset, end, CRC, reserved, commit time
///     80     32×N   the section table: id, version, offset, length, CRC-32C, reserved (per section)
///     80+32N    4   reserved, 0
///     84+32N    4   CRC-32C of bytes 0 ..< 84 + 32N
///     88+32N        the sections, in table order, back to back to the end of the file
///
/// One section per projection (``Projection/section``) plus the engine's two (``engineSection``,
/// ``conversationsSection``), each with its own version and checksum: adding a projection adds a section,
/// not a format version. `kpi` checks and decodes only the sections it reads (the engine's and the KPI
/// projection's, written first); the others are read when events follow the checkpoint or a command
/// needs them (the conversations, the largest, are written last). A
/// checkpoint that does not match its log — other log id, a frame that is not there or not the same, a
/// checksum failure, another format or section version, a section missing or unknown — is refused with
/// the reason and never trusted.
public enum Checkpoint {
    /// The checkpoint file of the log at `logPath`.
    public static func path(for logPath: String) -> String { LogFiles(log: logPath).checkpoint }

    static let magic = Array("PARLEYCP".utf8)
    /// The format version this build reads and writes.
    public static let version: UInt32 = 3
    /// Bytes before the section table.
    static let fixedBytes = 80
    /// Bytes per section table entry.
    static let entryBytes = 32
    /// Most sections a checkpoint may have.
    static let maxSections = 64
    /// Largest checkpoint read (guards memory on a damaged file): 8 GiB.
    static let maxBytes = 8 << 30

    /// The engine's section: policies, anomalies, event times, what the replays read.
    public static let engineSection = CheckpointSection(id: 1, version: 2, name: "engine")
    /// The engine's conversations: their state, open episodes and SLA clocks.
    public static let conversationsSection = CheckpointSection(id: 2, version: 1, name: "conversations")

    /// Why a checkpoint was refused.
    public struct Problem: Error, Equatable, Sendable {
        public var reason: String
    }

    /// Where the header ends and the sections start, for `count` sections.
    static func headerBytes(sections count: Int) -> Int { fixedBytes + entryBytes * count + 8 }

    /// Saves `state` beside the log at `logPath` (atomically, durably).
    /// - Throws: ``LogError`` `.io`.
    public static func save(_ state: ProjectionState, logPath: String, logID: [UInt8]) throws(LogError) {
        // A state that applied a retroactive policy in log order measures some episodes wrongly: it is built
        // anew (``ProjectionState/build(path:limit:useCheckpoint:needsConversations:)`` does), never saved.
        precondition(
            !state.conversations.policyTimeline.metRetroactivePolicy,
            "a state with a retroactive SLA policy applied in log order is never saved as a checkpoint")
        try AtomicFile.write(encode(state, logID: logID), to: path(for: logPath))
    }

    /// The checkpoint file's bytes for `state` (whose sections must all be loaded).
    static func encode(_ state: ProjectionState, logID: [UInt8]) -> [UInt8] {
        let sections = state.encodeSections()
        let position = state.position
        var bytes = magic
        let start = headerBytes(sections: sections.count)
        bytes.reserveCapacity(start + sections.reduce(0) { $0 + $1.bytes.count })
        bytes.appendLittleEndian(version)
        bytes.appendLittleEndian(UInt32(sections.count))
        bytes.append(contentsOf: logID)
        bytes.appendLittleEndian(position.lastSeq)
        bytes.appendLittleEndian(position.frameFirstSeq)
        bytes.appendLittleEndian(UInt64(bitPattern: position.frameOffset))
        bytes.appendLittleEndian(UInt64(bitPattern: position.frameEnd))
        bytes.appendLittleEndian(position.frameCRC)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(UInt64(bitPattern: position.commitTime))
        var offset = UInt64(start)
        for (section, body) in sections {
            bytes.appendLittleEndian(section.id)
            bytes.appendLittleEndian(section.version)
            bytes.appendLittleEndian(offset)
            bytes.appendLittleEndian(UInt64(body.count))
            bytes.appendLittleEndian(CRC32C.checksum(body))
            bytes.appendLittleEndian(UInt32(0))
            offset += UInt64(body.count)
        }
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        for (_, body) in sections { bytes.append(contentsOf: body) }
        return bytes
    }

    /// Loads the checkpoint beside the log at `logPath`, checked for `logID`: header, table, and the
    /// sections `kpi` reads checked and decoded; the others kept for
    /// ``ProjectionState/loadDeferredSections()``.
    /// - Returns: `nil` when there is none.
    /// - Throws: ``Problem`` when there is one that cannot be trusted (its position is checked against
    ///   the log by ``ProjectionState/build(path:limit:useCheckpoint:needsConversations:)``, not here).
    static func load(for logPath: String, logID: [UInt8]) throws(Problem) -> ProjectionState? {
        do {
            guard let file = try FileSnapshot(path: path(for: logPath)) else { return nil }
            guard file.size <= Int64(maxBytes) else {
                throw Problem(reason: "checkpoint is \(file.size) bytes, more than the \(maxBytes) allowed")
            }
            return try decode(fileSize: file.size, logID: logID) { (offset, count) throws(Problem) in
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
        return try decode(fileSize: Int64(bytes.count), logID: logID) { (offset, count) throws(Problem) in
            let from = start + Int(min(offset, Int64(bytes.count)))
            return bytes[from..<from + min(count, bytes.endIndex - from)]
        }
    }

    /// Checks the header and the section table, and decodes the sections `kpi` reads; `read` (bytes at an
    /// offset, fewer at the end of the file) fetches the others later.
    static func decode(
        fileSize: Int64, logID: [UInt8], read: @escaping @Sendable (Int64, Int) throws(Problem) -> ArraySlice<UInt8>
    ) throws(Problem) -> ProjectionState {
        let fixed = try read(0, fixedBytes)
        let start = fixed.startIndex
        guard fixed.count == fixedBytes, Array(fixed[start..<start + 8]) == magic else {
            throw Problem(reason: "not a Parley checkpoint")
        }
        let version = fixed.loadLittleEndianUInt32(at: start + 8)
        guard version == Self.version else {
            throw Problem(reason: "checkpoint format version \(version), this build reads version \(Self.version)")
        }
        let count = fixed.loadLittleEndianUInt32(at: start + 12)
        guard count >= 1, count <= maxSections else {
            throw Problem(reason: "checkpoint has \(count) sections (1 to \(maxSections) allowed)")
        }
        let sectionsStart = headerBytes(sections: Int(count))
        guard fileSize >= Int64(sectionsStart) else {
            throw Problem(reason: "checkpoint is \(fileSize) bytes, its header alone needs \(sectionsStart)")
        }
        let table = try read(Int64(fixedBytes), sectionsStart - fixedBytes)
        guard table.count == sectionsStart - fixedBytes else { throw Problem(reason: "checkpoint cut short") }
        let checked = Array(fixed) + table.dropLast(4)
        guard CRC32C.checksum(checked) == table.loadLittleEndianUInt32(at: table.endIndex - 4) else {
            throw Problem(reason: "checkpoint header checksum mismatch (damaged)")
        }
        guard Array(fixed[start + 16..<start + 32]) == logID else {
            let other = fixed[start + 16..<start + 32].map { String(Int($0) + 0x100, radix: 16).dropFirst() }.joined()
            throw Problem(reason: "checkpoint belongs to another log (log id \(other))")
        }
        let position = try Self.position(fixed)
        let entries = try Self.entries(table, count: Int(count), sectionsStart: sectionsStart, fileSize: fileSize)
        return try ProjectionState.decode(position: position, sections: entries, read: read)
    }

    /// The position the header records, checked for consistency.
    private static func position(_ header: ArraySlice<UInt8>) throws(Problem) -> LogPosition {
        let start = header.startIndex
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
        return position
    }

    /// One entry of the section table.
    struct Entry: Sendable {
        var id: UInt32
        var version: UInt32
        var offset: Int64
        var length: Int
        var checksum: UInt32
    }

    /// The section table, checked: ids unique, sections back to back in table order from the end of the
    /// header to the end of the file.
    private static func entries(_ table: ArraySlice<UInt8>, count: Int, sectionsStart: Int, fileSize: Int64)
        throws(Problem) -> [Entry]
    {
        var entries: [Entry] = []
        var expected = UInt64(sectionsStart)
        for index in 0..<count {
            let at = table.startIndex + index * entryBytes
            let id = table.loadLittleEndianUInt32(at: at)
            let offset = table.loadLittleEndianUInt64(at: at + 8)
            let length = table.loadLittleEndianUInt64(at: at + 16)
            guard !entries.contains(where: { $0.id == id }) else {
                throw Problem(reason: "checkpoint section \(id) twice")
            }
            guard offset == expected, length <= UInt64(fileSize) - offset else {
                throw Problem(
                    reason: "checkpoint section \(id) at \(offset), \(length) bytes: not where the table says "
                        + "(\(expected), within the file's \(fileSize) bytes)")
            }
            entries.append(
                Entry(
                    id: id, version: table.loadLittleEndianUInt32(at: at + 4), offset: Int64(offset),
                    length: Int(length), checksum: table.loadLittleEndianUInt32(at: at + 24)))
            expected = offset + length
        }
        guard expected == UInt64(fileSize) else {
            throw Problem(reason: "checkpoint is \(fileSize) bytes, its sections end at \(expected)")
        }
        return entries
    }
}
