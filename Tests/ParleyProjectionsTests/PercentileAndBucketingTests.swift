import Foundation
import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyCLI
@testable import ParleyProjections

/// Nearest-rank percentiles: the ⌈q·n⌉-th smallest value.
@Suite struct PercentileTests {
    @Test func oneValueIsEveryPercentile() {
        #expect(Percentile.nearestRank([42], percent: 50) == 42)
        #expect(Percentile.nearestRank([42], percent: 90) == 42)
        let stats = DurationStats([42])
        #expect(stats == DurationStats([42]))
        #expect(stats.count == 1)
        #expect(stats.mean == 42)
        #expect(stats.p50 == 42)
        #expect(stats.p90 == 42)
    }

    /// Quickselect gives what sorting gives, for every rank, on arrays full of duplicates, sorted,
    /// reversed and random (seeded), of every length up to 200.
    @Test func selectionAgreesWithSorting() {
        var rng = SplitMix64(seed: 11)
        for count in 1...200 {
            for shape in 0..<4 {
                var values = (0..<count).map { _ in Double(rng.next() % 17) }
                if shape == 1 { values.sort() }
                if shape == 2 { values.sort(by: >) }
                if shape == 3 { values = (0..<count).map { _ in Double(rng.next() % 1_000_000) / 7 } }
                let sorted = values.sorted()
                for percent in [1, 50, 90, 99, 100] {
                    var working = values
                    let selected = Percentile.nearestRanks(&working, percents: [percent])
                    #expect(selected == [Percentile.nearestRank(sorted, percent: percent)], "n \(count) shape \(shape)")
                    #expect(working.sorted() == sorted, "selection must only reorder")
                }
                var working = values
                let pair = Percentile.nearestRanks(&working, percents: [50, 90])
                #expect(
                    pair == [Percentile.nearestRank(sorted, percent: 50), Percentile.nearestRank(sorted, percent: 90)])
            }
        }
    }

    /// n = 2: p50 is ⌈1⌉ = the 1st value, p90 is ⌈1.8⌉ = the 2nd.
    @Test func twoValues() {
        let stats = DurationStats([20, 10])
        #expect(stats.count == 2)
        #expect(stats.mean == 15)
        #expect(stats.p50 == 10)
        #expect(stats.p90 == 20)
    }

    /// n = 10: p50 is the 5th value, p90 is ⌈9⌉ = the 9th, not the 10th (0.9 × 10 in floating point is
    /// 9.000000000000002, whose ceiling would be 10).
    @Test func p90OfTenValuesIsTheNinth() {
        let stats = DurationStats([70, 10, 100, 40, 90, 20, 60, 30, 80, 50])
        #expect(stats.count == 10)
        #expect(stats.mean == 55)
        #expect(stats.p50 == 50)
        #expect(stats.p90 == 90)
    }

    /// Ranks worked out by hand as ⌈percent · n / 100⌉, for values 1…n (so the value is its rank).
    @Test(arguments: [
        (1, 50, 1), (1, 90, 1), (2, 50, 1), (2, 90, 2), (3, 50, 2), (3, 90, 3), (4, 50, 2), (4, 90, 4),
        (5, 50, 3), (5, 90, 5), (9, 90, 9), (10, 50, 5), (10, 90, 9), (11, 50, 6), (11, 90, 10), (13, 50, 7),
        (13, 90, 12), (20, 50, 10), (20, 90, 18), (21, 90, 19), (100, 90, 90), (101, 90, 91), (1000, 90, 900),
    ])
    func rankIsTheCeilingOfQTimesN(count: Int, percent: Int, rank: Int) {
        let values = (1...count).map(Double.init)
        #expect(Percentile.nearestRank(values, percent: percent) == Double(rank))
    }

    @Test func noValuesHaveNoStatistics() {
        #expect(Percentile.nearestRank([], percent: 50) == nil)
        let stats = DurationStats([])
        #expect(stats.count == 0)
        #expect(stats.mean == nil)
        #expect(stats.p50 == nil)
        #expect(stats.p90 == nil)
    }

    /// Seconds in JSON and CSV: integers without a fraction, others to 3 decimals without trailing zeros.
    @Test(arguments: [
        (2.0, "2"), (0, "0"), (0.5, "0.5"), (1.25, "1.25"), (2.0 / 3.0, "0.667"), (1.0 / 3.0, "0.333"),
        (790.0 / 13.0, "60.769"), (0.05, "0.05"), (0.0004, "0"), (59.9996, "60"), (342_000, "342000"),
        (1_234_567.125, "1234567.125"),
    ])
    func jsonNumbers(value: Double, text: String) {
        #expect(KPIReport.number(value) == text)
    }

    @Test func missingNumberIsNullInJSONAndEmptyInCSV() {
        #expect(KPIReport.number(nil) == "null")
        #expect(KPIReport.number(nil, null: "") == "")
    }
}

/// UTC days and ISO weeks (Monday to Sunday, UTC; the week-year is the year of the week's Thursday).
@Suite struct BucketingTests {
    static func instant(_ text: String) -> Int64 { Timestamp(rfc3339: text)!.nanoseconds }

    static func label(_ size: Bucketing.Size, _ text: String) -> String {
        let bucketing = Bucketing(size)
        return bucketing.label(of: bucketing.index(of: instant(text)))
    }

    @Test func daysAreUTCDaysFromMidnightToMidnight() {
        #expect(Self.label(.day, "2026-03-02T00:00:00Z") == "2026-03-02")
        #expect(Self.label(.day, "2026-03-02T23:59:59.999999999Z") == "2026-03-02")
        #expect(Self.label(.day, "2026-03-03T00:00:00Z") == "2026-03-03")
        let day = Bucketing(.day)
        let index = day.index(of: Self.instant("2026-03-02T12:00:00Z"))
        #expect(day.start(of: index) == Self.instant("2026-03-02T00:00:00Z"))
        #expect(day.end(of: index) == Self.instant("2026-03-03T00:00:00Z"))
    }

