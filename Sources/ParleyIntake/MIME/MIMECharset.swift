/// Text decoded from bytes in a declared charset.
public struct DecodedText: Equatable, Sendable {
    /// The text; each invalid byte or sequence became U+FFFD (the replacement character).
    public var string: String
    /// Whether any byte was invalid in the charset (and so replaced).
    public var hadInvalidBytes: Bool

    /// Makes decoded text.
    public init(string: String, hadInvalidBytes: Bool) {
        self.string = string
        self.hadInvalidBytes = hadInvalidBytes
    }
}

/// Decodes bytes in the charsets mail uses: UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15, Windows-1252, UTF-16.
///
/// Invalid bytes never fail decoding: each becomes U+FFFD and `DecodedText.hadInvalidBytes` is set, so the
/// caller can show the text and still know it was damaged. That covers malformed UTF-8 and UTF-16, bytes
/// 0x80–0xFF in US-ASCII, and the five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
/// An unknown charset name is different: it throws `MIMEError.Code.unknownCharset` naming the charset.
public enum MIMECharset {
    /// The eight code points where ISO-8859-15 differs from ISO-8859-1.
    static let latin9Differences: [UInt8: UInt32] = [
        0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D, 0xB8: 0x017E, 0xBC: 0x0152, 0xBD: 0x0153,
        0xBE: 0x0178,
    ]

    /// Windows-1252 bytes 0x80–0x9F; 0 marks the five undefined bytes.
    static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80–87
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,  // 88–8F
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90–97
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,  // 98–9F
    ]

    private enum Kind { case utf8, ascii, latin1, latin9, windows1252, utf16, utf16BE, utf16LE }

    private static func kind(_ name: String) -> Kind? {
        var normalized = name.trimmingWhitespace.lowercased()
        if normalized.hasPrefix("\"") && normalized.hasSuffix("\"") && normalized.count >= 2 {
            normalized = String(normalized.dropFirst().dropLast())
        }
        switch normalized {
        case "utf-8", "utf8": return .utf8
        case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us": return .ascii
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819": return .latin1
        case "iso-8859-15", "iso8859-15", "iso_8859-15", "latin-9", "latin9", "l9": return .latin9
        case "windows-1252", "cp1252", "x-cp1252", "win-1252": return .windows1252
        case "utf-16": return .utf16
        case "utf-16be": return .utf16BE
        case "utf-16le": return .utf16LE
        default: return nil
        }
    }

    /// Whether `decode` knows this charset name (case-insensitive, common aliases included).
    public static func isKnown(_ name: String) -> Bool { kind(name) != nil }

    /// Decodes `bytes` in `charset`; throws `unknownCharset` at `location` for a name it does not know.
    public static func decode(
        _ bytes: some Collection<UInt8>, charset: String, location: InputLocation
    ) throws(MIMEError) -> DecodedText {
        guard let kind = kind(charset) else {
            throw MIMEError(
                code: .unknownCharset, location: location, reason: "unknown charset \"\(charset)\"",
                charset: charset)
        }
        switch kind {
        case .utf8: return decodeUTF8(bytes)
        case .ascii: return singleByte(bytes) { $0 < 0x80 ? UInt32($0) : 0 }
        case .latin1: return singleByte(bytes) { UInt32($0) }
        case .latin9: return singleByte(bytes) { latin9Differences[$0] ?? UInt32($0) }
        case .windows1252: return decodeWindows1252(bytes)
        case .utf16, .utf16BE, .utf16LE: return decodeUTF16(Array(bytes), kind: kind)
        }
    }

    /// Windows-1252: Latin-1 except 0x80–0x9F.
    static func decodeWindows1252(_ bytes: some Collection<UInt8>) -> DecodedText {
        singleByte(bytes) { byte in
            (0x80...0x9F).contains(byte) ? windows1252High[Int(byte - 0x80)] : UInt32(byte)
        }
    }

    /// UTF-8 with U+FFFD for each maximal invalid subsequence.
    static func decodeUTF8(_ bytes: some Collection<UInt8>) -> DecodedText {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        var invalid = false
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break loop
            case .error:
                invalid = true
                scalars.append("\u{FFFD}")
            }
        }
        return DecodedText(string: String(scalars), hadInvalidBytes: invalid)
    }

    /// A single-byte charset through `map`; 0 for a byte other than 0x00 means undefined.
    private static func singleByte(_ bytes: some Collection<UInt8>, map: (UInt8) -> UInt32) -> DecodedText {
        var scalars = String.UnicodeScalarView()
        var invalid = false
        for byte in bytes {
            let value = map(byte)
            if let scalar = Unicode.Scalar(value), value != 0 || byte == 0 {
                scalars.append(scalar)
            } else {
                invalid = true
                scalars.append("\u{FFFD}")
            }
        }
        return DecodedText(string: String(scalars), hadInvalidBytes: invalid)
    }

    /// UTF-16: `utf-16` reads a byte-order mark and defaults to big-endian; an odd last byte is invalid.
    private static func decodeUTF16(_ bytes: [UInt8], kind: Kind) -> DecodedText {
        var bigEndian = kind != .utf16LE
        var start = 0
        if kind == .utf16 && bytes.count >= 2 {
            if bytes[0] == 0xFF && bytes[1] == 0xFE {
                bigEndian = false
                start = 2
            } else if bytes[0] == 0xFE && bytes[1] == 0xFF {
                start = 2
            }
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = start
        while index + 1 < bytes.count {
            let first = UInt16(bytes[index])
            let second = UInt16(bytes[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        var iterator = units.makeIterator()
        var decoder = UTF16()
        var scalars = String.UnicodeScalarView()
        var invalid = index < bytes.count
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break loop
            case .error:
                invalid = true
                scalars.append("\u{FFFD}")
            }
        }
        if index < bytes.count { scalars.append("\u{FFFD}") }
        return DecodedText(string: String(scalars), hadInvalidBytes: invalid)
    }
}
