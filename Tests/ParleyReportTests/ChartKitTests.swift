import Testing

@testable import ParleyReport

/// The SVG chart kit: round ticks, scaling, empty data, a single day, breaks in lines, the target line.
@Suite struct ChartKitTests {
    @Test(arguments: [
        (7.0, false, 2.0, 8.0), (7.0, true, 2.0, 8.0), (95.0, false, 20.0, 100.0), (1234.0, false, 250.0, 1250.0),
        (1.0, true, 1.0, 1.0), (0.8, false, 0.2, 0.8), (3.0, true, 1.0, 3.0), (12.0, true, 5.0, 15.0),
        (0.0, true, 1.0, 1.0), (-5.0, false, 0.2, 1.0),
    ])
    func niceScalesHaveRoundStepsAndATopAtOrAboveTheMaximum(
        maximum: Double, integral: Bool, step: Double, top: Double
    ) {
        let scale = NiceScale(maximum: maximum, integral: integral)
        #expect(scale.step == step)
        #expect(scale.top == top)
        #expect(scale.top >= maximum)
        #expect(scale.ticks.first == 0)
        #expect(scale.ticks.last == scale.top)
    }

    @Test func integralScalesNeverStepByFractions() {
        for maximum in stride(from: 0.0, through: 60, by: 1) {
            let scale = NiceScale(maximum: maximum, integral: true)
            #expect(scale.step == scale.step.rounded() && scale.decimals == 0, "maximum \(maximum)")
        }
    }

    @Test func tickLabelsCarryTheDecimalsTheStepNeeds() {
        #expect(NiceScale(maximum: 0.8).decimals == 1)
        #expect(NiceScale(maximum: 12).decimals == 1)  // step 2.5
        #expect(NiceScale(maximum: 40).decimals == 0)
        #expect(ChartAxis.percent.ticks.map(\.label) == ["0%", "25%", "50%", "75%", "100%"])
    }

    @Test func durationAxesPickAUnitThatSuitsTheLongestTime() {
        #expect(ChartAxis.duration(maximum: 45).suffix == "s")
        #expect(ChartAxis.duration(maximum: 45 * 60).suffix == "m")
        #expect(ChartAxis.duration(maximum: 45 * 60).ticks.map(\.label) == ["0m", "10m", "20m", "30m", "40m", "50m"])
        #expect(ChartAxis.duration(maximum: 5 * 3600).suffix == "h")
        #expect(ChartAxis.duration(maximum: 3 * 86_400).suffix == "d")
        #expect(ChartAxis.duration(maximum: 0).ticks.map(\.label) == ["0s", "1s"])
    }

    @Test func fractionsScaleToTheAxisTopAndClamp() {
        let axis = ChartAxis.count(maximum: 8)
        #expect(axis.fraction(4) == 0.5)
        #expect(axis.fraction(-3) == 0)
        #expect(axis.fraction(20) == 1)
        #expect(ChartAxis.percent.fraction(0.75) == 0.75)
    }

    /// The numbers after `name="` in each occurrence, as doubles.
    static func values(_ svg: String, _ name: String) -> [Double] {
        svg.components(separatedBy: " \(name)=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
    }

    @Test func stackedBarHeightsAreProportionalToTheValues() {
        let chart = StackedBarChart(
            title: "t", labels: ["Mon", "Tue"],
            series: [ChartSeries(name: "a", values: [2, 4]), ChartSeries(name: "b", values: [2, nil])])
        let svg = chart.svg()
        #expect(chart.axis.top == 4)
        let heights = Self.values(svg, "height")
        #expect(heights.count == 3)
        let plot = ChartFrame.height - ChartFrame.top - ChartFrame.bottom
        #expect(heights == [plot / 2, plot / 2, plot].map { ($0 * 10).rounded() / 10 })
        #expect(svg.contains("<title>Tue, a: 4</title>"))
        #expect(!svg.contains("no data"))
    }

    @Test func anEmptyChartSaysNoDataAndDrawsNoBars() {
        let svg = StackedBarChart(
            title: "t", labels: ["Mon", "Tue"], series: [ChartSeries(name: "a", values: [0, nil])]
        ).svg()
        #expect(svg.contains(">no data</text>"))
        #expect(!svg.contains("<rect"))
        let noSeries = LineChart(title: "t", labels: [], series: [], axis: .duration(maximum: 0)).svg()
        #expect(noSeries.contains(">no data</text>"))
    }

    @Test func oneDayIsOneBandCentredInThePlot() {
        let svg = StackedBarChart(title: "t", labels: ["Mon"], series: [ChartSeries(name: "a", values: [3])]).svg()
        let x = Self.values(svg, "x").last ?? 0
        let width = Self.values(svg, "width").last ?? 0
        let centre = ChartFrame.left + (ChartFrame.width - ChartFrame.left - ChartFrame.right) / 2
        #expect(abs(x + width / 2 - centre) < 0.11)
        #expect(width <= 44)
        let line = LineChart(
            title: "t", labels: ["Mon"], series: [ChartSeries(name: "p50", values: [60])], axis: .duration(maximum: 60)
        ).svg()
        #expect(!line.contains("<polyline"))  // one point: a marker, no line
        #expect(line.contains("<circle"))
    }

    @Test func aMissingValueBreaksTheLine() {
        let svg = LineChart(
            title: "t", labels: ["1", "2", "3", "4", "5"],
            series: [ChartSeries(name: "p50", values: [10, 20, nil, 30, 40])], axis: .duration(maximum: 40)
        ).svg()
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 4)
    }

    @Test func theTargetLineSitsAtTheTargetValue() {
        let target = LineChart.Target(value: 1800, label: "target 30m 00s")
        let series = [ChartSeries(name: "p90", values: [600, 2400])]
        let axis = ChartAxis.duration(maximum: LineChart.maximum(series, target: target))
        let svg = LineChart(title: "t", labels: ["a", "b"], series: series, target: target, axis: axis).svg()
        let frame = ChartFrame(axis: axis, labels: ["a", "b"])
        let y = ChartFrame.number(frame.y(1800))
        let right = ChartFrame.number(ChartFrame.width - ChartFrame.right)
        #expect(svg.contains(#"class="target" x1="46.0" x2="\#(right)" y1="\#(y)" y2="\#(y)""#))
        #expect(svg.contains(">target 30m 00s</text>"))
        // The axis reaches the target even when every value is below it.
        #expect(
            ChartAxis.duration(maximum: LineChart.maximum([ChartSeries(name: "x", values: [60])], target: target)).top
                >= 1800)
    }

    @Test func seriesDifferByDashAndMarkerShapeNotOnlyColour() {
        let svg = LineChart(
            title: "t", labels: ["a", "b"],
            series: [ChartSeries(name: "p50", values: [1, 2]), ChartSeries(name: "p90", values: [3, 4])],
            axis: .duration(maximum: 4)
        ).svg()
        #expect(svg.contains("line s0 dash0") && svg.contains("line s1 dash1"))
        #expect(svg.contains("<circle class=\"marker s0\""))
        #expect(svg.contains("<rect class=\"marker s1\""))
    }

    @Test func labelsAndTitlesAreEscaped() {
        let svg = StackedBarChart(
            title: "a<b", labels: ["<x>"], series: [ChartSeries(name: "\"q\"", values: [1])]
        ).svg()
        #expect(svg.contains("<title>a&lt;b</title>"))
        #expect(svg.contains(">&lt;x&gt;</text>"))
        #expect(!svg.contains("<x>"))
    }
}
