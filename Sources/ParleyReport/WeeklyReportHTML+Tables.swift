extension WeeklyReportHTML {
    /// Per category: volume and share, speed, CSAT and money; or a note when categories were not computed.
    static func categories(_ report: WeeklyReport, _ html: inout HTMLBuilder) {
        section("categories", "Categories: money and satisfaction", into: &html) { section in
            guard let rows = report.categories else {
                section.element(
                    "p", ["class": "note"],
                    text: "Category figures (CSAT, compensation) are not available for this report.")
                return
            }
            guard !rows.isEmpty else {
                section.element("p", ["class": "note"], text: "No episode started this week: no category to show.")
                return
            }
            if !rows.contains(where: { $0.csatResponses > 0 }) {
                section.element("p", ["class": "note"], text: "No CSAT recorded this week.")
            }
            let cells = rows.map { row -> [String] in
                [
                    row.category ?? "(none)", ReportFormat.integer(row.episodes), ReportFormat.percent(row.share),
                    ReportFormat.duration(row.firstResponseP50), ReportFormat.duration(row.resolutionP50),
                    row.csatMean.map { ReportFormat.decimal($0, digits: 2) } ?? ReportFormat.absent,
                    ReportFormat.integer(row.csatResponses), ReportFormat.integer(row.compensations),
                    row.amounts.isEmpty
                        ? ReportFormat.absent
                        : row.amounts.map {
                            ReportFormat.money($0.minorUnits, currency: $0.currency, digits: $0.digits)
                        }
                        .joined(separator: "; "),
                ]
            }
            table(
                ["Category", "Episodes", "Share", "FRT p50", "Res. p50", "CSAT", "Answers", "Comp.", "Amount"], cells,
                textColumns: [0, 8], into: &section)
        }
    }

    /// Recurring questions with their trend, or a note when they were not computed or none recurred.
    static func questions(_ report: WeeklyReport, _ html: inout HTMLBuilder) {
        section(
            "questions", "Recurring questions",
            lede: "First messages asked five times or more: candidates for the help centre.", into: &html
        ) { section in
            guard let rows = report.questions else {
                section.element("p", ["class": "note"], text: "Recurring questions are not available for this report.")
                return
            }
            guard !rows.isEmpty else {
                section.element("p", ["class": "note"], text: "No question recurred five times or more this week.")
                return
            }
            let cells = rows.map { row -> [String] in
                [
                    row.label, ReportFormat.integer(row.count), trend(row.count, row.previousCount),
                    row.categories.isEmpty ? ReportFormat.absent : row.categories.joined(separator: ", "),
                    row.channels.isEmpty ? ReportFormat.absent : row.channels.joined(separator: ", "),
                    row.reusesTemplate.map { $0 ? "yes" : "no" } ?? ReportFormat.absent,
                    examples(row.examples),
                ]
            }
            table(
                ["Question", "Count", "Trend", "Categories", "Channels", "Template", "Examples"], cells,
                textColumns: [0, 3, 4, 6], into: &section)
        }
    }

    /// The first three example ids, and how many more there are: `c-1, c-2, c-3 (+9 more)`.
    static func examples(_ ids: [String]) -> String {
        guard !ids.isEmpty else { return ReportFormat.absent }
        let shown = ids.prefix(3).joined(separator: ", ")
        return ids.count > 3 ? shown + " (+" + String(ids.count - 3) + " more)" : shown
    }

    /// `↑ 3 (from 5)`, `= (5)`, `new` or the absent mark.
    static func trend(_ count: Int, _ previous: Int?) -> String {
        guard let previous else { return ReportFormat.absent }
        if previous == 0 { return "new" }
        if count == previous { return "= (" + String(previous) + ")" }
        let arrow = count > previous ? "↑ " : "↓ "
        return arrow + String((count - previous).magnitude) + " (from " + String(previous) + ")"
    }

    /// Agents' load over the week: resolved episodes they owned, their first responses, reassignments.
    static func agents(_ report: WeeklyReport, _ html: inout HTMLBuilder) {
        section(
            "agents", "Agents' load",
            lede: "Episodes started this week that they owned when resolved, and the first responses they gave "
                + "in them (bots included).", into: &html
        ) { section in
            guard !report.agents.isEmpty else {
                section.element("p", ["class": "note"], text: "No agent resolved or answered an episode this week.")
                return
            }
            let cells = report.agents.map { row -> [String] in
                [
                    row.agent, ReportFormat.integer(row.resolved), ReportFormat.integer(row.firstResponses),
                    ReportFormat.duration(row.firstResponseP50), ReportFormat.duration(row.firstResponseP90),
                ]
            }
            table(["Agent", "Resolved", "First resp.", "FRT p50", "FRT p90"], cells, into: &section)
        }
    }
}
