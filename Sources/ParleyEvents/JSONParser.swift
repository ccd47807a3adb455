/// A strict RFC 8259 JSON parser for one line of JSON Lines input.
///
/// Strict means: no trailing commas, no comments, no single quotes, no leading zeros, no `NaN`;
/// strings must be valid UTF-8 without raw control characters (U+0000–U+001F must be escaped) and
/// `\u` escapes must form valid scalars (no lone surrogates); every object key must be unique; nesting
/// is limited to ``EventLimits/maxJSONDepth`` levels; nothing but whitespace may follow the value.
/// Numbers are checked against the JSON grammar and kept as their text, so no precision is lost.
///
/// The parser scans the bytes by index, checks string bytes eight at a time, and builds each string
/// once: a string without escapes goes from the input straight to a `String`. Recursion depth is
/// bounded by the nesting limit.
public enum JSONParser {
    /// Parses one JSON text.
    ///
    /// - Parameter bytes: the UTF-8 bytes of one JSON text, e.g. one line without its line terminator.
    /// - Returns: the value, with object members in input order and numbers as their text.
    /// - Throws: `EventError` with code `.invalidJSON` (syntax, nesting, duplicate key, trailing data) or
    ///   `.invalidUTF8`, and the 1-based byte `column` of the problem within `bytes`. The caller adds the line.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(EventError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(EventError) -> JSONValue in
            var scanner = JSONScanner(buffer, source: bytes)
            scanner.skipWhitespace()
            let value = try scanner.parseValue(depth: 0)
            try scanner.expectEnd()
            return value
        }
    }

    /// Walks a JSON text that should be an object, member by member, for ``JSONLineDecoder``, which
    /// builds its event straight from the members instead of from a ``JSONValue`` tree.
    ///
    /// `body` gets the scanner on the opening `{` and must walk the whole object:
    ///
    ///     if try scanner.openObject() {
    ///         repeat {
    ///             let key = try scanner.memberKey()
    ///             // consume the value: parseValue(depth: 1), scanMemberValue() or skipValue(depth: 1)
    ///         } while try scanner.nextMember()
    ///     }
    ///
    /// It must check for duplicate keys itself. The rest of the text is then checked as
    /// ``parse(_:)`` does.
    ///
    /// - Returns: what `body` returns, or nil, without calling `body`, if the text does not start with `{`.
    static func walkObject<Result>(
        _ bytes: ArraySlice<UInt8>,
        _ body: (inout JSONScanner) throws(EventError) -> Result
    ) throws(EventError) -> Result? {
        try bytes.withUnsafeBufferPointer { (buffer) throws(EventError) -> Result? in
            var scanner = JSONScanner(buffer, source: bytes)
            scanner.skipWhitespace()
            guard scanner.index < scanner.end, buffer[scanner.index] == .openBrace else { return nil }
            let result = try body(&scanner)
            try scanner.expectEnd()
            return result
        }
    }
}

/// An object key as scanned: the bytes between its quotes, and the decoded key if it had escapes.
struct JSONKey {
    /// Buffer indices of the key's bytes, quotes excluded.
    let start: Int
    let end: Int
    /// The decoded key when it contained escapes; nil when the bytes are the key.
    let decoded: String?

    /// The key's length in UTF-8 bytes.
    var byteCount: Int { decoded?.utf8.count ?? end - start }
}

/// A member value as ``JSONLineDecoder`` reads it: strings without the detour through ``JSONValue``.
enum ScannedValue {
    case string(String)
    /// The indices, in the scanned `ArraySlice`, of a string without escapes (so valid UTF-8 as it
    /// stands): only when asked for.
    case rawString(Range<Int>)
    case other(JSONValue)
}

/// A key of up to 16 bytes packed into two integers (byte `i` at bits `8 * i` of the first, then
/// the second), so that comparing keys costs two integer comparisons.
struct PackedKey: Equatable {
    let length: Int
    let low: UInt64
    let high: UInt64