    /// The offset an event was written with does not move it to another day.
    @Test func offsetsDoNotMoveTheDay() {
        #expect(Self.label(.day, "2026-03-03T00:30:00+01:00") == "2026-03-02")
        #expect(Self.label(.day, "2026-03-02T20:00:00-05:00") == "2026-03-03")
        #expect(Self.label(.week, "2027-01-04T00:30:00+01:00") == "2026-W53")
    }

    @Test func beforeTheEpochDaysAndWeeksRoundDown() {
        let day = Bucketing(.day)
        #expect(day.index(of: Self.instant("1969-12-31T23:59:59.999999999Z")) == -1)
        #expect(Self.label(.day, "1969-12-31T23:59:59Z") == "1969-12-31")
        #expect(Self.label(.day, "1970-01-01T00:00:00Z") == "1970-01-01")
        #expect(Self.label(.week, "1969-12-28T12:00:00Z") == "1969-W52")
        #expect(Self.label(.week, "1969-12-29T00:00:00Z") == "1970-W01")
        #expect(Self.label(.week, "1970-01-04T23:59:59Z") == "1970-W01")
        #expect(Self.label(.week, "1970-01-05T00:00:00Z") == "1970-W02")
    }

    /// ISO week labels around year boundaries, worked out from the rule: a week belongs to the year of
    /// its Thursday, and week 1 is the one holding that year's first Thursday.
    @Test(arguments: [
        ("2026-12-28T00:00:00Z", "2026-W53"),  // Monday; 2026 starts on a Thursday, so it has 53 weeks
        ("2026-12-31T10:00:00Z", "2026-W53"),  // the Thursday itself
        ("2027-01-01T00:00:00Z", "2026-W53"),
        ("2027-01-03T23:59:59.999999999Z", "2026-W53"),  // Sunday, last instant of the week
        ("2027-01-04T00:00:00Z", "2027-W01"),  // Monday: Thursday 2027-01-07 is 2027's first
        ("2027-01-10T12:00:00Z", "2027-W01"),
        ("2027-01-11T00:00:00Z", "2027-W02"),
        ("2026-01-01T00:00:00Z", "2026-W01"),
        ("2025-12-29T00:00:00Z", "2026-W01"),  // Monday of the week of Thursday 2026-01-01
        ("2024-12-30T00:00:00Z", "2025-W01"),
        ("2020-12-31T00:00:00Z", "2020-W53"),
        ("2021-01-03T00:00:00Z", "2020-W53"),
        ("2015-12-31T00:00:00Z", "2015-W53"),
        ("2016-01-03T00:00:00Z", "2015-W53"),
        ("2016-01-04T00:00:00Z", "2016-W01"),
        ("2004-12-31T00:00:00Z", "2004-W53"),
        ("2005-01-02T00:00:00Z", "2004-W53"),
        ("2008-12-29T00:00:00Z", "2009-W01"),
        ("2000-02-29T00:00:00Z", "2000-W09"),
        ("2026-03-02T00:00:00Z", "2026-W10"),
    ])
    func isoWeekLabels(instant: String, label: String) {
        #expect(Self.label(.week, instant) == label)
    }

    @Test func weeksRunFromMondayMidnightUTC() {
        let week = Bucketing(.week)
        let index = week.index(of: Self.instant("2026-12-31T10:00:00Z"))
        #expect(week.start(of: index) == Self.instant("2026-12-28T00:00:00Z"))
        #expect(week.end(of: index) == Self.instant("2027-01-04T00:00:00Z"))
        #expect(week.index(of: Self.instant("2027-01-03T23:59:59.999999999Z")) == index)
        #expect(week.index(of: Self.instant("2027-01-04T00:00:00Z")) == index + 1)
        #expect(week.label(of: index + 1) == "2027-W01")
    }

    /// Every day from 1990 to 2060 against Foundation's ISO 8601 calendar (an independent implementation).
    @Test func weekLabelsAgreeWithFoundationsISOCalendar() {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let day = Bucketing(.day)
        let week = Bucketing(.week)
        let first = day.index(of: Self.instant("1990-01-01T00:00:00Z"))
        let last = day.index(of: Self.instant("2060-12-31T00:00:00Z"))
        var mismatches: [String] = []
        for index in first...last {
            let noon = day.start(of: index) + 12 * 3_600_000_000_000
            let date = Date(timeIntervalSince1970: Double(noon / 1_000_000_000))
            let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear, .year, .month, .day], from: date)
            let expectedWeek = String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!)
            let expectedDay = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            let gotWeek = week.label(of: week.index(of: noon))
            let gotDay = day.label(of: index)
            if gotWeek != expectedWeek || gotDay != expectedDay {
                mismatches.append("\(expectedDay): \(gotDay) \(gotWeek), expected \(expectedWeek)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// `--from`/`--to` name a date; the bucket is the one holding its first instant.
    @Test func dateOptionsNameTheBucketHoldingTheDate() {
        let week = Bucketing(.week)
        #expect(week.index(ofDate: "2027-01-03").map(week.label(of:)) == "2026-W53")
        #expect(week.index(ofDate: "2027-01-04").map(week.label(of:)) == "2027-W01")
        let day = Bucketing(.day)
        #expect(day.index(ofDate: "2026-03-02").map(day.label(of:)) == "2026-03-02")
        for bad in ["2026-3-02", "2026-02-30", "2026-03-02T00:00:00Z", "", "20260302", "2026-03-0x"] {
            #expect(day.index(ofDate: bad) == nil, "\(bad)")
        }
    }
}
