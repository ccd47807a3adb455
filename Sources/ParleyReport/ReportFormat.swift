/// Number, duration, percentage and money formatting for the report: fixed, with no locale, so the page is
/// the same on every machine. Absent values print as an en dash.
public enum ReportFormat {
    /// What an absent value prints as.
    public static let absent = "–"

    /// `value` with exactly `digits` decimals, rounded half away from zero: `decimal(2.345, digits: 1)` is
    /// `2.3`, `decimal(-0.05, digits: 1)` is `-0.1`. Not finite, or beyond ±9·10¹⁵: ``absent``.
    /// - Parameters:
    ///   - value: the number.
    ///   - digits: decimals, 0 to 6.
    /// - Returns: the text.
    public static func decimal(_ value: Double, digits: Int) -> String {
        precondition((0...6).contains(digits), "digits out of range")
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard value.isFinite, scaled < 9e15 else { return absent }
        let units = Int64(scaled)
        let divisor = Int64(scale)
        let whole = units / divisor
        var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }

    /// `value` with a comma between groups of three digits: `1,234,567`.
    /// - Parameter value: the number.
    /// - Returns: the text.
    public static func integer(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var text = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return text
    }

    /// A duration for people: `45s`, `12m 05s` under an hour, `3h 07m` under a day, `2d 04h 30m` beyond,
    /// rounded to the second under an hour and to the minute beyond. `nil`: ``absent``.
    /// - Parameter seconds: the duration in seconds.
    /// - Returns: the text.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, abs(seconds) < 9e15 else { return absent }
        let sign = seconds < 0 ? "-" : ""
        var whole = Int64(abs(seconds).rounded(.toNearestOrAwayFromZero))
        if whole < 60 { return sign + String(whole) + "s" }
        if whole < 3600 { return sign + String(whole / 60) + "m " + twoDigits(whole % 60) + "s" }
        whole = (whole + 30) / 60  // minutes, rounded
        if whole < 24 * 60 { return sign + String(whole / 60) + "h " + twoDigits(whole % 60) + "m" }
        let days = whole / (24 * 60)
        let rest = whole % (24 * 60)
        return sign + String(days) + "d " + twoDigits(rest / 60) + "h " + twoDigits(rest % 60) + "m"
    }

    /// A ratio as a percentage with one decimal: `0.935` is `93.5%`. `nil`: ``absent``.
    /// - Parameter ratio: the ratio, 1 = 100 %.
    /// - Returns: the text.
    public static func percent(_ ratio: Double?) -> String {
        guard let ratio else { return absent }
        let text = decimal(ratio * 100, digits: 1)
        return text == absent ? absent : text + "%"
    }

    /// An amount of money in integer minor units with its ISO 4217 code: `EUR 1,234.50`, `JPY 1,200`.
    /// The decimals follow the currency (0 for JPY, KRW and a few others, 3 for BHD, KWD and others, 2
    /// otherwise); the amount is never converted to floating point.
    /// - Parameters:
    ///   - minorUnits: the amount in the currency's minor units (cents).
    ///   - currency: the three-letter code.
    ///   - digits: the decimals of its minor unit, when known (else a short list of ISO 4217's exceptions).
    /// - Returns: the text.
    public static func money(_ minorUnits: Int64, currency: String, digits: Int? = nil) -> String {
        let exponent = min(max(digits ?? minorUnitDigits(currency), 0), 18)
        var divisor: UInt64 = 1
        for _ in 0..<exponent { divisor *= 10 }
        let magnitude = minorUnits.magnitude
        let whole = magnitude / divisor
        var text = currency + " " + (minorUnits < 0 ? "-" : "")
        text += integer(Int(clamping: whole))
        if exponent > 0 {
            let fraction = String(magnitude % divisor)
            text += "." + String(repeating: "0", count: exponent - fraction.count) + fraction
        }
        return text
    }

    /// Decimals of a currency's minor unit (ISO 4217).
    static func minorUnitDigits(_ currency: String) -> Int {
        switch currency {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
            "XAF", "XOF", "XPF":
            return 0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND": return 3
        default: return 2
        }
    }

    private static func twoDigits(_ value: Int64) -> String { value < 10 ? "0" + String(value) : String(value) }
}