    /// Packs `bytes`, or returns nil if there are more than 16.
    init?(_ bytes: some Collection<UInt8>) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var length = 0
        for byte in bytes {
            guard length < 16 else { return nil }
            if length < 8 {
                low |= UInt64(byte) << (8 * UInt64(length))
            } else {
                high |= UInt64(byte) << (8 * UInt64(length - 8))
            }
            length += 1
        }
        self.init(length: length, low: low, high: high)
    }

    /// Packs `bytes[range]`, or returns nil if there are more than 16 (without making a slice).
    init?(_ bytes: ArraySlice<UInt8>, _ range: Range<Int>) {
        guard range.count <= 16 else { return nil }
        self = bytes.withUnsafeBufferPointer { buffer in
            PackedKey(buffer, start: range.lowerBound - bytes.startIndex, length: range.count)
        }
    }

    /// Packs the `length` (at most 16) bytes of `buffer` from `start`: with two unaligned loads, masked
    /// to the length, when 16 bytes are readable there, else byte by byte.
    init(_ buffer: UnsafeBufferPointer<UInt8>, start: Int, length: Int) {
        precondition(length <= 16 && start >= 0 && start + length <= buffer.count, "key out of bounds")
        var low: UInt64 = 0
        var high: UInt64 = 0
        if let base = buffer.baseAddress, start + 16 <= buffer.count {
            let raw = UnsafeRawPointer(base)
            low = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self))
            if length < 8 {
                low &= (1 << (8 * UInt64(length))) - 1
                high = 0
            } else if length < 16 {
                high &= (1 << (8 * UInt64(length - 8))) - 1
            }
        } else {
            for offset in 0..<length {
                let byte = UInt64(buffer[start + offset])
                if offset < 8 {
                    low |= byte << (8 * UInt64(offset))
                } else {
                    high |= byte << (8 * UInt64(offset - 8))
                }
            }
        }
        self.init(length: length, low: low, high: high)
    }

    fileprivate init(length: Int, low: UInt64, high: UInt64) {
        self.length = length
        self.low = low
        self.high = high
    }
}

// MARK: - Scanner

/// Object size from which duplicate keys are found with a set rather than a linear scan.
private let linearKeyCheckLimit = 16

/// The parser's cursor over the input. It lives only inside `JSONParser`'s `withUnsafeBufferPointer`
/// closures; every read is preceded by an explicit `index < end` check.
struct JSONScanner {
    private let buffer: UnsafeBufferPointer<UInt8>
    /// The same bytes as `buffer`, for slices of the input (buffer index 0 is `source.startIndex`).
    private let source: ArraySlice<UInt8>
    let end: Int
    private(set) var index = 0
    /// Reused buffer for strings that contain escapes.
    private var scratch: [UInt8] = []

    fileprivate init(_ buffer: UnsafeBufferPointer<UInt8>, source: ArraySlice<UInt8>) {
        self.buffer = buffer
        self.source = source
        self.end = buffer.count
    }

    // MARK: Structure

    @inline(__always)
    fileprivate mutating func skipWhitespace() {
        // Compact JSON has none: one comparison and out (whitespace is the only structure below "!").
        if index < end, buffer[index] > .space { return }
        while index < end {
            switch buffer[index] {
            case .space, .tab, .lineFeed, .carriageReturn: index += 1
            default: return
            }
        }
    }

    fileprivate mutating func expectEnd() throws(EventError) {
        skipWhitespace()
        guard index == end else {
            throw unexpected(at: index, expected: "the end of the line after the JSON value")
        }
    }

