/// A structured header value with parameters (RFC 2045): `multipart/alternative; boundary="x"; charset=utf-8`.
///
/// Parsing is tolerant: comments in parentheses are skipped, quoted strings may use backslash escapes, an
/// unterminated quote runs to the end, an unquoted value runs to the next `;`, and a parameter without `=`
/// is ignored. RFC 2231 extended parameters (`name*=utf-8''%E2%82%AC`, `name*0=`, `name*1*=`) are joined
/// and decoded; an undecodable charset there falls back to UTF-8 with replacement characters.
public struct ParameterizedValue: Equatable, Sendable {
    /// The main value, lowercased (`multipart/alternative`, `attachment`).
    public var value: String
    /// The parameters in order, names lowercased, values as written (unquoted).
    public var parameters: [(name: String, value: String)]

    /// Parses a header value.
    public init(parsing text: String) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var mainValue = String.UnicodeScalarView()
        var raw: [(name: String, value: String)] = []
        Self.skipSpaceAndComments(scalars, &index)
        while index < scalars.count && scalars[index] != ";" {
            if scalars[index] == "(" {
                Self.skipSpaceAndComments(scalars, &index)
                continue
            }
            if scalars[index] != " " && scalars[index] != "\t" { mainValue.append(scalars[index]) }
            index += 1
        }
        while index < scalars.count {
            index += 1  // past ";"
            Self.skipSpaceAndComments(scalars, &index)
            var name = String.UnicodeScalarView()
            while index < scalars.count && scalars[index] != "=" && scalars[index] != ";" {
                if scalars[index] != " " && scalars[index] != "\t" { name.append(scalars[index]) }
                index += 1
            }
            guard index < scalars.count, scalars[index] == "=" else { continue }
            index += 1
            Self.skipSpaceAndComments(scalars, &index)
            var value = String.UnicodeScalarView()
            if index < scalars.count && scalars[index] == "\"" {
                index += 1
                while index < scalars.count && scalars[index] != "\"" {
                    if scalars[index] == "\\" && index + 1 < scalars.count { index += 1 }
                    value.append(scalars[index])
                    index += 1
                }
                while index < scalars.count && scalars[index] != ";" { index += 1 }
            } else {
                while index < scalars.count && scalars[index] != ";" {
                    value.append(scalars[index])
                    index += 1
                }
            }
            if !name.isEmpty {
                raw.append((String(name).lowercased(), String(value).trimmingWhitespace))
            }
        }
        self.value = String(mainValue).lowercased()
        self.parameters = Self.joinExtended(raw)
    }

    /// The value of the first parameter with this name (case-insensitive), or `nil`.
    public func parameter(_ name: String) -> String? {
        let wanted = name.lowercased()
        return parameters.first { $0.name == wanted }?.value
    }

    /// Equal when the values and the parameters (names and values, in order) are equal.
    public static func == (lhs: ParameterizedValue, rhs: ParameterizedValue) -> Bool {
        lhs.value == rhs.value && lhs.parameters.map(\.name) == rhs.parameters.map(\.name)
            && lhs.parameters.map(\.value) == rhs.parameters.map(\.value)
    }

    private static func skipSpaceAndComments(_ scalars: [Unicode.Scalar], _ index: inout Int) {
        var depth = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "(" {
                depth += 1
            } else if scalar == ")" && depth > 0 {
                depth -= 1
            } else if scalar == "\\" && depth > 0 {
                index += 1
            } else if depth == 0 && scalar != " " && scalar != "\t" && scalar != "\r" && scalar != "\n" {
                return
            }
            index += 1
        }
    }

    /// Joins RFC 2231 sections (`name*0`, `name*1*`) and decodes `charset'language'%XX` values.
    private static func joinExtended(_ raw: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        var sections: [String: [(number: Int, encoded: Bool, value: String)]] = [:]
        var order: [String] = []
        var extended: [String: String] = [:]
        for (name, value) in raw {
            guard let star = name.firstIndex(of: "*") else {
                result.append((name, value))
                continue
            }
            let base = String(name[..<star])
            var rest = name[name.index(after: star)...]
            let encoded = rest.hasSuffix("*") || rest.isEmpty
            if rest.hasSuffix("*") { rest = rest.dropLast() }
            let number = rest.isEmpty ? 0 : (Int(rest) ?? -1)
            guard number >= 0, number < 1_000 else { continue }
            if sections[base] == nil { order.append(base) }
            sections[base, default: []].append((number, encoded, value))
        }
        for base in order {
            let parts = (sections[base] ?? []).sorted { $0.number < $1.number }
            var bytes: [UInt8] = []
            var charset = "utf-8"
            for (position, part) in parts.enumerated() {
                var text = Substring(part.value)
                if part.encoded && position == 0 {
                    let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if pieces.count == 3 {
                        if !pieces[0].isEmpty { charset = String(pieces[0]) }
                        text = pieces[2]
                    }
                }
                bytes += part.encoded ? percentDecode(text) : Array(text.utf8)
            }
            let string =
                (try? MIMECharset.decode(
                    bytes, charset: charset, location: InputLocation(offset: 0, line: 1, column: 1)))?
                .string ?? MIMECharset.decodeUTF8(bytes).string
            extended[base] = string
        }
        // The extended form wins over a plain parameter of the same name (RFC 2231 section 4).
        for (position, parameter) in result.enumerated() {
            if let value = extended.removeValue(forKey: parameter.name) { result[position].value = value }
        }
        return result + order.compactMap { base in extended[base].map { (base, $0) } }
    }

    private static func percentDecode(_ text: Substring) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < utf8.count {
            if utf8[index] == 0x25, index + 2 < utf8.count, let high = hexValue(utf8[index + 1]),
                let low = hexValue(utf8[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }
}

/// The value of one hexadecimal digit, either case.
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x41...0x46: byte - 0x41 + 10
    case 0x61...0x66: byte - 0x61 + 10
    default: nil
    }
}
