/// `csat_recorded`: the customer answered a satisfaction survey about a conversation: a score from 1 (very
/// unhappy) to 5 (very happy), perhaps a comment, and the channel the survey was answered on.
public struct CSATRecorded: Equatable, Sendable {
    /// The conversation the survey asked about.
    public var conversation: String
    /// The score, 1 … 5.
    public var score: Int
    /// What the customer wrote beside the score, if anything.
    public var comment: String?
    /// The channel the survey was answered on.
    public var channel: Channel

    /// An event of this type, field by field.
    public init(conversation: String, score: Int, comment: String? = nil, channel: Channel) {
        self.conversation = conversation
        self.score = score
        self.comment = comment
        self.channel = channel
    }

    /// The scores a survey gives.
    public static let scores = 1...5
    /// The largest comment, in bytes of UTF-8: 16 KiB.
    public static let maxCommentBytes = 16 << 10
}

extension CSATRecorded: ConversationEvent {
    public static let kind = EventKind.csatRecorded
    public static let name: StaticString = "csat_recorded"
    public var payload: EventPayload { .csatRecorded(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        score = try fields.integer("score", in: Self.scores, shown: .label("score"))
        comment = try fields.optionalText("comment", limit: Self.maxCommentBytes, shown: .label("comment"))
        channel = try fields.choice("channel", shown: .label("via"))
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.integer(score)
        fields.optionalText(comment)
        fields.choice(channel)
    }
}
