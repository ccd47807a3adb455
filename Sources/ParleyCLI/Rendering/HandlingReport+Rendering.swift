import ParleyEvents
import ParleyProjections

/// The handling figures of `parley kpi` (docs/PROJECTIONS.md, "Handling figures"): the block after the KPI
/// table, the `handling` key of its JSON, its CSV columns, and the `--group-by agent|team` reports.
extension HandlingReport {
    /// What `--group-by` groups by.
    enum Grouping: String {
        case agent, team
    }

    // MARK: Figures

    /// A set of figures as a JSON object.
    static func json(_ figures: HandlingFigures) -> String {
        let fields: [(String, String)] = [
            ("episodes", String(figures.episodes)), ("resolved", String(figures.resolved)),
            ("bot_handled", String(figures.botHandled)), ("contained", String(figures.contained)),
            ("containment", KPIReport.number(figures.containment)), ("escalated", String(figures.escalated)),
            ("escalation_rate", KPIReport.number(figures.escalationRate)),
            ("awaiting_human", String(figures.awaitingHuman)), ("time_to_human", json(figures.timeToHuman)),
            ("reassignments", String(figures.reassignments)),
            ("reassignments_per_resolved", KPIReport.number(figures.reassignmentsPerResolved)),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    static func json(_ stats: DurationStats) -> String {
        "{\"count\":\(stats.count),\"mean\":\(KPIReport.number(stats.mean)),\"p50\":\(KPIReport.number(stats.p50)),"
            + "\"p90\":\(KPIReport.number(stats.p90))}"
    }

    /// The CSV columns of a set of figures (``csvCells(_:)`` gives their cells).
    static let csvColumns = [
        "handling_resolved", "bot_handled", "contained", "containment", "escalated", "escalation_rate",
        "awaiting_human", "time_to_human_count", "time_to_human_p50", "time_to_human_p90", "reassignments",
        "reassignments_per_resolved",
    ]

    static func csvCells(_ figures: HandlingFigures) -> [String] {
        [
            String(figures.resolved), String(figures.botHandled), String(figures.contained),
            KPIReport.number(figures.containment, null: ""), String(figures.escalated),
            KPIReport.number(figures.escalationRate, null: ""), String(figures.awaitingHuman),
            String(figures.timeToHuman.count), KPIReport.number(figures.timeToHuman.p50, null: ""),
            KPIReport.number(figures.timeToHuman.p90, null: ""), String(figures.reassignments),
            KPIReport.number(figures.reassignmentsPerResolved, null: ""),
        ]
    }

    /// The block printed after the KPI table: the totals, one figure a line.
    func block() -> String {
        let figures = totals
        let tth = figures.timeToHuman
        return """

            handling
              bot containment   \(figures.contained) of \(figures.botHandled) resolved bot-handled episodes \
            (\(KPIReport.percent(figures.containment)))
              escalation rate   \(figures.escalated) of \(figures.episodes) episodes \
            (\(KPIReport.percent(figures.escalationRate)))
              time to human     p50 \(KPIReport.human(tth.p50)), p90 \(KPIReport.human(tth.p90)) \
            (\(tth.count) answered, \(figures.awaitingHuman) waiting)
              reassignments     \(figures.reassignments) (\(Self.decimal(figures.reassignmentsPerResolved)) \
            per resolved episode)

            """
    }

    /// Two decimals, `-` without data.
    static func decimal(_ value: Double?) -> String {
        value.map { KPIReport.number(($0 * 100).rounded() / 100) } ?? "-"
    }

    // MARK: --group-by

    /// The `--group-by` report as JSON: the rows, then the totals.
    func json(grouping: Grouping, context: [(String, String)]) -> String {
        var fields = context.map { "\"\($0.0)\":\($0.1)" }
        fields.append("\"group_by\":\"\(grouping.rawValue)\"")
        switch grouping {
        case .agent:
            let rows = agents.map { agent in
                "{\"agent\":\(Self.quoted(agent.agent)),\"resolved_owned\":\(agent.resolvedOwned),"
                    + "\"human_replies\":\(agent.humanReplies),\"first_responses\":\(Self.json(agent.firstResponses)),"
                    + "\"reassigned_away\":\(agent.reassignedAway)}"
            }
            fields.append("\"agents\":[" + rows.joined(separator: ",") + "]")
        case .team:
            let rows = teams.map { team in
                let figures = Self.json(team.figures)
                return "{\"team\":\(team.team.map(Self.quoted) ?? "null")," + figures.dropFirst()
            }
            fields.append("\"teams\":[" + rows.joined(separator: ",") + "]")
        }
        fields.append("\"totals\":" + Self.json(totals))
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The `--group-by` report as CSV: a header, one row per agent or team (then, per team, a `total` row).
    func csv(grouping: Grouping) -> String {
        var lines: [String]
        switch grouping {
        case .agent:
            lines = [
                "agent,resolved_owned,human_replies,first_responses,frt_mean,frt_p50,frt_p90,reassigned_away"
            ]
            for agent in agents {
                let stats = agent.firstResponses
                let cells =
                    [Self.csvField(agent.agent), String(agent.resolvedOwned), String(agent.humanReplies)]
                    + [String(stats.count)] + [stats.mean, stats.p50, stats.p90].map { KPIReport.number($0, null: "") }
                    + [String(agent.reassignedAway)]
                lines.append(cells.joined(separator: ","))
            }
        case .team:
            lines = [(["team", "episodes", "resolved"] + Self.csvColumns.dropFirst()).joined(separator: ",")]
            for team in teams {
                lines.append(
                    ([Self.csvField(team.team ?? ""), String(team.figures.episodes)] + Self.csvCells(team.figures))
                        .joined(separator: ","))
            }
            lines.append((["total", String(totals.episodes)] + Self.csvCells(totals)).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `--group-by` report as a table for people.
    func table(grouping: Grouping) -> String {
        var rows: [[String]]
        switch grouping {
        case .agent:
            rows = [["agent", "resolved", "replies", "first resp", "frt p50", "frt p90", "reassigned away"]]
            for agent in agents {
                rows.append([
                    agent.agent, String(agent.resolvedOwned), String(agent.humanReplies),
                    String(agent.firstResponses.count), KPIReport.human(agent.firstResponses.p50),
                    KPIReport.human(agent.firstResponses.p90), String(agent.reassignedAway),
                ])
            }
        case .team:
            rows = [
                [
                    "team", "episodes", "resolved", "contained", "containment", "escalated", "esc rate", "tth p50",
                    "tth p90", "reassign/res",
                ]
            ]
            for (label, figures) in teams.map({ ($0.team ?? "(none)", $0.figures) }) + [("total", totals)] {
                rows.append([
                    label, String(figures.episodes), String(figures.resolved),
                    "\(figures.contained)/\(figures.botHandled)", KPIReport.percent(figures.containment),
                    String(figures.escalated), KPIReport.percent(figures.escalationRate),
                    KPIReport.human(figures.timeToHuman.p50), KPIReport.human(figures.timeToHuman.p90),
                    Self.decimal(figures.reassignmentsPerResolved),
                ])
            }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONLineEncoder.appendJSONString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
