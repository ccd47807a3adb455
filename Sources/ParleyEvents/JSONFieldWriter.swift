/// Writes an event type's fields as JSON members (`,"key":value`), in schema order, for
/// ``JSONLineEncoder``: absent optional fields are left out (a list is an array in stored order); a nullable identifier is `null` when absent;
/// a flag is left out when it has its default value unless it is always written.
struct JSONFieldWriter: EventFieldWriter {
    /// The bytes written; swapped in and out by the caller so that the buffer is never copied.
    var out: [UInt8] = []
    /// `,"key":` of each field, in schema order.
    private let prefixes: [[UInt8]]
    private let fields: [EventSchema.Field]
    private var position = 0

    init(kind: EventKind) {
        let tables = JSONFieldWriter.tables[Int(kind.rawValue)]
        prefixes = tables.prefixes
        fields = tables.fields
    }

    /// The member prefixes and fields of every type, by type byte.
    private static let tables: [(prefixes: [[UInt8]], fields: [EventSchema.Field])] = EventSchemas.all.map { schema in
        let prefixes = schema.fields.map { field in
            var prefix: [UInt8] = [UInt8(ascii: ",")]
            JSONLineEncoder.appendJSONString(field.key, to: &prefix)
            prefix.append(UInt8(ascii: ":"))
            return prefix
        }
        return (prefixes, schema.fields)
    }

    /// Writes the next field's `,"key":` and moves on.
    private mutating func key() {
        out.append(contentsOf: prefixes[position])
        position += 1
    }

    private mutating func skip() { position += 1 }

    mutating func identifier(_ value: String) {
        key()
        JSONLineEncoder.appendJSONString(value, to: &out)
    }

    mutating func optionalIdentifier(_ value: String?) {
        guard let value else { return skip() }
        identifier(value)
    }

    mutating func nullableIdentifier(_ value: String?) {
        key()
        guard let value else { return appendRaw("null", to: &out) }
        JSONLineEncoder.appendJSONString(value, to: &out)
    }

    mutating func text(_ value: String) { identifier(value) }

    mutating func optionalText(_ value: String?) { optionalIdentifier(value) }

    mutating func flag(_ value: Bool) {
        if case .flag(let defaultValue, let alwaysWritten) = fields[position].kind, !alwaysWritten,
            value == defaultValue
        {
            return skip()
        }
        key()
        appendRaw(value ? "true" : "false", to: &out)
    }

    mutating func choice<Value: EventEnumeration>(_ value: Value) { identifier(value.name) }

    mutating func optionalChoice<Value: EventEnumeration>(_ value: Value?) { optionalIdentifier(value?.name) }

    mutating func object(_ value: JSONValue) {
        key()
        JSONLineEncoder.appendJSON(value, to: &out)
    }

    mutating func integer(_ value: Int) {
        key()
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude.toUInt64, to: &out)
    }

    mutating func optionalInteger(_ value: Int?) {
        guard let value else { return skip() }
        integer(value)
    }

    mutating func identifierList(_ value: [String]?) {
        guard let value else { return skip() }
        key()
        out.append(UInt8(ascii: "["))
        for (index, item) in value.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONLineEncoder.appendJSONString(item, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}

extension UInt {
    fileprivate var toUInt64: UInt64 { UInt64(self) }
}
