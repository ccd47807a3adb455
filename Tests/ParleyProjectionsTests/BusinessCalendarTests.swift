import Foundation
import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

/// Business time under a policy: known answers (weekends, holidays, lunch, windows ending at 24:00,
/// daylight-saving days in Europe/Paris and America/New_York), and properties over random instants checked
/// against a second, slot-by-slot statement of the rules.
@Suite struct BusinessCalendarTests {
    static let minute: Int64 = 60_000_000_000
    static let hour: Int64 = 60 * minute
    static let day: Int64 = 24 * hour

    static func t(_ text: String) -> Int64 { Timestamp(rfc3339: text)!.nanoseconds }

    /// Local date → days since 1970-01-01.
    static func date(_ text: String) -> Int64 { t(text + "T00:00:00Z") / day }

    /// `"HH:MM-HH:MM"` windows for each weekday, Monday first.
    static func policy(_ zone: String, _ week: [[String]], holidays: [String] = []) -> SLAPolicy {
        SLAPolicy(
            timeZone: zone, week: week.map { $0.map { SLAPolicy.window($0)! } },
            holidays: Set(holidays.map(date)), targets: [.normal: SLAPolicy.Targets(firstResponse: 60, resolution: 60)])
    }

    static let office = ["09:00-12:30", "13:30-18:00"]
    /// Paris standard of Fixtures/sla: weekdays with a lunch break, Easter Monday off.
    static let parisStandard = policy(
        "Europe/Paris", [office, office, office, office, office, [], []], holidays: ["2026-04-06"])
    static let allDay = [[String]](repeating: ["00:00-24:00"], count: 7)
    static let nightDesk = [[String]](repeating: ["01:00-05:00"], count: 7)

