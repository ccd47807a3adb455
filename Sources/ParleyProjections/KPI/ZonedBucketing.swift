/// ``Bucketing`` in one time zone's local time: a bucket is a run of local days (a day, an ISO week, a
/// calendar month), and it starts at the local midnight that opens it, daylight-saving changes included
/// (a local day can last 23 or 25 hours). Without a zone, local time is UTC.
///
/// Reads offsets through ``ZoneOffsets`` (the system's time zone database, cached), so looking a bucket up
/// is mutating.
public struct ZonedBucketing: Sendable {
    /// The buckets, counted in local days.
    public let bucketing: Bucketing
    /// The IANA zone name; `nil` for UTC.
    public let timeZone: String?
    private var zone: ZoneOffsets?
    static let secondNanos: Int64 = 1_000_000_000

    /// Buckets of `size` in UTC.
    public init(_ size: Bucketing.Size) {
        bucketing = Bucketing(size)
        timeZone = nil
        zone = nil
    }

    /// Buckets of `size` in the zone `timeZone` (an IANA name such as `Europe/Paris`; `nil` for UTC), or
    /// `nil` when this system does not know the zone.
    public init?(_ size: Bucketing.Size, timeZone: String?) {
        bucketing = Bucketing(size)
        self.timeZone = timeZone
        guard let timeZone else {
            zone = nil
            return
        }
        guard let zone = ZoneOffsets(timeZone) else { return nil }
        self.zone = zone
    }

    /// Whether this system knows the IANA zone `identifier`.
    public static func isKnownZone(_ identifier: String) -> Bool { ZoneOffsets.isKnown(identifier) }

    /// The bucket size.
    public var size: Bucketing.Size { bucketing.size }

    /// The local date (days since 1970-01-01) of the instant `nanoseconds`.
    public mutating func localDay(of nanoseconds: Int64) -> Int64 {
        guard zone != nil else { return Bucketing.floorDiv(nanoseconds, Bucketing.dayNanos) }
        let seconds = Bucketing.floorDiv(nanoseconds, Self.secondNanos)
        return Bucketing.floorDiv(seconds + zone!.offset(atUTC: seconds), 86_400)
    }

    /// The bucket holding the instant `nanoseconds`.
    public mutating func index(of nanoseconds: Int64) -> Int64 {
        bucketing.index(ofDay: localDay(of: nanoseconds))
    }

    /// The first instant (ns, UTC) of bucket `index`: its first local midnight (a midnight skipped by a
    /// daylight-saving change is read as the first instant after the gap).
    public mutating func start(of index: Int64) -> Int64 {
        guard zone != nil else { return bucketing.start(of: index) }
        let (local, overflow) = bucketing.firstDay(of: index).multipliedReportingOverflow(by: 86_400)
        guard !overflow else { return local < 0 ? .min : .max }
        let (start, nanosOverflow) = zone!.utc(ofLocal: local).multipliedReportingOverflow(by: Self.secondNanos)
        return nanosOverflow ? (local < 0 ? .min : .max) : start
    }

    /// The first instant after bucket `index` (ns, UTC): its end.
    public mutating func end(of index: Int64) -> Int64 { start(of: index + 1) }

    /// The bucket's label: its local date, week or month.
    public func label(of index: Int64) -> String { bucketing.label(of: index) }

    /// The bucket holding the local date `text` (`YYYY-MM-DD`), or `nil` if it is not a date.
    public func index(ofDate text: String) -> Int64? { bucketing.index(ofDate: text) }
}
