/// `message_received`: a customer's message arrived.
public struct MessageReceived: Equatable, Sendable {
    /// The conversation it belongs to.
    public var conversation: String
    /// The customer id.
    public var customer: String
    /// The channel it arrived on.
    public var channel: Channel
    /// The source system's message id, if it gave one.
    public var messageID: String?
    public var subject: String?
    /// Message text, at most ``EventLimits/maxBodyBytes`` bytes of UTF-8.
    public var body: String

    /// An event of this type, field by field.
    public init(
        conversation: String, customer: String, channel: Channel, messageID: String? = nil,
        subject: String? = nil, body: String
    ) {
        self.conversation = conversation
        self.customer = customer
        self.channel = channel
        self.messageID = messageID
        self.subject = subject
        self.body = body
    }
}

extension MessageReceived: ConversationEvent {
    public static let kind = EventKind.messageReceived
    public static let name: StaticString = "message_received"
    public var payload: EventPayload { .messageReceived(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        customer = try fields.identifier("customer", shown: .label("from"))
        channel = try fields.choice("channel", shown: .label("via"))
        messageID = try fields.optionalIdentifier("message_id", shown: .hidden)
        subject = try fields.optionalText("subject", limit: EventLimits.maxSubjectBytes, shown: .label("subject"))
        body = try fields.text("body", limit: EventLimits.maxBodyBytes, shown: .plain)
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.identifier(customer)
        fields.choice(channel)
        fields.optionalIdentifier(messageID)
        fields.optionalText(subject)
        fields.text(body)
    }
}

/// The channel a customer's message arrived on. The raw value is the byte stored on disk.
public enum Channel: UInt8, EventEnumeration {
    case email = 0
    case chat, form, marketplace, social, review, sms, whatsapp, messenger, other

    /// The interchange name, e.g. `whatsapp`.
    public var name: String {
        switch self {
        case .email: "email"
        case .chat: "chat"
        case .form: "form"
        case .marketplace: "marketplace"
        case .social: "social"
        case .review: "review"
        case .sms: "sms"
        case .whatsapp: "whatsapp"
        case .messenger: "messenger"
        case .other: "other"
        }
    }
}
