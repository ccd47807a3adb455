import ParleyEvents
import ParleyProjections
import ParleyService

extension SLAAnswer {
    /// One JSON object: the moment, whether a policy exists, how many episodes are listed in all and here,
    /// and the listed episodes (at most `limit`) with both clocks.
    func json(limit: Int? = nil) -> String {
        var document = JSONFields()
        document.time("at", now)
        document.bool("policy", hasPolicies)
        document.integer("total", alerts.count)
        let shown = alerts.prefix(limit ?? .max)
        document.integer("shown", shown.count)
        document.array(
            "episodes",
            shown.map { alert in
                var fields = JSONFields()
                fields.string("conversation", alert.conversation.id)
                fields.integer("episode", alert.episode.number)
                fields.string("owner", alert.conversation.owner)
                fields.string("team", alert.conversation.team)
                fields.string("priority", alert.episode.priority?.name)
                fields.time("started", alert.episode.start)
                fields.raw("waiting_seconds", DurationText.seconds(from: alert.episode.start, to: now))
                fields.raw("first_response", SLAText.json(alert.state.firstResponse, now: now))
                fields.raw("resolution", SLAText.json(alert.state.resolution, now: now))
                return fields.json
            })
        return document.json
    }

    /// The CSV columns of `sla --format csv`.
    static let csvHeader = [
        "conversation", "episode", "owner", "team", "priority", "started", "waiting_seconds",
        "sla_first_response_state", "sla_first_response_remaining_business_seconds", "sla_resolution_state",
        "sla_resolution_remaining_business_seconds",
    ]

    /// CSV: ``csvHeader``, then one record per listed episode (at most `limit`), most urgent first.
    func csv(limit: Int? = nil) -> String {
        var csv = CSVText(header: Self.csvHeader)
        for alert in alerts.prefix(limit ?? .max) {
            csv.append(
                [
                    alert.conversation.id, String(alert.episode.number), alert.conversation.owner ?? "",
                    alert.conversation.team ?? "", alert.episode.priority?.name ?? "",
                    Timestamp(nanoseconds: alert.episode.start).rfc3339,
                    DurationText.seconds(from: alert.episode.start, to: now),
                ] + SLAText.csv(alert.state.firstResponse) + SLAText.csv(alert.state.resolution))
        }
        return csv.text
    }

    /// A heading line, then a table of the listed episodes (at most `limit`; or a line saying there is no
    /// policy), fitted to 100 columns unless `wide` (the clocks in their compact form, with a legend, when
    /// the full words do not fit).
    func renderTable(to out: Output, limit: Int? = nil, wide: Bool = false) {
        guard hasPolicies else {
            out.line("no SLA policy in the log (see `parley policy set --help`)")
            return
        }
        out.line(
            "\(Format.grouped(alerts.count)) episode(s) breached or due within the hour at "
                + "\(Timestamp(nanoseconds: now).rfc3339) (times UTC)")
        guard !alerts.isEmpty else { return }
        let shown = alerts.prefix(limit ?? .max)
        Table.print(
            full: table(shown, compact: false), compact: table(shown, compact: true), legend: SLAText.legend,
            width: wide ? nil : Table.narrowWidth, to: out)
        if alerts.count > shown.count {
            out.line("… \(Format.grouped(alerts.count - shown.count)) more; --limit to show more")
        }
    }

    /// The table of `shown`, the SLA clocks in their compact form when `compact`.
    private func table(_ shown: ArraySlice<SLAAlert>, compact: Bool) -> Table {
        var table = Table([
            Table.Column("conversation", cutTo: 12), Table.Column("episode", dropRank: 3),
            Table.Column("owner", cutTo: 12, dropRank: 4), Table.Column("priority", dropRank: 2),
            Table.Column("started", dropRank: 1), Table.Column("first response", squeezeTo: 18),
            Table.Column("resolution", squeezeTo: 18),
        ])
        for alert in shown {
            table.append([
                alert.conversation.id, String(alert.episode.number), alert.conversation.owner ?? "-",
                alert.episode.priority?.name ?? "-", Timestamp(nanoseconds: alert.episode.start).rfc3339,
                SLAText.cell(alert.state.firstResponse, now: now, businessDay: alert.businessDay, compact: compact),
                SLAText.cell(alert.state.resolution, now: now, businessDay: alert.businessDay, compact: compact),
            ])
        }
        return table
    }
}
