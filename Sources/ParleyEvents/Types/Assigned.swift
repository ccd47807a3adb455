/// `assigned`: the conversation's owner changed; `assignee == nil` unassigns it.
public struct Assigned: Equatable, Sendable {
    /// The conversation it belongs to.
    public var conversation: String
    /// The new owner; `nil` unassigns the conversation.
    public var assignee: String?
    /// The team it now belongs to, if given.
    public var team: String?

    /// An event of this type, field by field.
    public init(conversation: String, assignee: String?, team: String? = nil) {
        self.conversation = conversation
        self.assignee = assignee
        self.team = team
    }
}

extension Assigned: ConversationEvent {
    public static let kind = EventKind.assigned
    public static let name: StaticString = "assigned"
    public var payload: EventPayload { .assigned(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        assignee = try fields.nullableIdentifier(
            "assignee", nullMeans: "unassign", shown: .label("to", absent: "unassigned"))
        team = try fields.optionalIdentifier("team", shown: .label("team"))
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.nullableIdentifier(assignee)
        fields.optionalIdentifier(team)
    }
}
