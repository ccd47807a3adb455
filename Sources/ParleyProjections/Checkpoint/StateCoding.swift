import ParleyEvents
import ParleyLog

/// Writes projection state for a checkpoint: varints (signed ones zig-zag), strings as a varint length
/// and UTF-8 bytes, optionals as a presence byte (0 or 1) and the value. docs/PROJECTIONS.md specifies
/// the layout this produces.
public struct StateWriter: Sendable {
    /// An empty writer.
    public init() {}

    /// What was written so far.
    public var bytes: [UInt8] = []

    /// A LEB128 varint.
    public mutating func unsigned(_ value: UInt64) { bytes.appendVarint(value) }
    /// A count or index (never negative) as a LEB128 varint.
    public mutating func unsigned(_ value: Int) { bytes.appendVarint(UInt64(truncatingIfNeeded: value)) }
    /// Zig-zag: 0, -1, 1, -2, … → 0, 1, 2, 3, …
    public mutating func signed(_ value: Int64) {
        bytes.appendVarint(ZigZag.encode(value))
    }
    /// A flag byte: 1 or 0.
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    /// One byte as it is (an enumeration's raw value).
    public mutating func byte(_ value: UInt8) { bytes.append(value) }
    /// A varint byte count, then the UTF-8 bytes.
    public mutating func string(_ value: String) {
        unsigned(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }
    /// A presence flag, then the value written by `write` when there is one.
    public mutating func optional<T>(_ value: T?, _ write: (inout StateWriter, T) -> Void) {
        guard let value else { return bool(false) }
        bool(true)
        write(&self, value)
    }
}

/// Reads what ``StateWriter`` wrote. Every read is checked; a malformed checkpoint throws, never traps.
public struct StateReader {
    var reader: ByteReader
    /// Largest count a checkpoint may announce for any list (guards allocations on damaged input).
    let maxCount: Int

    /// A reader of `bytes`.
    public init(_ bytes: ArraySlice<UInt8>) {
        reader = ByteReader(bytes)
        maxCount = bytes.count
    }

    /// Why a section was refused.
    public struct Malformed: Error, Sendable {
        /// What is wrong, for the warning that refuses the checkpoint.
        public var reason: String

        /// A refusal for `reason`.
        public init(reason: String) { self.reason = reason }
    }

    /// Whether every byte was read.
    public var isAtEnd: Bool { reader.isAtEnd }

    /// A LEB128 varint of at most 64 bits.
    public mutating func unsigned() throws(Malformed) -> UInt64 {
        guard let value = reader.readVarint() else { throw Malformed(reason: "cut short") }
        return value
    }
    /// A varint that fits in `Int` (63 bits).
    public mutating func int() throws(Malformed) -> Int {
        let value = try unsigned()
        guard value <= UInt64(Int.max) else { throw Malformed(reason: "integer out of range") }
        return Int(value)
    }
    /// A count of items that follow (each at least one byte long).
    public mutating func count() throws(Malformed) -> Int {
        let value = try int()
        guard value <= maxCount else { throw Malformed(reason: "count \(value) larger than the file") }
        return value
    }
    /// A zig-zag varint.
    public mutating func signed() throws(Malformed) -> Int64 {
        let raw = try unsigned()
        return ZigZag.decode(raw)
    }
    /// A flag byte: 0 or 1, anything else is malformed.
    public mutating func bool() throws(Malformed) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw Malformed(reason: "bad flag byte")
        }
    }
    /// One byte.
    public mutating func byte() throws(Malformed) -> UInt8 {
        guard let value = reader.readByte() else { throw Malformed(reason: "cut short") }
        return value
    }
    /// A string: its byte count is bounded like any count, and its bytes must be valid UTF-8.
    public mutating func string() throws(Malformed) -> String {
        let length = try count()
        guard let bytes = reader.readBytes(length) else { throw Malformed(reason: "cut short") }
        // Checked by our validator, then built on the contiguous fast path (the generic `String(validating:)`
        // costs a metadata lookup per call).
        guard UTF8Validation.isValid(bytes) else { throw Malformed(reason: "invalid UTF-8") }
        return bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }
    /// A presence flag, then the value `read` reads when there is one.
    public mutating func optional<T>(_ read: (inout StateReader) throws(Malformed) -> T) throws(Malformed) -> T? {
        try bool() ? try read(&self) : nil
    }
}

extension StateReader {
    /// A count that cannot exceed `events` (the events replayed): a section claiming more is damaged.
    /// - Parameter what: what is counted, for the error (`more WHAT than events replayed`).
    public mutating func count(atMost events: UInt64, _ what: String) throws(Malformed) -> Int {
        let value = try unsigned()
        guard value <= events else { throw Malformed(reason: "more \(what) than events replayed") }
        return Int(value)
    }
}
