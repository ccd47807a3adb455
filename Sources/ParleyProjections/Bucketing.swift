import ParleyEvents

/// Report buckets: UTC days, or ISO weeks (Monday to Sunday, UTC), numbered from the Unix epoch.
public struct Bucketing: Sendable {
    /// The bucket size.
    public enum Size: String, Sendable {
        case day, week
    }

    public let size: Size
    static let dayNanos: Int64 = 86_400 * 1_000_000_000
    /// 1970-01-05, the first Monday after the epoch, as a day number.
    static let firstMonday: Int64 = 4

    public init(_ size: Size) { self.size = size }

    /// The bucket holding the instant `nanoseconds`.
    public func index(of nanoseconds: Int64) -> Int64 {
        let day = Self.floorDiv(nanoseconds, Self.dayNanos)
        return size == .day ? day : Self.floorDiv(day - Self.firstMonday, 7)
    }

    /// The first instant of bucket `index` (ns).
    public func start(of index: Int64) -> Int64 {
        (size == .day ? index : index * 7 + Self.firstMonday) * Self.dayNanos
    }

    /// The first instant after bucket `index` (ns): its end.
    public func end(of index: Int64) -> Int64 { start(of: index + 1) }

    /// `2026-03-02` for a day; `2026-W10` for an ISO week.
    public func label(of index: Int64) -> String {
        let start = start(of: index)
        guard size == .week else { return String(Timestamp(nanoseconds: start).rfc3339.prefix(10)) }
        // The ISO week-year is the year of the week's Thursday; week 1 holds that year's first Thursday.
        let thursday = start + 3 * Self.dayNanos
        let year = String(Timestamp(nanoseconds: thursday).rfc3339.prefix(4))
        guard let januaryFirst = Timestamp(rfc3339: year + "-01-01T00:00:00Z") else { return year }
        let dayOfYear = Self.floorDiv(thursday - januaryFirst.nanoseconds, Self.dayNanos)
        let week = dayOfYear / 7 + 1
        return year + "-W" + (week < 10 ? "0" : "") + String(week)
    }

    /// The bucket that holds a date given as `YYYY-MM-DD` (its first instant, UTC).
    public func index(ofDate text: String) -> Int64? {
        guard text.utf8.count == 10, let time = Timestamp(rfc3339: text + "T00:00:00Z") else { return nil }
        return index(of: time.nanoseconds)
    }

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
        let rank = (percent * sorted.count + 99) / 100
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
