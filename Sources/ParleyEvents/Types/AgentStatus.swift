/// `agent_status`: an agent's availability, and optionally their teams, capacity and skills. An absent
/// list or capacity leaves the agent's previous value unchanged (the projections' rule); an empty list
/// clears it.
public struct AgentStatus: Equatable, Sendable {
    /// The agent, e.g. `agent:ana`.
    public var agent: String
    /// Whether the agent takes conversations now.
    public var status: AgentAvailability
    /// The teams the agent works in; nil leaves them unchanged.
    public var teams: [String]?
    /// The most open conversations the agent may own; nil leaves it unchanged.
    public var capacity: Int?
    /// The agent's skills; nil leaves them unchanged.
    public var skills: [String]?

    /// An event of this type, field by field.
    public init(
        agent: String, status: AgentAvailability, teams: [String]? = nil, capacity: Int? = nil,
        skills: [String]? = nil
    ) {
        self.agent = agent
        self.status = status
        self.teams = teams
        self.capacity = capacity
        self.skills = skills
    }

    /// The most teams, and the most skills, one event may list.
    public static let maxListCount = 64
    /// The largest capacity.
    public static let maxCapacity = 10_000
}

extension AgentStatus: EventType {
    public static let kind = EventKind.agentStatus
    public static let name: StaticString = "agent_status"
    public var payload: EventPayload { .agentStatus(self) }

    public init(reading fields: inout some EventFieldReader) throws(EventError) {
        agent = try fields.identifier("agent", shown: .plain)
        status = try fields.choice("status", shown: .plain)
        teams = try fields.identifierList("teams", maxCount: Self.maxListCount, shown: .label("teams"))
        capacity = try fields.optionalInteger("capacity", in: 0...Self.maxCapacity, shown: .label("capacity"))
        skills = try fields.identifierList("skills", maxCount: Self.maxListCount, shown: .label("skills"))
    }

    public func write(to fields: inout some EventFieldWriter) {
        fields.identifier(agent)
        fields.choice(status)
        fields.identifierList(teams)
        fields.optionalInteger(capacity)
        fields.identifierList(skills)
    }
}

/// An agent's availability. Raw value = byte on disk.
public enum AgentAvailability: UInt8, EventEnumeration {
    /// Takes new conversations.
    case online = 1
    /// Keeps their conversations, takes no new ones.
    case away = 2
    /// Not working: their open conversations go back to routing.
    case offline = 3

    /// The interchange name.
    public var name: String {
        switch self {
        case .online: "online"
        case .away: "away"
        case .offline: "offline"
        }
    }
}
