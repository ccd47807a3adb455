/// An ISO 8601 week (Monday to Sunday; week 1 holds the year's first Thursday), as `parley report --week`
/// names it.
public struct ISOWeek: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The ISO week-year (the year of the week's Thursday), 1000 to 9999.
    public let year: Int
    /// The week number, 1 to 52 or 53.
    public let week: Int

    /// Parses `YYYY-Www` (`2026-W10`, `2026-W01`) or, with one digit, `YYYY-Wn` (`2026-W1`); the `W` may be
    /// lower case. The week must exist in that year (W53 only in years that have one).
    /// - Parameter text: the week.
    /// - Returns: `nil` when `text` is not such a week.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7 || bytes.count == 8, bytes[4] == UInt8(ascii: "-"),
            bytes[5] | 0x20 == UInt8(ascii: "w"),
            let year = Self.number(bytes[0..<4]), let week = Self.number(bytes[6...]), year >= 1000
        else { return nil }
        guard week >= 1, week <= Self.weeks(in: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// The week `week` of ISO year `year`, when it exists.
    /// - Returns: `nil` for a week the year does not have, or a year outside 1000 to 9999.
    public init?(year: Int, week: Int) {
        guard (1000...9999).contains(year), week >= 1, week <= Self.weeks(in: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// `2026-W10`.
    public var description: String { String(year) + "-W" + (week < 10 ? "0" : "") + String(week) }

    /// Its Monday, as days since 1970-01-01.
    public var monday: Int {
        let januaryFourth = CivilDate.days(year: year, month: 1, day: 4)
        return januaryFourth - CivilDate.weekdayIndex(januaryFourth) + (week - 1) * 7
    }

    /// Its seven days, Monday first, as days since 1970-01-01.
    public var days: [Int] { (0..<7).map { monday + $0 } }

    /// The week before.
    public var previous: ISOWeek? {
        week > 1 ? ISOWeek(year: year, week: week - 1) : ISOWeek(year: year - 1, week: Self.weeks(in: year - 1))
    }

    /// Weeks in ISO year `year`: 53 when January 1 is a Thursday, or a Wednesday in a leap year; else 52.
    static func weeks(in year: Int) -> Int {
        let january1 = CivilDate.weekdayIndex(CivilDate.days(year: year, month: 1, day: 1))
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return january1 == 3 || (leap && january1 == 2) ? 53 : 52
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard digit >= 0x30, digit <= 0x39 else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return digits.isEmpty ? nil : value
    }
}

/// Proleptic Gregorian dates as days since 1970-01-01, after H. Hinnant's `days_from_civil` and
/// `civil_from_days`.
public enum CivilDate {
    /// Days since 1970-01-01 of a date.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number: year, month (1–12), day (1–31).
    public static func date(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 for Monday … 6 for Sunday.
    public static func weekdayIndex(_ days: Int) -> Int {
        let index = (days + 3) % 7  // 1970-01-01 was a Thursday (index 3)
        return index < 0 ? index + 7 : index
    }

    /// `2026-03-02`.
    public static func iso(_ days: Int) -> String {
        let (year, month, day) = date(days)
        return String(year) + "-" + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "")
            + String(day)
    }

    /// Short English weekday names, Monday first.
    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    /// Short English month names.
    public static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Mon 2 Mar`.
    public static func short(_ days: Int) -> String {
        let (_, month, day) = date(days)
        return weekdayNames[weekdayIndex(days)] + " " + String(day) + " " + monthNames[month - 1]
    }
}
