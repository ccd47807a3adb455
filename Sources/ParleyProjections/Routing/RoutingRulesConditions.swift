import ParleyEvents

/// The conditions of a rule. Each present condition must hold; a list means "any of"; no condition at
/// all matches every conversation.
public struct Conditions: Equatable, Sendable {
    /// An amount of money in minor units of an ISO 4217 currency.
    public struct Amount: Equatable, Sendable {
        /// Minor units (cents for EUR), ≥ 0.
        public var amount: Int
        /// Three upper-case letters, e.g. `EUR`.
        public var currency: String

        /// An amount field by field.
        public init(amount: Int, currency: String) {
            self.amount = amount
            self.currency = currency
        }
    }

    /// The routed message came on one of these channels.
    public var channel: [Channel]?
    /// The conversation has one of these categories.
    public var category: [String]?
    /// The conversation has one of these priorities (none counts as `normal`).
    public var priority: [Priority]?
    /// One of these topics (names defined in `topics`) was found in the message.
    public var topic: [String]?
    /// The rule's own topic, from its `keywords`: one of its phrases was found in the message.
    public var keywords: Topic?
    /// The customer has one of these value tiers.
    public var tier: [String]?
    /// The customer's lifetime value is at least this, in the same currency.
    public var lifetimeValueAtLeast: Amount?
    /// The person had an episode resolved at most this many days before the routed message.
    public var resolvedWithinDays: Int?
    /// The message came inside (true) or outside (false) the business hours of the SLA policy in force.
    public var businessHours: Bool?

    /// Conditions field by field; none by default (matches always).
    public init(
        channel: [Channel]? = nil, category: [String]? = nil, priority: [Priority]? = nil, topic: [String]? = nil,
        keywords: Topic? = nil, tier: [String]? = nil, lifetimeValueAtLeast: Amount? = nil,
        resolvedWithinDays: Int? = nil, businessHours: Bool? = nil
    ) {
        self.channel = channel
        self.category = category
        self.priority = priority
        self.topic = topic
        self.keywords = keywords
        self.tier = tier
        self.lifetimeValueAtLeast = lifetimeValueAtLeast
        self.resolvedWithinDays = resolvedWithinDays
        self.businessHours = businessHours
    }

    /// Whether every present condition holds for `facts`. An unknown fact (nil) fails the condition on it.
    public func matches(_ facts: RoutingFacts) -> Bool {
        if let channel {
            guard let value = facts.channel, channel.contains(value) else { return false }
        }
        if let category {
            guard let value = facts.category, category.contains(value) else { return false }
        }
        if let priority, !priority.contains(facts.priority ?? .normal) { return false }
        if let topic, !topic.contains(where: facts.topics.contains) { return false }
        if let keywords, !facts.topics.contains(keywords.name) { return false }
        if let tier {
            guard let value = facts.tier, tier.contains(value) else { return false }
        }
        if let least = lifetimeValueAtLeast {
            guard let value = facts.lifetimeValue, facts.currency == least.currency, value >= least.amount else {
                return false
            }
        }
        if let days = resolvedWithinDays {
            guard let since = facts.nanosSinceLastResolve, since >= 0, since <= Int64(days) * Self.nanosPerDay
            else { return false }
        }
        if let businessHours, facts.inBusinessHours != businessHours { return false }
        return true
    }

    static let nanosPerDay: Int64 = 86_400_000_000_000

    /// The keys a `when` object may have.
    static let keys = [
        "channel", "category", "priority", "topic", "keywords", "tier", "lifetime_value_at_least",
        "resolved_within_days", "business_hours",
    ]

    /// Reads a `when` object at `field` of the rule named `rule`; `topics` are the names `topics` defines.
    init(json: JSONValue, field: String, rule: String, topics: Set<String>) throws(RoutingRulesError) {
        self.init()
        for member in try RoutingRules.object(json, field: field) {
            let path = RoutingRules.path(field, member.key)
            let value = member.value
            switch member.key {
            case "channel":
                channel = try RoutingRules.list(value, field: path) { (item, itemField) throws(RoutingRulesError) in
                    try RoutingRules.choice(item, field: itemField, kind: "channel")
                }
            case "category": category = try Self.identifiers(value, field: path)
            case "priority":
                priority = try RoutingRules.list(value, field: path) { (item, itemField) throws(RoutingRulesError) in
                    try RoutingRules.choice(item, field: itemField, kind: "priority")
                }
            case "topic":
                topic = try RoutingRules.list(value, field: path) { (item, itemField) throws(RoutingRulesError) in
                    let name = try RoutingRules.name(item, field: itemField)
                    guard topics.contains(name) else {
                        throw RoutingRulesError(
                            field: itemField, "undefined topic \(RoutingRules.quoted(name)) (define it in topics)")
                    }
                    return name
                }
            case "keywords":
                let phrases = try RoutingRules.list(value, field: path, limit: RoutingRules.maxPhrasesPerTopic) {
                    (item, itemField) throws(RoutingRulesError) in try RoutingRules.phrase(item, field: itemField)
                }
                keywords = Topic(name: Topic.keywordsName(rule: rule), phrases: phrases)
            case "tier": tier = try Self.identifiers(value, field: path)
            case "lifetime_value_at_least": lifetimeValueAtLeast = try Self.amount(value, field: path)
            case "resolved_within_days":
                resolvedWithinDays = try RoutingRules.integer(value, field: path, in: 1...3650)
            case "business_hours": businessHours = try RoutingRules.bool(value, field: path)
            default: throw RoutingRules.unknownKey(path, expected: Self.keys)
            }
        }
    }

    private static func identifiers(_ value: JSONValue, field: String) throws(RoutingRulesError) -> [String] {
        try RoutingRules.list(value, field: field) { (item, itemField) throws(RoutingRulesError) in
            try RoutingRules.identifier(item, field: itemField)
        }
    }

    /// `{"amount": 100000, "currency": "EUR"}`.
    private static func amount(_ value: JSONValue, field: String) throws(RoutingRulesError) -> Amount {
        var amount: Int?
        var currency: String?
        for member in try RoutingRules.object(value, field: field) {
            let path = RoutingRules.path(field, member.key)
            switch member.key {
            case "amount": amount = try RoutingRules.integer(member.value, field: path, in: 0...Int.max)
            case "currency":
                guard case .string(let code) = member.value, code.utf8.count == 3,
                    code.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A })
                else {
                    throw RoutingRulesError(field: path, "must be an ISO 4217 code of three capital letters, e.g. EUR")
                }
                currency = code
            default: throw RoutingRules.unknownKey(path, expected: ["amount", "currency"])
            }
        }
        guard let amount else { throw RoutingRulesError(field: field + ".amount", "is required (minor units)") }
        guard let currency else { throw RoutingRulesError(field: field + ".currency", "is required (e.g. EUR)") }
        return Amount(amount: amount, currency: currency)
    }
}
