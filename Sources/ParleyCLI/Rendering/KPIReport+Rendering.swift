import ParleyEvents
import ParleyProjections

extension KPIReport {
    /// The documented JSON interface (docs/PROJECTIONS.md): seconds as numbers, `null` where a statistic
    /// has no data. With `handling`, a last `handling` key holds its figures: totals and per bucket.
    func json(context: [(String, String)] = [], handling: HandlingReport? = nil) -> String {
        var fields = context.map { "\"\($0.0)\":\($0.1)" }
        fields.append("\"by\":\"\(size.rawValue)\"")
        fields.append("\"buckets\":[" + buckets.map { Self.json($0, isTotal: false) }.joined(separator: ",") + "]")
        fields.append("\"totals\":" + Self.json(totals, isTotal: true))
        fields.append(
            "\"anomalies\":{\"negative_durations\":\(anomalies.negativeDurations),"
                + "\"replies_outside_episodes\":\(anomalies.repliesOutsideEpisodes),"
                + "\"resolves_outside_episodes\":\(anomalies.resolvesOutsideEpisodes),"
                + "\"invalid_policies\":\(anomalies.invalidPolicies)}")
        if let handling {
            let perBucket = zip(buckets, handling.buckets).map { kpis, figures in
                "{\"bucket\":\"\(kpis.label)\"," + HandlingReport.json(figures).dropFirst()
            }
            fields.append(
                "\"handling\":{\"buckets\":[" + perBucket.joined(separator: ",") + "],\"totals\":"
                    + HandlingReport.json(handling.totals) + "}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    private static func json(_ kpis: BucketKPIs, isTotal: Bool) -> String {
        var fields: [String] = []
        if !isTotal { fields.append("\"bucket\":\"\(kpis.label)\"") }
        let channels = Channel.allCases.map { "\"\($0.name)\":\(kpis.messagesByChannel[Int($0.rawValue)])" }
        fields.append(
            "\"messages\":{\"total\":\(kpis.messages),\"by_channel\":{" + channels.joined(separator: ",") + "}}")
        fields.append("\"new_episodes\":\(kpis.newEpisodes)")
        fields.append("\"reopens\":\(kpis.reopens)")
        fields.append("\"frt\":" + json(kpis.firstResponse))
        fields.append("\"resolution\":" + json(kpis.resolution))
        fields.append("\"touches_mean\":" + number(kpis.touchesMean))
        fields.append(
            "\"first_contact_resolutions\":{\"count\":\(kpis.firstContactResolutions),\"pending\":\(kpis.firstContactPending)}"
        )
        fields.append("\"backlog_end\":\(kpis.backlogEnd)")
        if let response = kpis.slaFirstResponse, let resolution = kpis.slaResolution {
            fields.append("\"sla\":{\"first_response\":" + json(response) + ",\"resolution\":" + json(resolution) + "}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    private static func json(_ counts: SLACounts) -> String {
        "{\"met\":\(counts.met),\"breached\":\(counts.breached),\"open\":\(counts.open),"
            + "\"attainment\":\(number(counts.attainment))}"
    }

    private static func json(_ stats: DurationStats) -> String {
        "{\"count\":\(stats.count),\"mean\":\(number(stats.mean)),\"p50\":\(number(stats.p50)),\"p90\":\(number(stats.p90))}"
    }

    /// A number for JSON and CSV: integers without a fraction, others with up to 3 decimals; `null` for nil.
    static func number(_ value: Double?, null: String = "null") -> String {
        guard let value else { return null }
        let millis = (value * 1000).rounded()
        if millis.truncatingRemainder(dividingBy: 1000) == 0 { return String(Int64(millis / 1000)) }
        var text = String(Int64(millis / 1000)) + "." + String(String(Int64(abs(millis)) % 1000 + 1000).dropFirst())
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// CSV: a header row, one row per bucket, then a `total` row. Empty cells where there is no data. With
    /// `handling`, its figures as the last columns.
    func csv(handling: HandlingReport? = nil) -> String {
        let channelColumns = Channel.allCases.map { "messages_\($0.name)" }
        var header = ["bucket", "messages"] + channelColumns + ["new_episodes", "reopens"]
        for prefix in ["frt", "resolution"] { header += ["count", "mean", "p50", "p90"].map { "\(prefix)_\($0)" } }
        header += ["touches_mean", "first_contact_resolutions", "first_contact_pending", "backlog_end"]
        let withSLA = totals.slaFirstResponse != nil
        if withSLA {
            for prefix in ["sla_frt", "sla_resolution"] {
                header += ["met", "breached", "open", "attainment"].map { "\(prefix)_\($0)" }
            }
        }
        if handling != nil { header += HandlingReport.csvColumns }
        var lines = [header.joined(separator: ",")]
        let handlingRows = handling.map { $0.buckets + [$0.totals] }
        for (position, kpis) in (buckets + [totals]).enumerated() {
            var row = [kpis.label, String(kpis.messages)] + kpis.messagesByChannel.map(String.init)
            row += [String(kpis.newEpisodes), String(kpis.reopens)]
            for stats in [kpis.firstResponse, kpis.resolution] {
                row += [String(stats.count)] + [stats.mean, stats.p50, stats.p90].map { Self.number($0, null: "") }
            }
            row += [
                Self.number(kpis.touchesMean, null: ""), String(kpis.firstContactResolutions),
                String(kpis.firstContactPending), String(kpis.backlogEnd),
            ]
            if withSLA {
                for counts in [kpis.slaFirstResponse ?? SLACounts(), kpis.slaResolution ?? SLACounts()] {
                    row += [String(counts.met), String(counts.breached), String(counts.open)]
                    row.append(Self.number(counts.attainment, null: ""))
                }
            }
            if let handlingRows { row += HandlingReport.csvCells(handlingRows[position]) }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A table for people: durations as `1h05m`, `-` where there is no data.
    func table() -> String {
        let withSLA = totals.slaFirstResponse != nil
        var header = [
            "bucket", "msgs", "new", "reopen", "frt p50", "frt p90", "res p50", "res p90", "touches", "fcr", "backlog",
        ]
        if withSLA { header += ["sla frt", "sla res"] }
        var rows = [header]
        for kpis in buckets + [totals] {
            let sla =
                withSLA
                ? [Self.percent(kpis.slaFirstResponse?.attainment), Self.percent(kpis.slaResolution?.attainment)] : []
            rows.append(
                [
                    kpis.label, String(kpis.messages), String(kpis.newEpisodes), String(kpis.reopens),
                    Self.human(kpis.firstResponse.p50), Self.human(kpis.firstResponse.p90),
                    Self.human(kpis.resolution.p50),
                    Self.human(kpis.resolution.p90),
                    kpis.touchesMean.map { Self.number(($0 * 100).rounded() / 100) } ?? "-",
                    String(kpis.firstContactResolutions)
                        + (kpis.firstContactPending > 0 ? "+\(kpis.firstContactPending)?" : ""),
                    String(kpis.backlogEnd),
                ] + sla)
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == 0
                    ? cell + String(repeating: " ", count: widths[column] - cell.count)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// `97.5%`, or `-` without data.
    static func percent(_ fraction: Double?) -> String {
        guard let fraction else { return "-" }
        return number((fraction * 1000).rounded() / 10) + "%"
    }

    /// `45s`, `12m`, `3h05m`, `2d04h`.
    static func human(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        let total = Int64(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" + (total % 60 > 0 ? String(format2(total % 60)) + "s" : "") }
        if total < 86_400 { return "\(total / 3600)h" + format2((total % 3600) / 60) + "m" }
        return "\(total / 86_400)d" + format2((total % 86_400) / 3600) + "h"
    }

    private static func format2(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
