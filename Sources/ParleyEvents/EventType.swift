/// The declaration of one event type: its name, its schema version, and its fields, read and written in
/// one order. Each type has one file in `Types/` and one line in each switch of `EventRegistry.swift`.
///
/// ``init(reading:)`` is the schema: the order of its reads is the binary order and the JSON order, and
/// each read names the field's JSON key, its kind (``EventFieldKind``) with its limits, and how
/// `dump --format text` shows it. The binary codec, the validator, the JSON Lines decoder and encoder and
/// the text line are all derived from it (``EventSchema`` records it once), and ``write(to:)`` writes the
/// same fields in the same order. Both are generic over the reader and writer so that each codec gets
/// its own specialised copy. `EventTypeTests` checks, for every type, that the two agree and that every
/// event survives every encoding.
///
/// An example, with every kind of field:
///
///     conversation = try fields.identifier("conversation", shown: .bracketed)
///     assignee = try fields.nullableIdentifier("assignee", nullMeans: "unassign", shown: .label("to", absent: "unassigned"))
///     team = try fields.optionalIdentifier("team", shown: .label("team"))
///     body = try fields.text("body", limit: EventLimits.maxBodyBytes, shown: .plain)
///     isAutomatic = try fields.flag("auto", default: false, alwaysWritten: true, shown: .label("(automatic)"))
///     channel = try fields.choice("channel", shown: .label("via"))
///     priority = try fields.optionalChoice("priority", shown: .joined(", priority"))
///     policy = try fields.object("policy", shown: .plain)
///     score = try fields.integer("score", in: 1...5, shown: .label("score"))
///     capacity = try fields.optionalInteger("capacity", in: 0...10_000, shown: .label("capacity"))
///     teams = try fields.identifierList("teams", maxCount: 64, shown: .label("teams"))
public protocol EventType: Equatable, Sendable {
    /// The type's ``EventKind`` (its type byte).
    static var kind: EventKind { get }
    /// The `type` string of the JSON Lines format, e.g. `message_received`.
    static var name: StaticString { get }
    /// The schema version this build writes (1 unless the type's layout changed; older layouts are read
    /// by an ``EventUpcaster``).
    static var version: UInt8 { get }

    /// Reads the type's fields in schema order.
    /// - Throws: ``EventError`` when a field is missing, of the wrong type or out of its limits.
    init(reading fields: inout some EventFieldReader) throws(EventError)

    /// Writes the type's fields in the order ``init(reading:)`` reads them.
    func write(to fields: inout some EventFieldWriter)

    /// The event as an ``EventPayload``.
    var payload: EventPayload { get }

    /// The conversation the event belongs to, if its type has one (see ``ConversationEvent``).
    var conversationID: String? { get }
}

extension EventType {
    public static var version: UInt8 { EventCodec.schemaVersion }
    public var conversationID: String? { nil }
}

/// An event type whose events belong to a conversation: its first field is the `conversation` identifier.
public protocol ConversationEvent: EventType {
    /// The conversation id.
    var conversation: String { get }
}

extension ConversationEvent {
    public var conversationID: String? { conversation }
}

/// A fixed set of values stored as one byte (the raw value) and written by name.
public protocol EventEnumeration: RawRepresentable<UInt8>, CaseIterable, Sendable {
    /// The interchange name, e.g. `whatsapp`.
    var name: String { get }
}

extension EventEnumeration {
    /// Looks a value up by its interchange name.
    /// - Parameter name: an interchange name such as `pending`.
    public init?(name: String) {
        guard let value = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = value
    }
}

/// How `dump --format text` shows a field: the line is the event's seq, time and type, then one part per
/// shown field, separated by spaces. The value is written as its kind suggests: an identifier, a choice or
/// an integer as it is, a text quoted as JSON and clipped, an object as compact JSON, clipped.
public struct FieldText: Sendable, Equatable {
    /// Written before the value, with a space (for a flag: written alone when the flag is set).
    public var label: String?
    /// Written when an optional field is absent; nil shows nothing.
    public var absent: String?
    /// Appended to the previous part without a space instead of starting a new part.
    public var joinsPrevious: Bool
    /// The value goes between `[` and `]`.
    public var bracketed: Bool
    /// The field is not shown.
    public var hidden: Bool

    /// The value alone.
    public static let plain = FieldText(label: nil, absent: nil, joinsPrevious: false, bracketed: false, hidden: false)
    /// The value between brackets: `[c1]`.
    public static let bracketed = FieldText(
        label: nil, absent: nil, joinsPrevious: false, bracketed: true, hidden: false)
    /// Not shown.
    public static let hidden = FieldText(label: nil, absent: nil, joinsPrevious: false, bracketed: false, hidden: true)

    /// `label value`, or `absent` when an optional field is absent.
    /// - Parameters:
    ///   - label: the word before the value.
    ///   - absent: what to show for an absent optional field (nothing when nil).
    public static func label(_ label: String, absent: String? = nil) -> FieldText {
        FieldText(label: label, absent: absent, joinsPrevious: false, bracketed: false, hidden: false)
    }

    /// `label value` appended to the previous part: `billing, priority high`.
    /// - Parameter label: written right after the previous part, then a space and the value.
    public static func joined(_ label: String) -> FieldText {
        FieldText(label: label, absent: nil, joinsPrevious: true, bracketed: false, hidden: false)
    }
}

