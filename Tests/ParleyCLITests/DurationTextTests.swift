import Testing

@testable import ParleyCLI

/// How durations read in the views: calendar time never cut silently, business time in business hours
/// or business days, seconds at full precision for JSON and CSV.
@Suite struct DurationTextTests {
    static let second: Int64 = 1_000_000_000
    static let minute = 60 * second
    static let hour = 60 * minute
    static let day = 24 * hour

    @Test(arguments: [
        (0, "0s"), (400_000_000, "<1s"), (42 * second, "42s"), (5 * minute + 7 * second, "5m07s"),
        (3 * hour + 5 * minute + 12 * second, "3h05m12s"), (2 * hour, "2h"),
        (1 * day + 14 * hour + 59 * minute, "1d14h59m"), (1 * day + 14 * hour + 59 * minute + 40 * second, "1d15h"),
        (59 * minute + 59 * second + 600_000_000, "1h"), (day - 300_000_000, "1d"), (3 * day + 5 * minute, "3d00h05m"),
    ])
    func calendarDurationsKeepThreeUnitsFromTheLargest(nanos: Int64, text: String) {
        #expect(DurationText.calendar(nanos: nanos) == text)
    }

    @Test func daysAndHoursAreNotCutToDaysAndHours() {
        // The old rendering showed `1d14h` for this: 59 minutes silently gone.
        let nanos = 1 * Self.day + 14 * Self.hour + 59 * Self.minute
        #expect(DurationText.calendar(nanos: nanos).hasSuffix("59m"))
        #expect(DurationText.calendar(seconds: Double(nanos) / 1e9) == "1d14h59m")
        #expect(DurationText.calendar(seconds: nil) == "-")
        #expect(DurationText.calendar(nanos: -5 * Self.minute) == "-5m")
    }

    @Test func businessTimeReadsInHoursWithoutADayLength() {
        let nanos = 27 * Self.hour + 5 * Self.minute
        #expect(DurationText.business(nanos: nanos) == "27h05m business")
        #expect(DurationText.business(nanos: 35 * Self.minute) == "35m business")
    }

    @Test func businessTimeReadsInBusinessDaysOfThePolicysLength() {
        let nine = 9 * Self.hour
        #expect(
            DurationText.business(nanos: 3 * nine + 3 * Self.hour + 5 * Self.minute, businessDay: nine)
                == "3 business days 3h05m")
        #expect(DurationText.business(nanos: nine, businessDay: nine) == "1 business day")
        #expect(DurationText.business(nanos: nine + 30 * Self.minute, businessDay: nine) == "1 business day 30m")
        // Rounded to the minute before splitting: never `2 business days 9h` for a 9-hour day.
        #expect(DurationText.business(nanos: 3 * nine - 400_000_000, businessDay: nine) == "3 business days")
        #expect(DurationText.business(nanos: nine + 59 * Self.second, businessDay: nine) == "1 business day 1m")
        #expect(DurationText.business(nanos: .max, businessDay: nine) == "284,671 business days 8h47m")
        // Under a business day: hours, labelled business.
        #expect(DurationText.business(nanos: 8 * Self.hour, businessDay: nine) == "8h business")
    }

    @Test func compactBusinessTimeLeavesTheWordsOut() {
        let nine = 9 * Self.hour
        let rest = 3 * Self.hour + 5 * Self.minute
        #expect(DurationText.business(nanos: 3 * nine + rest, businessDay: nine, compact: true) == "3bd 3h05m")
        #expect(DurationText.business(nanos: nine, businessDay: nine, compact: true) == "1bd")
        #expect(DurationText.business(nanos: -2 * nine, businessDay: nine, compact: true) == "-2bd")
        #expect(DurationText.business(nanos: .max, businessDay: nine, compact: true) == "284,671bd 8h47m")
        #expect(DurationText.business(nanos: 24 * Self.hour + rest, compact: true) == "27h05m")
        #expect(DurationText.business(nanos: 8 * Self.hour, businessDay: nine, compact: true) == "8h")
    }

    @Test func jsonSecondsKeepEveryNanosecond() {
        #expect(DurationText.seconds(nanos: 5400 * Self.second) == "5400")
        #expect(DurationText.seconds(nanos: 250_000_000) == "0.25")
        #expect(DurationText.seconds(nanos: -1_000_000_001) == "-1.000000001")
        #expect(DurationText.seconds(nanos: 1) == "0.000000001")
        #expect(DurationText.seconds(nanos: .min) == "-9223372036.854775808")
        #expect(DurationText.seconds(from: 10 * Self.second, to: 12 * Self.second + 5) == "2.000000005")
    }
}
