import ParleyEvents
import ParleyLog
import Testing

private func parseError(_ text: String) -> EventError? {
    #expect(throws: EventError.self) { try Timestamp(rfc3339: text.utf8) }
}

@Suite("Timestamp RFC 3339")
struct TimestampRFC3339Tests {
    // MARK: Parsing

    /// Expected instants computed independently (Python's datetime).
    @Test(
        "known timestamps parse to the right instant and offset",
        arguments: [
            ("1970-01-01T00:00:00Z", Int64(0), Int16(0)),
            ("1970-01-01t00:00:00z", 0, 0),
            ("2026-03-01T09:30:00.5+01:00", 1_772_353_800_500_000_000, 60),
            ("2024-02-29T23:59:59Z", 1_709_251_199_000_000_000, 0),
            ("2000-02-29T12:00:00-05:30", 951_845_400_000_000_000, -330),
            ("1969-12-31T23:59:59Z", -1_000_000_000, 0),
            ("1969-12-31T23:59:59.999999999Z", -1, 0),
            ("2026-02-28T23:59:59+00:00", 1_772_323_199_000_000_000, 0),
            ("2026-03-01T00:00:00+23:00", 1_772_240_400_000_000_000, 1380),
            ("2026-03-01T00:00:00-23:59", 1_772_409_540_000_000_000, -1439),
        ]
    )
    func knownTimestampParses(text: String, nanoseconds: Int64, offset: Int16) throws {
        let timestamp = try Timestamp(rfc3339: text.utf8)
        #expect(timestamp == Timestamp(nanoseconds: nanoseconds, offsetMinutes: offset))
        #expect(Timestamp(rfc3339: text) == timestamp)
    }

    @Test(arguments: 1...9)
    func fractionOfOneToNineDigitsIsAccepted(digits: Int) throws {
        let fraction = String("123456789".prefix(digits))
        let timestamp = try Timestamp(rfc3339: "1970-01-01T00:00:00.\(fraction)Z".utf8)
        var expected = Int64(fraction) ?? -1
        for _ in digits..<9 { expected *= 10 }
        #expect(timestamp.nanoseconds == expected)
    }

    @Test func tenFractionDigitsAreRejected() {
        let error = parseError("2026-03-01T09:30:00.1234567891Z")
        #expect(error?.code == .invalidValue)
        #expect(error?.reason.contains("more than 9 fractional digits") == true)
    }

