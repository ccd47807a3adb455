import ParleyEvents
import ParleyProjections
import ParleyService

/// The renderings of `parley questions`: a table of cluster blocks (100 columns), one JSON document, CSV.
extension QuestionsReport {
    /// Widest line of the table.
    static let width = 100

    // MARK: Table

    /// The human report: the window, then one block of three lines per cluster.
    func table(limit: Int?) -> String {
        // Only a window that ends at the latest event time of a log without events has no length.
        guard end > start else { return "recurring questions: the log has no event\n" }
        var lines = [
            "recurring questions, window \(Self.time(start)) .. \(Self.time(end))",
            "previous window from \(Self.time(previousStart)): \(previousEpisodes) episodes started by a message",
            "this window: \(episodes) episodes started by a message; \(clustered) in \(clusters.count) clusters "
                + "of \(minimum)+ (similarity >= \(KPIReport.number(threshold)))",
        ]
        if withoutWords > 0 {
            lines.append("  of which \(withoutWords) without words (only punctuation, emoji, @mentions): not clustered")
        }
        if clusters.isEmpty { lines.append("no question came back \(minimum) times or more") }
        for (rank, cluster) in shown(limit).enumerated() {
            let reuse = cluster.templateReuse.map { "reuse \(KPIReport.percent($0)) of \(cluster.replies) replies" }
            let figures =
                "\(cluster.count) (prev \(cluster.previousCount), \(Self.signed(cluster.change)))"
                + (reuse.map { "  " + $0 } ?? "  no replies")
            let head = String(format: "%3d. ", rank + 1)
            let room = Self.width - head.count - figures.count - 2
            lines.append("")
            lines.append(head + Self.padded(Self.cut(cluster.label, room), room) + "  " + figures)
            lines.append(
                Self.cut(
                    "     channels: " + Self.shares(cluster.channels) + "; categories: "
                        + Self.shares(cluster.categories),
                    Self.width))
            lines.append(
                Self.cut(
                    "     e.g. " + cluster.examples.joined(separator: ", ") + ": \"" + cluster.snippet + "\"",
                    Self.width))
        }
        if let limit, clusters.count > limit { lines.append("\n(\(clusters.count - limit) more clusters; --limit)") }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    /// One JSON document: what was read, the windows, the clusters.
    func json(summary: Replay.Summary, scope: QueryScope, limit: Int?, members: Bool = false) -> String {
        var fields: [(String, String)] = [
            ("events", String(summary.events)), ("last_seq", String(summary.lastSeq)),
        ]
        if let until = scope.limit.untilSeq { fields.append(("until_seq", String(until))) }
        if let asOf = scope.limit.asOf { fields.append(("as_of", Self.quoted(Self.time(asOf)))) }
        fields += [
            ("from", Self.quoted(Self.time(start))), ("to", Self.quoted(Self.time(end))),
            ("previous_from", Self.quoted(Self.time(previousStart))), ("episodes", String(episodes)),
            ("without_words", String(withoutWords)), ("previous_episodes", String(previousEpisodes)),
            ("minimum", String(minimum)),
            ("threshold", KPIReport.number(threshold)), ("clusters_total", String(clusters.count)),
            ("clusters", "[" + shown(limit).map { Self.json($0, members: members) }.joined(separator: ",") + "]"),
        ]
        return Self.object(fields)
    }

    static func json(_ cluster: QuestionCluster, members: Bool) -> String {
        var fields = [
            ("label", quoted(cluster.label)), ("count", String(cluster.count)),
            ("previous_count", String(cluster.previousCount)), ("change", String(cluster.change)),
            ("categories", json(cluster.categories)), ("channels", json(cluster.channels)),
            ("examples", "[" + cluster.examples.map(quoted).joined(separator: ",") + "]"),
            ("snippet", quoted(cluster.snippet)), ("replies", String(cluster.replies)),
            ("template_reuse", KPIReport.number(cluster.templateReuse)),
        ]
        if members { fields.append(("members", "[" + cluster.members.map(quoted).joined(separator: ",") + "]")) }
        return object(fields)
    }

    static func json(_ shares: [QuestionCluster.Share]) -> String {
        "[" + shares.map { object([("name", quoted($0.name)), ("count", String($0.count))]) }.joined(separator: ",")
            + "]"
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    // MARK: CSV

    /// One row per cluster; categories, channels and examples as `name:count` / ids joined by `;`.
    func csv(limit: Int?) -> String {
        var rows = [
            "rank,label,count,previous_count,change,replies,template_reuse,channels,categories,examples,snippet"
        ]
        for (rank, cluster) in shown(limit).enumerated() {
            let cells = [
                String(rank + 1), cluster.label, String(cluster.count), String(cluster.previousCount),
                String(cluster.change), String(cluster.replies), KPIReport.number(cluster.templateReuse, null: ""),
                cluster.channels.map { "\($0.name):\($0.count)" }.joined(separator: ";"),
                cluster.categories.map { "\($0.name):\($0.count)" }.joined(separator: ";"),
                cluster.examples.joined(separator: ";"), cluster.snippet,
            ]
            rows.append(cells.map(HandlingReport.csvField).joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    // MARK: Pieces

    func shown(_ limit: Int?) -> ArraySlice<QuestionCluster> { clusters.prefix(limit ?? clusters.count) }

    static func quoted(_ text: String) -> String { HandlingReport.quoted(text) }

    /// A time as RFC 3339, UTC.
    static func time(_ nanoseconds: Int64) -> String { Timestamp(nanoseconds: nanoseconds).rfc3339 }

    static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : String(value) }

    static func shares(_ shares: [QuestionCluster.Share]) -> String {
        shares.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
    }

    /// `text` cut to `width` characters, with `…` when cut.
    static func cut(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
