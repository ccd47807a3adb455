import Foundation

/// UTC offsets of one IANA time zone, from the system's time zone database (through Foundation's
/// `TimeZone`; the only use of Foundation in ParleyProjections). Offsets are cached as a sorted table of
/// transitions that grows to cover the instants asked for, so a lookup is a binary search.
struct ZoneOffsets: Sendable {
    private let zone: TimeZone
    /// Seconds since the epoch (UTC) covered by the table: `[lower, upper)`.
    private var lower: Int64 = 0
    private var upper: Int64 = 0
    /// Instants (UTC seconds) where the offset changes, sorted; `offsets[i]` is in force from
    /// `starts[i]`; `offsets[0]` from `lower`.
    private var starts: [Int64] = []
    private var offsets: [Int64] = []

    /// Whether the system knows the zone `identifier`.
    static func isKnown(_ identifier: String) -> Bool { TimeZone(identifier: identifier) != nil }

    /// The zone `identifier`, or `nil` if the system does not know it.
    init?(_ identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.zone = zone
    }

    /// Two years on each side of what was asked for, so a replay rarely rebuilds the table.
    private static let margin: Int64 = 2 * 366 * 86_400
    /// Instants are clamped to years 1600 … 2400: beyond them Foundation's answers are not dependable
    /// and nothing in a log of Parley's lives there (its timestamps span 1677 … 2262).
    private static let earliest: Int64 = -11_676_096_000
    private static let latest: Int64 = 13_574_563_200

    /// The offset (seconds east of UTC) in force at `seconds` since the epoch.
    mutating func offset(atUTC seconds: Int64) -> Int64 {
        let t = min(max(seconds, Self.earliest), Self.latest - 1)
        if t < lower || t >= upper { cover(t) }
        // The last transition at or before t.
        var low = 0
        var high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] <= t { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? offsets[0] : offsets[low - 1]
    }

    /// The UTC instant (seconds) of local wall-clock time `local` (seconds since the epoch as if local
    /// time were UTC). A time in a gap (clocks set forward) is read with the offset before the gap, so it
    /// lands after it (02:30 on a spring-forward night in Paris is 03:30 summer time); a time that occurs
    /// twice (clocks set back) resolves to one of its two occurrences.
    mutating func utc(ofLocal local: Int64) -> Int64 {
        local - offset(atUTC: local - offset(atUTC: local))
    }

    private mutating func cover(_ t: Int64) {
        let newLower = starts.isEmpty ? t - Self.margin : min(lower, t - Self.margin)
        let newUpper = starts.isEmpty ? t + Self.margin : max(upper, t + Self.margin)
        lower = max(newLower, Self.earliest)
        upper = min(newUpper, Self.latest)
        starts = [lower]
        offsets = [Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(lower))))]
        var cursor = Date(timeIntervalSince1970: Double(lower))
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor),
            next.timeIntervalSince1970 < Double(upper)
        {
            let instant = Int64(next.timeIntervalSince1970.rounded(.down))
            guard instant > starts[starts.count - 1] else { break }
            starts.append(instant)
            offsets.append(Int64(zone.secondsFromGMT(for: next)))
            cursor = next
        }
    }
}
