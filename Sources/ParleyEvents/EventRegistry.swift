// The registry of event types: the one place besides its own file (in Types/) where a type is named.
// Adding a type adds one case to `EventKind`, one to `EventPayload` and one line to each of the two
// switches below; the compiler finds any that is missing (docs/EVENTS.md, "Adding an event type").

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
    case rulesSet = 9
    case agentStatus = 10
    case customerProfile = 11
    case escalated = 12
    case routed = 13
    case csatRecorded = 14
    case compensationGiven = 15
    case orderPlaced = 16

    /// Calls `visitor` with the declaration of this kind's type.
    @inline(__always)
    public func visitType<Visitor: EventTypeVisitor>(_ visitor: inout Visitor) throws(Visitor.Failure)
        -> Visitor.Result
    {
        switch self {
        case .messageReceived: try visitor.visit(MessageReceived.self)
        case .replySent: try visitor.visit(ReplySent.self)
        case .assigned: try visitor.visit(Assigned.self)
        case .statusChanged: try visitor.visit(StatusChanged.self)
        case .categorized: try visitor.visit(Categorized.self)
        case .noteAdded: try visitor.visit(NoteAdded.self)
        case .customerLinked: try visitor.visit(CustomerLinked.self)
        case .policySet: try visitor.visit(PolicySet.self)
        case .rulesSet: try visitor.visit(RulesSet.self)
        case .agentStatus: try visitor.visit(AgentStatus.self)
        case .customerProfile: try visitor.visit(CustomerProfile.self)
        case .escalated: try visitor.visit(Escalated.self)
        case .routed: try visitor.visit(Routed.self)
        case .csatRecorded: try visitor.visit(CSATRecorded.self)
        case .compensationGiven: try visitor.visit(CompensationGiven.self)
        case .orderPlaced: try visitor.visit(OrderPlaced.self)
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
    /// Routing rules came into force.
    case rulesSet(RulesSet)
    /// An agent's availability, teams, capacity or skills changed.
    case agentStatus(AgentStatus)
    /// What the business knows of a customer changed.
    case customerProfile(CustomerProfile)
    /// A bot handed the conversation to humans.
    case escalated(Escalated)
    /// The router decided the conversation's team, priority and handling mode.
    case routed(Routed)
    /// A customer answered a satisfaction survey.
    case csatRecorded(CSATRecorded)
    /// The business gave a customer a refund, discount, credit or replacement.
    case compensationGiven(CompensationGiven)
    /// A customer placed an order.
    case orderPlaced(OrderPlaced)

    /// Calls `visitor` with the event of its type.
    @inline(__always)
    public func visit<Visitor: EventVisitor>(_ visitor: inout Visitor) -> Visitor.Result {
        switch self {
        case .messageReceived(let event): visitor.visit(event)
        case .replySent(let event): visitor.visit(event)
        case .assigned(let event): visitor.visit(event)
        case .statusChanged(let event): visitor.visit(event)
        case .categorized(let event): visitor.visit(event)
        case .noteAdded(let event): visitor.visit(event)
        case .customerLinked(let event): visitor.visit(event)
        case .policySet(let event): visitor.visit(event)
        case .rulesSet(let event): visitor.visit(event)
        case .agentStatus(let event): visitor.visit(event)
        case .customerProfile(let event): visitor.visit(event)
        case .escalated(let event): visitor.visit(event)
        case .routed(let event): visitor.visit(event)
        case .csatRecorded(let event): visitor.visit(event)
        case .compensationGiven(let event): visitor.visit(event)
        case .orderPlaced(let event): visitor.visit(event)
        }
    }
}

/// Something done with an event type's declaration, whichever type it is (``EventKind/visitType(_:)``).
public protocol EventTypeVisitor {
    associatedtype Result
    associatedtype Failure: Error
    /// Does it with `type`.
    mutating func visit<T: EventType>(_ type: T.Type) throws(Failure) -> Result
}

/// Something done with an event, whichever its type (``EventPayload/visit(_:)``).
public protocol EventVisitor {
    associatedtype Result
    /// Does it with `event`.
    mutating func visit<T: EventType>(_ event: T) -> Result
}
