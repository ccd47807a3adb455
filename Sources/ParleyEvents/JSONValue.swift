/// A JSON value kept exactly as it was given: numbers keep their text, objects keep their key order.
/// Used for extra fields and for SLA policies, which Parley stores without interpreting.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number, as its JSON text (validated against the JSON grammar), so no precision is lost.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// An object's members in input order. Keys are unique.
    case object([JSONMember])
}

/// One member of a JSON object.
public struct JSONMember: Equatable, Sendable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}
