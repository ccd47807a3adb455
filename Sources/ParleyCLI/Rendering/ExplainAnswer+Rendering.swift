import ParleyEvents
import ParleyProjections
import ParleyService

/// `parley explain`'s text: one entry per change, `#seq time what changed, who decided`, then the inputs and
/// the reason on indented lines, wrapped to ``ExplainText/width`` columns; then the conversation as it stands.
///
///     #5   2026-03-02T09:00:00Z  owner none → bot:faq, by strategy:bot
///           reason: automation mode (default): bot:faq handles it until it escalates
///     #6   2026-03-02T09:05:00Z  escalated to humans by bot:faq: low_confidence
///           understood: asks where order 123 is
///     #7   2026-03-02T09:05:00Z  routed by default: mode automation → human
///           score 2
///           reason: escalated by a bot; channel=email category=none priority=none tier=none value=1
///             criticality=2 score=2 → no rule matched, default
///     #8   2026-03-02T09:05:00Z  owner bot:faq → agent:ana, by strategy:least_loaded
///     #9   2026-03-02T09:10:00Z  owner agent:ana → agent:bo, by hand
extension ExplainAnswer {
    func render(to out: Output) {
        out.line("conversation \(conversation): \(changes.count) change(s)" + (hasRules ? "" : " (no routing rules)"))
        let seqWidth = changes.map { String($0.seq).count }.max() ?? 0
        for change in changes {
            let seq = "#\(change.seq)".padding(seqWidth + 3)
            let head = seq + "\(Timestamp(nanoseconds: change.at).rfc3339)  "
            for line in ExplainText.wrap(Self.headline(change), first: head, rest: ExplainText.indent) {
                out.line(line)
            }
            for detail in Self.details(change) {
                for line in ExplainText.wrap(detail, first: ExplainText.indent, rest: ExplainText.indent + "  ") {
                    out.line(line)
                }
            }
        }
        out.line("")
        out.line("now (\(Timestamp(nanoseconds: now).rfc3339))")
        for (name, value) in nowRows { out.line("  " + name.padding(11) + value) }
    }

    /// What changed and who decided, on the change's first line.
    static func headline(_ change: ExplainChange) -> String {
        let changed = change.changed.map(ExplainText.describe)
        let fields = changed.joined(separator: ", ")
        switch change.event.payload {
        case .messageReceived(let message) where change.kind == .episode:
            var text = "episode \(change.episode ?? 0) starts: \(message.channel.name) from \(message.customer)"
            if let subject = message.subject { text += ", subject " + Format.json(ExplainText.clip(subject, 40)) }
            return text
        case .statusChanged where change.kind == .episode:
            return "episode \(change.episode ?? 0) starts: " + fields
        case .routed(let routed):
            return "routed by \(routed.by): " + (fields.isEmpty ? "no change" : fields)
        case .assigned(let assigned):
            let who = assigned.by.map { "by \($0)" } ?? "by hand"
            return (fields.isEmpty ? "owner stays \(assigned.assignee ?? "none")" : fields) + ", " + who
        case .escalated(let escalated):
            return "escalated to humans by \(escalated.by): \(escalated.reason)"
        default:
            return fields.isEmpty ? "\(change.event.kind.name): no change" : fields
        }
    }

    /// The inputs and reason of a change, one text each (wrapped by the caller).
    static func details(_ change: ExplainChange) -> [String] {
        var lines: [String] = []
        switch change.event.payload {
        case .routed(let routed):
            var inputs: [String] = []
            if let priority = routed.priority { inputs.append("priority \(priority.name)") }
            if let score = routed.score { inputs.append("score \(score)") }
            if let policy = routed.policy { inputs.append("policy \(policy)") }
            if let topics = routed.topics, !topics.isEmpty { inputs.append("topics " + topics.joined(separator: ", ")) }
            if !inputs.isEmpty { lines.append(inputs.joined(separator: ", ")) }
        case .escalated(let escalated):
            if let understood = escalated.understood {
                lines.append("understood: " + ExplainText.clip(understood, 400))
            }
            if let tried = escalated.tried { lines.append("tried: " + ExplainText.clip(tried, 400)) }
        default:
            break
        }
        if change.kind != .escalated, let reason = change.reason {
            lines.append("reason: " + ExplainText.clip(reason, 400))
        }
        return lines
    }

    /// The conversation as it stands: routing's view where routing saw it, the book's otherwise.
    var nowRows: [(String, String)] {
        var rows: [(String, String)] = []
        let owner = routing.map { $0.owner } ?? state.owner
        var ownerText = owner ?? "none"
        if owner == nil, let previous = routing?.previousOwner { ownerText += " (last: \(previous))" }
        rows.append(("owner", ownerText))
        rows.append(("team", routing?.team ?? state.team ?? "none"))
        if let routing, routing.routedBy != nil || hasRules { rows.append(("mode", routing.mode.name)) }
        rows.append(("priority", state.priority?.name ?? "none"))
        rows.append(("category", state.category ?? "none"))
        rows.append(("status", state.status?.name ?? "none"))
        if let routing {
            if let by = routing.routedBy {
                rows.append(("routed by", by + (routing.policy.map { ", policy \($0)" } ?? "")))
            }
            let queue =
                routing.waiting
                ? (routing.mode == .automation
                    ? "waiting for its bot" : "waiting in team \(routing.team ?? "none")'s queue")
                : "not waiting"
            rows.append(("queue", queue))
        }
        return rows
    }
}

/// Helpers for `explain`'s text.
enum ExplainText {
    /// The widest line.
    static let width = 100
    /// The indent of the lines that follow a change's first line.
    static let indent = "      "

    /// `owner bot:faq → agent:ana`; `none` for a missing value.
    static func describe(_ field: ExplainChange.Field) -> String {
        "\(field.name) \(field.old ?? "none") → \(field.new ?? "none")"
    }

    /// `text` cut to `limit` characters (the last being `…`), its line breaks made spaces.
    static func clip(_ text: String, _ limit: Int) -> String {
        let flat = String(text.map { $0.isNewline ? " " : $0 })
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }

    /// `text` broken at spaces into lines of at most ``width`` characters, the first starting with `first`,
    /// the others with `rest`; a word longer than a line is cut.
    static func wrap(_ text: String, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var hasWord = false
        for word in text.split(separator: " ") {
            if hasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                hasWord = false
            }
            line += (hasWord ? " " : "") + word
            hasWord = true
            while line.count > width {
                lines.append(String(line.prefix(width)))
                line = rest + line.dropFirst(width)
            }
        }
        lines.append(line)
        return lines
    }
}

extension String {
    /// The string then spaces up to `width` (at least one).
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
