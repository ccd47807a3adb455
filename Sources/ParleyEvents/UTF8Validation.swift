/// UTF-8 validation without creating a `String` (no allocation), for checking stored records fast.
/// Follows Unicode's well-formed byte sequences (Table 3-7): no overlong forms, no surrogates, nothing
/// above U+10FFFF. Pure ASCII runs are checked 8 bytes at a time; this is the one place in ParleyEvents
/// that reads raw memory, with
/// `EventCodec+Validation.swift`.
public enum UTF8Validation {
    /// Whether `bytes` is well-formed UTF-8.
    public static func isValid(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBytes { isValid($0) }
    }

    /// Whether the raw bytes are well-formed UTF-8.
    public static func isValid(_ raw: UnsafeRawBufferPointer) -> Bool {
        let count = raw.count
        var i = 0
        while i < count {
            if i + 8 <= count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let lead = raw[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            @inline(__always) func continuation(_ index: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
                index < count && range.contains(raw[index])
            }
            switch lead {
            case 0xC2...0xDF:
                guard continuation(i + 1) else { return false }
                i += 2
            case 0xE0...0xEF:
                let second: ClosedRange<UInt8> = lead == 0xE0 ? 0xA0...0xBF : lead == 0xED ? 0x80...0x9F : 0x80...0xBF
                guard continuation(i + 1, second), continuation(i + 2) else { return false }
                i += 3
            case 0xF0...0xF4:
                let second: ClosedRange<UInt8> = lead == 0xF0 ? 0x90...0xBF : lead == 0xF4 ? 0x80...0x8F : 0x80...0xBF
                guard continuation(i + 1, second), continuation(i + 2), continuation(i + 3) else { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }
}
