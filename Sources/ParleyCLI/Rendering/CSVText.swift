/// CSV quoted as RFC 4180 says: a header record, then one record per row, fields separated by commas; a
/// field holding a comma, a double quote, a carriage return or a line feed is put in double quotes, its
/// quotes doubled. Records end with a line feed, like the other CSV Parley writes (`kpi`); every CSV
/// reader accepts it. Fields are written exactly (no spreadsheet formula escaping).
struct CSVText {
    private(set) var text = ""
    private let columns: Int

    /// A CSV document with `header` as its first record.
    init(header: [String]) {
        columns = header.count
        append(header)
    }

    /// Adds one record; it has as many fields as the header.
    mutating func append(_ fields: [String]) {
        precondition(fields.count == columns, "a CSV record has one field per header column")
        text += fields.map(Self.field).joined(separator: ",") + "\n"
    }

    /// One field, quoted when it has to be.
    static func field(_ value: String) -> String {
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return value }
        return "\"" + value.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
