import ParleyEvents

/// Business time under one ``SLAPolicy``: the windows of each local weekday, minus holidays, in the
/// policy's time zone (daylight-saving changes included). All instants are ns since the epoch.
///
/// Walks local days, so its cost grows with the span asked for; spans are capped at ``maxDays`` (about
/// ten years): a clock that would need more is treated as never reaching its target.
public struct BusinessCalendar: Sendable {
    public let policy: SLAPolicy
    private var zone: ZoneOffsets
    /// The most local days one computation walks.
    public static let maxDays: Int64 = 3660
    static let secondNanos: Int64 = 1_000_000_000
    static let dayNanos: Int64 = 86_400 * secondNanos

    /// The calendar of `policy`, or `nil` when its time zone is unknown to this system.
    public init?(_ policy: SLAPolicy) {
        guard let zone = ZoneOffsets(policy.timeZone) else { return nil }
        self.policy = policy
        self.zone = zone
    }

    /// Business time (ns) between two instants; 0 when `to ≤ from`.
    public mutating func businessNanos(from: Int64, to: Int64) -> Int64 {
        guard to > from else { return 0 }
        var total: Int64 = 0
        var day = localDay(of: from)
        let lastDay = min(localDay(of: to), day + Self.maxDays)
        while day <= lastDay {
            for window in windows(of: day) {
                let low = max(window.lowerBound, from)
                let high = min(window.upperBound, to)
                if high > low { total += high - low }
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
        while day <= lastDay {
            for window in windows(of: day) {
                let low = max(window.lowerBound, from)
                guard window.upperBound > low else { continue }
                let length = window.upperBound - low
                if remaining <= length { return low + remaining }
                remaining -= length
            }
            day += 1
        }
        return nil
    }

    /// The local date (days since 1970-01-01) holding the instant.
    mutating func localDay(of instant: Int64) -> Int64 {
        let seconds = Bucketing.floorDiv(instant, Self.secondNanos)
        return Bucketing.floorDiv(seconds + zone.offset(atUTC: seconds), 86_400)
    }

    /// The business windows of local day `day` as UTC instants (ns): none on a holiday or a closed day.
    mutating func windows(of day: Int64) -> [Range<Int64>] {
        guard !policy.holidays.contains(day) else { return [] }
        // 1970-01-01 was a Thursday: Monday-based weekday index 3.
        let shifted = day + 3
        let weekday = Int(shifted - 7 * Bucketing.floorDiv(shifted, 7))
        let windows = policy.week[weekday]
        guard !windows.isEmpty else { return [] }
        let midnight = day * 86_400
        var result: [Range<Int64>] = []
        result.reserveCapacity(windows.count)
        for window in windows {
            let start = zone.utc(ofLocal: midnight + Int64(window.start))
            let end = zone.utc(ofLocal: midnight + Int64(window.end))
            // A window cut short by a daylight-saving change can come out empty.
            if end > start { result.append(Self.clampedNanos(start)..<Self.clampedNanos(end)) }
        }
        return result
    }

    private static func clampedNanos(_ seconds: Int64) -> Int64 {
        let (value, overflow) = seconds.multipliedReportingOverflow(by: secondNanos)
        return overflow ? (seconds < 0 ? .min : .max) : value
    }
}
