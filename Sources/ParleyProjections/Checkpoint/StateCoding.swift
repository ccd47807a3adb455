import ParleyEvents
import ParleyLog

/// Writes projection state for a checkpoint: varints (signed ones zig-zag), strings as a varint length
/// and UTF-8 bytes, optionals as a presence byte (0 or 1) and the value. docs/PROJECTIONS.md specifies
/// the layout this produces.
public struct StateWriter: Sendable {
    public init() {}

    /// What was written so far.
    public var bytes: [UInt8] = []

    public mutating func unsigned(_ value: UInt64) { bytes.appendVarint(value) }
    public mutating func unsigned(_ value: Int) { bytes.appendVarint(UInt64(truncatingIfNeeded: value)) }
    /// Zig-zag: 0, -1, 1, -2, … → 0, 1, 2, 3, …
    public mutating func signed(_ value: Int64) {
        bytes.appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    public mutating func byte(_ value: UInt8) { bytes.append(value) }
    public mutating func string(_ value: String) {
        unsigned(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }
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
        public var reason: String

        public init(reason: String) { self.reason = reason }
    }

    /// Whether every byte was read.
    public var isAtEnd: Bool { reader.isAtEnd }

    public mutating func unsigned() throws(Malformed) -> UInt64 {
        guard let value = reader.readVarint() else { throw Malformed(reason: "cut short") }
        return value
    }
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
    public mutating func signed() throws(Malformed) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
    public mutating func bool() throws(Malformed) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw Malformed(reason: "bad flag byte")
        }
    }
    public mutating func byte() throws(Malformed) -> UInt8 {
        guard let value = reader.readByte() else { throw Malformed(reason: "cut short") }
        return value
    }
    public mutating func string() throws(Malformed) -> String {
        let length = try count()
        guard let bytes = reader.readBytes(length) else { throw Malformed(reason: "cut short") }
        // Checked by our validator, then built on the contiguous fast path (the generic `String(validating:)`
        // costs a metadata lookup per call).
        guard UTF8Validation.isValid(bytes) else { throw Malformed(reason: "invalid UTF-8") }
        return bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }
    public mutating func optional<T>(_ read: (inout StateReader) throws(Malformed) -> T) throws(Malformed) -> T? {
        try bool() ? try read(&self) : nil
    }
}
