/// `note_added`: an internal note.
public struct NoteAdded: Equatable, Sendable {
    /// The conversation it belongs to.
    public var conversation: String
    /// Who wrote it, e.g. `agent:ana` or `bot:faq`.
    public var author: String
    /// Its text (a text field: replays leave it out).
    public var body: String

    /// An event of this type, field by field.
    public init(conversation: String, author: String, body: String) {
        self.conversation = conversation
        self.author = author
        self.body = body
    }
}

extension NoteAdded: ConversationEvent {
    public static let kind = EventKind.noteAdded
    public static let name: StaticString = "note_added"
    public var payload: EventPayload { .noteAdded(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        author = try fields.identifier("author", shown: .label("by"))
        body = try fields.text("body", limit: EventLimits.maxBodyBytes, shown: .plain)
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.identifier(author)
        fields.text(body)
    }
}
