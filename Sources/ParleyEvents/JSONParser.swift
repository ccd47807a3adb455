/// A strict RFC 8259 JSON parser for one line of JSON Lines input.
///
/// Strict means: no trailing commas, no comments, no single quotes, no leading zeros, no `NaN`;
/// strings must be valid UTF-8 without raw control characters (U+0000–U+001F must be escaped) and
/// `\u` escapes must form valid scalars (no lone surrogates); every object key must be unique; nesting
/// is limited to ``EventLimits/maxJSONDepth`` levels; nothing but whitespace may follow the value.
/// Numbers are checked against the JSON grammar and kept as their text, so no precision is lost.
///
/// The parser scans the bytes by index and builds each string once; strings without escapes go from
/// the input straight to a `String`. Recursion depth is bounded by the nesting limit.
public enum JSONParser {
    /// Parses one JSON text.
    ///
    /// - Parameter bytes: the UTF-8 bytes of one JSON text, e.g. one line without its line terminator.
    /// - Returns: the value, with object members in input order and numbers as their text.
    /// - Throws: `EventError` with code `.invalidJSON` (syntax, nesting, duplicate key, trailing data) or
    ///   `.invalidUTF8`, and the 1-based byte `column` of the problem within `bytes`. The caller adds the line.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(EventError) -> JSONValue {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        let value = try scanner.parseValue(depth: 0)
        scanner.skipWhitespace()
        guard scanner.index == scanner.end else {
            throw scanner.unexpected(at: scanner.index, expected: "the end of the line after the JSON value")
        }
        return value
    }
}

// MARK: - Scanner

/// Object size from which duplicate keys are found with a set rather than a linear scan.
private let linearKeyCheckLimit = 16