    /// Parses the value at the cursor; `depth` is the number of arrays and objects around it.
    mutating func parseValue(depth: Int) throws(EventError) -> JSONValue {
        guard index < end else { throw unexpected(at: index, expected: "a value") }
        switch buffer[index] {
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

    /// Checks the value at the cursor and moves past it without building it (strings and numbers
    /// are only validated); for values that are ignored.
    mutating func skipValue(depth: Int) throws(EventError) {
        guard index < end else { throw unexpected(at: index, expected: "a value") }
        switch buffer[index] {
        case .quote: _ = try scanString()
        case .minus, UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
        default: _ = try parseValue(depth: depth)
        }
    }

    /// Parses a member value of the top-level object (depth 1), keeping strings out of ``JSONValue``.
    /// - Parameter rawString: return a string without escapes as a slice of the input, not a `String`.
    mutating func scanMemberValue(rawString: Bool = false) throws(EventError) -> ScannedValue {
        guard index < end, buffer[index] == .quote else { return .other(try parseValue(depth: 1)) }
        let string = try scanString()
        if let decoded = string.decoded { return .string(decoded) }
        let start = source.startIndex
        if rawString { return .rawString(start + string.start..<start + string.end) }
        return .string(makeString(string.start, string.end))
    }

    /// Enters the object whose `{` is at the cursor.
    /// - Parameter depth: the object's nesting depth (1 for the top level).
    /// - Returns: true if a member follows (read it with ``memberKey()``), false if the object is empty.
    mutating func openObject(depth: Int = 1) throws(EventError) -> Bool {
        try checkDepth(depth)
        index += 1  // {
        skipWhitespace()
        if index < end, buffer[index] == .closeBrace {
            index += 1
            return false
        }
        return true
    }

    /// Reads a member's key and the `:` after it, leaving the cursor on the value.
    mutating func memberKey() throws(EventError) -> JSONKey {
        guard index < end, buffer[index] == .quote else {
            throw unexpected(at: index, expected: "a string key")
        }
        let key = try scanString()
        skipWhitespace()
        guard index < end, buffer[index] == .colon else {
            throw unexpected(at: index, expected: "':' after an object key")
        }
        index += 1
        skipWhitespace()
        return key
    }

    /// After a member's value: reads the `,` (true: another member follows) or the closing `}` (false).
    mutating func nextMember() throws(EventError) -> Bool {
        skipWhitespace()
        guard index < end else { throw unexpected(at: index, expected: "',' or '}'") }
        switch buffer[index] {
        case .comma:
            index += 1
            skipWhitespace()
            return true
        case .closeBrace:
            index += 1
            return false
        default:
            throw unexpected(at: index, expected: "',' or '}'")
        }
    }

    private mutating func parseObject(depth: Int) throws(EventError) -> JSONValue {
        var members: [JSONMember] = []
        guard try openObject(depth: depth) else { return .object(members) }
        // Keys compare by their UTF-8 bytes: JSON names that are canonically equivalent in Unicode
        // ("é" precomposed or not) are still different names, and Swift's `String ==` would merge them.
        var keySet = Set<[UInt8]>()
        repeat {
            let key = try memberKey()
            let name = string(for: key)
            if members.count < linearKeyCheckLimit {
                for member in members where member.key.utf8.elementsEqual(name.utf8) {
                    throw duplicateKey(key)
                }
            } else {
                if keySet.isEmpty {
                    for member in members { keySet.insert(Array(member.key.utf8)) }
                }
                guard keySet.insert(Array(name.utf8)).inserted else { throw duplicateKey(key) }
            }
            members.append(JSONMember(key: name, value: try parseValue(depth: depth)))
        } while try nextMember()
        return .object(members)
    }

    private mutating func parseArray(depth: Int) throws(EventError) -> JSONValue {
        try checkDepth(depth)
        index += 1  // [
        skipWhitespace()
        var elements: [JSONValue] = []
        if index < end, buffer[index] == .closeBracket {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < end else { throw unexpected(at: index, expected: "',' or ']'") }
            switch buffer[index] {
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
                guard i < end, buffer[i] == word[offset] else { return i }
            }
            return nil
        }
        if let mismatch {
            throw unexpected(at: mismatch, expected: "'\(literal)'")
        }
        index += literal.utf8CodeUnitCount
    }

    /// Parses a number and returns its text.
    private mutating func parseNumber() throws(EventError) -> String {
        let range = try scanNumber()
        return makeString(range.lowerBound, range.upperBound)
    }

    /// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` and returns where it is.
    private mutating func scanNumber() throws(EventError) -> Range<Int> {
        let start = index
        if buffer[index] == .minus { index += 1 }
        guard index < end, buffer[index].isDigit else { throw unexpected(at: index, expected: "a digit") }
        if buffer[index] == .digitZero {
            index += 1
        } else {
            skipDigits()
        }
        if index < end, buffer[index] == .period {
            index += 1
            guard index < end, buffer[index].isDigit else {
                throw unexpected(at: index, expected: "a digit after the decimal point")
            }
            skipDigits()
        }
        if index < end, buffer[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < end, buffer[index] == .plus || buffer[index] == .minus { index += 1 }
            guard index < end, buffer[index].isDigit else {
                throw unexpected(at: index, expected: "a digit in the exponent")
            }
            skipDigits()
        }
        return start..<index
    }

    private mutating func skipDigits() {
        while index < end, buffer[index].isDigit { index += 1 }
    }

    // MARK: Strings

    /// The string whose opening quote is at the cursor.
    private mutating func parseString() throws(EventError) -> String {
        let string = try scanString()
        return string.decoded ?? makeString(string.start, string.end)
    }

    /// The key's text.
    func string(for key: JSONKey) -> String {
        key.decoded ?? makeString(key.start, key.end)
    }

    /// `key` packed for comparison, or nil if it had escapes or is longer than 16 bytes.
    func packed(_ key: JSONKey) -> PackedKey? {
        let length = key.end - key.start
        guard key.decoded == nil, length <= 16 else { return nil }
        return PackedKey(buffer, start: key.start, length: length)
    }

    /// A `String` of `buffer[start..<end]`, which has been validated as UTF-8.
    private func makeString(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
    }

    /// Scans the string whose opening quote is at the cursor and moves past it.
    ///
    /// Fast path: no escapes, so the string is the input bytes themselves, checked here (eight at a
    /// time while they are plain ASCII) and returned as a range. With escapes, the string is decoded.
    private mutating func scanString() throws(EventError) -> JSONKey {
        let start = index + 1
        var i = start
        while true {
            i = skipPlainASCII(from: i)
            guard i < end else { throw error("unterminated string", at: end) }
            let byte = buffer[i]
            if byte == .quote {
                index = i + 1
                return JSONKey(start: start, end: i, decoded: nil)
            }
            if byte == .backslash {
                let decoded = try decodeEscapedString(start: start, firstEscape: i)
                return JSONKey(start: start, end: index - 1, decoded: decoded)
            }
            if byte < 0x20 { throw controlCharacter(byte, at: i) }
            i = byte < 0x80 ? i + 1 : try validateUTF8Sequence(at: i)
        }
    }

    /// The index of the first byte from `i` on that needs a look (a quote, a backslash, a control
    /// character, a byte that is not ASCII), skipping plain ASCII eight bytes at a time; it may stop
    /// earlier, within the last seven bytes of the buffer.
    @inline(__always)
    private func skipPlainASCII(from i: Int) -> Int {
        guard let base = buffer.baseAddress else { return i }
        let raw = UnsafeRawPointer(base)
        var i = i
        while i + 8 <= end {
            let flags = attentionFlags(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            // The lowest flag is always a true one: go straight to that byte.
            if flags != 0 { return i + flags.trailingZeroBitCount / 8 }
            i += 8
        }
        return i
    }

    /// Flags (bit 7 of each byte) the bytes of `word` (little-endian) that are a quote, a backslash,
    /// a control character or not ASCII. The lowest flag is always right; flags above it may be
    /// false. (`(v - 0x01…) & ~v & 0x80…` flags the zero bytes of `v`: XOR with 0x22… turns quotes
    /// into zeros; `(v - 0x20…) & ~v & 0x80…` flags bytes below 0x20; `v & 0x80…` the non-ASCII.)
    private func attentionFlags(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8.quote))
        let backslashes = word ^ (ones &* UInt64(UInt8.backslash))
        let hasQuote = (quotes &- ones) & ~quotes
        let hasBackslash = (backslashes &- ones) & ~backslashes
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl | word) & highBits
    }

