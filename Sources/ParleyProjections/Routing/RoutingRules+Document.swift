import ParleyEvents

/// Reading a rules document (the object of a `rules_set` event).
extension RoutingRules {
    /// Reads and checks a rules document.
    /// - Throws: ``RoutingRulesError`` naming the field (a path such as `rules[2].when.channel[1]`) and
    ///   what was expected.
    public init(json: JSONValue) throws(RoutingRulesError) {
        var found: [String: JSONValue] = [:]
        for member in try Self.object(json, field: "") {
            guard Self.keys.contains(member.key) else { throw Self.unknownKey(member.key, expected: Self.keys) }
            found[member.key] = member.value
        }
        var topics: [Topic] = []
        if let value = found["topics"] { topics = try Self.topics(value) }
        let defined = Set(topics.map(\.name))
        var rules: [Rule] = []
        if let value = found["rules"] {
            rules = try Self.list(value, field: "rules", allowEmpty: true, limit: Self.maxRules) {
                (item, field) throws(RoutingRulesError) in try Self.rule(item, field: field, topics: defined)
            }
        }
        var names: Set<String> = []
        for (index, rule) in rules.enumerated() where !names.insert(rule.name).inserted {
            throw RoutingRulesError(
                field: "rules[\(index)].name", "a rule named \(Self.quoted(rule.name)) comes earlier")
        }
        for (index, rule) in rules.enumerated() {
            guard let keywords = rule.when.keywords else { continue }
            guard topics.count < Self.maxTopics else {
                throw RoutingRulesError(
                    field: "rules[\(index)].when.keywords",
                    "too many topics: at most \(Self.maxTopics), counting each rule's keywords as one")
            }
            topics.append(keywords)
        }
        guard let fallbackValue = found["default"] else {
            throw RoutingRulesError(field: "default", "is required (the action when no rule matches)")
        }
        var fallback = try Action(json: fallbackValue, field: "default")
        guard fallback.team != nil else {
            throw RoutingRulesError(field: "default.team", "is required (the team when no rule names one)")
        }
        fallback.strategy = fallback.strategy ?? .leastLoaded
        var timers: [Timer] = []
        if let value = found["timers"] {
            timers = try Self.list(value, field: "timers", allowEmpty: true, limit: Self.maxTimers) {
                (item, field) throws(RoutingRulesError) in try Timer(json: item, field: field)
            }
        }
        names = []
        for (index, timer) in timers.enumerated() where !names.insert(timer.name).inserted {
            throw RoutingRulesError(
                field: "timers[\(index)].name", "a timer named \(Self.quoted(timer.name)) comes earlier")
        }
        var (tierValues, defaultValue) = ([String: Int](), 1)
        if let value = found["value"] { (tierValues, defaultValue) = try Self.value(value) }
        self.init(
            name: try found["name"].map { (value) throws(RoutingRulesError) in try Self.string(value, field: "name") },
            bot: try found["bot"].map { (value) throws(RoutingRulesError) in try Self.identifier(value, field: "bot") },
            offlineGraceMinutes: try found["offline_grace_minutes"].map { (value) throws(RoutingRulesError) in
                try Self.integer(value, field: "offline_grace_minutes", in: 0...10_080)
            } ?? 10,
            sticky: try found["sticky"].map { (value) throws(RoutingRulesError) in
                try Self.bool(value, field: "sticky")
            } ?? true,
            criticality: try found["criticality"].map { (value) throws(RoutingRulesError) in
                try Self.criticality(value)
            } ?? Self.defaultCriticality,
            tierValues: tierValues, defaultValue: defaultValue,
            humanFrom: try found["human_from"].map { (value) throws(RoutingRulesError) in
                try Self.integer(value, field: "human_from", in: 1...Self.maxWeight * Self.maxWeight)
            },
            topics: topics, rules: rules, fallback: fallback, timers: timers)
    }

    /// Largest weight of a priority or a tier.
    public static let maxWeight = 1000

    private static func topics(_ value: JSONValue) throws(RoutingRulesError) -> [Topic] {
        let members = try object(value, field: "topics")
        guard members.count <= maxTopics else {
            throw RoutingRulesError(field: "topics", "has \(members.count) topics, over the limit of \(maxTopics)")
        }
        var topics: [Topic] = []
        for member in members {
            let field = path("topics", member.key)
            try checkName(member.key, field: field)
            let phrases = try list(member.value, field: field, limit: maxPhrasesPerTopic) {
                (item, itemField) throws(RoutingRulesError) in try phrase(item, field: itemField)
            }
            topics.append(Topic(name: member.key, phrases: phrases))
        }
        return topics
    }

    private static func rule(_ value: JSONValue, field: String, topics: Set<String>) throws(RoutingRulesError) -> Rule {
        var found: [String: JSONValue] = [:]
        for member in try object(value, field: field) {
            guard ["name", "when", "then"].contains(member.key) else {
                throw unknownKey(path(field, member.key), expected: ["name", "when", "then"])
            }
            found[member.key] = member.value
        }
        guard let nameValue = found["name"] else { throw RoutingRulesError(field: field + ".name", "is required") }
        let ruleName = try name(nameValue, field: field + ".name")
        guard let whenValue = found["when"] else {
            throw RoutingRulesError(field: field + ".when", "is required (an object of conditions; {} matches always)")
        }
        let when = try Conditions(json: whenValue, field: field + ".when", rule: ruleName, topics: topics)
        guard let thenValue = found["then"] else { throw RoutingRulesError(field: field + ".then", "is required") }
        return Rule(name: ruleName, when: when, then: try Action(json: thenValue, field: field + ".then"))
    }

    private static func criticality(_ value: JSONValue) throws(RoutingRulesError) -> [Priority: Int] {
        var weights = defaultCriticality
        for member in try object(value, field: "criticality") {
            let field = path("criticality", member.key)
            let priority: Priority = try choice(.string(member.key), field: field, kind: "priority")
            weights[priority] = try integer(member.value, field: field, in: 1...maxWeight)
        }
        return weights
    }

    private static func value(_ value: JSONValue) throws(RoutingRulesError) -> ([String: Int], Int) {
        var tiers: [String: Int] = [:]
        var fallback = 1
        for member in try object(value, field: "value") {
            let field = path("value", member.key)
            switch member.key {
            case "tiers":
                for tier in try object(member.value, field: field) {
                    let tierField = path(field, tier.key)
                    _ = try identifier(.string(tier.key), field: tierField)
                    tiers[tier.key] = try integer(tier.value, field: tierField, in: 1...maxWeight)
                }
            case "default": fallback = try integer(member.value, field: field, in: 1...maxWeight)
            default: throw unknownKey(field, expected: ["tiers", "default"])
            }
        }
        return (tiers, fallback)
    }
}
