import Testing

@testable import ParleyReport

/// Fixed formatting: the same text on every machine, whatever its locale.
@Suite struct ReportFormatTests {
    @Test func decimalsRoundHalfAwayFromZero() {
        #expect(ReportFormat.decimal(2.25, digits: 1) == "2.3")
        #expect(ReportFormat.decimal(-2.25, digits: 1) == "-2.3")
        #expect(ReportFormat.decimal(0.04, digits: 1) == "0.0")
        #expect(ReportFormat.decimal(-0.04, digits: 1) == "0.0")
        #expect(ReportFormat.decimal(1.005, digits: 0) == "1")
        #expect(ReportFormat.decimal(123.456, digits: 2) == "123.46")
        #expect(ReportFormat.decimal(7, digits: 3) == "7.000")
        #expect(ReportFormat.decimal(0.05, digits: 2) == "0.05")
    }

    @Test func nonFiniteValuesPrintAsAbsent() {
        #expect(ReportFormat.decimal(.nan, digits: 1) == ReportFormat.absent)
        #expect(ReportFormat.decimal(.infinity, digits: 1) == ReportFormat.absent)
        #expect(ReportFormat.decimal(1e300, digits: 1) == ReportFormat.absent)
        #expect(ReportFormat.duration(nil) == ReportFormat.absent)
        #expect(ReportFormat.percent(nil) == ReportFormat.absent)
    }

    @Test func integersGroupThousandsWithCommas() {
        #expect(ReportFormat.integer(0) == "0")
        #expect(ReportFormat.integer(999) == "999")
        #expect(ReportFormat.integer(1000) == "1,000")
        #expect(ReportFormat.integer(1_234_567) == "1,234,567")
        #expect(ReportFormat.integer(-12_345) == "-12,345")
        #expect(ReportFormat.integer(Int.min) == "-9,223,372,036,854,775,808")
    }

    @Test func durationsPickTheirUnits() {
        #expect(ReportFormat.duration(0) == "0s")
        #expect(ReportFormat.duration(59.4) == "59s")
        #expect(ReportFormat.duration(59.6) == "1m 00s")
        #expect(ReportFormat.duration(725) == "12m 05s")
        #expect(ReportFormat.duration(3600) == "1h 00m")
        #expect(ReportFormat.duration(3600 + 7 * 60 + 29) == "1h 07m")
        #expect(ReportFormat.duration(3600 + 7 * 60 + 30) == "1h 08m")
        #expect(ReportFormat.duration(86_399) == "1d 00h 00m")  // 1,439.98 minutes round to a day
        #expect(ReportFormat.duration(2 * 86_400 + 4 * 3600 + 30 * 60) == "2d 04h 30m")
        #expect(ReportFormat.duration(-90) == "-1m 30s")
    }

    @Test func percentagesHaveOneDecimal() {
        #expect(ReportFormat.percent(0.935) == "93.5%")
        #expect(ReportFormat.percent(1) == "100.0%")
        #expect(ReportFormat.percent(0) == "0.0%")
        #expect(ReportFormat.percent(2.0 / 3.0) == "66.7%")
    }

    @Test func moneyFollowsTheCurrencysMinorUnit() {
        #expect(ReportFormat.money(123_450, currency: "EUR") == "EUR 1,234.50")
        #expect(ReportFormat.money(5, currency: "USD") == "USD 0.05")
        #expect(ReportFormat.money(1200, currency: "JPY") == "JPY 1,200")
        #expect(ReportFormat.money(1_500, currency: "BHD") == "BHD 1.500")
        #expect(ReportFormat.money(-250, currency: "GBP") == "GBP -2.50")
        #expect(ReportFormat.money(Int64.min, currency: "EUR") == "EUR -92,233,720,368,547,758.08")
    }
}
