import ParleyEvents

/// What a rule, the default or a timer decides. Every field is optional in a rule or a timer: a rule's
/// missing fields come from the default, a timer's keep the conversation's current values.
public struct Action: Equatable, Sendable {
    /// The team that owns the conversation.
    public var team: String?
    /// The priority given to the conversation.
    public var priority: Priority?
    /// Human or automation; see ``RoutingRules/mode(for:score:)``.
    public var mode: HandlingMode?
    /// The name of the SLA policy to measure the conversation by.
    public var policy: String?
    /// How an owner is chosen in the team.
    public var strategy: Strategy?
    /// The bot that owns the conversation in automation mode (overrides the document's `bot`).
    public var bot: String?
    /// Skills an agent needs to be chosen; empty means none asked (and, in a rule, the default's).
    public var skills: [String]

    /// An action field by field; all absent by default.
    public init(
        team: String? = nil, priority: Priority? = nil, mode: HandlingMode? = nil, policy: String? = nil,
        strategy: Strategy? = nil, bot: String? = nil, skills: [String] = []
    ) {
        self.team = team
        self.priority = priority
        self.mode = mode
        self.policy = policy
        self.strategy = strategy
        self.bot = bot
        self.skills = skills
    }

    /// This action with each absent field taken from `base` (an empty skill list counts as absent).
    public func filled(from base: Action) -> Action {
        Action(
            team: team ?? base.team, priority: priority ?? base.priority, mode: mode ?? base.mode,
            policy: policy ?? base.policy, strategy: strategy ?? base.strategy, bot: bot ?? base.bot,
            skills: skills.isEmpty ? base.skills : skills)
    }

    /// The keys an action object may have.
    static let keys = ["team", "priority", "mode", "policy", "strategy", "bot", "skills"]

    /// Reads an action object at `field`.
    init(json: JSONValue, field: String) throws(RoutingRulesError) {
        self.init()
        for member in try RoutingRules.object(json, field: field) {
            let path = RoutingRules.path(field, member.key)
            switch member.key {
            case "team": team = try RoutingRules.identifier(member.value, field: path)
            case "priority": priority = try RoutingRules.choice(member.value, field: path, kind: "priority")
            case "mode": mode = try RoutingRules.choice(member.value, field: path, kind: "mode")
            case "policy": policy = try RoutingRules.identifier(member.value, field: path)
            case "strategy": strategy = try Strategy(json: member.value, field: path)
            case "bot": bot = try RoutingRules.identifier(member.value, field: path)
            case "skills":
                skills = try RoutingRules.list(member.value, field: path, allowEmpty: true) {
                    (item, itemField) throws(RoutingRulesError) in
                    try RoutingRules.identifier(item, field: itemField)
                }
            default: throw RoutingRules.unknownKey(path, expected: Self.keys)
            }
        }
    }
}

/// How the owner of a conversation is chosen among the available agents of its team.
public enum Strategy: String, Sendable, CaseIterable {
    /// In turn, skipping agents at capacity.
    case roundRobin = "round_robin"
    /// The agent with the fewest open conversations.
    case leastLoaded = "least_loaded"
    /// The person's account manager; `leastLoaded` in the team when there is none or they are unavailable.
    case accountManager = "account_manager"
    /// No automatic assignment: the conversation waits in its team's queue.
    case queue

    init(json: JSONValue, field: String) throws(RoutingRulesError) {
        guard case .string(let text) = json else {
            throw RoutingRulesError(field: field, "must be a string (expected \(Self.expected))")
        }
        guard let strategy = Strategy(rawValue: text) else {
            throw RoutingRulesError(
                field: field, "unknown strategy \(RoutingRules.quoted(text)) (expected \(Self.expected))")
        }
        self = strategy
    }

    private static let expected = allCases.map(\.rawValue).joined(separator: ", ")
}
