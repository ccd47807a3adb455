/// `rules_set`: the routing rules, stored as the JSON object they were given as. Like `policy_set`, the
/// rules in force when an event arrives are the last ones set before it; the routing projection
/// interprets them (docs/ROUTING.md), not the log.
public struct RulesSet: Equatable, Sendable {
    /// The rules object (always a ``JSONValue/object(_:)``).
    public var rules: JSONValue

    /// An event of this type, field by field.
    public init(rules: JSONValue) {
        self.rules = rules
    }
}

extension RulesSet: EventType {
    public static let kind = EventKind.rulesSet
    public static let name: StaticString = "rules_set"
    public var payload: EventPayload { .rulesSet(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        rules = try fields.object("rules", shown: .plain)
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.object(rules)
    }
}
