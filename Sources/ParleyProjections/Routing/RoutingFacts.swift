import ParleyEvents

/// What the router knows about a conversation when it routes it: the inputs of the rules' conditions.
public struct RoutingFacts: Sendable {
    /// The channel of the routed message.
    public var channel: Channel?
    /// The conversation's category, if it was categorized.
    public var category: String?
    /// The conversation's priority; none counts as `normal` in conditions and in the score.
    public var priority: Priority?
    /// Topic names found in the message (``TopicMatcher``); keyword topics by their generated name
    /// (``Topic/keywordsName(rule:)``).
    public var topics: Set<String>
    /// The customer's value tier, from their profile.
    public var tier: String?
    /// The customer's lifetime value in minor units of ``currency``.
    public var lifetimeValue: Int?
    /// The ISO 4217 code of ``lifetimeValue``.
    public var currency: String?
    /// Time from the person's last resolved episode (any linked id) to the routed message; nil when the
    /// person never had an episode resolved.
    public var nanosSinceLastResolve: Int64?
    /// Whether the routed message arrived inside the business hours of the SLA policy in force; nil when
    /// no policy is in force.
    public var inBusinessHours: Bool?

    /// Facts given field by field; anything left out is unknown.
    public init(
        channel: Channel? = nil, category: String? = nil, priority: Priority? = nil, topics: Set<String> = [],
        tier: String? = nil, lifetimeValue: Int? = nil, currency: String? = nil,
        nanosSinceLastResolve: Int64? = nil, inBusinessHours: Bool? = nil
    ) {
        self.channel = channel
        self.category = category
        self.priority = priority
        self.topics = topics
        self.tier = tier
        self.lifetimeValue = lifetimeValue
        self.currency = currency
        self.nanosSinceLastResolve = nanosSinceLastResolve
        self.inBusinessHours = inBusinessHours
    }
}
