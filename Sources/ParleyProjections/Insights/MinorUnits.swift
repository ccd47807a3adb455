/// Money as integer minor units of an ISO 4217 currency: how many decimal digits a currency's minor unit
/// has, reading a decimal amount exactly (never through floating point) and writing one back.
public enum MinorUnits {
    /// Currencies whose minor unit is not the hundredth (ISO 4217's list): 0, 3 or 4 digits. Every other
    /// code has 2.
    static let exceptions: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]

    /// The number of decimal digits of `currency`'s minor unit: 2 unless ISO 4217 says otherwise (0 for JPY,
    /// 3 for KWD).
    public static func digits(of currency: String) -> Int { exceptions[currency] ?? 2 }

    /// Reads a decimal amount (`12`, `12.5`, `0.05`) in `currency` as minor units (1250, 5): digits, at most
    /// one `.`, no more fractional digits than the currency has, not negative, at most 2^53 − 1 minor units.
    /// - Returns: nil when `text` is not such an amount.
    public static func parse(_ text: String, currency: String) -> Int? {
        let digits = digits(of: currency)
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !fraction.isEmpty, fraction.count <= digits else { return nil }
        let all = whole + fraction + String(repeating: "0", count: digits - fraction.count)
        guard all.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), all.count <= 18,
            let value = Int(all), value <= 9_007_199_254_740_991
        else { return nil }
        return value
    }

    /// `amount` minor units of `currency` as a decimal: `1250` EUR is `12.50`, `1250` JPY is `1250`.
    public static func format(_ amount: Int, currency: String) -> String {
        let digits = digits(of: currency)
        let sign = amount < 0 ? "-" : ""
        let magnitude = String(amount.magnitude)
        guard digits > 0 else { return sign + magnitude }
        let padded = String(repeating: "0", count: max(0, digits + 1 - magnitude.count)) + magnitude
        return sign + padded.dropLast(digits) + "." + padded.suffix(digits)
    }
}
