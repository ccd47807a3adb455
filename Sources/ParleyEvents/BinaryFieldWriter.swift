import ParleyLog

/// Writes an event type's fields as a record's bytes (docs/FORMAT.md, "Event records"), for
/// ``EventCodec/encode(_:into:)``: identifiers and texts as `string` (optional ones as `optstring`), a flag
/// or a choice as one byte (an absent optional choice as 0), an object as `json`, an integer as a zigzag
/// `varint` (an optional one after a presence byte), a list as its count + 1 (0 absent) then its strings.
struct BinaryFieldWriter: EventFieldWriter {
    /// The bytes written; swapped in and out by the caller so that the buffer is never copied.
    var out: [UInt8] = []

    mutating func identifier(_ value: String) { appendString(value) }
    mutating func optionalIdentifier(_ value: String?) { appendOptionalString(value) }
    mutating func nullableIdentifier(_ value: String?) { appendOptionalString(value) }
    mutating func text(_ value: String) { appendString(value) }
    mutating func optionalText(_ value: String?) { appendOptionalString(value) }
    mutating func flag(_ value: Bool) { out.append(value ? 1 : 0) }
    mutating func choice<Value: EventEnumeration>(_ value: Value) { out.append(value.rawValue) }
    mutating func optionalChoice<Value: EventEnumeration>(_ value: Value?) { out.append(value?.rawValue ?? 0) }
    mutating func object(_ value: JSONValue) { appendJSON(value) }
    mutating func integer(_ value: Int) { out.appendVarint(ZigZag.encode(Int64(value))) }

    mutating func optionalInteger(_ value: Int?) {
        guard let value else { return out.append(0) }
        out.append(1)
        integer(value)
    }

    mutating func identifierList(_ value: [String]?) {
        guard let value else { return out.append(0) }
        out.appendVarint(UInt64(value.count) + 1)
        for item in value { appendString(item) }
    }

    mutating func appendString(_ string: String) {
        out.appendVarint(UInt64(string.utf8.count))
        out.append(contentsOf: string.utf8)
    }

    private mutating func appendOptionalString(_ string: String?) {
        guard let string else { return out.append(0) }
        out.appendVarint(UInt64(string.utf8.count) + 1)
        out.append(contentsOf: string.utf8)
    }

    mutating func appendJSON(_ value: JSONValue) {
        switch value {
        case .null: out.append(0)
        case .bool(let b): out.append(b ? 2 : 1)
        case .number(let text):
            out.append(3)
            appendString(text)
        case .string(let s):
            out.append(4)
            appendString(s)
        case .array(let items):
            out.append(5)
            out.appendVarint(UInt64(items.count))
            for item in items { appendJSON(item) }
        case .object(let members):
            out.append(6)
            out.appendVarint(UInt64(members.count))
            for member in members {
                appendString(member.key)
                appendJSON(member.value)
            }
        }
    }
}