/// What reads an event type's fields: the binary record decoder, the JSON Lines decoder, the schema
/// recorder. Each call reads the next field of the schema.
public protocol EventFieldReader {
    /// A required identifier (non-empty, at most ``EventLimits/maxIdentifierBytes``, no control characters).
    mutating func identifier(_ key: StaticString, shown: FieldText) throws(EventError) -> String
    /// An optional identifier: absent, or `null` in JSON, is nil.
    mutating func optionalIdentifier(_ key: StaticString, shown: FieldText) throws(EventError) -> String?
    /// An identifier whose key is required but whose value may be `null` (nil).
    /// - Parameter nullMeans: what `null` does, for the message when the key is missing ("unassign").
    mutating func nullableIdentifier(_ key: StaticString, nullMeans: StaticString, shown: FieldText) throws(EventError)
        -> String?
    /// A required text of at most `limit` bytes of UTF-8, possibly empty; left out of replays.
    mutating func text(_ key: StaticString, limit: Int, shown: FieldText) throws(EventError) -> String
    /// An optional text of at most `limit` bytes of UTF-8; left out of replays.
    mutating func optionalText(_ key: StaticString, limit: Int, shown: FieldText) throws(EventError) -> String?
    /// A boolean stored as a byte (0, 1); absent or `null` in JSON is `default`.
    /// - Parameter alwaysWritten: whether JSON output writes it also when it has its default value.
    mutating func flag(_ key: StaticString, default: Bool, alwaysWritten: Bool, shown: FieldText) throws(EventError)
        -> Bool
    /// One of a fixed set of names, stored as its raw value.
    mutating func choice<Value: EventEnumeration>(_ key: StaticString, shown: FieldText) throws(EventError) -> Value
    /// An optional choice: stored as 0 when absent (so no value may have the raw value 0).
    mutating func optionalChoice<Value: EventEnumeration>(_ key: StaticString, shown: FieldText) throws(EventError)
        -> Value?
    /// A JSON object, stored as given.
    mutating func object(_ key: StaticString, shown: FieldText) throws(EventError) -> JSONValue
    /// An integer within `range`: a JSON number without fraction or exponent; stored as a zigzag varint.
    mutating func integer(_ key: StaticString, in range: ClosedRange<Int>, shown: FieldText) throws(EventError) -> Int
    /// Like ``integer(_:in:shown:)``, or absent (`null` or a missing key in JSON is nil).
    mutating func optionalInteger(_ key: StaticString, in range: ClosedRange<Int>, shown: FieldText)
        throws(EventError) -> Int?
    /// A list of at most `maxCount` distinct identifiers, possibly empty, or absent (`null` or a missing key
    /// in JSON is nil; an empty array is not nil). Kept by replays without texts.
    mutating func identifierList(_ key: StaticString, maxCount: Int, shown: FieldText) throws(EventError)
        -> [String]?
    /// Checks a rule of the type beyond its fields' kinds (a currency code, a field required with
    /// another). Input readers (JSON Lines) throw `invalidValue` naming `key` when `holds` is false; the
    /// binary reader and the schema recorder check nothing, as they check no identifier rule either.
    mutating func check(_ holds: Bool, _ key: StaticString, _ reason: @autoclosure () -> String) throws(EventError)
}

extension EventFieldReader {
    public mutating func check(_ holds: Bool, _ key: StaticString, _ reason: @autoclosure () -> String)
        throws(EventError)
    {}
}

/// What writes an event type's fields, in schema order: the binary encoder, the JSON Lines encoder, the
/// text line. The writer knows the schema, so values come without their keys.
public protocol EventFieldWriter {
    /// See ``EventFieldReader/identifier(_:shown:)``.
    mutating func identifier(_ value: String)
    /// See ``EventFieldReader/optionalIdentifier(_:shown:)``.
    mutating func optionalIdentifier(_ value: String?)
    /// See ``EventFieldReader/nullableIdentifier(_:nullMeans:shown:)``.
    mutating func nullableIdentifier(_ value: String?)
    /// See ``EventFieldReader/text(_:limit:shown:)``.
    mutating func text(_ value: String)
    /// See ``EventFieldReader/optionalText(_:limit:shown:)``.
    mutating func optionalText(_ value: String?)
    /// See ``EventFieldReader/flag(_:default:alwaysWritten:shown:)``.
    mutating func flag(_ value: Bool)
    /// See ``EventFieldReader/choice(_:shown:)``.
    mutating func choice<Value: EventEnumeration>(_ value: Value)
    /// See ``EventFieldReader/optionalChoice(_:shown:)``.
    mutating func optionalChoice<Value: EventEnumeration>(_ value: Value?)
    /// See ``EventFieldReader/object(_:shown:)``.
    mutating func object(_ value: JSONValue)
    /// See ``EventFieldReader/integer(_:in:shown:)``.
    mutating func integer(_ value: Int)
    /// See ``EventFieldReader/optionalInteger(_:in:shown:)``.
    mutating func optionalInteger(_ value: Int?)
    /// See ``EventFieldReader/identifierList(_:maxCount:shown:)``.
    mutating func identifierList(_ value: [String]?)
}
