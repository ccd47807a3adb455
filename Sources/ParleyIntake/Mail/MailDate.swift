/// RFC 5322 date-time parsing for `Date:` fields (section 3.3, with the obsolete forms of section 4.3).
///
/// Accepted: an optional day name (`Tue` or `Tuesday`, any case, the comma optional); a day of one or two
/// digits; a month name (`Dec` or `December`, any case); a year of four digits, or two digits (00–49 →
/// 2000–2049, 50–99 → 1950–1999) or three digits (+1900) as the obsolete syntax says; `hh:mm` with
/// optional `:ss` (60 allowed for a leap second, counted as the next second); a zone: `+hhmm`/`-hhmm`,
/// `UT`/`GMT` (+0000), `EST`/`EDT`/`CST`/`CDT`/`MST`/`MDT`/`PST`/`PDT` with their offsets, a single
/// military letter (other than `J`), or another alphabetic name of up to five letters; RFC 5322 says the
/// military letters were defined wrongly and unknown names mean nothing, so both count as `-0000`
/// (UTC, offset unknown). Comments in parentheses (nested, with `\` escapes) and any extra whitespace,
/// folding included, may appear between the parts.
///
/// Rejected with ``MailError/Code/invalidDate``: anything else, a missing zone, impossible values
/// (31 Feb, 25:00, zone minutes ≥ 60) and instants outside Int64 nanoseconds (about 1677–2262).
public enum MailDate {
    /// The instant `text` names, in nanoseconds since 1970-01-01T00:00:00Z.
    /// - Parameter location: where the value starts (the column after `Date:`); errors point into it.
    ///   Without one, errors give the byte position inside `text` (line 1).
    public static func parse(_ text: String, at location: InputLocation? = nil) throws(MailError) -> Int64 {
        let bytes = Array(text.utf8.prefix(4096))
        func fail(_ position: Int, _ reason: String) -> MailError {
            let base = location ?? InputLocation(offset: 0, line: 1, column: 1)
            return MailError(
                code: .invalidDate,
                location: InputLocation(
                    file: base.file, offset: base.offset + position, line: base.line, column: base.column + position),
                reason: reason)
        }
        let tokens = try tokenize(bytes, fail: fail)
        var index = 0
        func peek() -> Token? { index < tokens.count ? tokens[index] : nil }
        let end = bytes.count

        if let first = peek(), case .word(let word) = first.kind {
            guard dayNames.contains(where: { $0 == word || $0.prefix(3) == word && word.count == 3 }) else {
                throw fail(first.position, "expected a day name or a day of the month, found \"\(word)\"")
            }
            index += 1
            if let comma = peek(), case .comma = comma.kind { index += 1 }
        }
        func number(_ what: String, digits: ClosedRange<Int>) throws(MailError) -> Int {
            guard let token = peek(), case .number(let text) = token.kind else {
                throw fail(peek()?.position ?? end, "expected \(what)")
            }
            guard digits.contains(text.count) else {
                throw fail(
                    token.position,
                    "\(what) has \(text.count) digits, expected \(digits.lowerBound)–\(digits.upperBound)")
            }
            index += 1
            return Int(text) ?? 0
        }
        let day = try number("the day of the month", digits: 1...2)
        guard let monthToken = peek(), case .word(let monthName) = monthToken.kind else {
            throw fail(peek()?.position ?? end, "expected a month name")
        }
        guard
            let month = monthNames.firstIndex(where: {
                $0 == monthName || $0.prefix(3) == monthName && monthName.count == 3
            })
        else {
            throw fail(monthToken.position, "expected a month name, found \"\(monthName)\"")
        }
        index += 1
        let yearPosition = peek()?.position ?? end
        var year = try number("the year", digits: 2...4)
        switch tokens[index - 1].kind {
        case .number(let text) where text.count == 2: year += year < 50 ? 2000 : 1900
        case .number(let text) where text.count == 3: year += 1900
        default: break
        }
        let hour = try number("the hour", digits: 1...2)
        func colon(_ what: String) throws(MailError) {
            guard let token = peek(), case .colon = token.kind else { throw fail(peek()?.position ?? end, what) }
            index += 1
        }
        try colon("expected \":\" after the hour")
        let minute = try number("the minutes", digits: 2...2)
        var second = 0
        if let token = peek(), case .colon = token.kind {
            index += 1
            second = try number("the seconds", digits: 2...2)
        }
        guard let zoneToken = peek() else { throw fail(end, "missing the time zone") }
        var zoneMinutes = 0
        switch zoneToken.kind {
        case .sign(let negative):
            index += 1
            guard let digits = peek(), case .number(let text) = digits.kind, text.count == 4,
                digits.position == zoneToken.position + 1
            else {
                throw fail(zoneToken.position, "a numeric zone is a sign and four digits (+hhmm)")
            }
            index += 1
            let value = Int(text) ?? 0
            guard value % 100 < 60 else { throw fail(digits.position, "zone minutes must be below 60") }
            zoneMinutes = (value / 100 * 60 + value % 100) * (negative ? -1 : 1)
        case .word(let name):
            index += 1
            if let known = namedZones[name] {
                zoneMinutes = known * 60
            } else if name.count == 1 && name != "j" || (2...5).contains(name.count) {
                zoneMinutes = 0
            } else {
                throw fail(zoneToken.position, "unknown time zone \"\(name)\"")
            }
        default:
            throw fail(zoneToken.position, "expected a time zone")
        }
        if let extra = peek() { throw fail(extra.position, "unexpected text after the time zone") }

        guard (1900...9999).contains(year) else { throw fail(yearPosition, "year \(year) is out of range") }
        guard day >= 1, day <= daysIn(month: month + 1, year: year) else {
            throw fail(yearPosition, "\(monthNames[month].prefix(3).capitalized) \(year) has no day \(day)")
        }
        guard hour < 24, minute < 60, second <= 60 else { throw fail(yearPosition, "the time of day is out of range") }
        let days = Int64(daysFromCivil(year: year, month: month + 1, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(zoneMinutes * 60)
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { throw fail(yearPosition, "the instant is outside the range of Int64 nanoseconds") }
        return nanoseconds
    }

    private static let dayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    private static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]
    private static let namedZones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
        "pst": -8, "pdt": -7,
    ]

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct Token {
        enum Kind {
            case word(String)
            case number(String)
            case comma, colon
            case sign(negative: Bool)
        }
        var kind: Kind
        var position: Int
    }

