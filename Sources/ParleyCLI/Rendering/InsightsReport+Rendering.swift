import ParleyEvents
import ParleyProjections

/// `parley insights` output: two tables (categories, channels) and a few lines of totals, or one JSON
/// document, or one CSV table (docs/PROJECTIONS.md, "Insights").
extension InsightsReport {
    // MARK: JSON

    /// The report as one JSON document; `context` are its first keys (what was replayed, the scope).
    func json(context: [(String, String)]) -> String {
        var fields = context
        fields += [
            ("from", from.map { Self.quotedTime($0) } ?? "null"),
            ("to", to.map { Self.quotedTime($0) } ?? "null"),
            ("moment", moment.map { Self.quotedTime($0) } ?? "null"),
            ("orders", String(orders)),
            ("cost_currency", costCurrency.map(HandlingReport.quoted) ?? "null"),
            ("totals", json(totals, key: nil)),
            ("by_category", "[" + byCategory.map { json($0, key: "category") }.joined(separator: ",") + "]"),
            ("by_channel", "[" + byChannel.map { json($0, key: "channel") }.joined(separator: ",") + "]"),
            (
                "baseline",
                "{\"within_30_days\":\(Self.json(baseline30)),\"within_90_days\":\(Self.json(baseline90))}"
            ),
            (
                "unattributed",
                "{\"scores\":\(unattributedScores),\"compensations\":\(unattributedCompensations),"
                    + "\"amounts\":\(Self.json(unattributedAmounts))}"
            ),
        ]
        return Self.object(fields)
    }

    private func json(_ row: InsightsRow, key: String?) -> String {
        var fields: [(String, String)] = []
        if let key { fields.append((key, row.key.map(HandlingReport.quoted) ?? "null")) }
        let number = { (value: Double?) in KPIReport.number(value) }
        fields += [
            ("episodes", String(row.episodes)), ("share", number(row.share)),
            ("conversations", String(row.conversations)), ("reopens", String(row.reopens)),
            ("reopen_rate", number(row.reopenRate)), ("frt", HandlingReport.json(row.firstResponse)),
            ("resolution", HandlingReport.json(row.resolution)), ("resolved", String(row.resolved)),
            ("touches", String(row.touches)), ("touches_mean", number(row.touchesMean)),
            (
                "fcr",
                Self.object([
                    ("count", String(row.firstContactResolutions)), ("pending", String(row.firstContactPending)),
                    ("rate", number(row.firstContactRate)),
                ])
            ),
            (
                "csat",
                Self.object([
                    ("responses", String(row.csatResponses)), ("mean", number(row.csatMean)),
                    ("satisfied", String(row.csatSatisfied)), ("satisfied_share", number(row.csatSatisfiedShare)),
                    ("resolved_responses", String(row.csatResolvedResponses)),
                    ("response_rate", number(row.csatResponseRate)),
                ])
            ),
            (
                "compensations",
                Self.object([
                    ("count", String(row.compensations)),
                    ("per_conversation", number(row.compensationsPerConversation)),
                    ("amounts", Self.json(row.amounts)),
                ])
            ),
            ("handled_seconds", number(Double(row.handled) / 1e9)),
            ("cost", row.cost.map { String($0) } ?? "null"),
            ("cost_per_episode", row.costPerEpisode.map { String($0) } ?? "null"),
            ("contacts_per_100_orders", number(row.contactsPer100Orders)),
            (
                "repeat_purchase",
                "{\"within_30_days\":\(Self.json(row.repeat30)),\"within_90_days\":\(Self.json(row.repeat90))}"
            ),
        ]
        return Self.object(fields)
    }

    private static func json(_ purchases: RepeatPurchase) -> String {
        object([
            ("customers", String(purchases.customers)), ("repeated", String(purchases.repeated)),
            ("pending", String(purchases.pending)), ("rate", KPIReport.number(purchases.rate)),
        ])
    }

    /// Amounts as `[{"currency":"EUR","amount":1250,"text":"12.50"}]`: integer minor units, and the decimal.
    private static func json(_ amounts: [CurrencyAmount]) -> String {
        "["
            + amounts.map {
                object([
                    ("currency", HandlingReport.quoted($0.currency)), ("amount", String($0.amount)),
                    ("text", HandlingReport.quoted(MinorUnits.format($0.amount, currency: $0.currency))),
                ])
            }.joined(separator: ",") + "]"
    }

