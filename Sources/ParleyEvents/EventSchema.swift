/// The schema of one event type, recorded from its declaration (``EventType/init(reading:)``): what
/// every codec, the validator and the documentation tables follow.
public struct EventSchema: Sendable {
    /// One field, in binary and JSON order.
    public struct Field: Sendable {
        /// The JSON key.
        public var key: String
        /// Its kind and limits.
        public var kind: EventFieldKind
        /// How `dump --format text` shows it.
        public var shown: FieldText
    }

    /// The type.
    public let kind: EventKind
    /// The `type` string, e.g. `reply_sent`.
    public let name: String
    /// The schema version this build writes.
    public let version: UInt8
    /// The type's fields after the record prefix, in order.
    public let fields: [Field]

    /// Whether events of this type carry a `conversation` id: a first field `conversation`, an identifier.
    public var hasConversation: Bool {
        guard let first = fields.first, first.key == "conversation", case .identifier = first.kind else {
            return false
        }
        return true
    }

    /// Records the schema of `type` by running its ``EventType/init(reading:)`` on a recorder.
    init<T: EventType>(of type: T.Type) {
        var recorder = SchemaRecorder()
        do {
            _ = try T(reading: &recorder)
        } catch {
            preconditionFailure("\(T.name): a declaration must not throw on the schema recorder: \(error)")
        }
        kind = T.kind
        name = T.name.description
        version = T.version
        fields = recorder.fields
        let keys = fields.map(\.key)
        precondition(Set(keys).count == keys.count, "\(name): a key appears twice")
        precondition(fields.count <= EventSchema.maxFields, "\(name): more than \(EventSchema.maxFields) fields")
        precondition(
            !keys.contains { EventSchema.envelopeKeys.contains($0) }, "\(name): a field uses an envelope key")
    }

    /// The most fields one type may have (the JSON decoder keeps that many values on the stack).
    public static let maxFields = 16

    /// The keys every JSON line has or may have besides the type's fields: `type`, `at`, and `seq` and
    /// `recorded_at`, which `dump` writes and `append` ignores.
    public static let envelopeKeys = ["type", "at", "seq", "recorded_at"]
}

/// The kind of a field, with its limits.
public enum EventFieldKind: Sendable, Equatable {
    /// A required identifier.
    case identifier
    /// An optional identifier (absent or `null` is nil).
    case optionalIdentifier
    /// An identifier whose key is required and whose value may be `null`; `nullMeans` says what null does.
    case nullableIdentifier(nullMeans: String)
    /// A required text of at most `limit` bytes.
    case text(limit: Int)
    /// An optional text of at most `limit` bytes.
    case optionalText(limit: Int)
    /// A boolean byte, `default` when absent; JSON output always writes it when `alwaysWritten`.
    case flag(default: Bool, alwaysWritten: Bool)
    /// One of `names`, stored as the byte given with each.
    case choice(names: [EnumerationName])
    /// Like ``choice(names:)``, or absent (stored as 0).
    case optionalChoice(names: [EnumerationName])
    /// A JSON object.
    case object
    /// An integer within `range`, stored as a zigzag varint.
    case integer(range: ClosedRange<Int>)
    /// An optional integer within `range`: a presence byte (0 absent, 1 present), then a zigzag varint.
    case optionalInteger(range: ClosedRange<Int>)
    /// An optional list of at most `maxCount` distinct identifiers: varint count + 1 (0 absent), then each
    /// as a string.
    case identifierList(maxCount: Int)

    /// Whether the field may be absent from a JSON line (optional fields and flags).
    public var isOptional: Bool {
        switch self {
        case .optionalIdentifier, .optionalText, .optionalChoice, .flag, .optionalInteger, .identifierList: true
        default: false
        }
    }

    /// Whether a replay without texts (`EventCodec.decode(_:texts: false)`) leaves the field out.
    public var isText: Bool {
        switch self {
        case .text, .optionalText: true
        default: false
        }
    }
}

/// One value of an ``EventEnumeration``: its byte and its name.
public struct EnumerationName: Sendable, Equatable {
    /// The byte stored on disk.
    public var byte: UInt8
    /// The interchange name.
    public var name: String
}

/// Reads nothing: records each field's key and kind, returning a placeholder value.
struct SchemaRecorder: EventFieldReader {
    var fields: [EventSchema.Field] = []

    private mutating func add(_ key: StaticString, _ kind: EventFieldKind, _ shown: FieldText) {
        fields.append(EventSchema.Field(key: key.description, kind: kind, shown: shown))
    }

    private static func names<Value: EventEnumeration>(_: Value.Type) -> [EnumerationName] {
        Value.allCases.map { EnumerationName(byte: $0.rawValue, name: $0.name) }
    }

    mutating func identifier(_ key: StaticString, shown: FieldText) -> String {
        add(key, .identifier, shown)
        return "x"
    }

    mutating func optionalIdentifier(_ key: StaticString, shown: FieldText) -> String? {
        add(key, .optionalIdentifier, shown)
        return nil
    }

    mutating func nullableIdentifier(_ key: StaticString, nullMeans: StaticString, shown: FieldText) -> String? {
        add(key, .nullableIdentifier(nullMeans: nullMeans.description), shown)
        return nil
    }

    mutating func text(_ key: StaticString, limit: Int, shown: FieldText) -> String {
        add(key, .text(limit: limit), shown)
        return ""
    }

    mutating func optionalText(_ key: StaticString, limit: Int, shown: FieldText) -> String? {
        add(key, .optionalText(limit: limit), shown)
        return nil
    }

    mutating func flag(_ key: StaticString, default: Bool, alwaysWritten: Bool, shown: FieldText) -> Bool {
        add(key, .flag(default: `default`, alwaysWritten: alwaysWritten), shown)
        return `default`
    }

    mutating func choice<Value: EventEnumeration>(_ key: StaticString, shown: FieldText) -> Value {
        let names = Self.names(Value.self)
        precondition(names.allSatisfy { $0.byte < 64 }, "\(key): a choice's bytes must be below 64")
        add(key, .choice(names: names), shown)
        guard let first = Value.allCases.first else { preconditionFailure("\(key): a choice needs values") }
        return first
    }

    mutating func optionalChoice<Value: EventEnumeration>(_ key: StaticString, shown: FieldText) -> Value? {
        let names = Self.names(Value.self)
        precondition(names.allSatisfy { $0.byte > 0 && $0.byte < 64 }, "\(key): optional choices use bytes 1…63")
        add(key, .optionalChoice(names: names), shown)
        return nil
    }

    mutating func object(_ key: StaticString, shown: FieldText) -> JSONValue {
        add(key, .object, shown)
        return .object([])
    }

    mutating func integer(_ key: StaticString, in range: ClosedRange<Int>, shown: FieldText) -> Int {
        add(key, .integer(range: range), shown)
        return range.lowerBound
    }

    mutating func optionalInteger(_ key: StaticString, in range: ClosedRange<Int>, shown: FieldText) -> Int? {
        add(key, .optionalInteger(range: range), shown)
        return nil
    }

    mutating func identifierList(_ key: StaticString, maxCount: Int, shown: FieldText) -> [String]? {
        precondition(maxCount > 0, "\(key): a list must allow an item")
        add(key, .identifierList(maxCount: maxCount), shown)
        return nil
    }
}
