/// Event records being gathered for one append: one frame in the making.
///
/// Encode events straight into the batch with ``appendRecord(_:)`` and hand it to
/// ``LogWriter/append(_:)``, which fills in the frame header in place and writes the frame with one
/// system call. Reuse one batch with ``removeAll()`` to avoid reallocating.
public struct LogBatch: Sendable {
    /// The frame: ``LogFormat/frameHeaderBytes`` bytes reserved for the header, then the records,
    /// each a u32 LE length followed by its bytes.
    var frame: [UInt8]
    /// Number of records.
    public private(set) var count = 0
    /// Offset in `frame` of the last record's length prefix (-1 when unknown).
    private var lastRecordStart = -1

    /// Creates an empty batch.
    /// - Parameter capacity: bytes to reserve.
    public init(reservingCapacity capacity: Int = 0) {
        frame = [UInt8](repeating: 0, count: LogFormat.frameHeaderBytes)
        frame.reserveCapacity(max(capacity, LogFormat.frameHeaderBytes))
    }

    /// Size of the frame this batch would be written as, header included.
    public var frameBytes: Int { frame.count }

    /// The records area (without the frame header).
    public var payload: ArraySlice<UInt8> { frame[LogFormat.frameHeaderBytes...] }

    /// Whether the batch holds no records.
    public var isEmpty: Bool { count == 0 }

    /// Appends one record whose bytes `encode` appends to the buffer it is given.
    /// If `encode` throws, the batch is left as it was.
    /// - Parameter encode: appends the record's bytes (and nothing else) to the buffer.
    public mutating func appendRecord<E: Error>(_ encode: (inout [UInt8]) throws(E) -> Void) throws(E) {
        let start = frame.count
        frame.append(contentsOf: [0, 0, 0, 0] as [UInt8])
        do {
            try encode(&frame)
        } catch {
            frame.removeSubrange(start...)
            throw error
        }
        frame.storeLittleEndian(UInt32(frame.count - start - LogFormat.recordPrefixBytes), at: start)
        count += 1
        lastRecordStart = start
    }

    /// Appends one record holding `bytes`.
    public mutating func appendRecord(bytes: some Collection<UInt8>) {
        appendRecord { (buffer: inout [UInt8]) in buffer.append(contentsOf: bytes) }
    }

    /// Removes the record appended last and returns its bytes (used to carry a record that pushed the
    /// batch past the frame size limit over to the next batch). Only one record can be removed.
    public mutating func removeLastRecord() -> [UInt8] {
        precondition(lastRecordStart >= 0, "only the record appended last can be removed, once")
        let record = Array(frame[(lastRecordStart + LogFormat.recordPrefixBytes)...])
        frame.removeSubrange(lastRecordStart...)
        count -= 1
        lastRecordStart = -1
        return record
    }

    /// Calls `body` with each record's bytes, in order.
    public func forEachRecord(_ body: (ArraySlice<UInt8>) throws -> Void) rethrows {
        var offset = LogFormat.frameHeaderBytes
        while offset < frame.count {
            let length = Int(frame[...].loadLittleEndianUInt32(at: offset))
            let start = offset + LogFormat.recordPrefixBytes
            try body(frame[start..<(start + length)])
            offset = start + length
        }
    }

    /// Removes the records from the `index`-th on (0-based) and returns their bytes, in order (to carry an
    /// event and what was written with it over to the next batch).
    public mutating func removeRecords(from index: Int) -> [[UInt8]] {
        precondition(index >= 0 && index <= count, "no record \(index) in a batch of \(count)")
        var offset = LogFormat.frameHeaderBytes
        for _ in 0..<index {
            offset += LogFormat.recordPrefixBytes + Int(frame[...].loadLittleEndianUInt32(at: offset))
        }
        let cut = offset
        var removed: [[UInt8]] = []
        while offset < frame.count {
            let length = Int(frame[...].loadLittleEndianUInt32(at: offset))
            let start = offset + LogFormat.recordPrefixBytes
            removed.append(Array(frame[start..<(start + length)]))
            offset = start + length
        }
        frame.removeSubrange(cut...)
        count = index
        lastRecordStart = -1
        return removed
    }

    /// Removes every record, keeping the capacity.
    public mutating func removeAll() {
        frame.removeSubrange(LogFormat.frameHeaderBytes...)
        count = 0
        lastRecordStart = -1
    }

    /// Fills in the frame header; the checksum goes in last, over everything after it.
    mutating func seal(salt: UInt64, firstSeq: UInt64, commitTime: Int64) {
        var header: [UInt8] = []
        header.reserveCapacity(LogFormat.frameHeaderBytes)
        header.appendLittleEndian(UInt32(0))
        header.appendLittleEndian(UInt32(frame.count))
        header.appendLittleEndian(salt)
        header.appendLittleEndian(firstSeq)
        header.appendLittleEndian(UInt32(count))
        header.appendLittleEndian(UInt64(bitPattern: commitTime))
        frame.replaceSubrange(0..<LogFormat.frameHeaderBytes, with: header)
        frame.storeLittleEndian(CRC32C.checksum(frame[4...]), at: 0)
    }
}