    static func calendar(_ policy: SLAPolicy) throws -> BusinessCalendar { try #require(BusinessCalendar(policy)) }

    // MARK: Known answers

    @Test func lunchBreakWeekendAndHolidayDoNotCount() throws {
        var calendar = try Self.calendar(Self.parisStandard)
        // Monday 2026-03-02, CET: 08:00–20:00 holds 3 h 30 + 4 h 30.
        #expect(
            calendar.businessNanos(from: Self.t("2026-03-02T08:00:00+01:00"), to: Self.t("2026-03-02T20:00:00+01:00"))
                == 8 * Self.hour)
        #expect(
            calendar.businessNanos(from: Self.t("2026-03-02T12:30:00+01:00"), to: Self.t("2026-03-02T13:30:00+01:00"))
                == 0)
        #expect(
            calendar.businessNanos(from: Self.t("2026-03-02T12:00:00+01:00"), to: Self.t("2026-03-02T14:00:00+01:00"))
                == Self.hour)
        // The weekend is closed.
        #expect(
            calendar.businessNanos(from: Self.t("2026-03-06T18:00:00+01:00"), to: Self.t("2026-03-09T09:00:00+01:00"))
                == 0)
        // Friday 17:00 → Tuesday 12:00 across Easter Monday (a holiday), CEST: 1 h + 3 h.
        let friday = Self.t("2026-04-03T17:00:00+02:00")
        let tuesdayNoon = Self.t("2026-04-07T12:00:00+02:00")
        #expect(calendar.businessNanos(from: friday, to: tuesdayNoon) == 4 * Self.hour)
        #expect(calendar.instant(after: 4 * Self.hour, from: friday) == tuesdayNoon)
        #expect(calendar.instant(after: Self.hour, from: friday) == Self.t("2026-04-03T18:00:00+02:00"))
        #expect(calendar.instant(after: Self.hour + 1, from: friday) == Self.t("2026-04-07T09:00:00+02:00") + 1)
        // Nothing at all on the holiday; the same weekday a week later is a full day.
        #expect(
            calendar.businessNanos(from: Self.t("2026-04-06T00:00:00+02:00"), to: Self.t("2026-04-07T00:00:00+02:00"))
                == 0)
        #expect(
            calendar.businessNanos(from: Self.t("2026-04-13T00:00:00+02:00"), to: Self.t("2026-04-14T00:00:00+02:00"))
                == 8 * Self.hour)
        // Reversed or empty spans count nothing; zero business time is reached at once.
        #expect(calendar.businessNanos(from: tuesdayNoon, to: friday) == 0)
        #expect(calendar.businessNanos(from: friday, to: friday) == 0)
        #expect(calendar.instant(after: 0, from: friday) == friday)
    }

    @Test func aHolidayIsALocalDate() throws {
        // New Year's Day in Paris runs 2025-12-31T23:00Z … 2026-01-01T23:00Z.
        var calendar = try Self.calendar(Self.policy("Europe/Paris", Self.allDay, holidays: ["2026-01-01"]))
        #expect(
            calendar.businessNanos(from: Self.t("2025-12-31T22:00:00Z"), to: Self.t("2026-01-02T00:00:00Z")) == 2
                * Self.hour)
        #expect(
            calendar.instant(after: Self.hour + 1, from: Self.t("2025-12-31T22:00:00Z")) == Self.t(
                "2026-01-01T23:00:00Z") + 1)
    }

    @Test func windowsEndingAt24JoinTheNextDay() throws {
        let week = [[], [], [], [], [], ["22:00-24:00"], ["00:00-02:00"]]
        var calendar = try Self.calendar(Self.policy("Europe/Paris", week))
        let saturday = Self.t("2026-03-07T23:00:00+01:00")
        #expect(calendar.businessNanos(from: saturday, to: Self.t("2026-03-08T01:00:00+01:00")) == 2 * Self.hour)
        #expect(calendar.instant(after: 90 * Self.minute, from: saturday) == Self.t("2026-03-08T00:30:00+01:00"))
        // Exactly one hour: reached at Saturday's 24:00, i.e. Sunday 00:00.
        #expect(calendar.instant(after: Self.hour, from: saturday) == Self.t("2026-03-08T00:00:00+01:00"))
        // Sunday 02:00 → next Saturday 22:00 is closed.
        #expect(calendar.instant(after: 3 * Self.hour + 1, from: saturday) == Self.t("2026-03-14T22:00:00+01:00") + 1)
    }

    @Test func daylightSavingDaysInParis() throws {
        var allDay = try Self.calendar(Self.policy("Europe/Paris", Self.allDay))
        // The local day of 2026-03-29 lasts 23 h, that of 2026-10-25 25 h.
        #expect(
            allDay.businessNanos(from: Self.t("2026-03-29T00:00:00+01:00"), to: Self.t("2026-03-30T00:00:00+02:00"))
                == 23 * Self.hour)
        #expect(
            allDay.businessNanos(from: Self.t("2026-10-25T00:00:00+02:00"), to: Self.t("2026-10-26T00:00:00+01:00"))
                == 25 * Self.hour)
        var night = try Self.calendar(Self.policy("Europe/Paris", Self.nightDesk))
        // 01:00–05:00 local: 4 h, but 3 h on the spring day (02:00–03:00 does not exist) and 5 h in the autumn
        // (02:00–03:00 happens twice).
        #expect(
            night.businessNanos(from: Self.t("2026-03-28T00:00:00Z"), to: Self.t("2026-03-28T12:00:00Z")) == 4
                * Self.hour)
        #expect(
            night.businessNanos(from: Self.t("2026-03-29T00:00:00Z"), to: Self.t("2026-03-29T12:00:00Z")) == 3
                * Self.hour)
        #expect(
            night.businessNanos(from: Self.t("2026-10-24T12:00:00Z"), to: Self.t("2026-10-25T12:00:00Z")) == 5
                * Self.hour)
        #expect(
            night.businessNanos(from: Self.t("2026-10-25T12:00:00Z"), to: Self.t("2026-10-26T12:00:00Z")) == 4
                * Self.hour)
        // The windows in UTC: 00:00Z–03:00Z on 03-29; 10-24T23:00Z–10-25T04:00Z.
        #expect(
            night.instant(after: 2 * Self.hour, from: Self.t("2026-03-29T00:30:00Z")) == Self.t("2026-03-29T02:30:00Z"))
        #expect(
            night.instant(after: 3 * Self.hour, from: Self.t("2026-03-29T00:00:00Z")) == Self.t("2026-03-29T03:00:00Z"))
        #expect(
            night.instant(after: 3 * Self.hour + 1, from: Self.t("2026-03-29T00:00:00Z")) == Self.t(
                "2026-03-29T23:00:00Z") + 1)
        #expect(
            night.instant(after: 5 * Self.hour, from: Self.t("2026-10-24T23:00:00Z")) == Self.t("2026-10-25T04:00:00Z"))
        #expect(night.instant(after: Self.hour, from: Self.t("2026-10-25T00:30:00Z")) == Self.t("2026-10-25T01:30:00Z"))
    }

    @Test func daylightSavingDaysInNewYork() throws {
        var allDay = try Self.calendar(Self.policy("America/New_York", Self.allDay))
        #expect(
            allDay.businessNanos(from: Self.t("2026-03-08T00:00:00-05:00"), to: Self.t("2026-03-09T00:00:00-04:00"))
                == 23 * Self.hour)
        #expect(
            allDay.businessNanos(from: Self.t("2026-11-01T00:00:00-04:00"), to: Self.t("2026-11-02T00:00:00-05:00"))
                == 25 * Self.hour)
        // An office day on either side of the change keeps its local hours: 08:00 EST is 13:00Z, 08:00 EDT 12:00Z.
        let split = [["08:00-12:00", "13:00-17:00"]] + [[String]](repeating: [], count: 6)
        var office = try Self.calendar(Self.policy("America/New_York", split))
        #expect(office.instant(after: 1, from: Self.t("2026-03-02T00:00:00Z")) == Self.t("2026-03-02T13:00:00Z") + 1)
        #expect(office.instant(after: 1, from: Self.t("2026-03-09T00:00:00Z")) == Self.t("2026-03-09T12:00:00Z") + 1)
        #expect(
            office.businessNanos(from: Self.t("2026-03-02T00:00:00Z"), to: Self.t("2026-03-10T00:00:00Z")) == 16
                * Self.hour)
    }

    @Test func aCalendarThatNeverOpensNeverReachesItsTarget() throws {
        var closed = try Self.calendar(Self.policy("Europe/Paris", [[String]](repeating: [], count: 7)))
        #expect(closed.businessNanos(from: Self.t("2026-01-01T00:00:00Z"), to: Self.t("2027-01-01T00:00:00Z")) == 0)
        #expect(closed.instant(after: 1, from: Self.t("2026-01-01T00:00:00Z")) == nil)
    }

    // MARK: Properties over random instants

    /// The instants of interest: the DST weekends of both zones, Easter, ordinary weeks.
    static let anchors = [
        "2026-03-06T12:00:00Z", "2026-03-07T20:00:00Z", "2026-03-27T18:00:00Z", "2026-03-28T22:00:00Z",
        "2026-04-02T10:00:00Z", "2026-10-23T15:00:00Z", "2026-10-24T21:00:00Z", "2026-10-31T20:00:00Z",
        "2026-12-24T08:00:00Z",
    ].map(t)

    /// Window bounds that stay clear of the hours clocks change in (01:00–03:00 local), so that every bound
    /// names one instant and the slot model below is exact. Windows may still span a change (00:30–03:30).
    static let bounds = [
        "00:00", "00:30", "03:30", "06:00", "08:00", "09:00", "12:30", "13:30", "17:00", "20:00", "24:00",
    ]

    static func randomPolicy(using random: inout SplitMix64) -> SLAPolicy {
        let zone = Bool.random(using: &random) ? "Europe/Paris" : "America/New_York"
        let week = (0..<7).map { _ -> [String] in
            let picks = Array(bounds.indices.shuffled(using: &random).prefix(2 * Int.random(in: 0...2, using: &random)))
                .sorted()
            return stride(from: 0, to: picks.count, by: 2).map { "\(bounds[picks[$0]])-\(bounds[picks[$0 + 1]])" }
        }
        let holidays = ["2026-03-09", "2026-03-29", "2026-04-06", "2026-10-25", "2026-11-02", "2026-12-25"]
            .filter { _ in Int.random(in: 0..<3, using: &random) == 0 }
        return policy(zone, week, holidays: holidays)
    }

    /// Business time by the rules read forwards: every 15-minute slot from `from` to `to` (both on the
    /// quarter hour) counts when the slot's local wall-clock time (Foundation's offset at that instant) lies in
    /// a window of its local weekday and its local date is not a holiday. Clock changes and window bounds fall
    /// on quarter hours, so a slot is wholly in or out.
    static func slotModel(_ policy: SLAPolicy, from: Int64, to: Int64) -> Int64 {
        let zone = TimeZone(identifier: policy.timeZone)!
        let slot = 15 * minute
        var total: Int64 = 0
        var instant = from
        while instant < to {
            let seconds = instant / 1_000_000_000
            let local = seconds + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
            let localDay = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
            let secondOfDay = local - localDay * 86_400
            let weekday = Int(((localDay + 3) % 7 + 7) % 7)  // 1970-01-01 was a Thursday
            if !policy.holidays.contains(localDay),
                policy.week[weekday].contains(where: { Int64($0.start) <= secondOfDay && secondOfDay < Int64($0.end) })
            {
                total += slot
            }
            instant += slot
        }
        return total
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func businessTimeMatchesASlotBySlotModel(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let quarter = 15 * Self.minute
        for _ in 0..<25 {
            let policy = Self.randomPolicy(using: &random)
            var calendar = try Self.calendar(policy)
            let anchor = Self.anchors.randomElement(using: &random)!
            let from = anchor + quarter * Int64.random(in: -200...200, using: &random)
            let to = from + quarter * Int64.random(in: 0...600, using: &random)
            let expected = Self.slotModel(policy, from: from, to: to)
            #expect(calendar.businessNanos(from: from, to: to) == expected, "\(policy) \(from) → \(to)")
        }
    }

    /// `instant(after:from:)` inverts `businessNanos`: for any a ≤ b, the instant after business(a, b) from a is
    /// at or before b and holds exactly that much business time; business time adds up over any midpoint; and
    /// the instant after x is the first one with x of business time (one nanosecond less holds x − 1).
    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func instantAndBusinessTimeAgree(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<60 {
            let policy = Self.randomPolicy(using: &random)
            var calendar = try Self.calendar(policy)
            let anchor = Self.anchors.randomElement(using: &random)!
            let a = anchor + Int64.random(in: -3 * Self.day...3 * Self.day, using: &random)
            let b = a + Int64.random(in: 0...(10 * Self.day), using: &random)
            let amount = calendar.businessNanos(from: a, to: b)
            let inverse = calendar.instant(after: amount, from: a)
            let reached = try #require(inverse)
            #expect(reached <= b, "\(policy) \(a) → \(b)")
            #expect(calendar.businessNanos(from: a, to: reached) == amount)
            let middle = Int64.random(in: a...b, using: &random)
            #expect(calendar.businessNanos(from: a, to: middle) + calendar.businessNanos(from: middle, to: b) == amount)
            #expect(calendar.businessNanos(from: b, to: a) == 0)
            guard policy.week.contains(where: { !$0.isEmpty }) else { continue }
            let wanted = Int64.random(in: 1...(3 * Self.day), using: &random)
            let found = calendar.instant(after: wanted, from: a)
            let at = try #require(found)
            #expect(calendar.businessNanos(from: a, to: at) == wanted, "\(policy) \(a) + \(wanted)")
            #expect(calendar.businessNanos(from: a, to: at - 1) == wanted - 1, "\(policy) \(a) + \(wanted)")
        }
    }
}
