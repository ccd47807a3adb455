import ParleyEvents

/// Report buckets: days, ISO weeks (Monday to Sunday) or calendar months, numbered from the Unix epoch
/// (day 0 = 1970-01-01, week 0 = the week of 1970-01-05, month 0 = 1970-01). The arithmetic here is on
/// day numbers and UTC instants; ``ZonedBucketing`` cuts the same buckets in a time zone's local time.
public struct Bucketing: Sendable {
    /// The bucket size.
    public enum Size: String, Sendable, CaseIterable {
        case day, week, month
    }

    public let size: Size
    static let dayNanos: Int64 = 86_400 * 1_000_000_000
    /// 1970-01-05, the first Monday after the epoch, as a day number.
    static let firstMonday: Int64 = 4

    public init(_ size: Size) { self.size = size }

    /// The bucket holding the instant `nanoseconds` (UTC).
    public func index(of nanoseconds: Int64) -> Int64 {
        index(ofDay: Self.floorDiv(nanoseconds, Self.dayNanos))
    }

    /// The bucket holding day `day` (days since 1970-01-01).
    public func index(ofDay day: Int64) -> Int64 {
        switch size {
        case .day: return day
        case .week: return Self.floorDiv(day - Self.firstMonday, 7)
        case .month:
            let (year, month, _) = Self.civil(fromDay: day)
            return (year - 1970) * 12 + month - 1
        }
    }

    /// The first day (days since 1970-01-01) of bucket `index`.
    public func firstDay(of index: Int64) -> Int64 {
        switch size {
        case .day: return index
        case .week: return index * 7 + Self.firstMonday
        case .month:
            let year = 1970 + Self.floorDiv(index, 12)
            return Self.day(year: year, month: index - Self.floorDiv(index, 12) * 12 + 1, day: 1)
        }
    }

    /// The first instant of bucket `index` (ns, UTC).
    public func start(of index: Int64) -> Int64 {
        let day = firstDay(of: index)
        // The first day (1677-09-21) starts before Int64.min ns, the day after the last one after Int64.max.
        let (start, overflow) = day.multipliedReportingOverflow(by: Self.dayNanos)
        return overflow ? (day < 0 ? .min : .max) : start
    }

    /// The first instant after bucket `index` (ns): its end.
    public func end(of index: Int64) -> Int64 { start(of: index + 1) }

    /// `2026-03-02` for a day; `2026-W10` for an ISO week; `2026-03` for a month.
    public func label(of index: Int64) -> String {
        switch size {
        case .day:
            let (year, month, day) = Self.civil(fromDay: index)
            return String(year) + "-" + Self.twoDigits(month) + "-" + Self.twoDigits(day)
        case .month:
            let (year, month, _) = Self.civil(fromDay: firstDay(of: index))
            return String(year) + "-" + Self.twoDigits(month)
        case .week:
            // The ISO week-year is the year of the week's Thursday; week 1 holds that year's first Thursday.
            // Counted in days, not ns, so that weeks at the ends of the Int64 range are labelled too.
            let thursday = index * 7 + Self.firstMonday + 3
            let year = Self.civil(fromDay: thursday).year
            let week = (thursday - Self.day(year: year, month: 1, day: 1)) / 7 + 1
            return String(year) + "-W" + Self.twoDigits(week)
        }
    }

    private static func twoDigits(_ value: Int64) -> String { (value < 10 ? "0" : "") + String(value) }

    /// The proleptic Gregorian year holding day `day` (days since 1970-01-01).
    static func year(ofDay day: Int64) -> Int64 { civil(fromDay: day).year }

    /// The proleptic Gregorian date of day `day` (days since 1970-01-01), after H. Hinnant's
    /// `civil_from_days`.
    static func civil(fromDay day: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = day + 719_468
        let era = floorDiv(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153  // 0 = March
        let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth)
    }

    /// Day number of a proleptic Gregorian date, after H. Hinnant's `days_from_civil`.
    static func day(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year  // January and February count in the previous March-based year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Day number of January 1 of `year`.
    static func day(ofJanuaryFirst year: Int64) -> Int64 { day(year: year, month: 1, day: 1) }

    /// The day number of a date given as `YYYY-MM-DD`, or `nil` if it is not one.
    public static func day(ofDate text: String) -> Int64? {
        guard text.utf8.count == 10, let time = Timestamp(rfc3339: text + "T00:00:00Z") else { return nil }
        return floorDiv(time.nanoseconds, dayNanos)
    }

    /// The bucket that holds a date given as `YYYY-MM-DD`.
    public func index(ofDate text: String) -> Int64? { Self.day(ofDate: text).map { index(ofDay: $0) } }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }
}

/// Nearest-rank percentiles: the ceil(q·n)-th smallest value.
public enum Percentile {
    /// The nearest-rank `percent`-th percentile of sorted values (`nil` when empty). Integer arithmetic:
    /// with floating point, 0.9 × 10 is 9.000000000000002 and its ceiling would pick the 10th value.
    public static func nearestRank(_ sorted: [Double], percent: Int) -> Double? {
        guard !sorted.isEmpty else { return nil }
        return sorted[rank(percent, of: sorted.count) - 1]
    }

    /// The 1-based nearest rank ⌈percent·n/100⌉ (at least 1) among `count` values.
    static func rank(_ percent: Int, of count: Int) -> Int { min(max((percent * count + 99) / 100, 1), count) }

    /// The nearest-rank percentiles `percents` (ascending) of `values`, without sorting them all:
    /// quickselect, which leaves `values` partly reordered. Same answers as ``nearestRank(_:percent:)``
    /// on the sorted values.
    static func nearestRanks(_ values: inout [Double], percents: [Int]) -> [Double?] {
        guard !values.isEmpty else { return percents.map { _ in nil } }
        var lower = 0
        return percents.map { percent in
            let index = rank(percent, of: values.count) - 1
            select(&values, index, from: lower)
            lower = index  // everything before it is ≤ it: later ranks look from here on
            return values[index]
        }
    }

    /// Reorders `values[from...]` so that `values[k]` is the value a sort would put there, with nothing
    /// greater before it and nothing smaller after it. Hoare partitions around a median of three; after
    /// 2·log₂(n) rounds (hostile inputs) it sorts what is left, so it stays O(n log n) at worst.
    static func select(_ values: inout [Double], _ k: Int, from start: Int) {
        var low = start
        var high = values.count - 1
        var rounds = 2 * (Int.bitWidth - values.count.leadingZeroBitCount)
        while low < high {
            if rounds == 0 {
                values[low...high].sort()
                return
            }
            rounds -= 1
            let mid = low + (high - low) / 2
            if values[mid] < values[low] { values.swapAt(mid, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[mid] { values.swapAt(high, mid) }
            let pivot = values[mid]
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now values[low...j] ≤ pivot, values[i...high] ≥ pivot, and values[j+1..<i] == pivot.
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return
            }
        }
    }
}
