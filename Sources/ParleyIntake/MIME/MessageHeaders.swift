/// One header field as written: its name, its unfolded value, and where it starts.
public struct HeaderField: Equatable, Sendable {
    /// The field name as written (compare case-insensitively).
    public var name: String
    /// The value with folding removed (CRLF or LF before whitespace dropped, the whitespace kept) and
    /// surrounding whitespace trimmed. Not RFC 2047-decoded. Bytes that are not valid UTF-8 are read as Latin-1.
    public var value: String
    /// Byte offset of the field's first byte in the input.
    public var offset: Int

    /// Makes a field.
    public init(name: String, value: String, offset: Int) {
        self.name = name
        self.value = value
        self.offset = offset
    }
}

/// The header fields of a message or body part (RFC 5322), in order, repeated fields kept.
public struct MessageHeaders: Equatable, Sendable {
    /// All fields in the order written.
    public var fields: [HeaderField]

    /// Makes headers from fields.
    public init(fields: [HeaderField] = []) { self.fields = fields }

    /// The value of the first field with this name (case-insensitive), or `nil`.
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// The values of every field with this name (case-insensitive), in order.
    public func values(named name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The first field with this name, with RFC 2047 encoded words decoded (for Subject, From and other
    /// unstructured or display-name text).
    public func decoded(_ name: String) -> String? {
        self[name].map(EncodedWords.decode)
    }

    /// The first field with this name parsed as `value; name=value; …` (Content-Type, Content-Disposition).
    public func parameterized(_ name: String) -> ParameterizedValue? {
        self[name].map(ParameterizedValue.init(parsing:))
    }

    /// Parses the header block at the start of `bytes` and returns it with the offset where the body starts
    /// (after the first empty line, CRLF or LF; the end of the input when there is none).
    public static func parse(
        _ bytes: [UInt8], file: String? = nil, limits: MIMELimits = MIMELimits()
    ) throws(MIMEError) -> (headers: MessageHeaders, bodyOffset: Int) {
        try parseBlock(bytes[...], limits: limits, lines: LineIndex(bytes, file: file))
    }

    /// Parses a header block in a slice whose indices are offsets in the whole input.
    static func parseBlock(
        _ bytes: ArraySlice<UInt8>, limits: MIMELimits, lines: LineIndex
    ) throws(MIMEError) -> (headers: MessageHeaders, bodyOffset: Int) {
        var fields: [HeaderField] = []
        var pending: (name: String, value: [UInt8], offset: Int)?
        let start = bytes.startIndex
        var index = start
        let end = bytes.endIndex

        func flush() {
            if let field = pending {
                let value = String(latin1OrUTF8: field.value).trimmingWhitespace
                fields.append(HeaderField(name: field.name, value: value, offset: field.offset))
            }
            pending = nil
        }

        while index < end {
            var newline = index
            while newline < end && bytes[newline] != 0x0A { newline += 1 }
            let next = newline < end ? newline + 1 : end
            var lineEnd = newline
            if lineEnd > index && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if next - start > limits.maxHeaderBytes {
                throw MIMEError(
                    code: .headerTooLarge, location: lines.location(index),
                    reason: "header block longer than \(limits.maxHeaderBytes) bytes")
            }
            if lineEnd == index {
                flush()
                return (MessageHeaders(fields: fields), next)
            }
            if bytes[index] == 0x20 || bytes[index] == 0x09 {
                guard pending != nil else {
                    throw MIMEError(
                        code: .malformedHeader, location: lines.location(index),
                        reason: "folded continuation line before any header field")
                }
                pending?.value.append(contentsOf: bytes[index..<lineEnd])
            } else {
                flush()
                guard let colon = bytes[index..<lineEnd].firstIndex(of: 0x3A) else {
                    throw MIMEError(
                        code: .malformedHeader, location: lines.location(index),
                        reason: "header line has no colon")
                }
                var nameEnd = colon
                while nameEnd > index && (bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09) { nameEnd -= 1 }
                let name = bytes[index..<nameEnd]
                guard !name.isEmpty, name.allSatisfy({ $0 >= 33 && $0 <= 126 }) else {
                    throw MIMEError(
                        code: .malformedHeader, location: lines.location(index),
                        reason: "header field name is empty or has a space or non-ASCII byte")
                }
                if fields.count >= limits.maxHeaderFields {
                    throw MIMEError(
                        code: .headerTooLarge, location: lines.location(index),
                        reason: "more than \(limits.maxHeaderFields) header fields")
                }
                pending = (String(decoding: name, as: UTF8.self), Array(bytes[(colon + 1)..<lineEnd]), index)
            }
            index = next
        }
        flush()
        return (MessageHeaders(fields: fields), end)
    }
}

extension String {
    /// UTF-8 when the bytes are valid UTF-8 (RFC 6532 headers), else each byte as its Latin-1 character.
    init(latin1OrUTF8 bytes: some Collection<UInt8>) {
        let decoded = MIMECharset.decodeUTF8(bytes)
        if decoded.hadInvalidBytes {
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            self = String(scalars)
        } else {
            self = decoded.string
        }
    }

    /// The string without leading and trailing spaces, tabs, CR and LF.
    var trimmingWhitespace: String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