    private static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    private static func quotedTime(_ nanoseconds: Int64) -> String {
        "\"" + Timestamp(nanoseconds: nanoseconds).rfc3339 + "\""
    }

    // MARK: CSV

    /// One CSV table: a row per category, per channel and the totals (`group` says which), every figure,
    /// an `amount_<CUR>` column per currency compensated (integer minor units).
    func csv() -> String {
        let currencies = Set((byCategory + byChannel + [totals]).flatMap { $0.amounts.map(\.currency) }).sorted()
        var columns = [
            "group", "key", "episodes", "share", "conversations", "reopens", "reopen_rate", "frt_count", "frt_p50",
            "frt_p90", "resolution_count", "resolution_p50", "resolution_p90", "resolved", "touches",
            "touches_mean", "fcr", "fcr_pending", "fcr_rate", "csat_responses", "csat_mean", "csat_satisfied",
            "csat_satisfied_share", "csat_response_rate", "compensations", "compensations_per_conversation",
        ]
        columns += currencies.map { "amount_\($0)" }
        columns += [
            "handled_seconds", "cost", "cost_per_episode", "contacts_per_100_orders", "repeat_30_customers",
            "repeat_30_repeated", "repeat_30_pending", "repeat_30_rate", "repeat_90_customers", "repeat_90_repeated",
            "repeat_90_pending", "repeat_90_rate",
        ]
        var lines = [columns.joined(separator: ",")]
        func cells(_ group: String, _ row: InsightsRow) -> String {
            let number = { (value: Double?) in KPIReport.number(value, null: "") }
            var cells = [
                group, HandlingReport.csvField(row.key ?? ""), String(row.episodes), number(row.share),
                String(row.conversations), String(row.reopens), number(row.reopenRate),
                String(row.firstResponse.count), number(row.firstResponse.p50), number(row.firstResponse.p90),
                String(row.resolution.count), number(row.resolution.p50), number(row.resolution.p90),
                String(row.resolved), String(row.touches), number(row.touchesMean),
                String(row.firstContactResolutions), String(row.firstContactPending), number(row.firstContactRate),
                String(row.csatResponses), number(row.csatMean), String(row.csatSatisfied),
                number(row.csatSatisfiedShare), number(row.csatResponseRate), String(row.compensations),
                number(row.compensationsPerConversation),
            ]
            cells += currencies.map { code in String(row.amounts.first { $0.currency == code }?.amount ?? 0) }
            cells += [
                number(Double(row.handled) / 1e9), row.cost.map { String($0) } ?? "",
                row.costPerEpisode.map { String($0) } ?? "", number(row.contactsPer100Orders),
            ]
            for purchases in [row.repeat30, row.repeat90] {
                cells += [
                    String(purchases.customers), String(purchases.repeated), String(purchases.pending),
                    number(purchases.rate),
                ]
            }
            return cells.joined(separator: ",")
        }
        lines += byCategory.map { cells("category", $0) }
        lines += byChannel.map { cells("channel", $0) }
        lines.append(cells("total", totals))
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Table

    /// The two tables and the totals' lines. Without `wide`, the main columns and lines of at most 100
    /// columns (names clipped); with it, every figure.
    func table(wide: Bool) -> String {
        var out = ""
        let window = [from.map { Self.date($0) } ?? "start", to.map { Self.date($0 - 1) } ?? "end"]
        out += "insights \(window[0]) to \(window[1]) (UTC dates of episode starts and orders): "
        out += "\(totals.episodes) episodes, \(orders) orders\n"
        guard totals.episodes > 0 || orders > 0 else { return out + "no episode and no order in the window\n" }
        out += "\n" + rows("category", byCategory, wide: wide) + "\n" + rows("channel", byChannel, wide: wide)
        out += "\n" + lines()
        return out
    }

    private func rows(_ title: String, _ rows: [InsightsRow], wide: Bool) -> String {
        var header = [title, "eps", "share", "frt p50", "res p50", "reopen", "fcr", "csat", "comp", "cost", "rep30"]
        if wide {
            header = [
                title, "eps", "share", "frt p50", "frt p90", "res p50", "res p90", "reopen", "touch", "fcr",
                "fcr pend", "csat", "4-5", "resp", "comp", "comp/conv", "amounts", "handled", "cost", "cost/ep",
                "per 100 ord", "rep30", "rep90",
            ]
        }
        var table = [header]
        for (label, row) in rows.map({ ($0.key ?? "(none)", $0) }) + [("total", totals)] {
            var key = label
            if !wide && key.count > 16 { key = String(key.prefix(15)) + "…" }
            let csat = row.csatMean.map { KPIReport.number(($0 * 10).rounded() / 10) } ?? "-"
            let cost = row.cost.map { MinorUnits.format($0, currency: costCurrency ?? "") } ?? "-"
            if wide {
                table.append([
                    key, String(row.episodes), KPIReport.percent(row.share), KPIReport.human(row.firstResponse.p50),
                    KPIReport.human(row.firstResponse.p90), KPIReport.human(row.resolution.p50),
                    KPIReport.human(row.resolution.p90), KPIReport.percent(row.reopenRate),
                    row.touchesMean.map { KPIReport.number(($0 * 10).rounded() / 10) } ?? "-",
                    KPIReport.percent(row.firstContactRate), String(row.firstContactPending), csat,
                    KPIReport.percent(row.csatSatisfiedShare), KPIReport.percent(row.csatResponseRate),
                    String(row.compensations),
                    row.compensationsPerConversation.map { KPIReport.number(($0 * 100).rounded() / 100) } ?? "-",
                    Self.text(row.amounts), KPIReport.human(Double(row.handled) / 1e9), cost,
                    row.costPerEpisode.map { MinorUnits.format($0, currency: costCurrency ?? "") } ?? "-",
                    row.contactsPer100Orders.map { KPIReport.number(($0 * 10).rounded() / 10) } ?? "-",
                    KPIReport.percent(row.repeat30.rate), KPIReport.percent(row.repeat90.rate),
                ])
            } else {
                table.append([
                    key, String(row.episodes), KPIReport.percent(row.share), KPIReport.human(row.firstResponse.p50),
                    KPIReport.human(row.resolution.p50), KPIReport.percent(row.reopenRate),
                    KPIReport.percent(row.firstContactRate), csat, String(row.compensations), cost,
                    KPIReport.percent(row.repeat30.rate),
                ])
            }
        }
        return Self.aligned(table)
    }

    /// The lines after the tables: orders, repeat purchases against the baseline, money, what was left apart.
    private func lines() -> String {
        var lines: [String] = []
        lines.append(
            "contacts per 100 orders: "
                + (totals.contactsPer100Orders.map { KPIReport.number(($0 * 10).rounded() / 10) } ?? "- (no order)"))
        lines.append(
            "repeat purchase within 30/90 days after a resolved episode: "
                + "\(KPIReport.percent(totals.repeat30.rate))/\(KPIReport.percent(totals.repeat90.rate))")
        lines.append(
            "  customers without a contact (baseline): "
                + "\(KPIReport.percent(baseline30.rate))/\(KPIReport.percent(baseline90.rate))"
        )
        let pending = totals.repeat30.pending + baseline30.pending
        if pending > 0 { lines.append("  (customers whose 30 days are not over, counted apart: \(pending))") }
        lines.append(
            "compensations: \(totals.compensations)" + (totals.amounts.isEmpty ? "" : " (\(Self.text(totals.amounts)))")
                + "; csat \(KPIReport.percent(totals.csatSatisfiedShare)) scored 4-5, response rate "
                + KPIReport.percent(totals.csatResponseRate))
        if unattributedScores > 0 || unattributedCompensations > 0 {
            lines.append(
                "unattributed (conversation without an episode yet): \(unattributedScores) scores, "
                    + "\(unattributedCompensations) compensations"
                    + (unattributedAmounts.isEmpty ? "" : " (\(Self.text(unattributedAmounts)))"))
        }
        if let currency = costCurrency {
            lines.append(
                "cost to serve (\(currency)): touches x cost per touch + hours of handling x cost per hour")
            lines.append("  (handling: open, not pending, owned by a person; docs/PROJECTIONS.md, \"Insights\")")
        }
        lines.append("fcr: one touch, no reopen within 7 days; csat: mean score; rep30: ordered within 30 days")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Columns separated by two spaces: the first left-aligned, the others right-aligned.
    private static func aligned(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// `EUR 12.50, JPY 1000`.
    static func text(_ amounts: [CurrencyAmount]) -> String {
        amounts.isEmpty
            ? "-"
            : amounts.map { "\($0.currency) \(MinorUnits.format($0.amount, currency: $0.currency))" }.joined(
                separator: ", ")
    }

    private static func date(_ nanoseconds: Int64) -> String {
        String(Timestamp(nanoseconds: nanoseconds).rfc3339.prefix(10))
    }
}
