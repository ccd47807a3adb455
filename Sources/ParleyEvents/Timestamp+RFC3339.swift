/// RFC 3339 timestamps, the form of every time in the JSON Lines interchange format:
///
///     YYYY-MM-DD ('T' | 't') HH:MM:SS [ '.' 1-9 digits ] ( 'Z' | 'z' | ('+' | '-') HH:MM )
///
/// The UTC offset is required (a time without one names no instant). Leap seconds (`:60`) are
/// rejected: `nanoseconds` has no room for them. The instant must fit in ``Timestamp/nanoseconds``,
/// i.e. lie in 1677-09-21T00:12:43.145224192Z ... 2262-04-11T23:47:16.854775807Z.
extension Timestamp {
    /// Parses an RFC 3339 timestamp.
    ///
    /// - Parameter bytes: the timestamp's UTF-8 bytes, e.g. `2026-03-01T09:30:00.5+01:00`.
    /// - Throws: `EventError` with code `.invalidValue` whose reason names the problem and quotes the
    ///   input, e.g. `not an RFC 3339 timestamp: hour 25 out of range in "2026-02-03T25:00:00Z"`.
    ///   The caller adds the line and field.
    public init(rfc3339 bytes: some Collection<UInt8>) throws(EventError) {
        let contiguous = bytes.withContiguousStorageIfAvailable { Timestamp.parseRFC3339($0) }
        switch contiguous ?? Timestamp.parseRFC3339(Array(bytes)) {
        case .success(let timestamp): self = timestamp
        case .failure(let error): throw error
        }
    }

    /// Parses an RFC 3339 timestamp, or returns `nil` if `string` is not one (the throwing initializer says why).
    /// - Parameter string: e.g. `2026-03-01T08:30:00Z`.
    public init?(rfc3339 string: String) {
        guard let timestamp = try? Timestamp(rfc3339: string.utf8) else { return nil }
        self = timestamp
    }

