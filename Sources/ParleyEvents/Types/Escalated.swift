/// `escalated`: a bot hands the conversation to humans, saying why and what it gathered, so that the
/// customer need not repeat themselves.
public struct Escalated: Equatable, Sendable {
    /// The conversation it belongs to.
    public var conversation: String
    /// The bot that hands over, e.g. `bot:faq`.
    public var by: String
    /// Why: `customer_asked`, `low_confidence`, `repeat_contact`, `negative`, `timeout`, or free text
    /// within the identifier limit.
    public var reason: String
    /// What the bot understood, if it says.
    public var understood: String?
    /// What the bot tried, if it says.
    public var tried: String?

    /// An event of this type, field by field.
    public init(conversation: String, by: String, reason: String, understood: String? = nil, tried: String? = nil) {
        self.conversation = conversation
        self.by = by
        self.reason = reason
        self.understood = understood
        self.tried = tried
    }

    /// The largest `understood` and `tried`, in bytes of UTF-8: 16 KiB.
    public static let maxContextBytes = 16 << 10
}

extension Escalated: ConversationEvent {
    public static let kind = EventKind.escalated
    public static let name: StaticString = "escalated"
    public var payload: EventPayload { .escalated(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        by = try fields.identifier("by", shown: .label("by"))
        reason = try fields.identifier("reason", shown: .label("reason"))
        understood = try fields.optionalText("understood", limit: Self.maxContextBytes, shown: .label("understood"))
        tried = try fields.optionalText("tried", limit: Self.maxContextBytes, shown: .label("tried"))
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.identifier(by)
        fields.identifier(reason)
        fields.optionalText(understood)
        fields.optionalText(tried)
    }
}
