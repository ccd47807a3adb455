/// Left-aligned columns separated by two spaces, trailing spaces trimmed: the human tables of `queue`,
/// `sla`, `conversation`, `workload`, `policy show` and `rules show`.
///
/// A table given a width (``narrowWidth`` unless `--wide`) fits it when it can: first the columns that
/// may be cut (ids, subjects) are cut with `…` down to their least width, widest first; then the
/// columns that may be dropped are dropped, lowest ``Column/dropRank`` first, and ``render(width:)`` names
/// them so the reader knows `--wide` shows them; last, if it still does not fit, the columns that may be
/// squeezed (SLA clocks) are cut with `…` down to their least width, widest first. Without a width every
/// cell is shown whole.
struct Table {
    /// The width tables fit by default: 100 columns.
    static let narrowWidth = 100

    /// One column: its header, and how it gives way in a narrow table.
    struct Column {
        /// The header cell (units in it where the cells have no unit of their own).
        var header: String
        /// The least width a narrow table cuts its cells to (with `…`); `nil`: never cut.
        var cutTo: Int?
        /// Order in which a narrow table drops columns (lowest first); `nil`: never dropped.
        var dropRank: Int?
        /// The least width a narrow table cuts its cells to (with `…`) as a last resort, once every column
        /// that may be dropped is gone and the table is still too wide; `nil`: never squeezed.
        var squeezeTo: Int?

        /// A column that is never cut, dropped nor squeezed unless `cutTo` / `dropRank` / `squeezeTo` say so.
        init(_ header: String, cutTo: Int? = nil, dropRank: Int? = nil, squeezeTo: Int? = nil) {
            self.header = header
            self.cutTo = cutTo
            self.dropRank = dropRank
            self.squeezeTo = squeezeTo
        }
    }

    /// What ``render(width:)`` produced.
    struct Rendered {
        /// The lines, header first.
        var lines: [String]
        /// Headers of the columns left out to fit the width, in table order.
        var dropped: [String]
        /// Whether any cell was cut.
        var cut: Bool
        /// Whether a column had to be squeezed (cut as a last resort) to fit.
        var squeezed = false
    }

    var columns: [Column]
    var rows: [[String]] = []

    /// A table with these columns and no rows yet.
    init(_ columns: [Column]) { self.columns = columns }

    /// Adds a row (one cell per column).
    mutating func append(_ cells: [String]) {
        precondition(cells.count == columns.count, "a row has one cell per column")
        rows.append(cells)
    }

    /// The lines of the table fitted to `width` columns (`nil`: every cell whole).
    func render(width: Int?) -> Rendered {
        var widths = columns.indices.map { column in
            rows.reduce(columns[column].header.count) { max($0, $1[column].count) }
        }
        var kept = Array(columns.indices)
        var cut = false
        var squeezed = false
        if let width {
            func total() -> Int { kept.reduce(0) { $0 + widths[$1] } + 2 * max(0, kept.count - 1) }
            // Cut the cuttable columns, the widest first, one character at a time.
            while total() > width {
                let cuttable = kept.filter { column in columns[column].cutTo.map { widths[column] > $0 } ?? false }
                guard let widest = cuttable.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
                cut = true
            }
            // Then drop columns in rank order.
            let droppable = kept.filter { columns[$0].dropRank != nil }.sorted {
                (columns[$0].dropRank ?? 0, $0) < (columns[$1].dropRank ?? 0, $1)
            }
            for column in droppable where total() > width { kept.removeAll { $0 == column } }
            // Last, squeeze the columns that allow it, the widest first.
            while total() > width {
                let squeezable = kept.filter { column in
                    columns[column].squeezeTo.map { widths[column] > $0 } ?? false
                }
                guard let widest = squeezable.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
                squeezed = true
            }
            cut =
                (cut || squeezed) && kept.contains { column in rows.contains { $0[column].count > widths[column] } }
        }
        var lines: [String] = []
        for row in [columns.map(\.header)] + rows {
            var line = kept.map { column in Self.fit(row[column], widths[column]) }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        let dropped = columns.indices.filter { !kept.contains($0) }.map { columns[$0].header }
        return Rendered(lines: lines, dropped: dropped, cut: cut, squeezed: squeezed)
    }

    /// Prints the table fitted to `width`, then, when columns were left out or cells cut, a line saying so
    /// and that `--wide` shows everything.
    func print(width: Int?, to out: Output) { Self.print(render(width: width), to: out) }

    /// Prints `full` fitted to `width`; when it fits only squeezed, `compact` instead (the same columns and
    /// rows in shorter words) and under it `legend`, what the short words mean. Without a width `full` is
    /// printed whole.
    static func print(full: Table, compact: Table, legend: String, width: Int?, to out: Output) {
        let whole = full.render(width: width)
        guard whole.squeezed else { return print(whole, to: out) }
        print(compact.render(width: width), legend: legend, to: out)
    }

    /// Prints the lines of `rendered`, then `legend` if any, then, when columns were left out or cells cut,
    /// a line saying so and that `--wide` shows everything.
    private static func print(_ rendered: Rendered, legend: String? = nil, to out: Output) {
        for line in rendered.lines { out.line(line) }
        if let legend { out.line(legend) }
        var notes: [String] = []
        if !rendered.dropped.isEmpty { notes.append("columns left out: " + rendered.dropped.joined(separator: ", ")) }
        if rendered.cut { notes.append("long values cut with …") }
        if !notes.isEmpty { out.line("(" + notes.joined(separator: "; ") + "; --wide shows all)") }
    }

    /// `text` cut to `width` with `…`, or padded with spaces to it.
    static func fit(_ text: String, _ width: Int) -> String {
        if text.count > width { return String(text.prefix(max(0, width - 1))) + "…" }
        return text + String(repeating: " ", count: width - text.count)
    }

    /// Prints `rows` (the first is the header) to `out`, every cell whole.
    static func print(_ rows: [[String]], to out: Output) {
        var table = Table(rows[0].map { Column($0) })
        for row in rows.dropFirst() { table.append(row) }
        for line in table.render(width: nil).lines { out.line(line) }
    }
}
