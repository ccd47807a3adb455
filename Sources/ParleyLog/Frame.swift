/// One frame as read from the log: an atomically appended batch of event records.
///
/// ```
/// offset size field
///  0      4   CRC-32C of bytes 4..<length (u32 LE)
///  4      4   length of the whole frame, this header included (u32 LE)
///  8      8   salt, equal to the file header's (u64 LE)
/// 16      8   sequence number of the first event (u64 LE)
/// 24      4   event count, at least 1 (u32 LE)
/// 28      8   commit time, ns since the Unix epoch (i64 LE)
/// 36      …   `count` records, each a u32 LE length then that many bytes
/// ```
public struct Frame: Sendable {
    /// Byte offset of the frame in the file.
    public var offset: Int64
    /// Length of the whole frame in bytes.
    public var length: Int
    /// Sequence number of the first event.
    public var firstSeq: UInt64
    /// Number of events (records).
    public var count: Int
    /// Commit time (writer's clock), ns since the Unix epoch.
    public var commitTime: Int64
    /// The records area: `count` length-prefixed records. Shares the reader's buffer; copy it to keep it.
    public var payload: ArraySlice<UInt8>
    /// The whole frame exactly as stored, header included (what `tail --format binary` writes).
    public var bytes: ArraySlice<UInt8>

    /// Sequence number of the last event.
    public var lastSeq: UInt64 { firstSeq + UInt64(count) - 1 }

    /// Offset just after the frame.
    public var endOffset: Int64 { offset + Int64(length) }

    /// The event records, in order, without their length prefixes.
    public var records: Records { Records(payload: payload) }

    /// The records of a frame; the reader checked that they tile the payload exactly.
    public struct Records: Sequence, Sendable {
        let payload: ArraySlice<UInt8>

        public func makeIterator() -> Iterator { Iterator(payload: payload, index: payload.startIndex) }

        public struct Iterator: IteratorProtocol {
            let payload: ArraySlice<UInt8>
            var index: Int

            public mutating func next() -> ArraySlice<UInt8>? {
                guard payload.endIndex - index >= LogFormat.recordPrefixBytes else { return nil }
                let length = Int(payload.loadLittleEndianUInt32(at: index))
                let start = index + LogFormat.recordPrefixBytes
                guard length <= payload.endIndex - start else { return nil }
                index = start + length
                return payload[start..<index]
            }
        }
    }
}

/// Why a frame is not acceptable at the place it was read.
public enum FrameFault: Equatable, Sendable, CustomStringConvertible {
    /// The length field is below the header size, above the maximum, or the count is 0 or impossible.
    case badLength(UInt32)
    /// The stored checksum does not match the bytes.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// A checksum-valid frame whose salt is not this log's: it belongs to another log.
    case saltMismatch(found: UInt64)
    /// A checksum-valid frame of this log whose first sequence number is not the next one
    /// (a duplicated or stale frame when lower, a gap when higher).
    case sequenceMismatch(expected: UInt64, found: UInt64)
    /// The records do not tile the payload or their number does not match the count.
    case badRecords(String)

    public var description: String {
        switch self {
        case .badLength(let length): "implausible frame length \(length) or event count"
        case .checksumMismatch(let stored, let computed):
            "checksum mismatch (stored \(hex32(stored)), computed \(hex32(computed)))"
        case .saltMismatch(let found):
            "frame of another log (salt 0x\(String(found, radix: 16)) is not this log's)"
        case .sequenceMismatch(let expected, let found):
            found < expected
                ? "stale or duplicated frame: starts at seq \(found), expected \(expected)"
                : "sequence gap: frame starts at seq \(found), expected \(expected)"
        case .badRecords(let reason): "malformed records: \(reason)"
        }
    }
}

/// Outcome of checking the bytes at a frame position.
enum FrameCheck {
    case valid(Frame)
    /// Fewer bytes than the frame needs are in the file (`needed` when the length field was readable).
    case incomplete(needed: Int?)
    case invalid(FrameFault)
}

/// Pure functions that check one frame's bytes. No I/O: the reader and the scanner feed them.
enum FrameValidator {
    /// Checks the frame whose first byte is `bytes.startIndex`.
    /// - Parameters:
    ///   - bytes: the bytes from the frame start to at least the frame end (or the end of file).
    ///   - offset: the frame's file offset.
    ///   - salt: this log's salt.
    ///   - expectedSeq: the sequence number the frame must start at, or nil to accept any.
    ///   - verifyChecksum: false skips the CRC (the writer's open-time walk does, except for the last frame).
    static func check(
        _ bytes: ArraySlice<UInt8>, offset: Int64, salt: UInt64, expectedSeq: UInt64?, verifyChecksum: Bool = true
    ) -> FrameCheck {
        let base = bytes.startIndex
        guard bytes.count >= 8 else { return .incomplete(needed: nil) }
        let length = bytes.loadLittleEndianUInt32(at: base + 4)
        guard length >= LogFormat.frameHeaderBytes + LogFormat.recordPrefixBytes, length <= LogFormat.maxFrameBytes
        else {
            return .invalid(.badLength(length))
        }
        guard bytes.count >= Int(length) else { return .incomplete(needed: Int(length)) }
        let frameBytes = bytes[base..<(base + Int(length))]
        if verifyChecksum {
            let stored = frameBytes.loadLittleEndianUInt32(at: base)
            let computed = CRC32C.checksum(frameBytes[(base + 4)...])
            guard stored == computed else { return .invalid(.checksumMismatch(stored: stored, computed: computed)) }
        }
        let frameSalt = frameBytes.loadLittleEndianUInt64(at: base + 8)
        guard frameSalt == salt else { return .invalid(.saltMismatch(found: frameSalt)) }
        let firstSeq = frameBytes.loadLittleEndianUInt64(at: base + 16)
        if let expectedSeq, firstSeq != expectedSeq {
            return .invalid(.sequenceMismatch(expected: expectedSeq, found: firstSeq))
        }
        let count = Int(frameBytes.loadLittleEndianUInt32(at: base + 24))
        let payload = frameBytes[(base + LogFormat.frameHeaderBytes)...]
        guard count >= 1, count <= payload.count / LogFormat.recordPrefixBytes else {
            return .invalid(.badRecords("event count \(count) does not fit a \(payload.count)-byte payload"))
        }
        guard firstSeq >= 1, firstSeq <= UInt64.max - UInt64(count) else {
            return .invalid(.badRecords("first sequence number \(firstSeq) out of range"))
        }
        // The records must tile the payload exactly.
        var index = payload.startIndex
        var records = 0
        while index < payload.endIndex {
            guard payload.endIndex - index >= LogFormat.recordPrefixBytes else {
                return .invalid(.badRecords("a record length prefix is cut by the end of the frame"))
            }
            let recordLength = Int(payload.loadLittleEndianUInt32(at: index))
            index += LogFormat.recordPrefixBytes
            guard recordLength <= payload.endIndex - index else {
                return .invalid(.badRecords("record \(records + 1) runs past the end of the frame"))
            }
            index += recordLength
            records += 1
        }
        guard records == count else {
            return .invalid(.badRecords("the header says \(count) events, the payload holds \(records)"))
        }
        let commitTime = Int64(bitPattern: frameBytes.loadLittleEndianUInt64(at: base + 28))
        return .valid(
            Frame(
                offset: offset, length: Int(length), firstSeq: firstSeq, count: count, commitTime: commitTime,
                payload: payload, bytes: frameBytes))
    }
}
