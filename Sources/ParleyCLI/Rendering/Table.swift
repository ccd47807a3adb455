/// Left-aligned columns separated by two spaces, trailing spaces trimmed: the human tables of `queue`,
/// `sla` and `policy show`.
enum Table {
    /// Prints `rows` (the first is the header) to `out`.
    static func print(_ rows: [[String]], to out: Output) {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                cell + String(repeating: " ", count: widths[column] - cell.count)
            }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            out.line(line)
        }
    }
}
