import ParleyEvents
import ParleyProjections
import ParleyService

extension QueueAnswer {
    /// `N open episode(s) at TIME (times UTC)`, then a table: conversation, status, owner, team, priority,
    /// started, waiting, touches, and with SLA policies in the log the first-response and resolution
    /// clocks. Fitted to 100 columns unless `wide` (the clocks in their compact form, with a legend, when
    /// the full words do not fit); a last line says how many rows a limit left out.
    func render(to out: Output, wide: Bool) {
        out.line("\(Format.grouped(total)) open episode(s) at \(Timestamp(nanoseconds: now).rfc3339) (times UTC)")
        guard !rows.isEmpty else { return }
        Table.print(
            full: table(compact: false), compact: table(compact: true), legend: SLAText.legend,
            width: wide ? nil : Table.narrowWidth, to: out)
        if total > rows.count { out.line("… \(Format.grouped(total - rows.count)) more; --limit to show more") }
    }

    /// The table of the listed episodes, the SLA clocks in their compact form when `compact`.
    private func table(compact: Bool) -> Table {
        var columns: [Table.Column] = [
            Table.Column("conversation", cutTo: 12), Table.Column("status"), Table.Column("owner", cutTo: 12),
            Table.Column("team", cutTo: 8, dropRank: 3), Table.Column("priority", dropRank: 2),
            Table.Column("started", dropRank: 1), Table.Column("waiting"), Table.Column("touches", dropRank: 4),
        ]
        if hasPolicies {
            columns += [
                Table.Column("first response SLA", squeezeTo: 18), Table.Column("resolution SLA", squeezeTo: 18),
            ]
        }
        var table = Table(columns)
        for row in rows {
            let conversation = row.conversation
            var cells = [
                conversation.id, conversation.status?.name ?? "-", conversation.owner ?? "-", conversation.team ?? "-",
                conversation.priority?.name ?? "-", Timestamp(nanoseconds: row.episode.start).rfc3339,
                DurationText.between(row.episode.start, now), String(row.episode.touches),
            ]
            if hasPolicies {
                cells += [
                    SLAText.cell(row.sla?.firstResponse, now: now, businessDay: row.businessDay, compact: compact),
                    SLAText.cell(row.sla?.resolution, now: now, businessDay: row.businessDay, compact: compact),
                ]
            }
            table.append(cells)
        }
        return table
    }

    /// One JSON object: `at`, `policy` (whether the log holds one), `total` (matching episodes), `shown`,
    /// and `episodes`, each with its conversation's state, its start, `waiting_seconds` (full precision),
    /// touches and both SLA clocks (`null` without a target).
    func json() -> String {
        var document = JSONFields()
        document.time("at", now)
        document.bool("policy", hasPolicies)
        document.integer("total", total)
        document.integer("shown", rows.count)
        document.array(
            "episodes",
            rows.map { row in
                var fields = JSONFields()
                fields.string("conversation", row.conversation.id)
                fields.integer("episode", row.episode.number)
                fields.string("status", row.conversation.status?.name)
                fields.string("owner", row.conversation.owner)
                fields.string("team", row.conversation.team)
                fields.string("priority", row.conversation.priority?.name)
                fields.string("category", row.conversation.category)
                fields.time("started", row.episode.start)
                fields.raw("waiting_seconds", DurationText.seconds(from: row.episode.start, to: now))
                fields.integer("touches", row.episode.touches)
                fields.raw("first_response", SLAText.json(row.sla?.firstResponse, now: now))
                fields.raw("resolution", SLAText.json(row.sla?.resolution, now: now))
                return fields.json
            })
        return document.json
    }

    /// The CSV columns of `queue --format csv`.
    static let csvHeader = [
        "conversation", "episode", "status", "owner", "team", "priority", "category", "started", "waiting_seconds",
        "touches", "sla_first_response_state", "sla_first_response_remaining_business_seconds",
        "sla_resolution_state", "sla_resolution_remaining_business_seconds",
    ]

    /// CSV: ``csvHeader``, then one record per listed episode; empty fields where there is no value.
    func csv() -> String {
        var csv = CSVText(header: Self.csvHeader)
        for row in rows {
            let conversation = row.conversation
            csv.append(
                [
                    conversation.id, String(row.episode.number), conversation.status?.name ?? "",
                    conversation.owner ?? "", conversation.team ?? "", conversation.priority?.name ?? "",
                    conversation.category ?? "", Timestamp(nanoseconds: row.episode.start).rfc3339,
                    DurationText.seconds(from: row.episode.start, to: now), String(row.episode.touches),
                ] + SLAText.csv(row.sla?.firstResponse) + SLAText.csv(row.sla?.resolution))
        }
        return csv.text
    }

    /// The sentence for stderr when filters matched nothing, naming what the log holds; `nil` otherwise.
    var filterMessage: String? {
        switch filterMiss {
        case nil: return nil
        case .unknownTeam(let team, let known)?:
            return "no team \(team) in the log (" + (known.isEmpty ? "no teams" : "teams: " + Self.names(known)) + ")"
        case .unknownOwner(let owner, let known, let suggestions)?:
            if !suggestions.isEmpty {
                return "no owner \(owner); did you mean \(suggestions.joined(separator: " or "))?"
            }
            return "no owner \(owner) in the log (" + (known.isEmpty ? "no owners" : "owners: " + Self.names(known))
                + ")"
        case .nothingOpen(let team, let owner)?:
            let who = [team.map { "team \($0)" }, owner.map { "owner \($0)" }].compactMap { $0 }
            return "nothing open for " + who.joined(separator: " and ") + " at " + Timestamp(nanoseconds: now).rfc3339
        }
    }

    /// At most eight names, then `…` and how many more.
    private static func names(_ names: [String]) -> String {
        names.count <= 8
            ? names.joined(separator: ", ") : names.prefix(8).joined(separator: ", ") + ", … \(names.count - 8) more"
    }
}