private struct JSONScanner {
    let bytes: ArraySlice<UInt8>
    let end: Int
    var index: Int
    /// Reused buffer for strings that contain escapes.
    private var scratch: [UInt8] = []

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
        self.end = bytes.endIndex
    }

    // MARK: Values

    mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case .space, .tab, .lineFeed, .carriageReturn: index += 1
            default: return
            }
        }
    }

    /// Parses the value at `index`; `depth` is the number of arrays and objects around it.
    mutating func parseValue(depth: Int) throws(EventError) -> JSONValue {
        guard index < end else { throw unexpected(at: index, expected: "a value") }
        switch bytes[index] {
        case .quote: return .string(try parseString())
        case .openBrace: return try parseObject(depth: depth + 1)
        case .openBracket: return try parseArray(depth: depth + 1)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case .minus, UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected(at: index, expected: "a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(EventError) -> JSONValue {
        try checkDepth(depth)
        index += 1  // {
        skipWhitespace()
        var members: [JSONMember] = []
        if index < end, bytes[index] == .closeBrace {
            index += 1
            return .object(members)
        }
        members.reserveCapacity(8)
        var keySet = Set<String>()
        while true {
            guard index < end, bytes[index] == .quote else {
                throw unexpected(at: index, expected: "a string key")
            }
            let keyStart = index
            let key = try parseString()
            if members.count < linearKeyCheckLimit {
                for member in members where member.key == key {
                    throw duplicateKey(key, at: keyStart)
                }
            } else {
                if keySet.isEmpty {
                    for member in members { keySet.insert(member.key) }
                }
                guard keySet.insert(key).inserted else { throw duplicateKey(key, at: keyStart) }
            }
            skipWhitespace()
            guard index < end, bytes[index] == .colon else {
                throw unexpected(at: index, expected: "':' after an object key")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONMember(key: key, value: value))
            skipWhitespace()
            guard index < end else { throw unexpected(at: index, expected: "',' or '}'") }
            switch bytes[index] {
            case .comma:
                index += 1
                skipWhitespace()
            case .closeBrace:
                index += 1
                return .object(members)
            default:
                throw unexpected(at: index, expected: "',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(EventError) -> JSONValue {
        try checkDepth(depth)
        index += 1  // [
        skipWhitespace()
        var elements: [JSONValue] = []
        if index < end, bytes[index] == .closeBracket {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < end else { throw unexpected(at: index, expected: "',' or ']'") }
            switch bytes[index] {
            case .comma:
                index += 1
                skipWhitespace()
            case .closeBracket:
                index += 1
                return .array(elements)
            default:
                throw unexpected(at: index, expected: "',' or ']'")
            }
        }
    }

    private func checkDepth(_ depth: Int) throws(EventError) {
        guard depth <= EventLimits.maxJSONDepth else {
            throw error("nesting depth exceeds the limit of \(EventLimits.maxJSONDepth) levels", at: index)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(EventError) {
        let mismatch: Int? = literal.withUTF8Buffer { word in
            for offset in 0..<word.count {
                let i = index + offset
                guard i < end, bytes[i] == word[offset] else { return i }
            }
            return nil
        }
        if let mismatch {
            throw unexpected(at: mismatch, expected: "'\(literal)'")
        }
        index += literal.utf8CodeUnitCount
    }

    /// Parses `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` and returns its text.
    private mutating func parseNumber() throws(EventError) -> String {
        let start = index
        if bytes[index] == .minus { index += 1 }
        guard index < end, bytes[index].isDigit else { throw unexpected(at: index, expected: "a digit") }
        if bytes[index] == .digitZero {
            index += 1
        } else {
            skipDigits()
        }
        if index < end, bytes[index] == .period {
            index += 1
            guard index < end, bytes[index].isDigit else {
                throw unexpected(at: index, expected: "a digit after the decimal point")
            }
            skipDigits()
        }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < end, bytes[index] == .plus || bytes[index] == .minus { index += 1 }
            guard index < end, bytes[index].isDigit else {
                throw unexpected(at: index, expected: "a digit in the exponent")
            }
            skipDigits()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func skipDigits() {
        while index < end, bytes[index].isDigit { index += 1 }
    }

    // MARK: Strings

    /// Parses the string whose opening quote is at `index`.
    mutating func parseString() throws(EventError) -> String {
        let start = index + 1
        var i = start
        // Fast path: no escapes, so the string is the input bytes themselves, validated once here.
        while i < end {
            let byte = bytes[i]
            if byte == .quote {
                index = i + 1
                return String(decoding: bytes[start..<i], as: UTF8.self)
            }
            if byte == .backslash {
                return try parseEscapedString(start: start, firstEscape: i)
            }
            if byte < 0x20 { throw controlCharacter(byte, at: i) }
            i = byte < 0x80 ? i + 1 : try validateUTF8Sequence(at: i)
        }
        throw error("unterminated string", at: end)
    }

    /// The slow path: the string has escapes, so it is rebuilt in `scratch`.
    private mutating func parseEscapedString(start: Int, firstEscape: Int) throws(EventError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[start..<firstEscape])
        var i = firstEscape
        while i < end {
            let byte = bytes[i]
            if byte == .quote {
                index = i + 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == .backslash {
                i = try appendEscape(at: i)
                continue
            }
            // A run of plain bytes, copied in one go.
            let runStart = i
            while i < end {
                let b = bytes[i]
                if b == .quote || b == .backslash { break }
                if b < 0x20 { throw controlCharacter(b, at: i) }
                i = b < 0x80 ? i + 1 : try validateUTF8Sequence(at: i)
            }
            scratch.append(contentsOf: bytes[runStart..<i])
        }
        throw error("unterminated string", at: end)
    }

    /// Decodes the escape sequence whose backslash is at `i` into `scratch`; returns the index after it.
    private mutating func appendEscape(at i: Int) throws(EventError) -> Int {
        guard i + 1 < end else { throw error("unterminated string", at: end) }
        let decoded: UInt8
        switch bytes[i + 1] {
        case .quote: decoded = .quote
        case .backslash: decoded = .backslash
        case .slash: decoded = .slash
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = .lineFeed
        case UInt8(ascii: "r"): decoded = .carriageReturn
        case UInt8(ascii: "t"): decoded = .tab
        case UInt8(ascii: "u"): return try appendUnicodeEscape(at: i)
        default:
            throw error("invalid escape sequence after '\\': \(describe(bytes[i + 1]))", at: i)
        }
        scratch.append(decoded)
        return i + 2
    }

    /// Decodes `\uXXXX` (or a surrogate pair `\uD83D\uDE00`) at `i` into `scratch`.
    private mutating func appendUnicodeEscape(at i: Int) throws(EventError) -> Int {
        let unit = try hex4(at: i + 2)
        var scalarValue = UInt32(unit)
        var next = i + 6
        switch unit {
        case 0xD800...0xDBFF:
            guard next + 1 < end, bytes[next] == .backslash, bytes[next + 1] == UInt8(ascii: "u") else {
                throw error("lone surrogate \\u\(hex(unit)): a high surrogate must be followed by a low one", at: i)
            }
            let low = try hex4(at: next + 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("invalid surrogate pair \\u\(hex(unit))\\u\(hex(low))", at: i)
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            next += 6
        case 0xDC00...0xDFFF:
            throw error("lone surrogate \\u\(hex(unit)): a low surrogate must follow a high one", at: i)
        default:
            break
        }
        // Surrogates are excluded above, so every value here is a scalar.
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw error("invalid \\u escape", at: i)
        }
        appendUTF8(scalar)
        return next
    }

    private mutating func appendUTF8(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            scratch.append(UInt8(value))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | value >> 6))
            scratch.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | value >> 12))
            scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | value & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | value >> 18))
            scratch.append(UInt8(0x80 | value >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | value & 0x3F))
        }
    }

    /// The four hex digits of a `\u` escape starting at `i`.
    private func hex4(at i: Int) throws(EventError) -> UInt16 {
        var value: UInt16 = 0
        for offset in 0..<4 {
            let position = i + offset
            guard position < end else { throw error("unterminated \\u escape", at: end) }
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - .digitZero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape: expected 4 hex digits", at: position)
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// Checks the multi-byte UTF-8 sequence whose lead byte is at `i` (RFC 3629: no overlong forms,
    /// no surrogates, nothing above U+10FFFF) and returns the index after it.
    private func validateUTF8Sequence(at i: Int) throws(EventError) -> Int {
        let lead = bytes[i]
        var remaining: Int
        // The allowed range of the first continuation byte; the others are always 0x80...0xBF.
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: remaining = 1
        case 0xE0: remaining = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
        case 0xED: remaining = 2; high = 0x9F
        case 0xF0: remaining = 3; low = 0x90
        case 0xF1...0xF3: remaining = 3
        case 0xF4: remaining = 3; high = 0x8F
        default: throw invalidUTF8(at: i)
        }
        var j = i + 1
        guard j < end, bytes[j] >= low, bytes[j] <= high else { throw invalidUTF8(at: i) }
        j += 1
        remaining -= 1
        while remaining > 0 {
            guard j < end, bytes[j] & 0xC0 == 0x80 else { throw invalidUTF8(at: i) }
            j += 1
            remaining -= 1
        }
        return j
    }

    // MARK: Errors

    func error(_ reason: String, at i: Int, code: EventError.Code = .invalidJSON) -> EventError {
        EventError(code, reason: reason, column: i - bytes.startIndex + 1)
    }

    /// "unexpected X, expected Y"; invalid UTF-8 outside strings is reported as such.
    func unexpected(at i: Int, expected: String) -> EventError {
        guard i < end else { return error("unexpected end of input, expected \(expected)", at: i) }
        let byte = bytes[i]
        if byte >= 0x80 {
            do {
                _ = try validateUTF8Sequence(at: i)
            } catch {
                return error
            }
        }
        return error("unexpected \(describe(byte)), expected \(expected)", at: i)
    }

    private func invalidUTF8(at i: Int) -> EventError {
        error("invalid UTF-8 (byte 0x\(hex(bytes[i])))", at: i, code: .invalidUTF8)
    }

    private func controlCharacter(_ byte: UInt8, at i: Int) -> EventError {
        error("control character U+00\(hex(byte)) in a string must be escaped", at: i)
    }

    private func duplicateKey(_ key: String, at i: Int) -> EventError {
        error("duplicate key \(JSONLineEncoder.quotedForMessage(key.utf8))", at: i)
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F {
            return "character '\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte 0x\(hex(byte))"
    }
}

private func hex(_ value: some FixedWidthInteger) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    let width = value.bitWidth / 4
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

extension UInt8 {
    fileprivate static var tab: UInt8 { 0x09 }
    fileprivate static var lineFeed: UInt8 { 0x0A }
    fileprivate static var carriageReturn: UInt8 { 0x0D }
    fileprivate static var space: UInt8 { 0x20 }
    fileprivate static var quote: UInt8 { 0x22 }
    fileprivate static var plus: UInt8 { 0x2B }
    fileprivate static var comma: UInt8 { 0x2C }
    fileprivate static var minus: UInt8 { 0x2D }
    fileprivate static var period: UInt8 { 0x2E }
    fileprivate static var slash: UInt8 { 0x2F }
    fileprivate static var digitZero: UInt8 { 0x30 }
    fileprivate static var colon: UInt8 { 0x3A }
    fileprivate static var openBracket: UInt8 { 0x5B }
    fileprivate static var backslash: UInt8 { 0x5C }
    fileprivate static var closeBracket: UInt8 { 0x5D }
    fileprivate static var openBrace: UInt8 { 0x7B }
    fileprivate static var closeBrace: UInt8 { 0x7D }

    fileprivate var isDigit: Bool { self &- 0x30 < 10 }
}
