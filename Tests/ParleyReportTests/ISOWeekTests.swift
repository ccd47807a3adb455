import Testing

@testable import ParleyReport

/// ISO 8601 weeks as `--week` takes them.
@Suite struct ISOWeekTests {
    @Test(arguments: [
        ("2026-W10", "2026-03-02"), ("2026-W1", "2025-12-29"), ("2026-W01", "2025-12-29"), ("2026-w53", "2026-12-28"),
        ("2021-W01", "2021-01-04"), ("2020-W53", "2020-12-28"), ("2015-W53", "2015-12-28"), ("1970-W01", "1969-12-29"),
    ])
    func weeksStartOnTheirMonday(text: String, monday: String) throws {
        let week = try #require(ISOWeek(text))
        #expect(CivilDate.iso(week.monday) == monday)
        #expect(CivilDate.weekdayIndex(week.monday) == 0)
        #expect(week.days.count == 7 && week.days.last == week.monday + 6)
    }

    @Test(arguments: [
        "2025-W53", "2026-W00", "2026-W54", "2026W10", "2026-W100", "26-W10", "2026-X10", "2026-W1a", "", "0999-W10",
        "２０２６-W10", "2026-W-1",
    ])
    func malformedOrMissingWeeksAreRefused(text: String) {
        #expect(ISOWeek(text) == nil)
    }

    @Test func descriptionsHaveTwoDigitWeeks() throws {
        #expect(try #require(ISOWeek("2026-W1")).description == "2026-W01")
        #expect(try #require(ISOWeek("2026-W10")).description == "2026-W10")
    }

    @Test func thePreviousWeekCrossesYears() throws {
        #expect(try #require(ISOWeek("2026-W10")).previous?.description == "2026-W09")
        #expect(try #require(ISOWeek("2026-W01")).previous?.description == "2025-W52")
        #expect(try #require(ISOWeek("2021-W01")).previous?.description == "2020-W53")
        #expect(try #require(ISOWeek("1000-W01")).previous == nil)
    }

    @Test func civilDatesRoundTripOverFourCenturies() {
        var day = CivilDate.days(year: 1900, month: 1, day: 1)
        let end = CivilDate.days(year: 2300, month: 12, day: 31)
        while day <= end {
            let (year, month, date) = CivilDate.date(day)
            #expect(CivilDate.days(year: year, month: month, day: date) == day)
            day += 37
        }
        #expect(CivilDate.iso(0) == "1970-01-01")
        #expect(CivilDate.short(CivilDate.days(year: 2026, month: 3, day: 2)) == "Mon 2 Mar")
        #expect(CivilDate.iso(CivilDate.days(year: 2024, month: 2, day: 29) + 1) == "2024-03-01")
    }
}
