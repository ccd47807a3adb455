import Foundation
import ParleyIntake

/// Reads every record of `input`, served `chunkSize` bytes at a time.
func csvRecords(
    _ input: [UInt8], chunkSize: Int = 1 << 16, separator: UInt8 = UInt8(ascii: ","),
    limits: CSVReader.Limits = .default
) throws(CSVError) -> [CSVRecord] {
    let reader = CSVReader(bytes: input, separator: separator, limits: limits, chunkSize: chunkSize)
    var records: [CSVRecord] = []
    while let record = try reader.next() { records.append(record) }
    return records
}

/// The fields of every record of `input`.
func csvFields(_ input: String, chunkSize: Int = 1 << 16, separator: UInt8 = UInt8(ascii: ",")) throws(CSVError)
    -> [[String]]
{
    try csvRecords(Array(input.utf8), chunkSize: chunkSize, separator: separator).map(\.fields)
}

/// The error reading `input` ends with, or `nil` when it reads cleanly.
func csvError(_ input: [UInt8], chunkSize: Int = 1 << 16, limits: CSVReader.Limits = .default) -> CSVError? {
    do {
        _ = try csvRecords(input, chunkSize: chunkSize, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// A location in bytes in memory.
func at(offset: Int, line: Int, column: Int) -> InputLocation {
    InputLocation(offset: offset, line: line, column: column)
}

/// A tiny writer for round trips: quotes a field holding a separator, quote, CR or LF (and a record's only
/// field when it is empty, which would otherwise be a blank line).
func csvWrite(_ records: [[String]], lineEnd: String = "\r\n", finalLineEnd: Bool = true) -> [UInt8] {
    var text = ""
    for (number, record) in records.enumerated() {
        let fields = record.map { field -> String in
            let needsQuotes =
                field.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
                || (record.count == 1 && field.isEmpty)
            guard needsQuotes else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        text += fields.joined(separator: ",")
        if finalLineEnd || number < records.count - 1 { text += lineEnd }
    }
    return Array(text.utf8)
}
