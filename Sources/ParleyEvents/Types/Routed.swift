/// `routed`: the router decided how the conversation is handled, and says on what grounds. Written by
/// `append` right after the event that caused it, in the same frame.
public struct Routed: Equatable, Sendable {
    /// The conversation it belongs to.
    public var conversation: String
    /// What decided: `rule:billing`, `default`, `timer:frt_risk`, `escalation`…
    public var by: String
    /// The team it goes to, if the decision names one.
    public var team: String?
    /// The priority it gets, if the decision sets one.
    public var priority: Priority?
    /// Whether humans or automation handle it.
    public var mode: HandlingMode
    /// The named SLA policy that applies, if any.
    public var policy: String?
    /// The priority score, if one was computed.
    public var score: Int?
    /// The topics the router found in the message it routed.
    public var topics: [String]?
    /// The inputs that decided it, e.g. `channel=email tier=key score=12`.
    public var reason: String?

    /// An event of this type, field by field.
    public init(
        conversation: String, by: String, team: String? = nil, priority: Priority? = nil,
        mode: HandlingMode, policy: String? = nil, score: Int? = nil, topics: [String]? = nil,
        reason: String? = nil
    ) {
        self.conversation = conversation
        self.by = by
        self.team = team
        self.priority = priority
        self.mode = mode
        self.policy = policy
        self.score = score
        self.topics = topics
        self.reason = reason
    }

    /// The largest score.
    public static let maxScore = 1_000_000
    /// The most topics one event may list.
    public static let maxTopics = 64
    /// The largest `reason`, in bytes of UTF-8.
    public static let maxReasonBytes = 4096
}

extension Routed: ConversationEvent {
    public static let kind = EventKind.routed
    public static let name: StaticString = "routed"
    public var payload: EventPayload { .routed(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        by = try fields.identifier("by", shown: .label("by"))
        team = try fields.optionalIdentifier("team", shown: .label("team"))
        priority = try fields.optionalChoice("priority", shown: .label("priority"))
        mode = try fields.choice("mode", shown: .plain)
        policy = try fields.optionalIdentifier("policy", shown: .label("policy"))
        score = try fields.optionalInteger("score", in: 0...Self.maxScore, shown: .label("score"))
        topics = try fields.identifierList("topics", maxCount: Self.maxTopics, shown: .label("topics"))
        reason = try fields.optionalText("reason", limit: Self.maxReasonBytes, shown: .plain)
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(conversation)
        fields.identifier(by)
        fields.optionalIdentifier(team)
        fields.optionalChoice(priority)
        fields.choice(mode)
        fields.optionalIdentifier(policy)
        fields.optionalInteger(score)
        fields.identifierList(topics)
        fields.optionalText(reason)
    }
}

/// Who handles a conversation. Raw value = byte on disk.
public enum HandlingMode: UInt8, EventEnumeration {
    /// Agents.
    case human = 1
    /// A bot, until it escalates.
    case automation = 2

    /// The interchange name.
    public var name: String {
        switch self {
        case .human: "human"
        case .automation: "automation"
        }
    }
}
