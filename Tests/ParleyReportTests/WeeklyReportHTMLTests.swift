import Testing

@testable import ParleyReport

/// The renderer, from model values: every section is there, the tables hold the model's numbers, absent
/// data is said, data is escaped, and nothing reaches outside the page.
@Suite struct WeeklyReportHTMLTests {
    /// A full report: two channels, a policy, categories with money and CSAT, questions and agents.
    static func sample() -> WeeklyReport {
        let monday = CivilDate.days(year: 2026, month: 3, day: 2)
        let days = (0..<7).map { offset in
            WeeklyReport.Day(
                date: CivilDate.iso(monday + offset), label: CivilDate.short(monday + offset),
                messagesByChannel: [10 + offset, 1000 * offset], episodes: 7 + offset,
                firstResponseP50: Double(600 + 60 * offset),
                firstResponseP90: offset == 3 ? nil : Double(5400 + offset),
                resolutionP50: 7200, resolutionP90: 90_000, backlogEnd: 3 * offset,
                slaFirstResponse: WeeklyReport.SLACount(met: 9, breached: offset, open: 1),
                slaResolution: WeeklyReport.SLACount(met: 4, breached: 4, open: 2))
        }
        return WeeklyReport(
            week: "2026-W10", timeZone: "UTC", channels: ["email", "chat"], days: days,
            headline: [
                WeeklyReport.Headline(metric: .messages, current: 21_091, previous: 20_000),
                WeeklyReport.Headline(metric: .firstResponseP50, current: 900, previous: 600),
                WeeklyReport.Headline(metric: .slaFirstResponse, current: 0.9, previous: 0.8),
                WeeklyReport.Headline(metric: .csat, current: 4.25, previous: 4.5),
            ],
            slaTarget: WeeklyReport.SLATarget(name: "Std <EU>", firstResponseMinutes: 120, resolutionMinutes: 1440),
            categories: [
                WeeklyReport.CategoryRow(
                    category: "billing & <refunds>", episodes: 30, share: 0.6, firstResponseP50: 700,
                    resolutionP50: 8000, csatMean: 3.875, csatResponses: 8, compensations: 3,
                    amounts: [
                        WeeklyReport.Money(minorUnits: 12_550, currency: "EUR"),
                        WeeklyReport.Money(minorUnits: 3000, currency: "JPY"),
                    ]),
                WeeklyReport.CategoryRow(category: nil, episodes: 20, share: 0.4),
            ],
            questions: [
                WeeklyReport.QuestionRow(
                    label: "where order", count: 12, previousCount: 7, categories: ["shipping"], channels: ["email"],
                    examples: ["c-1", "c-9"], reusesTemplate: true),
                WeeklyReport.QuestionRow(label: "password reset", count: 5, previousCount: 0),
            ],
            agents: [
                WeeklyReport.AgentLoadRow(
                    agent: "agent:ana", resolved: 14, firstResponses: 20, firstResponseP50: 300, firstResponseP90: 1200)
            ],
            source: "parley.log up to seq 99")
    }

    /// The cells of the table that follows the section with `id`, row by row.
    static func rows(_ html: String, section id: String) -> [[String]] {
        guard let start = html.range(of: "<section id=\"\(id)\"") else { return [] }
        let rest = html[start.upperBound...]
        let body = rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
        return body.components(separatedBy: "<tr>").dropFirst().map { row in
            row.components(separatedBy: "<td").dropFirst().map { cell in
                let afterOpen = cell.drop { $0 != ">" }.dropFirst()
                return String(afterOpen.prefix { $0 != "<" })
            }
        }.filter { !$0.isEmpty }
    }

