/// One CSV record: its fields, decoded as UTF-8 with quotes removed, and where it and each field start.
public struct CSVRecord: Equatable, Sendable {
    /// The fields, in column order.
    public var fields: [String]
    /// The first byte of the record.
    public var location: InputLocation
    /// The first byte of each field (its opening quote when quoted), parallel to ``fields``.
    public var fieldLocations: [InputLocation]

    /// Creates a record.
    /// - Parameters:
    ///   - fields: The fields, in column order.
    ///   - location: The first byte of the record.
    ///   - fieldLocations: The first byte of each field, parallel to `fields`.
    public init(fields: [String], location: InputLocation, fieldLocations: [InputLocation]) {
        self.fields = fields
        self.location = location
        self.fieldLocations = fieldLocations
    }

    /// The field in the column that `header` names `name`, or `nil` when the header has no such column or
    /// this record is shorter than the header.
    /// - Parameters:
    ///   - name: A column name, matched exactly (case and spaces count).
    ///   - header: The header of the file this record came from.
    /// - Returns: The field, or `nil`.
    public func field(named name: String, in header: CSVHeader) -> String? {
        guard let index = header.index(of: name), fields.indices.contains(index) else { return nil }
        return fields[index]
    }
}
