import ParleyEvents

/// Business time under one ``SLAPolicy``: the windows of each local weekday, minus holidays, in the
/// policy's time zone (daylight-saving changes included). All instants are ns since the epoch.
///
/// Walks local days, so its cost grows with the span asked for; spans are capped at ``maxDays`` (about
/// ten years): a clock that would need more is treated as never reaching its target.
public struct BusinessCalendar: Sendable {
    public let policy: SLAPolicy
    private var zone: ZoneOffsets
    /// The holidays, sorted, for a binary search (a `Set` would hash every day walked).
    private let holidays: [Int64]
    /// Business time of whole local days, as running totals: `prefix[i]` is the business ns of the days
    /// `prefixStart ..< prefixStart + i`. Built on demand over at most ``maxPrefixDays`` days, so a span
    /// of many days costs two lookups instead of a walk.
    private var prefixStart: Int64 = 0
    private var prefix: [Int64] = []
    static let maxPrefixDays: Int64 = 8192
    /// The most local days one computation walks.
    public static let maxDays: Int64 = 3660
    static let secondNanos: Int64 = 1_000_000_000
    static let dayNanos: Int64 = 86_400 * secondNanos

    /// The calendar of `policy`, or `nil` when its time zone is unknown to this system.
    public init?(_ policy: SLAPolicy) {
        guard let zone = ZoneOffsets(policy.timeZone) else { return nil }
        self.policy = policy
        self.zone = zone
        self.holidays = policy.holidays.sorted()
    }

    /// Business time (ns) between two instants; 0 when `to ≤ from`.
    public mutating func businessNanos(from: Int64, to: Int64) -> Int64 {
        guard to > from else { return 0 }
        var total: Int64 = 0
        var day = localDay(of: from)
        let lastDay = min(localDay(of: to), day + Self.maxDays)
        // Whole days between the first and the last from the running totals, when they cover them.
        if lastDay - day > 2, coverPrefix(day + 1, lastDay) {
            total += prefix[Int(lastDay - prefixStart)] - prefix[Int(day + 1 - prefixStart)]
            for partial in [day, lastDay] {
                forEachWindow(of: partial) { start, end in
                    let low = max(start, from)
                    let high = min(end, to)
                    if high > low { total += high - low }
                    return true
                }
            }
            return total
        }
        while day <= lastDay {
            forEachWindow(of: day) { start, end in
                let low = max(start, from)
                let high = min(end, to)
                if high > low { total += high - low }
                return true
            }
            day += 1
        }
        return total
    }

    /// The instant at which `amount` ns of business time have passed since `from` (`from` itself for 0),
    /// or `nil` if that takes more than ``maxDays`` local days.
    public mutating func instant(after amount: Int64, from: Int64) -> Int64? {
        guard amount > 0 else { return from }
        var remaining = amount
        var day = localDay(of: from)
        let lastDay = day + Self.maxDays
        var found: Int64?
        while day <= lastDay {
            forEachWindow(of: day) { start, end in
                let low = max(start, from)
                guard end > low else { return true }
                let length = end - low
                if remaining <= length {
                    found = low + remaining
                    return false
                }
                remaining -= length
                return true
            }
            if let found { return found }
            day += 1
        }
        return nil
    }

    /// Makes the running totals cover the days `first ..< last`; `false` when that would take more than
    /// ``maxPrefixDays`` days (the caller then walks).
    private mutating func coverPrefix(_ first: Int64, _ last: Int64) -> Bool {
        if !prefix.isEmpty, first >= prefixStart, last <= prefixStart + Int64(prefix.count - 1) { return true }
        // Grow around what is there, with a year of margin each side.
        var low = first - 366
        var high = last + 366
        if !prefix.isEmpty {
            low = min(low, prefixStart)
            high = max(high, prefixStart + Int64(prefix.count - 1))
        }
        guard high - low <= Self.maxPrefixDays else { return false }
        var totals: [Int64] = [0]
        totals.reserveCapacity(Int(high - low) + 1)
        var running: Int64 = 0
        for day in low..<high {
            forEachWindow(of: day) { start, end in
                running += end - start
                return true
            }
            totals.append(running)
        }
        prefixStart = low
        prefix = totals
        return true
    }

    /// The local date (days since 1970-01-01) holding the instant.
    mutating func localDay(of instant: Int64) -> Int64 {
        let seconds = Bucketing.floorDiv(instant, Self.secondNanos)
        return Bucketing.floorDiv(seconds + zone.offset(atUTC: seconds), 86_400)
    }

    /// Calls `body` with each business window of local day `day` as UTC instants (ns), in order, until it
    /// returns `false`. No allocation: this is the inner loop of every SLA clock.
    @inline(__always)
    private mutating func forEachWindow(of day: Int64, _ body: (Int64, Int64) -> Bool) {
        // 1970-01-01 was a Thursday: Monday-based weekday index 3.
        let shifted = day + 3
        let weekday = Int(shifted - 7 * Bucketing.floorDiv(shifted, 7))
        let count = policy.week[weekday].count
        guard count > 0, !isHoliday(day) else { return }
        let midnight = day * 86_400
        for index in 0..<count {
            let window = policy.week[weekday][index]
            let start = zone.utc(ofLocal: midnight + Int64(window.start))
            let end = zone.utc(ofLocal: midnight + Int64(window.end))
            // A window cut short by a daylight-saving change can come out empty.
            if end > start, !body(Self.clampedNanos(start), Self.clampedNanos(end)) { return }
        }
    }

    private func isHoliday(_ day: Int64) -> Bool {
        var low = 0
        var high = holidays.count
        while low < high {
            let mid = (low + high) / 2
            if holidays[mid] < day { low = mid + 1 } else { high = mid }
        }
        return low < holidays.count && holidays[low] == day
    }

    private static func clampedNanos(_ seconds: Int64) -> Int64 {
        let (value, overflow) = seconds.multipliedReportingOverflow(by: secondNanos)
        return overflow ? (seconds < 0 ? .min : .max) : value
    }
}