    @Test func everySectionIsPresentInOrder() {
        let html = WeeklyReportHTML.render(Self.sample())
        var position = html.startIndex
        for id in ["headline", "volume", "response", "backlog", "sla", "categories", "questions", "agents"] {
            let found = html.range(of: "<section id=\"\(id)\"", range: position..<html.endIndex)
            #expect(found != nil, "section \(id)")
            position = found?.upperBound ?? position
        }
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.components(separatedBy: "<figure>").count - 1 == 4)
        #expect(html.components(separatedBy: "<figcaption>").count - 1 == 4)
    }

    @Test func volumeTableHoldsTheModelsNumbersAndTotals() {
        let rows = Self.rows(WeeklyReportHTML.render(Self.sample()), section: "volume")
        #expect(rows.count == 8)
        #expect(rows[0] == ["Mon 2 Mar", "10", "0", "10"])
        #expect(rows[6] == ["Sun 8 Mar", "16", "6,000", "6,016"])
        #expect(rows[7] == ["Week", "91", "21,000", "21,091"])
    }

    @Test func responseBacklogAndSLATablesHoldTheModelsNumbers() {
        let html = WeeklyReportHTML.render(Self.sample())
        let response = Self.rows(html, section: "response")
        #expect(response[1] == ["Tue 3 Mar", "8", "11m 00s", "1h 30m", "2h 00m", "1d 01h 00m"])
        #expect(response[3][3] == ReportFormat.absent)
        #expect(Self.rows(html, section: "backlog").map { $0[1] } == ["0", "3", "6", "9", "12", "15", "18"])
        let sla = Self.rows(html, section: "sla")
        #expect(sla[2] == ["Wed 4 Mar", "81.8%", "9 / 2 / 1", "50.0%", "4 / 4 / 2"])
    }

    @Test func headlineCardsShowValuesChangesAndWords() {
        let html = WeeklyReportHTML.render(Self.sample())
        #expect(html.contains(#"<p class="value">21,091</p><p class="change neutral">↑ 5.5% more</p>"#))
        #expect(html.contains(#"<p class="value">15m 00s</p><p class="change bad">↑ 50.0% worse</p>"#))
        #expect(html.contains(#"<p class="change good">↑ 10.0 pts better</p>"#))
        #expect(html.contains(#"<p class="change bad">↓ 5.6% worse</p>"#))
        #expect(html.contains("previous week: 20,000"))
    }

    @Test func categoriesShowMoneyAndCSATEscaped() {
        let html = WeeklyReportHTML.render(Self.sample())
        let rows = Self.rows(html, section: "categories")
        #expect(
            rows[0] == [
                "billing &amp; &lt;refunds&gt;", "30", "60.0%", "11m 40s", "2h 13m", "3.88", "8", "3",
                "EUR 125.50; JPY 3,000",
            ])
        #expect(rows[1] == ["(none)", "20", "40.0%", "–", "–", "–", "0", "0", "–"])
        #expect(!html.contains("<refunds>"))
        #expect(html.contains("policy \u{201C}Std &lt;EU&gt;\u{201D}"))
    }

    @Test func questionsShowTrendTemplatesAndExamples() {
        let rows = Self.rows(WeeklyReportHTML.render(Self.sample()), section: "questions")
        #expect(rows[0] == ["where order", "12", "↑ 5 (from 7)", "shipping", "email", "yes", "c-1, c-9"])
        #expect(rows[1] == ["password reset", "5", "new", "–", "–", "–", "–"])
    }

    @Test func questionsShowAtMostThreeExamplesAndCountTheRest() {
        #expect(WeeklyReportHTML.examples([]) == ReportFormat.absent)
        #expect(WeeklyReportHTML.examples(["a", "b", "c"]) == "a, b, c")
        #expect(WeeklyReportHTML.examples(["a", "b", "c", "d", "e"]) == "a, b, c (+2 more)")
    }

    @Test func agentsTableHoldsTheirLoad() {
        let rows = Self.rows(WeeklyReportHTML.render(Self.sample()), section: "agents")
        #expect(rows == [["agent:ana", "14", "20", "5m 00s", "20m 00s"]])
    }

    @Test func absentSectionsSaySoInsteadOfVanishing() {
        var report = Self.sample()
        report.categories = nil
        report.questions = nil
        report.agents = []
        report.slaTarget = nil
        report.headline = [WeeklyReport.Headline(metric: .csat, current: nil, previous: nil)]
        for index in report.days.indices {
            report.days[index].slaFirstResponse = nil
            report.days[index].slaResolution = nil
        }
        let html = WeeklyReportHTML.render(report)
        #expect(html.contains("No CSAT recorded this week."))
        #expect(html.contains("Category figures (CSAT, compensation) are not available for this report."))
        #expect(html.contains("Recurring questions are not available for this report."))
        #expect(html.contains("No agent resolved or answered an episode this week."))
        #expect(html.contains("No SLA policy measured this week"))
        #expect(html.contains("No SLA policy with a first response target is in force"))
        #expect(!html.contains("class=\"target\""))
        report.categories = []
        report.questions = []
        let empty = WeeklyReportHTML.render(report)
        #expect(empty.contains("No episode started this week: no category to show."))
        #expect(empty.contains("No question recurred five times or more this week."))
    }

    @Test func theWeeksSpanNamesBothYearsWhenItCrossesOne() throws {
        var report = Self.sample()
        #expect(WeeklyReportHTML.span(report) == "Mon 2 Mar – Sun 8 Mar 2026")
        let week = try #require(ISOWeek("2026-W53"))
        for (index, day) in week.days.enumerated() {
            report.days[index].date = CivilDate.iso(day)
            report.days[index].label = CivilDate.short(day)
        }
        #expect(WeeklyReportHTML.span(report) == "Mon 28 Dec 2026 – Sun 3 Jan 2027")
    }

    @Test func thePageIsSelfContainedAndDeterministic() {
        let html = WeeklyReportHTML.render(Self.sample())
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        #expect(!html.contains("src="))
        // The only address is the SVG namespace, which is a name, not a request.
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http") == false)
        #expect(WeeklyReportHTML.render(Self.sample()) == html)
        #expect(html.contains("@media print"))
    }
}
