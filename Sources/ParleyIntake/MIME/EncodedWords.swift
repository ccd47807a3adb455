/// RFC 2047 encoded words in unstructured header text: `=?charset?B?…?=` and `=?charset?Q?…?=`.
///
/// Whitespace between two adjacent encoded words is dropped, and adjacent words in the same charset have their
/// bytes joined before decoding, so a multibyte character split across two words decodes whole. A word in an
/// unknown charset, or malformed, is left as written. Words are recognised even when not delimited by
/// whitespace (many mailers write `"=?utf-8?Q?…?="` inside quotes). A `*language` suffix on the charset
/// (RFC 2231) is ignored.
public enum EncodedWords {
    private enum Token {
        case literal([UInt8])
        case encoded(charset: String, bytes: [UInt8], raw: [UInt8])
    }

    /// Decodes every encoded word in `text`.
    public static func decode(_ text: String) -> String {
        let input = Array(text.utf8)
        guard input.count >= 8, input.contains(0x3F) else { return text }
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var index = 0
        while index < input.count {
            if input[index] == 0x3D, index + 1 < input.count, input[index + 1] == 0x3F,
                let (word, end) = parseWord(input, at: index)
            {
                if !literal.isEmpty { tokens.append(.literal(literal)) }
                literal = []
                tokens.append(word)
                index = end
            } else {
                literal.append(input[index])
                index += 1
            }
        }
        if !literal.isEmpty { tokens.append(.literal(literal)) }

        var merged: [Token] = []
        for (position, token) in tokens.enumerated() {
            if case .literal(let bytes) = token,
                bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }),
                position > 0, position + 1 < tokens.count, case .encoded = tokens[position - 1],
                case .encoded = tokens[position + 1]
            {
                continue
            }
            if case .encoded(let charset, let bytes, let raw) = token, let last = merged.last,
                case .encoded(let lastCharset, let lastBytes, let lastRaw) = last, lastCharset == charset
            {
                merged[merged.count - 1] = .encoded(charset: charset, bytes: lastBytes + bytes, raw: lastRaw + raw)
                continue
            }
            merged.append(token)
        }

        var result = ""
        for token in merged {
            switch token {
            case .literal(let bytes):
                result += String(decoding: bytes, as: UTF8.self)
            case .encoded(let charset, let bytes, let raw):
                if let decoded = try? MIMECharset.decode(
                    bytes, charset: charset, location: InputLocation(offset: 0, line: 1, column: 1))
                {
                    result += decoded.string
                } else {
                    result += String(decoding: raw, as: UTF8.self)
                }
            }
        }
        return result
    }

    /// Parses `=?charset?X?text?=` at `start`; returns the token and the index after it.
    private static func parseWord(_ input: [UInt8], at start: Int) -> (Token, Int)? {
        var index = start + 2
        let charsetStart = index
        while index < input.count && input[index] != 0x3F {
            if input[index] <= 0x20 || index - charsetStart > 64 { return nil }
            index += 1
        }
        guard index + 2 < input.count, input[index + 2] == 0x3F, index > charsetStart else { return nil }
        var charset = String(decoding: input[charsetStart..<index], as: UTF8.self).lowercased()
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
        let encoding = input[index + 1] | 0x20
        guard encoding == 0x62 || encoding == 0x71 else { return nil }
        let textStart = index + 3
        index = textStart
        while index + 1 < input.count && !(input[index] == 0x3F && input[index + 1] == 0x3D) {
            if input[index] <= 0x20 || input[index] == 0x3F { return nil }
            index += 1
        }
        guard index + 1 < input.count else { return nil }
        let text = input[textStart..<index]
        let bytes = encoding == 0x62 ? TransferEncoding.decodeBase64(text) : decodeQ(text)
        let end = index + 2
        return (.encoded(charset: charset, bytes: bytes, raw: Array(input[start..<end])), end)
    }

    /// The Q encoding: `_` is a space, `=XX` a byte, anything else itself.
    private static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == 0x5F {
                out.append(0x20)
            } else if byte == 0x3D, index + 2 < text.endIndex, let high = hexValue(text[index + 1]),
                let low = hexValue(text[index + 2])
            {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }
}