    @Test(arguments: ["2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "1904-02-29T00:00:00Z"])
    func leapDayOfALeapYearIsAccepted(text: String) {
        #expect(Timestamp(rfc3339: text) != nil)
    }

    @Test(arguments: ["2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z"])
    func leapDayOfACommonYearIsRejected(text: String) {
        let error = parseError(text)
        #expect(error?.code == .invalidValue)
        #expect(error?.reason.contains("day 29 out of range") == true)
    }

    @Test func impossibleDateAndTimeAreRejectedWithTheFirstProblem() {
        let error = parseError("2026-02-30T25:61:00Z")
        #expect(error?.code == .invalidValue)
        #expect(
            error?.reason
                == #"not an RFC 3339 timestamp: day 30 out of range (2026-02 has 28 days) in "2026-02-30T25:61:00Z""#
        )
    }

    @Test(
        "out-of-range fields are rejected, naming the field",
        arguments: [
            ("2026-00-10T00:00:00Z", "month 0 out of range"),
            ("2026-13-10T00:00:00Z", "month 13 out of range"),
            ("2026-04-31T00:00:00Z", "day 31 out of range"),
            ("2026-01-00T00:00:00Z", "day 0 out of range"),
            ("2026-01-32T00:00:00Z", "day 32 out of range"),
            ("2026-02-03T25:00:00Z", "hour 25 out of range"),
            ("2026-02-03T24:00:00Z", "hour 24 out of range"),
            ("2026-02-03T10:60:00Z", "minute 60 out of range"),
            ("2026-02-03T10:00:61Z", "second 61 out of range"),
            ("2026-12-31T23:59:60Z", "leap seconds are not supported"),
            ("2026-02-03T10:00:00+24:00", "offset hour 24 out of range"),
            ("2026-02-03T10:00:00-01:60", "offset minute 60 out of range"),
        ]
    )
    func outOfRangeFieldIsRejected(text: String, problem: String) {
        let error = parseError(text)
        #expect(error?.code == .invalidValue)
        #expect(error?.reason.contains(problem) == true)
        #expect(error?.reason.contains("\"\(text)\"") == true)
    }

    @Test(
        "malformed timestamps are rejected",
        arguments: [
            "",
            "2026-03-01",
            "2026-03-01T09:30:00",  // no offset
            "2026-03-01T09:30Z",  // no seconds
            "2026-03-01 09:30:00Z",  // space separator
            "2026-3-01T09:30:00Z",
            "26-03-01T09:30:00Z",
            "+2026-03-01T09:30:00Z",
            " 2026-03-01T09:30:00Z",
            "2026-03-01T09:30:00Z ",
            "2026-03-01T09:30:00ZZ",
            "2026-03-01T09:30:00.Z",
            "2026-03-01T09:30:00,5Z",
            "2026-03-01T09:30:00+0100",
            "2026-03-01T09:30:00+01",
            "2026-03-01T09:30:00+1:00",
            "2026-03-01T09:30:00 +01:00",
            "2026-03-01T09:30:00GMT",
            "２026-03-01T09:30:00Z",
        ]
    )
    func malformedTimestampIsRejected(text: String) {
        let error = parseError(text)
        #expect(error?.code == .invalidValue)
        #expect(error?.reason.hasPrefix("not an RFC 3339 timestamp: ") == true)
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func missingOffsetIsExplained() {
        #expect(parseError("2026-03-01T09:30:00")?.reason.contains("missing UTC offset") == true)
    }

    @Test(
        "the supported range is exactly what Int64 nanoseconds can hold",
        arguments: [
            ("1677-09-21T00:12:43.145224192Z", Int64.min),
            ("2262-04-11T23:47:16.854775807Z", Int64.max),
            ("2262-04-12T00:47:16.854775807+01:00", Int64.max),
            ("1677-09-20T23:12:43.145224192-01:00", Int64.min),
        ]
    )
    func extremesOfTheRangeAreAccepted(text: String, nanoseconds: Int64) throws {
        #expect(try Timestamp(rfc3339: text.utf8).nanoseconds == nanoseconds)
    }

    @Test(
        arguments: [
            "1677-09-21T00:12:43.145224191Z",
            "2262-04-11T23:47:16.854775808Z",
            "2262-04-11T23:47:16.854775807-00:01",
            "0000-01-01T00:00:00Z",
            "1000-06-15T12:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
        ]
    )
    func instantOutsideTheRangeIsRejected(text: String) {
        let error = parseError(text)
        #expect(error?.code == .invalidValue)
        #expect(error?.reason.contains("out of range") == true)
    }

    @Test func longInputIsCutInTheMessage() {
        let error = parseError(String(repeating: "9", count: 10_000))
        #expect(error != nil)
        #expect((error?.reason.utf8.count ?? .max) < 200)
    }

    @Test func parsingWorksOnNonContiguousCollections() throws {
        let bytes = Array("2026-03-01T09:30:00.5+01:00".utf8)
        let timestamp = try Timestamp(rfc3339: bytes.lazy.map { $0 })
        #expect(timestamp == Timestamp(nanoseconds: 1_772_353_800_500_000_000, offsetMinutes: 60))
    }

    // MARK: Formatting

    @Test(
        "formatting writes the local time, the shortest fraction and the offset",
        arguments: [
            (Int64(0), Int16(0), "1970-01-01T00:00:00Z"),
            (500_000_000, 60, "1970-01-01T01:00:00.5+01:00"),
            (-1, 0, "1969-12-31T23:59:59.999999999Z"),
            (1_772_353_800_500_000_000, 60, "2026-03-01T09:30:00.5+01:00"),
            (951_845_400_000_000_000, -330, "2000-02-29T12:00:00-05:30"),
            (1_709_251_199_120_000_000, 0, "2024-02-29T23:59:59.12Z"),
            (1_000, 0, "1970-01-01T00:00:00.000001Z"),
            (Int64.min, 0, "1677-09-21T00:12:43.145224192Z"),
            (Int64.max, 0, "2262-04-11T23:47:16.854775807Z"),
            (Int64.max, 1439, "2262-04-12T23:46:16.854775807+23:59"),
            (Int64.min, -1439, "1677-09-20T00:13:43.145224192-23:59"),
        ]
    )
    func formattingWritesRFC3339(nanoseconds: Int64, offset: Int16, text: String) {
        let timestamp = Timestamp(nanoseconds: nanoseconds, offsetMinutes: offset)
        #expect(timestamp.rfc3339 == text)
        var bytes: [UInt8] = Array("x".utf8)
        timestamp.appendRFC3339(to: &bytes)
        #expect(bytes == Array("x\(text)".utf8))
    }

    @Test func randomTimestampsRoundTrip() throws {
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<20_000 {
            let timestamp = Timestamp(
                nanoseconds: Int64(bitPattern: generator.next()),
                offsetMinutes: Int16.random(in: -1439...1439, using: &generator)
            )
            #expect(try Timestamp(rfc3339: timestamp.rfc3339.utf8) == timestamp)
        }
    }

    /// Walks every day of the supported range and checks that each formats as the calendar day
    /// after the previous one (an independent check of the date arithmetic) and parses back.
    @Test func everyDayOfTheRangeFormatsAsTheNextCalendarDay() throws {
        func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }
        func length(_ month: Int, _ year: Int) -> Int {
            [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        }
        let nanosecondsPerDay: Int64 = 86_400 * 1_000_000_000
        let firstDay = Int64.min / nanosecondsPerDay  // rounds towards zero: 1677-09-22
        let lastDay = Int64.max / nanosecondsPerDay  // 2262-04-11
        var (year, month, day) = (1677, 9, 22)
        for dayNumber in firstDay...lastDay {
            let timestamp = Timestamp(nanoseconds: dayNumber * nanosecondsPerDay + 43_200_000_000_000)
            let expected =
                String(year) + "-" + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "")
                + String(day) + "T12:00:00Z"
            guard timestamp.rfc3339 == expected else {
                Issue.record("day \(dayNumber) formats as \(timestamp.rfc3339), expected \(expected)")
                return
            }
            #expect(try Timestamp(rfc3339: expected.utf8) == timestamp)
            day += 1
            if day > length(month, year) {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
        #expect((year, month, day) == (2262, 4, 12))
    }
}
