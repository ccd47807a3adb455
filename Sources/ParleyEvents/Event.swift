/// One event of the conversation log: what happened (`payload`), when it happened (`at`, the event
/// time given by the source) and any extra JSON fields the source sent that Parley does not interpret.
///
/// Events are immutable facts. Their sequence number and commit time are properties of the log,
/// not of the event, and are carried beside it by ``SequencedEvent``.
public struct Event: Equatable, Sendable {
    /// Event time: when it happened at the source, with the UTC offset the source wrote.
    public var at: Timestamp
    /// The typed content of the event.
    public var payload: EventPayload
    /// Fields of the input object that are not part of the event's schema, in input order.
    /// They are stored and come back out of `dump`; Parley gives them no meaning.
    public var extras: [JSONMember]

    /// Creates an event.
    /// - Parameters:
    ///   - at: the event time.
    ///   - payload: the typed content.
    ///   - extras: uninterpreted extra fields, kept in order.
    public init(at: Timestamp, payload: EventPayload, extras: [JSONMember] = []) {
        self.at = at
        self.payload = payload
        self.extras = extras
    }

    /// The event's type.
    public var kind: EventKind { payload.kind }
}

/// An event together with its place in the log.
public struct SequencedEvent: Equatable, Sendable {
    /// Dense sequence number, starting at 1: the public cursor into the log.
    public var seq: UInt64
    /// Commit time of the frame that holds the event (the writer's clock).
    public var recordedAt: Timestamp
    /// The event itself.
    public var event: Event

    /// Creates a sequenced event.
    public init(seq: UInt64, recordedAt: Timestamp, event: Event) {
        self.seq = seq
        self.recordedAt = recordedAt
        self.event = event
    }
}

/// The event types of interchange format v1. The raw value is the type byte stored on disk.
public enum EventKind: UInt8, CaseIterable, Sendable {
    case messageReceived = 1
    case replySent = 2
    case assigned = 3
    case statusChanged = 4
    case categorized = 5
    case noteAdded = 6
    case customerLinked = 7
    case policySet = 8

    /// The `type` string of the JSON Lines interchange format, e.g. `message_received`.
    public var name: String {
        switch self {
        case .messageReceived: "message_received"
        case .replySent: "reply_sent"
        case .assigned: "assigned"
        case .statusChanged: "status_changed"
        case .categorized: "categorized"
        case .noteAdded: "note_added"
        case .customerLinked: "customer_linked"
        case .policySet: "policy_set"
        }
    }

    /// Looks a kind up by its interchange name.
    /// - Parameter name: a `type` string such as `reply_sent`.
    public init?(name: String) {
        guard let kind = EventKind.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    /// Whether events of this kind belong to a conversation (carry a `conversation` id).
    public var hasConversation: Bool {
        switch self {
        case .customerLinked, .policySet: false
        default: true
        }
    }
}

/// The typed content of an event, one case per ``EventKind``.
public enum EventPayload: Equatable, Sendable {
    /// A customer's message arrived on some channel.
    case messageReceived(MessageReceived)
    /// Someone (agent or bot) replied to the customer.
    case replySent(ReplySent)
    /// The conversation got a new owner, or lost its owner.
    case assigned(Assigned)
    /// The conversation's status changed.
    case statusChanged(StatusChanged)
    /// The conversation was given a category and possibly a priority.
    case categorized(Categorized)
    /// An internal note was added; the customer does not see it.
    case noteAdded(NoteAdded)
    /// Two customer ids belong to one person.
    case customerLinked(CustomerLinked)
    /// An SLA policy came into force.
    case policySet(PolicySet)

    /// The event type of this payload.
    public var kind: EventKind {
        switch self {
        case .messageReceived: .messageReceived
        case .replySent: .replySent
        case .assigned: .assigned
        case .statusChanged: .statusChanged
        case .categorized: .categorized
        case .noteAdded: .noteAdded
        case .customerLinked: .customerLinked
        case .policySet: .policySet
        }
    }

    /// The conversation this event belongs to, if its kind has one.
    public var conversation: String? {
        switch self {
        case .messageReceived(let e): e.conversation
        case .replySent(let e): e.conversation
        case .assigned(let e): e.conversation
        case .statusChanged(let e): e.conversation
        case .categorized(let e): e.conversation
        case .noteAdded(let e): e.conversation
        case .customerLinked, .policySet: nil
        }
    }
}
