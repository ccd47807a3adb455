extension WeeklyReportHTML {
    /// Short day labels for chart axes: `Mon 2`.
    static func axisLabels(_ report: WeeklyReport) -> [String] {
        report.days.map { day in
            let parts = day.label.split(separator: " ")
            return parts.count >= 2 ? parts[0] + " " + parts[1] : day.label
        }
    }

    /// Messages per day stacked by channel, and the table of them (channels with no message are left out).
    static func volume(_ report: WeeklyReport, _ html: inout HTMLBuilder) {
        section("volume", "Volume by channel", into: &html) { section in
            let used = report.channels.indices.filter { column in
                report.days.contains {
                    $0.messagesByChannel.indices.contains(column) && $0.messagesByChannel[column] > 0
                }
            }
            let series = used.map { column in
                ChartSeries(
                    name: report.channels[column],
                    values: report.days.map {
                        $0.messagesByChannel.indices.contains(column) ? Double($0.messagesByChannel[column]) : 0
                    })
            }
            figure(caption: "Messages received per day, stacked by channel.", into: &section) { box in
                StackedBarChart(
                    title: "Messages received per day by channel", labels: axisLabels(report), series: series
                )
                .draw(into: &box)
                legend(series.map(\.name), lines: false, into: &box)
            } table: { box in
                let rows = report.days.map { day in
                    [day.label] + used.map { ReportFormat.integer(day.messagesByChannel[$0]) }
                        + [ReportFormat.integer(day.messages)]
                }
                let totals =
                    ["Week"]
                    + used.map { column in
                        ReportFormat.integer(report.days.reduce(0) { $0 + $1.messagesByChannel[column] })
                    }
                    + [ReportFormat.integer(report.days.reduce(0) { $0 + $1.messages })]
                table(["Day"] + used.map { report.channels[$0] } + ["Total"], rows, footer: totals, into: &box)
            }
        }
    }

    /// First response p50 and p90 per day against the policy's target, and the table with resolution times.
    static func firstResponse(_ report: WeeklyReport, _ html: inout HTMLBuilder) {
        let lede: String
        var target: LineChart.Target?
        if let minutes = report.slaTarget?.firstResponseMinutes {
            let seconds = Double(minutes) * 60
            target = LineChart.Target(value: seconds, label: "target " + ReportFormat.duration(seconds))
            lede =
                "Dashed red line: the first response target for normal priority ("
                + ReportFormat.duration(seconds) + " of business time"
                + (report.slaTarget?.name.map { ", policy \u{201C}" + $0 + "\u{201D}" } ?? "") + ")."
        } else {
            lede = "No SLA policy with a first response target is in force: no target line."
        }
        section("response", "Response and resolution times", lede: lede, into: &html) { section in
            let series = [
                ChartSeries(name: "first response p50", values: report.days.map(\.firstResponseP50)),
                ChartSeries(name: "first response p90", values: report.days.map(\.firstResponseP90)),
            ]
            let axis = ChartAxis.duration(maximum: LineChart.maximum(series, target: target))
            figure(caption: "First response time per day (episodes started that day).", into: &section) { box in
                LineChart(
                    title: "First response time per day, p50 and p90", labels: axisLabels(report), series: series,
                    target: target, axis: axis
                ).draw(into: &box)
                legend(series.map(\.name), lines: true, into: &box)
            } table: { box in
                let rows = report.days.map { day in
                    [
                        day.label, ReportFormat.integer(day.episodes), ReportFormat.duration(day.firstResponseP50),
                        ReportFormat.duration(day.firstResponseP90), ReportFormat.duration(day.resolutionP50),
                        ReportFormat.duration(day.resolutionP90),
                    ]
                }
                table(["Day", "Episodes", "FRT p50", "FRT p90", "Res. p50", "Res. p90"], rows, into: &box)
            }
        }
    }

    /// Conversations open at the end of each day.
    static func backlog(_ report: WeeklyReport, _ html: inout HTMLBuilder) {
        section("backlog", "Backlog", into: &html) { section in
            let series = [ChartSeries(name: "open at end of day", values: report.days.map { Double($0.backlogEnd) })]
            figure(caption: "Conversations with an episode open at the end of each day.", into: &section) { box in
                StackedBarChart(title: "Backlog at the end of each day", labels: axisLabels(report), series: series)
                    .draw(into: &box)
            } table: { box in
                table(
                    ["Day", "Open at end of day"],
                    report.days.map { [$0.label, ReportFormat.integer($0.backlogEnd)] }, into: &box)
            }
        }
    }

    /// SLA attainment per day of both clocks, or a note when no policy measures the week.
    static func sla(_ report: WeeklyReport, _ html: inout HTMLBuilder) {
        let measured = report.days.contains { $0.slaFirstResponse != nil || $0.slaResolution != nil }
        section("sla", "SLA attainment", into: &html) { section in
            guard measured else {
                section.element(
                    "p", ["class": "note"],
                    text: "No SLA policy measured this week's episodes: attainment is not available.")
                return
            }
            let series = [
                ChartSeries(name: "first response", values: report.days.map { $0.slaFirstResponse?.attainment }),
                ChartSeries(name: "resolution", values: report.days.map { $0.slaResolution?.attainment }),
            ]
            figure(
                caption: "Share of decided episodes (met or breached) that met their target, by the day they started. "
                    + "Open episodes are not decided yet.", into: &section
            ) { box in
                LineChart(
                    title: "SLA attainment per day", labels: axisLabels(report), series: series, axis: .percent
                ).draw(into: &box)
                legend(series.map(\.name), lines: true, into: &box)
            } table: { box in
                func cells(_ count: WeeklyReport.SLACount?) -> [String] {
                    guard let count else { return [ReportFormat.absent, ReportFormat.absent] }
                    return [
                        ReportFormat.percent(count.attainment),
                        "\(count.met) / \(count.breached) / \(count.open)",
                    ]
                }
                let rows = report.days.map { [$0.label] + cells($0.slaFirstResponse) + cells($0.slaResolution) }
                table(["Day", "First resp.", "m / b / o", "Resolution", "m / b / o"], rows, into: &box)
                box.element(
                    "p", ["class": "lede"], text: "m / b / o: episodes met, breached, and still open (not decided).")
            }
        }
    }

    /// A figure: caption, the chart box `chart` fills, and beside it (below it on a phone) the box of
    /// numbers `table` fills.
    static func figure(
        caption: String, into html: inout HTMLBuilder, _ chart: (inout HTMLBuilder) -> Void,
        table: (inout HTMLBuilder) -> Void
    ) {
        html.element("figure") { figure in
            figure.element("figcaption", text: caption)
            figure.element("div", ["class": "chart-box"]) { chart(&$0) }
            figure.element("div", ["class": "numbers"]) { table(&$0) }
        }
    }

    /// The legend of a chart's series: a swatch (bars) or a line sample with its dash and marker (lines),
    /// and the series' name in words.
    static func legend(_ names: [String], lines: Bool, into html: inout HTMLBuilder) {
        guard !names.isEmpty else { return }
        html.element("ul", ["class": "legend"]) { list in
            for (index, name) in names.enumerated() {
                list.element("li") { item in
                    let seriesClass = ChartFrame.seriesClass(index)
                    if lines {
                        item.element("svg", ["viewBox": "0 0 28 12", "aria-hidden": "true", "class": "chart"]) { svg in
                            svg.empty(
                                "line",
                                [
                                    "class": "line \(seriesClass) dash\(index % 3)", "x1": "1", "x2": "27", "y1": "6",
                                    "y2": "6",
                                ],
                                selfClosing: true)
                            LineChart.marker(index, x: 14, y: 6, radius: 3.5, tooltip: nil, into: &svg)
                        }
                    } else {
                        item.element("span", ["class": "swatch \(seriesClass)", "aria-hidden": "true"]) { _ in }
                    }
                    item.text(name)
                }
            }
        }
    }
}
