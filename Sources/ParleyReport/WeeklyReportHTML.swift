/// Renders a ``WeeklyReport`` as one self-contained HTML page: inline CSS and SVG, no script, no external
/// resource. Each chart sits in a `<figure>` with its `<figcaption>` and a `<table>` of the numbers it
/// draws. A section whose data is absent says so instead of vanishing. The output depends only on the
/// report's values (no clock, locale or machine).
public enum WeeklyReportHTML {
    /// The page.
    /// - Parameter report: the figures.
    /// - Returns: the HTML document, ending with a newline.
    public static func render(_ report: WeeklyReport) -> String {
        var html = HTMLBuilder()
        html.raw("<!DOCTYPE html>\n")
        html.element("html", ["lang": "en"]) { page in
            page.element("head") { head in
                head.empty("meta", ["charset": "utf-8"])
                head.empty("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                head.element("title", text: "Support report " + report.week)
                head.element("style") { $0.raw(ReportStyle.css) }
            }
            page.element("body") { body in
                body.element("main") { main in
                    let parts = [
                        header, headline, volume, firstResponse, backlog, sla, categories, questions, agents, footer,
                    ]
                    for part in parts {
                        // A line per part: the golden file's differences are easier to read.
                        main.raw("\n")
                        part(report, &main)
                    }
                    main.raw("\n")
                }
            }
        }
        return html.output + "\n"
    }

    /// `Mon 2 Mar – Sun 8 Mar 2026` from the report's first and last days; both years when they differ
    /// (`Mon 28 Dec 2026 – Sun 3 Jan 2027`).
    public static func span(_ report: WeeklyReport) -> String {
        guard let first = report.days.first, let last = report.days.last else { return "" }
        let firstYear = String(first.date.prefix(4))
        let lastYear = String(last.date.prefix(4))
        return first.label + (firstYear == lastYear ? "" : " " + firstYear) + " – " + last.label + " " + lastYear
    }

    private static func header(_ report: WeeklyReport, _ html: inout HTMLBuilder) {
        html.element("header", ["class": "top"]) { header in
            header.element("p", ["class": "eyebrow"], text: "Weekly support report")
            header.element("h1", text: report.week)
            header.element("p", ["class": "lede"], text: span(report) + " · days in " + report.timeZone)
        }
    }

    private static func headline(_ report: WeeklyReport, _ html: inout HTMLBuilder) {
        html.element("section", ["id": "headline", "class": "first"]) { section in
            section.element("h2", text: "The week at a glance")
            section.element(
                "p", ["class": "lede"],
                text: "Each figure against the previous week. Arrows give the direction; the word says whether it "
                    + "is better or worse.")
            section.element("div", ["class": "cards"]) { cards in
                for item in report.headline { card(item, into: &cards) }
            }
            if let csat = report.headline.first(where: { $0.metric == .csat }), csat.current == nil {
                section.element("p", ["class": "note"], text: "No CSAT recorded this week.")
            }
        }
    }

    private static func card(_ item: WeeklyReport.Headline, into html: inout HTMLBuilder) {
        html.element("div", ["class": "card"]) { card in
            card.element("h3", text: item.metric.title)
            card.element("p", ["class": "value"], text: item.metric.format(item.current))
            if let change = item.metric.change(from: item.previous, to: item.current) {
                let tone = change.good.map { $0 ? "good" : "bad" } ?? "neutral"
                card.element("p", ["class": "change " + tone], text: change.text + " " + change.word)
            } else {
                card.element("p", ["class": "change neutral"], text: "no comparison")
            }
            card.element("p", ["class": "prev"], text: "previous week: " + item.metric.format(item.previous))
        }
    }

    private static func footer(_ report: WeeklyReport, _ html: inout HTMLBuilder) {
        html.element("footer") { footer in
            footer.element(
                "p",
                text: "Durations are calendar time, p50/p90 nearest-rank; an episode counts on the day it started. "
                    + "SLA targets are business minutes of the policy in force. Definitions: docs/REPORT.md.")
            if !report.source.isEmpty { footer.element("p", text: "Source: " + report.source) }
        }
    }

    /// A section with a heading, an optional lede, and the content `body` writes.
    static func section(
        _ id: String, _ title: String, lede: String? = nil, into html: inout HTMLBuilder,
        _ body: (inout HTMLBuilder) -> Void
    ) {
        html.element("section", ["id": id]) { section in
            section.element("h2", text: title)
            if let lede { section.element("p", ["class": "lede"], text: lede) }
            body(&section)
        }
    }

    /// A table: a header row, body rows and an optional footer row. Cells whose column is in `textColumns`
    /// are aligned left (the first column always is).
    static func table(
        _ headers: [String], _ rows: [[String]], footer: [String]? = nil, textColumns: Set<Int> = [],
        into html: inout HTMLBuilder
    ) {
        func cell(_ name: String, _ text: String, _ column: Int, _ html: inout HTMLBuilder) {
            if textColumns.contains(column) {
                html.element(name, ["class": "text"], text: text)
            } else if name == "th" {
                html.element(name, ["scope": column == 0 ? "row" : "col"], text: text)
            } else {
                html.element(name, text: text)
            }
        }
        html.element("div", ["class": "table-box"]) { box in
            box.element("table") { table in
                table.element("thead") { head in
                    head.element("tr") { row in
                        for (column, text) in headers.enumerated() {
                            if textColumns.contains(column) {
                                row.element("th", ["scope": "col", "class": "text"], text: text)
                            } else {
                                row.element("th", ["scope": "col"], text: text)
                            }
                        }
                    }
                }
                table.element("tbody") { body in
                    for cells in rows {
                        body.element("tr") { row in
                            for (column, text) in cells.enumerated() { cell("td", text, column, &row) }
                        }
                    }
                }
                if let footer {
                    table.element("tfoot") { foot in
                        foot.element("tr") { row in
                            for (column, text) in footer.enumerated() { cell("td", text, column, &row) }
                        }
                    }
                }
            }
        }
    }
}
