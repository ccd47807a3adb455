/// `status_changed`.
public struct StatusChanged: Equatable, Sendable {
    /// The conversation it belongs to.
    public var conversation: String
    /// The new status.
    public var status: ConversationStatus

    /// An event of this type, field by field.
    public init(conversation: String, status: ConversationStatus) {
        self.conversation = conversation
        self.status = status
    }
}

extension StatusChanged: ConversationEvent {
    public static let kind = EventKind.statusChanged
    public static let name: StaticString = "status_changed"
    public var payload: EventPayload { .statusChanged(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        status = try fields.choice("status", shown: .label("→"))
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.choice(status)
    }
}

/// A conversation's status. `pending` means waiting on the customer. Raw value = byte on disk.
public enum ConversationStatus: UInt8, EventEnumeration {
    case open = 0
    case pending = 1
    case resolved = 2

    /// The interchange name.
    public var name: String {
        switch self {
        case .open: "open"
        case .pending: "pending"
        case .resolved: "resolved"
        }
    }
}
