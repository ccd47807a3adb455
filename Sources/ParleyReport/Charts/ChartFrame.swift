/// One series of a chart: a name for the legend and a value per category (`nil`: no value that day).
public struct ChartSeries: Equatable, Sendable {
    /// The name the legend and the table give it.
    public var name: String
    /// One value per category, in base units.
    public var values: [Double?]

    /// A series, field by field.
    public init(name: String, values: [Double?]) {
        self.name = name
        self.values = values
    }
}

/// The frame every chart draws in: a fixed view box, the plot area inside its margins, horizontal grid
/// lines with the axis's tick labels, and one band per category along the bottom with its label. Numbers
/// in the SVG are printed with one decimal (``ReportFormat/decimal(_:digits:)``): the output is the same on
/// every machine.
struct ChartFrame {
    /// The view box's size; the page scales it to the width available.
    static let width = 420.0
    static let height = 230.0
    /// Margins around the plot area: tick labels on the left, category labels below.
    static let left = 46.0
    static let right = 12.0
    static let top = 14.0
    static let bottom = 30.0

    let axis: ChartAxis
    let labels: [String]

    var plotWidth: Double { Self.width - Self.left - Self.right }
    var plotHeight: Double { Self.height - Self.top - Self.bottom }
    /// The width of one category's band.
    var band: Double { plotWidth / Double(max(labels.count, 1)) }

    /// The x of the centre of category `index`.
    func centre(_ index: Int) -> Double { Self.left + band * (Double(index) + 0.5) }

    /// The y of `value` (base units).
    func y(_ value: Double) -> Double { Self.top + plotHeight * (1 - axis.fraction(value)) }

    /// Opens the `<svg>` with its title, draws the grid, tick labels and category labels, lets `body` draw
    /// the data, and writes "no data" across the plot when `isEmpty`.
    func draw(
        into html: inout HTMLBuilder, title: String, isEmpty: Bool, _ body: (inout HTMLBuilder) -> Void
    ) {
        html.element(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 \(Int(Self.width)) \(Int(Self.height))",
                "role": "img", "class": "chart",
            ]
        ) { svg in
            svg.element("title", text: title)
            for tick in axis.ticks {
                let y = Self.number(self.y(tick.value * axis.unit))
                svg.empty(
                    "line",
                    [
                        "class": "grid", "x1": Self.number(Self.left), "x2": Self.number(Self.width - Self.right),
                        "y1": y, "y2": y,
                    ],
                    selfClosing: true)
                svg.element(
                    "text",
                    [
                        "class": "tick", "x": Self.number(Self.left - 6),
                        "y": Self.number(self.y(tick.value * axis.unit) + 4),
                        "text-anchor": "end",
                    ],
                    text: tick.label)
            }
            for (index, label) in labels.enumerated() {
                svg.element(
                    "text",
                    [
                        "class": "tick", "x": Self.number(centre(index)),
                        "y": Self.number(Self.height - Self.bottom + 18),
                        "text-anchor": "middle",
                    ],
                    text: label)
            }
            body(&svg)
            if isEmpty {
                svg.element(
                    "text",
                    [
                        "class": "empty", "x": Self.number(Self.left + plotWidth / 2),
                        "y": Self.number(Self.top + plotHeight / 2), "text-anchor": "middle",
                    ],
                    text: "no data")
            }
        }
    }

    /// A coordinate with one decimal.
    static func number(_ value: Double) -> String { ReportFormat.decimal(value, digits: 1) }

    /// The CSS class of series `index`: colours cycle through eight (docs/REPORT.md), so a class is set
    /// even for a ninth series.
    static func seriesClass(_ index: Int) -> String { "s" + String(index % 8) }
}