    /// The slow path: the string has escapes, so it is rebuilt in `scratch`. Moves past the string.
    private mutating func decodeEscapedString(start: Int, firstEscape: Int) throws(EventError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<firstEscape]))
        var i = firstEscape
        while i < end {
            let byte = buffer[i]
            if byte == .quote {
                index = i + 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == .backslash {
                i = try appendEscape(at: i)
                continue
            }
            // A run of plain bytes, copied in one go (ASCII skipped eight bytes at a time).
            let runStart = i
            while i < end {
                i = skipPlainASCII(from: i)
                guard i < end else { break }
                let b = buffer[i]
                if b == .quote || b == .backslash { break }
                if b < 0x20 { throw controlCharacter(b, at: i) }
                i = b < 0x80 ? i + 1 : try validateUTF8Sequence(at: i)
            }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<i]))
        }
        throw error("unterminated string", at: end)
    }

    /// Decodes the escape sequence whose backslash is at `i` into `scratch`; returns the index after it.
    private mutating func appendEscape(at i: Int) throws(EventError) -> Int {
        guard i + 1 < end else { throw error("unterminated string", at: end) }
        let decoded: UInt8
        switch buffer[i + 1] {
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
            throw error("invalid escape sequence after '\\': \(describe(buffer[i + 1]))", at: i)
        }
        scratch.append(decoded)
        return i + 2
    }

    /// Decodes `\uXXXX` (or a surrogate pair `\uD83D\uDE00`) at `i` into `scratch`.
    private mutating func appendUnicodeEscape(at i: Int) throws(EventError) -> Int {
        let unit = try hex4(at: i + 2)
        var scalar = UInt32(unit)
        var next = i + 6
        switch unit {
        case 0xD800...0xDBFF:
            guard next + 1 < end, buffer[next] == .backslash, buffer[next + 1] == UInt8(ascii: "u") else {
                throw error("lone surrogate \\u\(hex(unit)): a high surrogate must be followed by a low one", at: i)
            }
            let low = try hex4(at: next + 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("invalid surrogate pair \\u\(hex(unit))\\u\(hex(low))", at: i)
            }
            scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            next += 6
        case 0xDC00...0xDFFF:
            throw error("lone surrogate \\u\(hex(unit)): a low surrogate must follow a high one", at: i)
        default:
            break
        }
        appendUTF8(scalar)
        return next
    }

    /// Appends the UTF-8 form of `scalar` (a Unicode scalar value: not a surrogate, at most 0x10FFFF).
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The four hex digits of a `\u` escape starting at `i`.
    private func hex4(at i: Int) throws(EventError) -> UInt16 {
        var value: UInt16 = 0
        for offset in 0..<4 {
            let position = i + offset
            guard position < end else { throw error("unterminated \\u escape", at: end) }
            let byte = buffer[position]
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
        let lead = buffer[i]
        var remaining: Int
        // The allowed range of the first continuation byte; the others are always 0x80...0xBF.
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: remaining = 1
        case 0xE0:
            remaining = 2
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
        case 0xED:
            remaining = 2
            high = 0x9F
        case 0xF0:
            remaining = 3
            low = 0x90
        case 0xF1...0xF3: remaining = 3
        case 0xF4:
            remaining = 3
            high = 0x8F
        default: throw invalidUTF8(at: i)
        }
        var j = i + 1
        guard j < end, buffer[j] >= low, buffer[j] <= high else { throw invalidUTF8(at: i) }
        j += 1
        remaining -= 1
        while remaining > 0 {
            guard j < end, buffer[j] & 0xC0 == 0x80 else { throw invalidUTF8(at: i) }
            j += 1
            remaining -= 1
        }
        return j
    }

    // MARK: Errors

    private func error(_ reason: String, at i: Int, code: EventError.Code = .invalidJSON) -> EventError {
        EventError(code, reason: reason, column: i + 1)
    }

    /// "unexpected X, expected Y"; invalid UTF-8 outside strings is reported as such.
    private func unexpected(at i: Int, expected: String) -> EventError {
        guard i < end else { return error("unexpected end of input, expected \(expected)", at: i) }
        let byte = buffer[i]
        if byte >= 0x80 {
            do {
                _ = try validateUTF8Sequence(at: i)
            } catch {
                return error
            }
        }
        return error("unexpected \(describe(byte)), expected \(expected)", at: i)
    }

    /// `duplicate key "name"`, at the key.
    func duplicateKey(_ key: JSONKey) -> EventError {
        error("duplicate key \(JSONLineEncoder.quotedForMessage(string(for: key).utf8))", at: key.start - 1)
    }

    private func invalidUTF8(at i: Int) -> EventError {
        error("invalid UTF-8 (byte 0x\(hex(buffer[i])))", at: i, code: .invalidUTF8)
    }

    private func controlCharacter(_ byte: UInt8, at i: Int) -> EventError {
        error("control character U+00\(hex(byte)) in a string must be escaped", at: i)
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
