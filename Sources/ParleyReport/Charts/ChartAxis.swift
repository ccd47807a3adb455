/// The value axis of a chart: a ``NiceScale`` in a display unit, and how its ticks are labelled. Data stays
/// in base units (a count, seconds, a ratio); the axis divides by ``unit`` to place and label it.
public struct ChartAxis: Equatable, Sendable {
    /// The scale, in display units.
    public let scale: NiceScale
    /// Base units per display unit (60 for minutes of seconds, 0.01 for percent of a ratio).
    public let unit: Double
    /// Written after each tick's number (`m`, `h`, `%`).
    public let suffix: String
    /// What the values are: how ``format(_:)`` prints one.
    public let kind: Kind

    /// What an axis measures.
    public enum Kind: Equatable, Sendable {
        /// Counts: whole numbers, grouped by thousands.
        case count
        /// Seconds: printed as durations.
        case duration
        /// Ratios: printed as percentages.
        case ratio
    }

    /// An axis, field by field.
    public init(scale: NiceScale, unit: Double, suffix: String, kind: Kind) {
        self.scale = scale
        self.unit = unit
        self.suffix = suffix
        self.kind = kind
    }

    /// A value (base units) as the page prints it: `1,234`, `1h 05m`, `93.5%`.
    public func format(_ value: Double) -> String {
        switch kind {
        case .count:
            value == value.rounded() ? ReportFormat.integer(Int(value)) : ReportFormat.decimal(value, digits: 2)
        case .duration: ReportFormat.duration(value)
        case .ratio: ReportFormat.percent(value)
        }
    }

    /// An axis for counts up to `maximum`: whole steps.
    public static func count(maximum: Double) -> ChartAxis {
        ChartAxis(scale: NiceScale(maximum: maximum, integral: true), unit: 1, suffix: "", kind: .count)
    }

    /// An axis for durations up to `maximum` seconds, in the unit that suits them: seconds under two
    /// minutes, minutes under two hours, hours under two days, then days.
    public static func duration(maximum: Double) -> ChartAxis {
        let (unit, suffix): (Double, String) =
            switch maximum {
            case ..<120: (1, "s")
            case ..<7200: (60, "m")
            case ..<172_800: (3600, "h")
            default: (86_400, "d")
            }
        return ChartAxis(
            scale: NiceScale(maximum: maximum / unit, integral: unit == 1), unit: unit, suffix: suffix, kind: .duration)
    }

    /// An axis for ratios: 0 to 100 % in steps of 25.
    public static let percent = ChartAxis(
        scale: NiceScale(maximum: 100, tickCount: 4), unit: 0.01, suffix: "%", kind: .ratio)

    /// The axis top in base units.
    public var top: Double { scale.top * unit }

    /// Where `value` (base units) falls, from 0 (bottom) to 1 (top); clamped to that range.
    public func fraction(_ value: Double) -> Double {
        let position = value / unit / scale.top
        return position.isFinite ? min(max(position, 0), 1) : 0
    }

    /// The tick values in display units and their labels, bottom first.
    public var ticks: [(value: Double, label: String)] {
        scale.ticks.map { ($0, ReportFormat.decimal($0, digits: scale.decimals) + suffix) }
    }
}
