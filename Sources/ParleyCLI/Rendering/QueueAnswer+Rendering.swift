import ParleyEvents
import ParleyProjections
import ParleyService

extension QueueAnswer {
    /// `N open episode(s) at TIME`, then a table: conversation, status, owner, team, priority, started,
    /// waiting, touches, and with SLA policies in the log the first-response and resolution clocks.
    func render(to out: Output) {
        out.line("\(rows.count) open episode(s) at \(Timestamp(nanoseconds: now).rfc3339)")
        guard !rows.isEmpty else { return }
        var header = ["conversation", "status", "owner", "team", "priority", "started", "waiting", "touches"]
        if hasPolicies { header += ["first response", "resolution"] }
        var table = [header]
        for row in rows {
            let conversation = row.conversation
            var cells = [
                conversation.id, conversation.status?.name ?? "-", conversation.owner ?? "-", conversation.team ?? "-",
                conversation.priority?.name ?? "-", Timestamp(nanoseconds: row.episode.start).rfc3339,
                KPIReport.human(row.waitingSeconds), String(row.episode.touches),
            ]
            if hasPolicies {
                cells += [SLAText.cell(row.sla?.firstResponse, now: now), SLAText.cell(row.sla?.resolution, now: now)]
            }
            table.append(cells)
        }
        Table.print(table, to: out)
    }
}
