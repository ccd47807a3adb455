/// The channel a customer's message arrived on. The raw value is the byte stored on disk.
public enum Channel: UInt8, CaseIterable, Sendable {
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

    /// Looks a channel up by its interchange name.
    public init?(name: String) {
        guard let value = Channel.allCases.first(where: { $0.name == name }) else { return nil }
        self = value
    }
}

/// A conversation's status. `pending` means waiting on the customer. Raw value = byte on disk.
public enum ConversationStatus: UInt8, CaseIterable, Sendable {
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

    /// Looks a status up by its interchange name.
    public init?(name: String) {
        guard let value = ConversationStatus.allCases.first(where: { $0.name == name }) else { return nil }
        self = value
    }
}

/// A conversation's priority. Raw value = byte on disk (0 on disk means "no priority given").
public enum Priority: UInt8, CaseIterable, Sendable {
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

    /// Looks a priority up by its interchange name.
    public init?(name: String) {
        guard let value = Priority.allCases.first(where: { $0.name == name }) else { return nil }
        self = value
    }
}

/// `message_received`: a customer's message arrived.
public struct MessageReceived: Equatable, Sendable {
    public var conversation: String
    public var customer: String
    public var channel: Channel
    /// The source system's message id, if it gave one.
    public var messageID: String?
    public var subject: String?
    /// Message text, at most ``EventLimits/maxBodyBytes`` bytes of UTF-8.
    public var body: String

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

/// `reply_sent`: an agent or a bot replied.
public struct ReplySent: Equatable, Sendable {
    public var conversation: String
    /// Who replied, e.g. `agent:ana` or `bot:faq`.
    public var author: String
    /// An automatic acknowledgement: it does not count as a response.
    public var isAutomatic: Bool
    public var body: String

    public init(conversation: String, author: String, isAutomatic: Bool = false, body: String) {
        self.conversation = conversation
        self.author = author
        self.isAutomatic = isAutomatic
        self.body = body
    }
}

/// `assigned`: the conversation's owner changed; `assignee == nil` unassigns it.
public struct Assigned: Equatable, Sendable {
    public var conversation: String
    public var assignee: String?
    public var team: String?

    public init(conversation: String, assignee: String?, team: String? = nil) {
        self.conversation = conversation
        self.assignee = assignee
        self.team = team
    }
}

/// `status_changed`.
public struct StatusChanged: Equatable, Sendable {
    public var conversation: String
    public var status: ConversationStatus

    public init(conversation: String, status: ConversationStatus) {
        self.conversation = conversation
        self.status = status
    }
}

/// `categorized`.
public struct Categorized: Equatable, Sendable {
    public var conversation: String
    public var category: String
    public var priority: Priority?

    public init(conversation: String, category: String, priority: Priority? = nil) {
        self.conversation = conversation
        self.category = category
        self.priority = priority
    }
}

/// `note_added`: an internal note.
public struct NoteAdded: Equatable, Sendable {
    public var conversation: String
    public var author: String
    public var body: String

    public init(conversation: String, author: String, body: String) {
        self.conversation = conversation
        self.author = author
        self.body = body
    }
}

/// `customer_linked`: `customer` and `sameAs` are two ids of one person.
public struct CustomerLinked: Equatable, Sendable {
    public var customer: String
    public var sameAs: String

    public init(customer: String, sameAs: String) {
        self.customer = customer
        self.sameAs = sameAs
    }
}

/// `policy_set`: an SLA policy, stored as the JSON object it was given as.
/// Its fields are interpreted by the projections, not by the log.
public struct PolicySet: Equatable, Sendable {
    /// The policy object (always a ``JSONValue/object(_:)``).
    public var policy: JSONValue

    public init(policy: JSONValue) {
        self.policy = policy
    }
}

/// Size limits on event fields, enforced when events are parsed and when they are decoded.
public enum EventLimits {
    /// Maximum UTF-8 length of `body`: 1 MiB.
    public static let maxBodyBytes = 1 << 20
    /// Maximum UTF-8 length of `subject`.
    public static let maxSubjectBytes = 16 << 10
    /// Maximum UTF-8 length of an identifier (conversation, customer, author, assignee, team,
    /// category, message id, same_as).
    public static let maxIdentifierBytes = 512
    /// Maximum nesting depth of JSON arrays and objects in an input line.
    public static let maxJSONDepth = 64
    /// Maximum length of one input line in bytes (a 1 MiB body fully `\u`-escaped still fits).
    public static let maxLineBytes = 8 << 20
}
