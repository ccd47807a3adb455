/// `policy_set`: an SLA policy, stored as the JSON object it was given as.
/// Its fields are interpreted by the projections, not by the log.
public struct PolicySet: Equatable, Sendable {
    /// The policy object (always a ``JSONValue/object(_:)``).
    public var policy: JSONValue

    /// An event of this type, field by field.
    public init(policy: JSONValue) {
        self.policy = policy
    }
}

extension PolicySet: EventType {
    public static let kind = EventKind.policySet
    public static let name: StaticString = "policy_set"
    public var payload: EventPayload { .policySet(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        policy = try fields.object("policy", shown: .plain)
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.object(policy)
    }
}