    /// The timestamp in RFC 3339 form, in the offset it was written with: `2026-03-01T09:30:00.5+01:00`.
    /// The fraction has no trailing zeros and is left out when zero; offset 0 is written `Z`.
    public var rfc3339: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(35)
        appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``rfc3339`` as UTF-8 bytes.
    /// - Parameter out: the buffer to append to.
    public func appendRFC3339(to out: inout [UInt8]) {
        let billion: Int64 = 1_000_000_000
        var seconds = nanoseconds / billion
        var fraction = nanoseconds % billion
        if fraction < 0 {
            fraction += billion
            seconds -= 1
        }
        // Local wall-clock time. Seconds are at most ~9.2e9 and the offset at most ~2e6 s: no overflow.
        let local = seconds + Int64(offsetMinutes) * 60
        var days = local / 86_400
        var secondOfDay = local % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let date = civil(fromDays: days)
        appendDigits(date.year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(date.month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(date.day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &out)
        if fraction != 0 {
            var width = 9
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            out.append(UInt8(ascii: "."))
            appendDigits(fraction, width: width, to: &out)
        }
        if offsetMinutes == 0 {
            out.append(UInt8(ascii: "Z"))
        } else {
            let magnitude = abs(Int64(offsetMinutes))
            out.append(offsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            appendDigits(magnitude / 60, width: 2, to: &out)
            out.append(UInt8(ascii: ":"))
            appendDigits(magnitude % 60, width: 2, to: &out)
        }
    }

    // MARK: - Parsing

    /// The earliest and latest instants `nanoseconds` can hold, for error messages.
    private static let supportedRange = "1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z"

    private static func parseRFC3339<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes
    ) -> Result<Timestamp, EventError> where Bytes.Index == Int {
        let base = bytes.startIndex
        let count = bytes.count
        func byte(_ offset: Int) -> UInt8? { offset < count ? bytes[base + offset] : nil }
        /// The value of `width` decimal digits at `offset`, or nil if any is not a digit (or missing).
        func number(_ offset: Int, _ width: Int) -> Int? {
            guard offset + width <= count else { return nil }
            var value = 0
            for i in offset..<offset + width {
                let digit = bytes[base + i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        func failure(_ problem: String) -> Result<Timestamp, EventError> {
            .failure(
                EventError(
                    .invalidValue,
                    reason: "not an RFC 3339 timestamp: \(problem) in \(JSONLineEncoder.quotedForMessage(bytes))"
                )
            )
        }

        guard let year = number(0, 4), byte(4) == UInt8(ascii: "-"),
            let month = number(5, 2), byte(7) == UInt8(ascii: "-"),
            let day = number(8, 2), byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: "t"),
            let hour = number(11, 2), byte(13) == UInt8(ascii: ":"),
            let minute = number(14, 2), byte(16) == UInt8(ascii: ":"),
            let second = number(17, 2)
        else {
            return failure("expected YYYY-MM-DDTHH:MM:SS[.fraction] followed by Z or ±HH:MM")
        }
        guard (1...12).contains(month) else { return failure("month \(month) out of range") }
        let monthLength = daysIn(month: month, year: year)
        guard (1...monthLength).contains(day) else {
            return failure("day \(day) out of range (\(year)-\(twoDigits(month)) has \(monthLength) days)")
        }
        guard hour <= 23 else { return failure("hour \(hour) out of range") }
        guard minute <= 59 else { return failure("minute \(minute) out of range") }
        guard second != 60 else { return failure("second 60: leap seconds are not supported") }
        guard second <= 59 else { return failure("second \(second) out of range") }

        var position = 19
        var fraction: Int64 = 0
        if byte(position) == UInt8(ascii: ".") {
            position += 1
            let start = position
            while let digit = byte(position), digit &- UInt8(ascii: "0") < 10 { position += 1 }
            let digits = position - start
            guard digits > 0 else { return failure("expected digits after the decimal point") }
            guard digits <= 9 else { return failure("more than 9 fractional digits") }
            fraction = Int64(number(start, digits) ?? 0)
            for _ in digits..<9 { fraction *= 10 }
        }

        var offsetMinutes = 0
        switch byte(position) {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            position += 1
        case let sign? where sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"):
            guard let offsetHour = number(position + 1, 2), byte(position + 3) == UInt8(ascii: ":"),
                let offsetMinute = number(position + 4, 2)
            else {
                return failure("UTC offset must be Z or ±HH:MM")
            }
            guard offsetHour <= 23 else { return failure("offset hour \(offsetHour) out of range") }
            guard offsetMinute <= 59 else { return failure("offset minute \(offsetMinute) out of range") }
            offsetMinutes = offsetHour * 60 + offsetMinute
            if sign == UInt8(ascii: "-") { offsetMinutes = -offsetMinutes }
            position += 6
        case nil:
            return failure("missing UTC offset (Z or ±HH:MM)")
        default:
            return failure("expected Z or ±HH:MM after the time")
        }
        guard position == count else { return failure("unexpected characters after the UTC offset") }

        // Years are 0...9999 here, so this arithmetic cannot overflow; only the nanoseconds can.
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        var seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        // Before 1970 with a fraction, borrow a second so the product stays in range near Int64.min.
        if seconds < 0 && fraction > 0 {
            seconds += 1
            fraction -= 1_000_000_000
        }
        let (scaled, overflowMultiplying) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflowAdding) = scaled.addingReportingOverflow(fraction)
        guard !overflowMultiplying && !overflowAdding else {
            let input = JSONLineEncoder.quotedForMessage(bytes)
            return .failure(
                EventError(.invalidValue, reason: "timestamp out of range: \(input) is outside \(supportedRange)")
            )
        }
        return .success(Timestamp(nanoseconds: total, offsetMinutes: Int16(offsetMinutes)))
    }
}

// MARK: - Calendar arithmetic (proleptic Gregorian calendar)

private func isLeapYear(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

private func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

/// Days from 1970-01-01 to the given date.
///
/// The year is shifted to start on March 1, so the leap day is the last day of its year and the
/// month lengths March...February repeat the pattern 31,30,31,30,31 (five months of 153 days);
/// then whole 400-year eras (146,097 days) are counted separately, so the arithmetic stays positive.
/// This is the "days from civil" method described by Howard Hinnant.
private func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400  // 0...399
    let shiftedMonth = month > 2 ? month - 3 : month + 9  // March = 0 ... February = 11
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1  // 0...365
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear  // 0...146096
    // 719,468 days lie between 0000-03-01 and 1970-01-01.
    return era * 146_097 + dayOfEra - 719_468
}

/// The date `days` after 1970-01-01: the inverse of ``daysFromCivil(year:month:day:)``.
private func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097  // 0...146096
    // Subtract the leap days so far (one per 4 years, none per 100, one per 400) to count 365-day years.
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365  // 0...399
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0...365
    let shiftedMonth = (5 * dayOfYear + 2) / 153  // March = 0 ... February = 11
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
}

/// Appends `value` (non-negative) in decimal, zero-padded to at least `width` digits.
private func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
    var digits = 1
    var limit: Int64 = 10
    while digits < 19 && value >= limit {
        digits += 1
        limit &*= 10
    }
    let total = max(width, digits)
    let start = out.count
    out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: total))
    var rest = value
    var index = start + total - 1
    while rest > 0 {
        out[index] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
        index -= 1
    }
}

private func twoDigits(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
}
