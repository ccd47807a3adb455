/// How durations read in the human views (`queue`, `sla`, `conversation`, `customer`, `workload`): never cut
/// silently.
///
/// A calendar duration shows at most three units from its largest — days, hours and minutes
/// (`1d14h59m`), hours, minutes and seconds (`3h05m12s`), minutes and seconds (`5m07s`) or seconds
/// (`42s`) — rounded to the nearest smallest unit shown, with trailing zero units left out (`2h`, `1d`).
/// Under a second it reads `<1s` (zero is `0s`).
///
/// Business time (SLA clocks) is never shown as 24-hour days: in business hours (`27h05m business`), or,
/// when the policy's open days all have the same length, in business days of that length and the rest
/// (`3 business days 3h05m`). Narrow tables that cannot fit those use the compact form, explained by a
/// legend: `3bd 3h05m`, `27h05m`.
enum DurationText {
    private static let second: Int64 = 1_000_000_000
    private static let units: [(suffix: String, nanos: Int64)] = [
        ("d", 86_400 * second), ("h", 3600 * second), ("m", 60 * second), ("s", second),
    ]

    /// A calendar duration given in ns, e.g. `1d14h59m`; negative ones with a leading `-`.
    static func calendar(nanos: Int64) -> String {
        if nanos < 0 { return "-" + calendar(nanos: nanos == .min ? .max : -nanos) }
        return compound(nanos, units: units)
    }

    /// A calendar duration given in seconds; `-` for nil.
    static func calendar(seconds: Double?) -> String {
        guard let seconds else { return "-" }
        guard seconds.isFinite else { return "-" }
        let nanos = seconds * 1e9
        guard abs(nanos) < 9.2e18 else { return seconds < 0 ? "-∞" : "∞" }
        return calendar(nanos: Int64(nanos.rounded()))
    }

    /// The calendar time from `start` to `end` (ns since the epoch).
    static func between(_ start: Int64, _ end: Int64) -> String {
        let (delta, overflow) = end.subtractingReportingOverflow(start)
        return overflow ? calendar(seconds: (Double(end) - Double(start)) / 1e9) : calendar(nanos: delta)
    }

    /// Business time given in ns: `27h05m business`, or with `businessDay` (the ns of one business day
    /// under the policy) `3 business days 3h05m` once it reaches a day. `compact` leaves the words out for
    /// narrow tables whose legend says the time is business time: `27h05m`, `3bd 3h05m`.
    static func business(nanos: Int64, businessDay: Int64? = nil, compact: Bool = false) -> String {
        if nanos < 0 {
            return "-" + business(nanos: nanos == .min ? .max : -nanos, businessDay: businessDay, compact: compact)
        }
        let hours = Array(units.dropFirst())
        if let businessDay, businessDay > 0, nanos >= businessDay {
            // To the nearest minute first, so that rounding never makes the rest a whole day.
            let minute = 60 * second
            let floor = nanos / minute * minute
            let (up, overflow) = floor.addingReportingOverflow(minute)
            let rounded = nanos % minute >= minute / 2 && !overflow ? up : floor
            let days = rounded / businessDay
            let rest = rounded % businessDay
            let head =
                compact ? "\(Format.grouped(days))bd" : "\(Format.grouped(days)) business day" + (days == 1 ? "" : "s")
            guard rest > 0 else { return head }
            // The rest is under a day, in whole minutes: hours and minutes.
            return head + " " + compound(rest, units: hours, count: 2)
        }
        return compound(nanos, units: hours) + (compact ? "" : " business")
    }

    /// Seconds at full precision for JSON and CSV: the exact decimal of `nanos`, trailing zeros left out
    /// (`5400`, `0.25`, `-1.000000001`).
    static func seconds(nanos: Int64) -> String {
        let magnitude = nanos.magnitude
        let whole = magnitude / 1_000_000_000
        let fraction = magnitude % 1_000_000_000
        var text = (nanos < 0 ? "-" : "") + String(whole)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    /// The calendar seconds from `start` to `end` (ns since the epoch) at full precision.
    static func seconds(from start: Int64, to end: Int64) -> String {
        let (delta, overflow) = end.subtractingReportingOverflow(start)
        return overflow ? String((Double(end) - Double(start)) / 1e9) : seconds(nanos: delta)
    }

    /// `value` in `units` (largest first): at most `count` units from the largest non-zero one, the last
    /// rounded to the nearest, inner units zero-padded to two digits, trailing zero units left out.
    private static func compound(_ value: Int64, units: [(suffix: String, nanos: Int64)], count: Int = 3) -> String {
        if value == 0 { return "0" + units[units.count - 1].suffix }
        if value < second { return "<1s" }
        guard var first = units.firstIndex(where: { value >= $0.nanos }) else { return "<1s" }
        var last = min(first + count - 1, units.count - 1)
        let step = units[last].nanos
        // Round to the smallest unit shown; a carry can make the largest unit grow (59m59.6s → 1h).
        let (rounded, overflow) = (value / step).addingReportingOverflow(value % step >= step / 2 ? 1 : 0)
        var rest = overflow ? value / step : rounded
        if first > 0, rest * step >= units[first - 1].nanos {
            first -= 1
            last = min(first + count - 1, units.count - 1)
            rest = rest * step / units[last].nanos
        }
        var parts: [(Int64, String)] = []
        let lastNanos = units[last].nanos
        for index in first...last {
            let perUnit = units[index].nanos / lastNanos
            parts.append((rest / perUnit, units[index].suffix))
            rest %= perUnit
        }
        while parts.count > 1, parts[parts.count - 1].0 == 0 { parts.removeLast() }
        return parts.enumerated().map { position, part in
            let digits = String(part.0)
            return (position > 0 && digits.count < 2 ? "0" + digits : digits) + part.1
        }.joined()
    }
}
