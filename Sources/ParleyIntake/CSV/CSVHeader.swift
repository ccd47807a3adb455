/// A CSV header record: column names mapped to their indexes.
///
/// Names are matched exactly (case, spaces and any BOM-free leading text count); an empty name or a name
/// used twice is an error, because a mapping by name would then be ambiguous.
public struct CSVHeader: Equatable, Sendable {
    /// The column names, in order.
    public let names: [String]
    private let indexes: [String: Int]

    /// Reads a header from the first record of a file.
    /// - Parameter record: The header record.
    /// - Throws: `CSVError` ``CSVError/Code/emptyColumnName`` or ``CSVError/Code/duplicateColumnName``
    ///   at the offending field (for a duplicate, the second use), with its column number.
    public init(_ record: CSVRecord) throws(CSVError) {
        var indexes: [String: Int] = [:]
        for (index, name) in record.fields.enumerated() {
            let location =
                record.fieldLocations.indices.contains(index) ? record.fieldLocations[index] : record.location
            if name.isEmpty {
                throw CSVError(.emptyColumnName, at: location, field: index + 1, reason: "the column has no name")
            }
            if let first = indexes[name] {
                throw CSVError(
                    .duplicateColumnName, at: location, field: index + 1,
                    reason: "the column name \"\(name)\" is also used by column \(first + 1)")
            }
            indexes[name] = index
        }
        self.names = record.fields
        self.indexes = indexes
    }

    /// The index (from 0) of the column named `name`, or `nil`.
    /// - Parameter name: A column name, matched exactly.
    /// - Returns: The column's index in ``CSVRecord/fields``, or `nil` when no column has that name.
    public func index(of name: String) -> Int? {
        indexes[name]
    }
}
