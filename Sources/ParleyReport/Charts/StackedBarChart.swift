/// Bars per category, each stacked from its series' values in order (first at the bottom); one series
/// gives plain bars. Absent and non-positive values add nothing.
public struct StackedBarChart: Equatable, Sendable {
    /// Category labels along the bottom (`Mon 2`).
    public var labels: [String]
    /// The series, bottom of the stack first; each has a value per label.
    public var series: [ChartSeries]
    /// The value axis; ``axis(for:)`` fits one to the tallest stack.
    public var axis: ChartAxis
    /// The SVG's title (read by screen readers).
    public var title: String

    /// A chart; the axis defaults to counts up to the tallest stack.
    public init(title: String, labels: [String], series: [ChartSeries], axis: ChartAxis? = nil) {
        self.title = title
        self.labels = labels
        self.series = series
        self.axis = axis ?? .count(maximum: Self.tallest(labels.count, series))
    }

    /// The tallest stack.
    static func tallest(_ count: Int, _ series: [ChartSeries]) -> Double {
        (0..<count).map { index in
            series.reduce(0.0) { $0 + max($1.values.indices.contains(index) ? $1.values[index] ?? 0 : 0, 0) }
        }.max() ?? 0
    }

    /// The chart as an `<svg>` element.
    public func svg() -> String {
        var html = HTMLBuilder()
        draw(into: &html)
        return html.output
    }

    /// Writes the chart as an `<svg>` element.
    public func draw(into html: inout HTMLBuilder) {
        let frame = ChartFrame(axis: axis, labels: labels)
        let barWidth = min(frame.band * 0.62, 44)
        frame.draw(into: &html, title: title, isEmpty: Self.tallest(labels.count, series) == 0) { svg in
            for index in labels.indices {
                var base = 0.0
                for (number, one) in series.enumerated() {
                    guard one.values.indices.contains(index), let value = one.values[index], value > 0 else {
                        continue
                    }
                    let low = frame.y(base)
                    let high = frame.y(base + value)
                    base += value
                    svg.element(
                        "rect",
                        [
                            "class": ChartFrame.seriesClass(number),
                            "x": ChartFrame.number(frame.centre(index) - barWidth / 2),
                            "y": ChartFrame.number(high), "width": ChartFrame.number(barWidth),
                            "height": ChartFrame.number(max(low - high, 0)),
                        ]
                    ) { rect in
                        rect.element("title", text: labels[index] + ", " + one.name + ": " + axis.format(value))
                    }
                }
            }
        }
    }
}
