/// Little-endian and LEB128 encoding into a growing byte array: the one place that defines how
/// integers look on disk. Used by the frame layer here and by the event codec in ParleyEvents.
extension Array where Element == UInt8 {
    /// Appends `value` as 2 little-endian bytes.
    @inlinable public mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    /// Appends `value` as 4 little-endian bytes.
    @inlinable public mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// Appends `value` as 8 little-endian bytes.
    @inlinable public mutating func appendLittleEndian(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Appends `value` as an unsigned LEB128 varint (7 bits a byte, low bits first, high bit = more).
    @inlinable public mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        append(UInt8(rest))
    }

    /// Overwrites 4 bytes at `index` with `value`, little-endian.
    @inlinable public mutating func storeLittleEndian(_ value: UInt32, at index: Int) {
        self[index] = UInt8(truncatingIfNeeded: value)
        self[index + 1] = UInt8(truncatingIfNeeded: value >> 8)
        self[index + 2] = UInt8(truncatingIfNeeded: value >> 16)
        self[index + 3] = UInt8(truncatingIfNeeded: value >> 24)
    }
}

/// A bounds-checked cursor over bytes. Every read checks that the bytes are there and returns `nil`
/// rather than trapping, so it is safe on any input, including damaged or hostile files.
public struct ByteReader {
    /// The bytes being read.
    public let bytes: ArraySlice<UInt8>
    /// Index of the next byte to read (an index of `bytes`, not an offset from 0).
    public var index: Int

    /// Starts reading at the beginning of `bytes`.
    @inlinable public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    /// Bytes not yet read.
    @inlinable public var remaining: Int { bytes.endIndex - index }

    /// Whether every byte has been read.
    @inlinable public var isAtEnd: Bool { index >= bytes.endIndex }

    /// Reads one byte.
    @inlinable public mutating func readByte() -> UInt8? {
        guard index < bytes.endIndex else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    /// Reads a 2-byte little-endian integer.
    @inlinable public mutating func readUInt16() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { index += 2 }
        return UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
    }

    /// Reads a 4-byte little-endian integer.
    @inlinable public mutating func readUInt32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { index += 4 }
        return bytes.loadLittleEndianUInt32(at: index)
    }

    /// Reads an 8-byte little-endian integer.
    @inlinable public mutating func readUInt64() -> UInt64? {
        guard remaining >= 8 else { return nil }
        defer { index += 8 }
        return bytes.loadLittleEndianUInt64(at: index)
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes; `nil` if truncated or overlong.
    @inlinable public mutating func readVarint() -> UInt64? {
        let bytes = self.bytes
        return LEB128.decode(at: &index) { $0 < bytes.endIndex ? bytes[$0] : nil }
    }

    /// Reads `count` bytes as a slice of the underlying storage (no copy).
    @inlinable public mutating func readBytes(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, remaining >= count else { return nil }
        defer { index += count }
        return bytes[index..<(index + count)]
    }
}

extension ArraySlice where Element == UInt8 {
    /// The little-endian UInt32 at `index` (an index of this slice); the caller checked the bounds.
    @inlinable public func loadLittleEndianUInt32(at index: Int) -> UInt32 {
        UInt32(self[index]) | UInt32(self[index + 1]) << 8 | UInt32(self[index + 2]) << 16
            | UInt32(self[index + 3]) << 24
    }

    /// The little-endian UInt64 at `index` (an index of this slice); the caller checked the bounds.
    @inlinable public func loadLittleEndianUInt64(at index: Int) -> UInt64 {
        UInt64(loadLittleEndianUInt32(at: index)) | UInt64(loadLittleEndianUInt32(at: index + 4)) << 32
    }
}

/// Unsigned LEB128, the `varint` of docs/FORMAT.md: the one decoder, shared by every byte cursor.
public enum LEB128 {
    /// Decodes a varint of at most 10 bytes whose first byte is at `index`, advancing `index` past it.
    /// - Parameters:
    ///   - index: position of the first byte; moved past the bytes consumed.
    ///   - byte: the byte at a position, or `nil` past the end.
    /// - Returns: the value, or `nil` when the varint is cut short or does not fit in 64 bits.
    @inlinable public static func decode(at index: inout Int, byte: (Int) -> UInt8?) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while let next = byte(index) {
            index += 1
            if shift == 63 && next > 1 { return nil }
            result |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return result }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }
}

/// Zig-zag: signed integers as unsigned ones, so that small magnitudes of either sign make small varints
/// (0, −1, 1, −2, 2, … become 0, 1, 2, 3, 4, …). The `zigzag` of docs/FORMAT.md (integer event fields) and
/// the signed numbers of checkpoints (docs/PROJECTIONS.md) both use it.
public enum ZigZag {
    /// The unsigned form of `value`.
    @inlinable
    public static func encode(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    /// The signed value whose unsigned form is `stored`; every `UInt64` is the form of one `Int64`.
    @inlinable
    public static func decode(_ stored: UInt64) -> Int64 {
        Int64(bitPattern: stored >> 1) ^ -Int64(bitPattern: stored & 1)
    }
}