    private static func tokenize(_ bytes: [UInt8], fail: (Int, String) -> MailError) throws(MailError) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case 0x20, 0x09, 0x0D, 0x0A:
                i += 1
            case UInt8(ascii: "("):
                let open = i
                var depth = 0
                repeat {
                    guard i < bytes.count else { throw fail(open, "unterminated comment") }
                    switch bytes[i] {
                    case UInt8(ascii: "("): depth += 1
                    case UInt8(ascii: ")"): depth -= 1
                    case UInt8(ascii: "\\"): i += 1
                    default: break
                    }
                    i += 1
                } while depth > 0
            case UInt8(ascii: ","):
                tokens.append(Token(kind: .comma, position: i))
                i += 1
            case UInt8(ascii: ":"):
                tokens.append(Token(kind: .colon, position: i))
                i += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                tokens.append(Token(kind: .sign(negative: byte == UInt8(ascii: "-")), position: i))
                i += 1
            default:
                let start = i
                if isDigit(byte) {
                    while i < bytes.count, isDigit(bytes[i]), i - start < 9 { i += 1 }
                    if i < bytes.count, isDigit(bytes[i]) { throw fail(start, "number too long") }
                    tokens.append(
                        Token(kind: .number(String(decoding: bytes[start..<i], as: UTF8.self)), position: start))
                } else if isLetter(byte) {
                    while i < bytes.count, isLetter(bytes[i]), i - start < 16 { i += 1 }
                    if i < bytes.count, isLetter(bytes[i]) { throw fail(start, "word too long") }
                    tokens.append(
                        Token(
                            kind: .word(String(decoding: bytes[start..<i], as: UTF8.self).lowercased()), position: start
                        ))
                } else {
                    throw fail(i, "unexpected character")
                }
            }
            if tokens.count > 64 { throw fail(i, "too many parts for a date") }
        }
        return tokens
    }
}
