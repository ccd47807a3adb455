import ParleyLog

/// Reads an event type's fields from a record (docs/FORMAT.md, "Event records"), for
/// ``EventCodec/decode(_:texts:)`` and for upcasters reading an older layout.
///
/// Every length is checked against the bytes left; every string must be valid UTF-8. With `texts: false`
/// the texts (``EventFieldKind/isText``) are bounds-checked and skipped: they come back empty (`""`, and an
/// absent optional stays nil), their UTF-8 unchecked and no `String` built.
public struct BinaryFieldReader: EventFieldReader {
    var reader: ByteReader
    /// Whether texts are decoded (true) or skipped.
    public let texts: Bool

    init(_ reader: ByteReader, texts: Bool) {
        self.reader = reader
        self.texts = texts
    }

    @inline(__always)
    public mutating func identifier(_ key: StaticString, shown: FieldText) throws(EventError) -> String {
        try string(key)
    }

    @inline(__always)
    public mutating func optionalIdentifier(_ key: StaticString, shown: FieldText) throws(EventError) -> String? {
        try optionalString(key)
    }

    @inline(__always)
    public mutating func nullableIdentifier(_ key: StaticString, nullMeans: StaticString, shown: FieldText)
        throws(EventError) -> String?
    {
        try optionalString(key)
    }

    @inline(__always)
    public mutating func text(_ key: StaticString, limit: Int, shown: FieldText) throws(EventError) -> String {
        if texts { return try string(key) }
        guard let length = reader.readVarint(), skip(length) else { throw Self.malformed("\(key): bad length") }
        return ""
    }

    @inline(__always)
    public mutating func optionalText(_ key: StaticString, limit: Int, shown: FieldText) throws(EventError)
        -> String?
    {
        if texts { return try optionalString(key) }
        guard let stored = reader.readVarint() else { throw Self.malformed("\(key): bad length") }
        guard stored > 0 else { return nil }
        guard skip(stored - 1) else {
            throw Self.malformed("\(key): length \(stored - 1) runs past the end of the record")
        }
        return ""
    }

    @inline(__always)
    public mutating func flag(_ key: StaticString, default: Bool, alwaysWritten: Bool, shown: FieldText)
        throws(EventError) -> Bool
    {
        guard let byte = reader.readByte(), byte <= 1 else { throw Self.malformed("bad \(key)") }
        return byte == 1
    }

    @inline(__always)
    public mutating func choice<Value: EventEnumeration>(_ key: StaticString, shown: FieldText) throws(EventError)
        -> Value
    {
        guard let value = reader.readByte().flatMap(Value.init(rawValue:)) else { throw Self.malformed("bad \(key)") }
        return value
    }

    @inline(__always)
    public mutating func optionalChoice<Value: EventEnumeration>(_ key: StaticString, shown: FieldText)
        throws(EventError) -> Value?
    {
        guard let raw = reader.readByte() else { throw Self.malformed("bad \(key)") }
        if raw == 0 { return nil }
        guard let value = Value(rawValue: raw) else { throw Self.malformed("bad \(key)") }
        return value
    }

    public mutating func object(_ key: StaticString, shown: FieldText) throws(EventError) -> JSONValue {
        let value = try json(depth: 0)
        guard case .object = value else { throw Self.malformed("\(key) is not an object") }
        return value
    }

    @inline(__always)
    public mutating func integer(_ key: StaticString, in range: ClosedRange<Int>, shown: FieldText)
        throws(EventError) -> Int
    {
        guard let stored = reader.readVarint(), let value = Int(exactly: ZigZag.decode(stored)), range.contains(value)
        else {
            throw Self.malformed("bad \(key)")
        }
        return value
    }

    @inline(__always)
    public mutating func optionalInteger(_ key: StaticString, in range: ClosedRange<Int>, shown: FieldText)
        throws(EventError) -> Int?
    {
        guard let presence = reader.readByte(), presence <= 1 else { throw Self.malformed("bad \(key)") }
        return presence == 0 ? nil : try integer(key, in: range, shown: shown)
    }

    public mutating func identifierList(_ key: StaticString, maxCount: Int, shown: FieldText) throws(EventError)
        -> [String]?
    {
        guard let stored = reader.readVarint(), stored <= UInt64(maxCount) + 1 else {
            throw Self.malformed("bad \(key) count")
        }
        guard stored > 0 else { return nil }
        var items: [String] = []
        items.reserveCapacity(Int(stored - 1))
        for _ in 1..<stored { items.append(try string(key)) }
        return items
    }

    // MARK: - Pieces

    /// Skips `count` bytes if there are that many left (without making a slice of them).
    @inline(__always)
    private mutating func skip(_ count: UInt64) -> Bool {
        guard count <= UInt64(reader.remaining) else { return false }
        reader.index += Int(count)
        return true
    }

    static func malformed(_ reason: String) -> EventError {
        EventError(.malformedPayload, reason: reason)
    }

    private mutating func stringBytes(_ field: StaticString, length: UInt64) throws(EventError) -> String {
        guard length <= UInt64(reader.remaining), let bytes = reader.readBytes(Int(length)) else {
            throw Self.malformed("\(field): length \(length) runs past the end of the record")
        }
        // Our validator, then the contiguous fast path of `String(decoding:)` (which, given valid UTF-8,
        // changes nothing): the generic `String(validating:)` costs a metadata lookup per call.
        guard UTF8Validation.isValid(bytes) else { throw Self.malformed("\(field): invalid UTF-8") }
        return bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    @inline(__always)
    mutating func string(_ field: StaticString) throws(EventError) -> String {
        guard let length = reader.readVarint() else { throw Self.malformed("\(field): bad length") }
        return try stringBytes(field, length: length)
    }

    @inline(__always)
    private mutating func optionalString(_ field: StaticString) throws(EventError) -> String? {
        guard let stored = reader.readVarint() else { throw Self.malformed("\(field): bad length") }
        return stored == 0 ? nil : try stringBytes(field, length: stored - 1)
    }

    /// Decodes a JSON value; `depth` counts the arrays and objects around it (an outermost container is
    /// level 1, and level 65 is rejected).
    mutating func json(depth: Int) throws(EventError) -> JSONValue {
        guard let tag = reader.readByte() else { throw Self.malformed("JSON value cut short") }
        switch tag {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3:
            let text = try string("number")
            guard JSONNumberGrammar.matches(text.utf8) else { throw Self.malformed("number text is not a JSON number") }
            return .number(text)
        case 4: return .string(try string("string"))
        case 5 where depth >= EventLimits.maxJSONDepth, 6 where depth >= EventLimits.maxJSONDepth:
            throw Self.malformed("JSON value nested deeper than \(EventLimits.maxJSONDepth) levels")
        case 5:
            guard let count = reader.readVarint(), count <= UInt64(reader.remaining) else {
                throw Self.malformed("bad array length")
            }
            var items: [JSONValue] = []
            for _ in 0..<count { items.append(try json(depth: depth + 1)) }
            return .array(items)
        case 6:
            guard let count = reader.readVarint(), count <= UInt64(reader.remaining) else {
                throw Self.malformed("bad object size")
            }
            var members: [JSONMember] = []
            for _ in 0..<count {
                members.append(JSONMember(key: try string("key"), value: try json(depth: depth + 1)))
            }
            if let duplicate = EventCodec.firstDuplicateKey(members) {
                throw Self.malformed("JSON object has the key \(EventCodec.quoted(duplicate)) twice")
            }
            return .object(members)
        default:
            throw Self.malformed("unknown JSON tag \(tag)")
        }
    }
}
