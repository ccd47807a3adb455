/// Lines through each series' values at the categories' centres, with a marker at each value, and an
/// optional dashed target line. A missing value breaks the line. Series differ by colour, by dash pattern
/// and by marker shape (circles, squares, diamonds), so they can be told apart without colour.
public struct LineChart: Equatable, Sendable {
    /// A horizontal reference line: a value and its label (`target 4h`).
    public struct Target: Equatable, Sendable {
        /// Where it is, in base units.
        public var value: Double
        /// Its label, written above its right end.
        public var label: String

        /// A target, field by field.
        public init(value: Double, label: String) {
            self.value = value
            self.label = label
        }
    }

    /// Category labels along the bottom.
    public var labels: [String]
    /// The series.
    public var series: [ChartSeries]
    /// The target line, if any.
    public var target: Target?
    /// The value axis.
    public var axis: ChartAxis
    /// The SVG's title.
    public var title: String

    /// A chart; the axis must reach the largest value and the target (see ``ChartAxis/duration(maximum:)``).
    public init(title: String, labels: [String], series: [ChartSeries], target: Target? = nil, axis: ChartAxis) {
        self.title = title
        self.labels = labels
        self.series = series
        self.target = target
        self.axis = axis
    }

    /// The largest value of `series` and `target`, for sizing an axis.
    public static func maximum(_ series: [ChartSeries], target: Target? = nil) -> Double {
        (series.flatMap { $0.values.compactMap { $0 } } + [target?.value ?? 0]).max() ?? 0
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
        let isEmpty = !series.contains { $0.values.contains { $0 != nil } }
        frame.draw(into: &html, title: title, isEmpty: isEmpty) { svg in
            if let target {
                let y = ChartFrame.number(frame.y(target.value))
                svg.empty(
                    "line",
                    [
                        "class": "target", "x1": ChartFrame.number(ChartFrame.left),
                        "x2": ChartFrame.number(ChartFrame.width - ChartFrame.right), "y1": y, "y2": y,
                    ],
                    selfClosing: true)
            }
            for (number, one) in series.enumerated() {
                drawLine(one, number: number, frame: frame, into: &svg)
            }
            if let target {
                // Last, so that its halo keeps it readable over the lines.
                svg.element(
                    "text",
                    [
                        "class": "target-label", "x": ChartFrame.number(ChartFrame.width - ChartFrame.right - 2),
                        "y": ChartFrame.number(frame.y(target.value) - 6), "text-anchor": "end",
                    ],
                    text: target.label)
            }
        }
    }

    private func drawLine(_ one: ChartSeries, number: Int, frame: ChartFrame, into svg: inout HTMLBuilder) {
        var runs: [[(Int, Double)]] = [[]]
        for index in labels.indices {
            if one.values.indices.contains(index), let value = one.values[index] {
                runs[runs.count - 1].append((index, value))
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        let seriesClass = ChartFrame.seriesClass(number)
        for run in runs where run.count > 1 {
            let points = run.map { ChartFrame.number(frame.centre($0.0)) + "," + ChartFrame.number(frame.y($0.1)) }
            svg.empty(
                "polyline",
                ["class": "line \(seriesClass) dash\(number % 3)", "points": points.joined(separator: " ")],
                selfClosing: true)
        }
        for (index, value) in runs.joined() {
            let tooltip = labels[index] + ", " + one.name + ": " + axis.format(value)
            Self.marker(number, x: frame.centre(index), y: frame.y(value), radius: 4, tooltip: tooltip, into: &svg)
        }
    }

    /// Draws the marker of series `number` at (`x`, `y`): a circle, a square or a diamond.
    static func marker(
        _ number: Int, x: Double, y: Double, radius r: Double, tooltip: String?, into svg: inout HTMLBuilder
    ) {
        let seriesClass = "marker " + ChartFrame.seriesClass(number)
        let title: (inout HTMLBuilder) -> Void = { if let tooltip { $0.element("title", text: tooltip) } }
        func n(_ value: Double) -> String { ChartFrame.number(value) }
        switch number % 3 {
        case 0:
            svg.element("circle", ["class": seriesClass, "cx": n(x), "cy": n(y), "r": n(r)], title)
        case 1:
            svg.element(
                "rect", ["class": seriesClass, "x": n(x - r), "y": n(y - r), "width": n(2 * r), "height": n(2 * r)],
                title)
        default:
            let points = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
            svg.element(
                "polygon",
                ["class": seriesClass, "points": points.map { n($0.0) + "," + n($0.1) }.joined(separator: " ")],
                title)
        }
    }
}
