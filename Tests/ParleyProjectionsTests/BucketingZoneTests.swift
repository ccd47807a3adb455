import ParleyEvents
import Testing

@testable import ParleyProjections

/// Months, and days, weeks and months cut in a time zone's local time.
@Suite struct BucketingZoneTests {
    static func ns(_ text: String) -> Int64 { Timestamp(rfc3339: text)!.nanoseconds }

    @Test func monthsAreCalendarMonthsWithTheirOwnLengths() throws {
        let month = Bucketing(.month)
        let february = month.index(of: Self.ns("2028-02-29T23:59:59Z"))
        #expect(month.label(of: february) == "2028-02")
        #expect(month.start(of: february) == Self.ns("2028-02-01T00:00:00Z"))
        #expect(month.end(of: february) == Self.ns("2028-03-01T00:00:00Z"))
        #expect(month.label(of: month.index(of: Self.ns("1969-12-31T23:59:59Z"))) == "1969-12")
        #expect(month.index(ofDate: "1970-01-31") == 0)
        #expect(month.label(of: 12 * 56 + 11) == "2026-12")
        #expect(month.firstDay(of: 12 * 56 + 12) == Bucketing.day(ofDate: "2027-01-01"))
    }

    /// Every day of four centuries: the date arithmetic agrees with the RFC 3339 parser.
    @Test func dayNumbersAndDatesAgreeOverFiveCenturies() throws {
        var day = try #require(Bucketing.day(ofDate: "1700-01-01"))
        let last = try #require(Bucketing.day(ofDate: "2261-12-31"))
        let dayBuckets = Bucketing(.day)
        while day <= last {
            let label = dayBuckets.label(of: day)
            #expect(Bucketing.day(ofDate: label) == day, "\(label)")
            day += 29
        }
    }

    @Test func aParisSpringForwardDayLasts23HoursAndAnAutumnOne25() throws {
        var paris = try #require(ZonedBucketing(.day, timeZone: "Europe/Paris"))
        let spring = try #require(paris.index(ofDate: "2026-03-29"))
        #expect(paris.start(of: spring) == Self.ns("2026-03-28T23:00:00Z"))
        #expect(paris.end(of: spring) - paris.start(of: spring) == 23 * 3_600_000_000_000)
        let autumn = try #require(paris.index(ofDate: "2026-10-25"))
        #expect(paris.end(of: autumn) - paris.start(of: autumn) == 25 * 3_600_000_000_000)
        // 22:30Z on 03-29 is 00:30 on 03-30 in summer time, 22:30Z on 03-28 still 23:30 on 03-28.
        #expect(paris.label(of: paris.index(of: Self.ns("2026-03-29T22:30:00Z"))) == "2026-03-30")
        #expect(paris.label(of: paris.index(of: Self.ns("2026-03-28T22:30:00Z"))) == "2026-03-28")
    }

    @Test func weeksAndMonthsStartAtLocalMidnight() throws {
        var tokyo = try #require(ZonedBucketing(.week, timeZone: "Asia/Tokyo"))
        let week = tokyo.index(of: Self.ns("2026-03-01T15:00:00Z"))  // Monday 03-02 00:00 in Tokyo
        #expect(tokyo.label(of: week) == "2026-W10")
        #expect(tokyo.start(of: week) == Self.ns("2026-03-01T15:00:00Z"))
        var newYork = try #require(ZonedBucketing(.month, timeZone: "America/New_York"))
        let march = newYork.index(of: Self.ns("2026-04-01T03:59:59Z"))
        #expect(newYork.label(of: march) == "2026-03")
        #expect(newYork.start(of: march) == Self.ns("2026-03-01T05:00:00Z"))
        #expect(newYork.end(of: march) == Self.ns("2026-04-01T04:00:00Z"))
    }

    /// Zones at half and quarter hours past UTC: a quarter-hour slot of UTC time lies in one local day, so
    /// message counts kept per slot are cut exactly.
    @Test(arguments: ["Asia/Kolkata", "Asia/Kathmandu", "Australia/Eucla", "America/St_Johns", "Europe/Paris"])
    func everyQuarterHourSlotLiesInOneLocalDay(zone: String) throws {
        var zoned = try #require(ZonedBucketing(.day, timeZone: zone))
        let slot = KPIProjection.slotNanos
        var instant = Self.ns("2026-01-01T00:00:00Z")
        let end = Self.ns("2027-01-01T00:00:00Z")
        while instant < end {
            #expect(zoned.index(of: instant) == zoned.index(of: instant + slot - 1), "\(zone) at \(instant)")
            instant += slot
        }
    }

    @Test func anUnknownZoneIsRefused() {
        #expect(ZonedBucketing(.day, timeZone: "Mars/Olympus") == nil)
        #expect(!ZonedBucketing.isKnownZone("Mars/Olympus"))
        #expect(
            KPIReport.check(KPIReport.Query(size: .day, timeZone: "Mars/Olympus")) == .unknownTimeZone("Mars/Olympus"))
    }
}
