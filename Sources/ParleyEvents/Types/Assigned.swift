/// `assigned`: the conversation's owner changed; `assignee == nil` unassigns it. Version 2 adds `by` and
/// `reason`; version 1 records (``AssignedV1``) are read by an upcaster.
public struct Assigned: Equatable, Sendable {
    /// The conversation it belongs to.
    public var conversation: String
    /// The new owner; `nil` unassigns the conversation.
    public var assignee: String?
    /// The team it now belongs to, if given.
    public var team: String?
    /// The rule or strategy that decided (`rule:billing`, `strategy:least_loaded`); nil for an
    /// assignment made by hand.
    public var by: String?
    /// The inputs that decided it, if given.
    public var reason: String?

    /// An event of this type, field by field.
    public init(conversation: String, assignee: String?, team: String? = nil, by: String? = nil, reason: String? = nil)
    {
        self.conversation = conversation
        self.assignee = assignee
        self.team = team
        self.by = by
        self.reason = reason
    }

    /// The largest `reason`, in bytes of UTF-8.
    public static let maxReasonBytes = 4096
}

extension Assigned: ConversationEvent {
    public static let kind = EventKind.assigned
    public static let name: StaticString = "assigned"
    public static let version: UInt8 = 2
    public var payload: EventPayload { .assigned(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        assignee = try fields.nullableIdentifier(
            "assignee", nullMeans: "unassign", shown: .label("to", absent: "unassigned"))
        team = try fields.optionalIdentifier("team", shown: .label("team"))
        by = try fields.optionalIdentifier("by", shown: .label("by"))
        reason = try fields.optionalText("reason", limit: Self.maxReasonBytes, shown: .plain)
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.nullableIdentifier(assignee)
        fields.optionalIdentifier(team)
        fields.optionalIdentifier(by)
        fields.optionalText(reason)
    }
}
