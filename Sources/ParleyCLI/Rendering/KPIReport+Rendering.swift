import ParleyEvents
import ParleyProjections

extension KPIReport {
    /// The documented JSON interface (docs/PROJECTIONS.md): seconds as numbers, `null` where a statistic
    /// has no data. With `handling`, a last `handling` key holds its figures: totals and per bucket.
    func json(context: [(String, String)] = [], handling: HandlingReport? = nil) -> String {
        var fields = context.map { "\"\($0.0)\":\($0.1)" }
        fields.append("\"by\":\"\(size.rawValue)\"")
        fields.append("\"time_zone\":\"\(timeZone ?? "UTC")\"")
        fields.append(jsonBody())
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

    /// The `buckets` and `totals` keys.
    func jsonBody() -> String {
        "\"buckets\":[" + buckets.map { json($0, isTotal: false) }.joined(separator: ",") + "],\"totals\":"
            + json(totals, isTotal: true)
    }

    private func json(_ kpis: BucketKPIs, isTotal: Bool) -> String {
        var fields: [String] = []
        if !isTotal { fields.append("\"bucket\":\"\(kpis.label)\"") }
        fields.append("\"start\":\"\(Timestamp(nanoseconds: kpis.start).rfc3339)\"")
        fields.append("\"end\":\"\(Timestamp(nanoseconds: kpis.end).rfc3339)\"")
        if countsMessages {
            let channels = Channel.allCases.map { "\"\($0.name)\":\(kpis.messagesByChannel[Int($0.rawValue)])" }
            fields.append(
                "\"messages\":{\"total\":\(kpis.messages),\"by_channel\":{" + channels.joined(separator: ",") + "}}")
        } else {
            fields.append("\"messages\":null")
        }
        fields.append("\"new_episodes\":\(kpis.newEpisodes)")
        fields.append("\"reopens\":\(kpis.reopens)")
        fields.append("\"resolved\":\(kpis.resolvedEpisodes)")
        fields.append("\"frt\":" + Self.json(kpis.firstResponse))
        fields.append("\"resolution\":" + Self.json(kpis.resolution))
        if let frt = kpis.businessFirstResponse, let resolution = kpis.businessResolution {
            fields.append("\"business_frt\":" + Self.json(frt) + ",\"business_resolution\":" + Self.json(resolution))
        }
        fields.append("\"touches_mean\":" + Self.number(kpis.touchesMean))
        fields.append(
            "\"first_contact_resolutions\":{\"count\":\(kpis.firstContactResolutions),\"pending\":\(kpis.firstContactPending)}"
        )
        fields.append("\"backlog_end\":\(kpis.backlogEnd)")
        if let response = kpis.slaFirstResponse, let resolution = kpis.slaResolution {
            fields.append(
                "\"sla\":{\"first_response\":" + Self.json(response) + ",\"resolution\":" + Self.json(resolution) + "}")
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

    /// CSV: a header row, one row per bucket, then a `total` row. Empty cells where there is no data (and
    /// in the message columns of a group that does not count messages). With `handling`, its figures as the
    /// last columns. With `group`, a first `group` column; `header: false` leaves the header row out (the
    /// groups of a long CSV after the first).
    func csv(handling: HandlingReport? = nil, group: String? = nil, header withHeader: Bool = true) -> String {
        let channelColumns = Channel.allCases.map { "messages_\($0.name)" }
        var header = (group == nil ? [] : ["group"]) + ["bucket", "start", "end", "messages"] + channelColumns
        header += ["new_episodes", "reopens", "resolved"]
        for prefix in ["frt", "resolution"] { header += ["count", "mean", "p50", "p90"].map { "\(prefix)_\($0)" } }
        let withSLA = totals.slaFirstResponse != nil
        if withSLA {
            for prefix in ["business_frt", "business_resolution"] {
                header += ["count", "mean", "p50", "p90"].map { "\(prefix)_\($0)" }
            }
        }
        header += ["touches_mean", "first_contact_resolutions", "first_contact_pending", "backlog_end"]
        if withSLA {
            for prefix in ["sla_frt", "sla_resolution"] {
                header += ["met", "breached", "open", "attainment"].map { "\(prefix)_\($0)" }
            }
        }
        if handling != nil { header += HandlingReport.csvColumns }
        var lines = withHeader ? [header.joined(separator: ",")] : []
        let handlingRows = handling.map { $0.buckets + [$0.totals] }
        for (position, kpis) in (buckets + [totals]).enumerated() {
            var row = (group.map { [HandlingReport.csvField($0)] } ?? []) + [kpis.label]
            row += [Timestamp(nanoseconds: kpis.start).rfc3339, Timestamp(nanoseconds: kpis.end).rfc3339]
            if countsMessages {
                row += [String(kpis.messages)] + kpis.messagesByChannel.map(String.init)
            } else {
                row += [String](repeating: "", count: 1 + Channel.allCases.count)
            }
            row += [String(kpis.newEpisodes), String(kpis.reopens), String(kpis.resolvedEpisodes)]
            var stats = [kpis.firstResponse, kpis.resolution]
            if withSLA {
                stats += [
                    kpis.businessFirstResponse ?? DurationStats([]), kpis.businessResolution ?? DurationStats([]),
                ]
            }
            for stats in stats {
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
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// `97.5%`, or `-` without data.
    static func percent(_ fraction: Double?) -> String {
        guard let fraction else { return "-" }
        return number((fraction * 1000).rounded() / 10) + "%"
    }

    /// `0:00:45`, `3:05:00`, `38:59:12` (hours:minutes:seconds, rounded to the second; hours past 24 are
    /// not folded into days); `-` without data.
    static func hoursMinutesSeconds(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        let total = Int64(seconds.rounded())
        return "\(total / 3600):" + format2(total % 3600 / 60) + ":" + format2(total % 60)
    }
}

extension KPIReport {
    /// One column of the text table: its header, how much it matters when the width is short (higher is
    /// kept longer) and its cell.
    private struct Column {
        var header: String
        var rank: Int
        var cell: (BucketKPIs) -> String
    }

    /// The text table's width limit without `--wide`.
    static let textWidth = 100

    private var columns: [Column] {
        let withSLA = totals.slaFirstResponse != nil
        var columns = [Column(header: "bucket", rank: 100) { $0.label }]
        if countsMessages { columns.append(Column(header: "msgs", rank: 9) { String($0.messages) }) }
        columns += [
            Column(header: "new", rank: 9) { String($0.newEpisodes) },
            Column(header: "reopen", rank: 3) { String($0.reopens) },
            Column(header: "resolved", rank: 4) { String($0.resolvedEpisodes) },
            Column(header: "FRT p50", rank: 8) { Self.hoursMinutesSeconds($0.firstResponse.p50) },
            Column(header: "FRT p90", rank: 6) { Self.hoursMinutesSeconds($0.firstResponse.p90) },
        ]
        if withSLA {
            columns += [
                Column(header: "bizFRT p50", rank: 7) { Self.hoursMinutesSeconds($0.businessFirstResponse?.p50) },
                Column(header: "bizFRT p90", rank: 2) { Self.hoursMinutesSeconds($0.businessFirstResponse?.p90) },
            ]
        }
        columns += [
            Column(header: "res p50", rank: 8) { Self.hoursMinutesSeconds($0.resolution.p50) },
            Column(header: "res p90", rank: 5) { Self.hoursMinutesSeconds($0.resolution.p90) },
        ]
        if withSLA {
            columns += [
                Column(header: "bizRes p50", rank: 6) { Self.hoursMinutesSeconds($0.businessResolution?.p50) },
                Column(header: "bizRes p90", rank: 1) { Self.hoursMinutesSeconds($0.businessResolution?.p90) },
            ]
        }
        columns += [
            Column(header: "touches", rank: 2) {
                $0.touchesMean.map { Self.number(($0 * 100).rounded() / 100) } ?? "-"
            },
            Column(header: "FCR", rank: 7) { String($0.firstContactResolutions) },
            Column(header: "FCR pend", rank: 3) { String($0.firstContactPending) },
            Column(header: "backlog", rank: 8) { String($0.backlogEnd) },
        ]
        if withSLA {
            columns += [
                Column(header: "SLA FRT", rank: 7) { Self.percent($0.slaFirstResponse?.attainment) },
                Column(header: "SLA res", rank: 7) { Self.percent($0.slaResolution?.attainment) },
            ]
        }
        return columns
    }

    /// A table for people: a line saying what the buckets are (size, time zone, units), the buckets and
    /// the totals, then a legend (FCR, business time, columns left out). Fits ``textWidth`` columns unless
    /// `wide`: the columns that matter least are left out first, and named under the table.
    func table(wide: Bool = false) -> String {
        var columns = columns
        let rows = buckets + [totals]
        func widths(_ columns: [Column]) -> [Int] {
            columns.map { column in rows.reduce(column.header.count) { max($0, column.cell($1).count) } }
        }
        var hidden: [String] = []
        while !wide, widths(columns).reduce(0, +) + 2 * (columns.count - 1) > Self.textWidth, columns.count > 1 {
            // The least important column, the rightmost of equals.
            var drop = 1
            for index in 1..<columns.count where columns[index].rank <= columns[drop].rank { drop = index }
            hidden.append(columns[drop].header)
            columns.remove(at: drop)
        }
        let width = widths(columns)
        var lines = Self.wrapped(heading())
        for row in [columns.map(\.header)] + rows.map({ kpis in columns.map { $0.cell(kpis) } }) {
            lines.append(
                row.enumerated().map { column, cell in
                    let pad = String(repeating: " ", count: width[column] - cell.count)
                    return column == 0 ? cell + pad : pad + cell
                }.joined(separator: "  "))
        }
        lines += legend(hidden: hidden).flatMap { Self.wrapped($0) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `KPIs per day, local time in Europe/Paris; durations in h:mm:ss of calendar time.`
    private func heading() -> String {
        let zone = timeZone.map { "local time in \($0)" } ?? "UTC"
        let business = totals.slaFirstResponse != nil ? " (biz: business time of the SLA policy)" : ""
        return "KPIs per \(size.rawValue), \(zone); durations in h:mm:ss of calendar time\(business)."
    }

    /// `text` cut at spaces into lines of at most ``textWidth`` columns.
    static func wrapped(_ text: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > textWidth {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private func legend(hidden: [String]) -> [String] {
        var lines = [
            "FCR: resolved with one reply and no reopen within 7 days; FCR pend: same, 7 days not over yet."
        ]
        if !countsMessages { lines.append("Messages are not split by this grouping: see --group-by channel.") }
        if totals.slaFirstResponse != nil {
            lines.append("SLA FRT, SLA res: share of decided episodes that met the policy's target.")
        }
        if !hidden.isEmpty {
            var line = "Left out to fit \(Self.textWidth) columns (--wide shows them): "
            line += hidden.sorted().joined(separator: ", ") + "."
            lines.append(line)
        }
        return lines
    }

    /// A calendar duration for the other commands' tables: `45s`, `12m05s`, `3h05m`, `1d14h59m`, never cut
    /// silently (``DurationText/calendar(seconds:)``).
    static func human(_ seconds: Double?) -> String { DurationText.calendar(seconds: seconds) }

    static func format2(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension GroupedKPIReport {
    /// One table per group, each under a `group: NAME` line.
    func table(wide: Bool) -> String {
        guard !groups.isEmpty else { return "no episodes\n" }
        return groups.map { "\(grouping.rawValue): \($0.name)\n" + $0.report.table(wide: wide) }
            .joined(separator: "\n")
    }

    /// Every group's rows in one CSV, a `group` column first.
    func csv() -> String {
        groups.enumerated().map { position, group in
            group.report.csv(group: group.name, header: position == 0)
        }.joined()
    }

    /// The groups as one JSON document: the context keys, `by`, `time_zone`, `group_by`, then `groups`
    /// (each with `group`, `buckets`, `totals`) and `anomalies`.
    func json(context: [(String, String)], size: Bucketing.Size, timeZone: String?) -> String {
        var fields = context.map { "\"\($0.0)\":\($0.1)" }
        fields.append("\"by\":\"\(size.rawValue)\"")
        fields.append("\"time_zone\":\"\(timeZone ?? "UTC")\"")
        fields.append("\"group_by\":\"\(grouping.rawValue)\"")
        let items = groups.map { "{\"group\":" + HandlingReport.quoted($0.name) + "," + $0.report.jsonBody() + "}" }
        fields.append("\"groups\":[" + items.joined(separator: ",") + "]")
        if let anomalies = groups.first?.report.anomalies {
            fields.append(
                "\"anomalies\":{\"negative_durations\":\(anomalies.negativeDurations),"
                    + "\"replies_outside_episodes\":\(anomalies.repliesOutsideEpisodes),"
                    + "\"resolves_outside_episodes\":\(anomalies.resolvesOutsideEpisodes),"
                    + "\"invalid_policies\":\(anomalies.invalidPolicies)}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
