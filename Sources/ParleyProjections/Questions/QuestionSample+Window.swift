extension QuestionSample.Window {
    /// The window of `length` ns from `start`; its end stops at the last time an Int64 of nanoseconds holds
    /// (2262-04-11T23:47:16.854775807Z) instead of overflowing.
    public static func from(_ start: Int64, length: Int64) -> Self {
        .fixed(start: start, end: Self.adding(start, length))
    }

    /// The window of `length` ns that ends at `end`; its start stops at the first time an Int64 of
    /// nanoseconds holds (1677-09-21T00:12:43.145224192Z) instead of overflowing.
    public static func until(_ end: Int64, length: Int64) -> Self {
        .fixed(start: Self.subtracting(end, length), end: end)
    }

    /// `a + b`, clamped to the Int64 range.
    static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `a - b`, clamped to the Int64 range.
    static func subtracting(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b > 0 ? .min : .max) : difference
    }
}

extension QuestionsQuery {
    /// The first instant (ns) of the UTC day `date` (`YYYY-MM-DD`), or `nil` if it is not a date. Days
    /// before or after the range of an Int64 of nanoseconds start at its ends (`Int64.min`, `Int64.max`),
    /// so that the day after 2262-04-11 (the end of a window that includes it) is still a bound.
    public static func start(ofDate date: String) -> Int64? {
        let bytes = Array(date.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month)
        else { return nil }
        let index = Bucketing.day(year: year, month: month, day: day)
        // A day of the month that does not exist (02-30) comes back as another date.
        guard Bucketing.civil(fromDay: index) == (year, month, day) else { return nil }
        return Bucketing(.day).start(of: index)
    }
}
