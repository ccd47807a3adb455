/// `categorized`.
public struct Categorized: Equatable, Sendable {
    /// The conversation it belongs to.
    public var conversation: String
    /// The category given.
    public var category: String
    /// The priority given, if any.
    public var priority: Priority?

    /// An event of this type, field by field.
    public init(conversation: String, category: String, priority: Priority? = nil) {
        self.conversation = conversation
        self.category = category
        self.priority = priority
    }
}

extension Categorized: ConversationEvent {
    public static let kind = EventKind.categorized
    public static let name: StaticString = "categorized"
    public var payload: EventPayload { .categorized(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        category = try fields.identifier("category", shown: .plain)
        priority = try fields.optionalChoice("priority", shown: .joined(", priority"))
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.identifier(category)
        fields.optionalChoice(priority)
    }
}

/// A conversation's priority. Raw value = byte on disk (0 on disk means "no priority given").
public enum Priority: UInt8, EventEnumeration {
    case low = 1
    case normal = 2
    case high = 3
    case urgent = 4

    /// The interchange name.
    public var name: String {
        switch self {
        case .low: "low"
        case .normal: "normal"
        case .high: "high"
        case .urgent: "urgent"
        }
    }
}
