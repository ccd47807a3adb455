import ParleyEvents
import ParleyProjections
import ParleyService

extension SLAAnswer {
    /// One JSON object: the moment, whether a policy exists, and the listed episodes with both clocks.
    func json() -> String {
        let at = "{\"at\":\"\(Timestamp(nanoseconds: now).rfc3339)\""
        guard hasPolicies else { return at + ",\"policy\":false,\"episodes\":[]}" }
        let items = alerts.map { alert -> String in
            let fields: [String] = [
                "\"conversation\":" + Self.quoted(alert.conversation.id),
                "\"episode\":" + String(alert.episode.number),
                "\"owner\":" + (alert.conversation.owner.map(Self.quoted) ?? "null"),
                "\"priority\":" + (alert.episode.priority.map { Self.quoted($0.name) } ?? "null"),
                "\"started\":" + Self.quoted(Timestamp(nanoseconds: alert.episode.start).rfc3339),
                "\"first_response\":" + SLAText.json(alert.state.firstResponse, now: now),
                "\"resolution\":" + SLAText.json(alert.state.resolution, now: now),
            ]
            return "{" + fields.joined(separator: ",") + "}"
        }
        return at + ",\"policy\":true,\"episodes\":[" + items.joined(separator: ",") + "]}"
    }

    /// A heading line, then a table of the listed episodes (or a line saying there is no policy).
    func renderTable(to out: Output) {
        guard hasPolicies else {
            out.line("no SLA policy in the log (see `parley policy set --help`)")
            return
        }
        out.line("\(alerts.count) episode(s) breached or due within the hour at \(Timestamp(nanoseconds: now).rfc3339)")
        guard !alerts.isEmpty else { return }
        var table = [["conversation", "episode", "owner", "priority", "started", "first response", "resolution"]]
        for alert in alerts {
            table.append([
                alert.conversation.id, String(alert.episode.number), alert.conversation.owner ?? "-",
                alert.episode.priority?.name ?? "-", Timestamp(nanoseconds: alert.episode.start).rfc3339,
                SLAText.cell(alert.state.firstResponse, now: now), SLAText.cell(alert.state.resolution, now: now),
            ])
        }
        Table.print(table, to: out)
    }

    /// A JSON string literal.
    private static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONLineEncoder.appendJSONString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
