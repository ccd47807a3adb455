/// `reply_sent`: an agent or a bot replied.
public struct ReplySent: Equatable, Sendable {
    /// The conversation it belongs to.
    public var conversation: String
    /// Who replied, e.g. `agent:ana` or `bot:faq`.
    public var author: String
    /// An automatic acknowledgement: it does not count as a response.
    public var isAutomatic: Bool
    /// Its text (a text field: replays leave it out).
    public var body: String

    /// An event of this type, field by field.
    public init(conversation: String, author: String, isAutomatic: Bool = false, body: String) {
        self.conversation = conversation
        self.author = author
        self.isAutomatic = isAutomatic
        self.body = body
    }
}

extension ReplySent: ConversationEvent {
    public static let kind = EventKind.replySent
    public static let name: StaticString = "reply_sent"
    public var payload: EventPayload { .replySent(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        author = try fields.identifier("author", shown: .label("by"))
        isAutomatic = try fields.flag("auto", default: false, alwaysWritten: true, shown: .label("(automatic)"))
        body = try fields.text("body", limit: EventLimits.maxBodyBytes, shown: .plain)
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.identifier(author)
        fields.flag(isAutomatic)
        fields.text(body)
    }
}
