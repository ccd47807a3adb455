import Foundation
import ParleyEvents
import Testing

@testable import ParleyProjections

/// The seed rules document (`Fixtures/rules/seed-rules.json`): what it becomes once read, the defaults of
/// what it leaves out, the score and the mode, and the four seed routings.
@Suite struct RoutingRulesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/rules")

    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(ArraySlice(Array(text.utf8))) }

    static func seed() throws -> RoutingRules {
        let text = try String(contentsOf: folder.appendingPathComponent("seed-rules.json"), encoding: .utf8)
        return try RoutingRules(json: json(text))
    }

    @Test func seedDocumentIsReadFieldByField() throws {
        let rules = try Self.seed()
        #expect(rules.name == "Routing, December 2026")
        #expect(rules.bot == "bot:faq")
        #expect(rules.offlineGraceMinutes == 10)
        #expect(rules.sticky)
        #expect(rules.criticality == [.low: 1, .normal: 2, .high: 3, .urgent: 4])
        #expect(rules.tierValues == ["key": 5, "standard": 1])
        #expect(rules.defaultValue == 1)
        #expect(rules.humanFrom == 6)
        #expect(rules.topics.map(\.name) == ["pre_purchase", "order_status", "billing", "complaint"])
        #expect(rules.topics[3].phrases == ["unacceptable", "complaint", "disappointed", "très déçu"])
        #expect(
            rules.rules.map(\.name) == [
                "key_complaints", "billing", "billing_words", "pre_purchase", "order_status", "returning",
            ])
        #expect(rules.rules[0].when == Conditions(topic: ["complaint"], tier: ["key"]))
        #expect(
            rules.rules[0].then
                == Action(team: "accounts", priority: .high, mode: .human, strategy: .accountManager))
        #expect(rules.rules[5].when == Conditions(resolvedWithinDays: 7))
        #expect(rules.fallback == Action(team: "support", strategy: .leastLoaded))
        #expect(
            rules.timers == [
                Timer(name: "frt_risk", trigger: .firstResponseDueWithin(minutes: 15), then: Action(priority: .urgent)),
                Timer(name: "stale", trigger: .unanswered(minutes: 240), then: Action(team: "escalations")),
            ])
        #expect(rules.matcher.names == rules.topics.map(\.name))
    }

    @Test func leftOutFieldsTakeTheirDefaults() throws {
        let rules = try RoutingRules(json: Self.json(#"{"default": {"team": "support"}}"#))
        #expect(rules.name == nil && rules.bot == nil && rules.humanFrom == nil)
        #expect(rules.offlineGraceMinutes == 10)
        #expect(rules.sticky)
        #expect(rules.criticality == [.low: 1, .normal: 2, .high: 3, .urgent: 4])
        #expect(rules.tierValues.isEmpty && rules.defaultValue == 1)
        #expect(rules.topics.isEmpty && rules.rules.isEmpty && rules.timers.isEmpty)
        // The default's strategy, when it has none, is least_loaded.
        #expect(rules.fallback == Action(team: "support", strategy: .leastLoaded))
        // A partial criticality keeps the other defaults.
        let partial = try RoutingRules(
            json: Self.json(#"{"criticality": {"urgent": 10}, "default": {"team": "support"}, "sticky": false}"#))
        #expect(partial.criticality == [.low: 1, .normal: 2, .high: 3, .urgent: 10])
        #expect(!partial.sticky)
    }

    @Test func scoreIsValueTimesCriticality() throws {
        let rules = try Self.seed()
        #expect(rules.value(tier: "key") == 5)
        #expect(rules.value(tier: "standard") == 1)
        #expect(rules.value(tier: "unknown") == 1)
        #expect(rules.value(tier: nil) == 1)
        #expect(rules.score(tier: "key", priority: .urgent) == 20)
        #expect(rules.score(tier: "key", priority: nil) == 10)  // no priority counts as normal
        #expect(rules.score(tier: "standard", priority: .high) == 3)
        #expect(rules.score(tier: nil, priority: .low) == 1)
    }

    /// With `human_from` 6: human from score 6, automation below (the seed has a bot).
    @Test(
        arguments: [
            ("key", Priority.low, 5, HandlingMode.automation), ("key", .normal, 10, .human),
            ("standard", .urgent, 4, .automation), ("standard", .high, 3, .automation), (nil, .normal, 2, .automation),
        ] as [(String?, Priority, Int, HandlingMode)])
    func modeFollowsTheScoreThreshold(tier: String?, priority: Priority, score: Int, mode: HandlingMode) throws {
        let rules = try Self.seed()
        #expect(rules.score(tier: tier, priority: priority) == score)
        #expect(rules.mode(for: rules.action(for: nil), score: score) == mode)
    }

    @Test func modeOfTheActionWinsAndAutomationNeedsABot() throws {
        var rules = try Self.seed()
        // An action's own mode beats the threshold, both ways.
        #expect(rules.mode(for: Action(team: "t", mode: .human), score: 1) == .human)
        #expect(rules.mode(for: Action(team: "t", mode: .automation), score: 100) == .automation)
        // Without human_from: human unless the action says automation.
        rules.humanFrom = nil
        #expect(rules.mode(for: Action(team: "t"), score: 1) == .human)
        #expect(rules.mode(for: Action(team: "t", mode: .automation), score: 1) == .automation)
        // Automation without any bot is human; the action's bot is enough.
        rules.bot = nil
        #expect(rules.mode(for: Action(team: "t", mode: .automation), score: 1) == .human)
        #expect(rules.mode(for: Action(team: "t", mode: .automation, bot: "bot:x"), score: 1) == .automation)
        rules.humanFrom = 6
        #expect(rules.mode(for: Action(team: "t"), score: 1) == .human)
        #expect(rules.bot(for: Action(bot: "bot:x")) == "bot:x")
    }

    @Test func actionFillsMissingFieldsFromTheDefault() throws {
        let rules = try RoutingRules(
            json: Self.json(
                #"""
                {"rules": [{"name": "a", "when": {}, "then": {"priority": "high"}},
                           {"name": "b", "when": {}, "then": {"team": "x", "strategy": "queue", "skills": ["fr"],
                                                           "policy": "vip", "bot": "bot:b", "mode": "automation"}}],
                 "default": {"team": "support", "policy": "standard", "skills": ["en"], "mode": "human"}}
                """#))
        #expect(
            rules.action(for: rules.rules[0])
                == Action(
                    team: "support", priority: .high, mode: .human, policy: "standard", strategy: .leastLoaded,
                    skills: ["en"]))
        #expect(
            rules.action(for: rules.rules[1])
                == Action(
                    team: "x", mode: .automation, policy: "vip", strategy: .queue, bot: "bot:b", skills: ["fr"]))
        #expect(rules.action(for: nil) == rules.fallback)
    }

    @Test func firstMatchingRuleWinsInDocumentOrder() throws {
        let rules = try Self.seed()
        // A key customer's complaint about an invoice: key_complaints comes before billing_words.
        let both = RoutingFacts(topics: ["complaint", "billing"], tier: "key")
        #expect(rules.firstMatch(both)?.name == "key_complaints")
        // Categorized billing and talking about price: billing (category) comes before pre_purchase.
        #expect(rules.firstMatch(RoutingFacts(category: "billing", topics: ["pre_purchase"]))?.name == "billing")
        // A returning customer with nothing else: the last rule.
        let returning = RoutingFacts(nanosSinceLastResolve: 3 * Conditions.nanosPerDay)
        #expect(rules.firstMatch(returning)?.name == "returning")
        #expect(rules.action(for: rules.firstMatch(returning)).team == "support")
        #expect(rules.firstMatch(RoutingFacts()) == nil)
    }

    /// The four seed routings, from the message text to the action.
    @Test(
        arguments: [
            (
                "Before I buy", "What is the PRICE of the blue kettle, and do you ship to Belgium?", nil,
                "pre_purchase",
                "sales", Strategy.roundRobin
            ),
            (
                nil, "Hello, where is my order?? The tracking page is empty.", "standard", "order_status", "operations",
                .leastLoaded
            ),
            ("Facture", "I was charged twice this month.", nil, "billing_words", "finance", .leastLoaded),
            ("Commande", "Très déçu : c'est inacceptable.", "key", "key_complaints", "accounts", .accountManager),
        ] as [(String?, String, String?, String, String, Strategy)])
    func seedRoutings(subject: String?, body: String, tier: String?, rule: String, team: String, strategy: Strategy)
        throws
    {
        let rules = try Self.seed()
        let facts = RoutingFacts(
            channel: .email, topics: Set(rules.matcher.topics(subject: subject, body: body)), tier: tier)
        let matched = rules.firstMatch(facts)
        #expect(matched?.name == rule)
        let action = rules.action(for: matched)
        #expect(action.team == team)
        #expect(action.strategy == strategy)
        if rule == "key_complaints" {
            #expect(action.priority == .high)
            #expect(rules.mode(for: action, score: rules.score(tier: tier, priority: action.priority)) == .human)
        }
    }

    @Test func complaintFromACustomerWhoIsNotKeyFallsToTheDefault() throws {
        let rules = try Self.seed()
        let topics = rules.matcher.topics(subject: nil, body: "This is unacceptable")
        #expect(topics == ["complaint"])
        let facts = RoutingFacts(topics: Set(topics), tier: "standard")
        #expect(rules.firstMatch(facts) == nil)
        #expect(rules.action(for: nil).team == "support")
    }

    @Test func keywordsBecomeTheRulesOwnTopic() throws {
        let rules = try RoutingRules(
            json: Self.json(
                #"""
                {"topics": {"refund": ["refund"]},
                 "rules": [{"name": "legal", "when": {"keywords": ["lawyer", "mise en demeure"]}, "then": {"team": "legal"}}],
                 "default": {"team": "support"}}
                """#))
        #expect(rules.topics.map(\.name) == ["refund", "keywords:legal"])
        #expect(rules.rules[0].when.keywords == Topic(name: "keywords:legal", phrases: ["lawyer", "mise en demeure"]))
        let found = rules.matcher.topics(subject: "MISE EN DEMEURE", body: "refund me")
        #expect(found == ["refund", "keywords:legal"])
        #expect(rules.firstMatch(RoutingFacts(topics: Set(found)))?.name == "legal")
        #expect(rules.firstMatch(RoutingFacts(topics: ["refund"])) == nil)
    }

    @Test func settingTheTopicsRebuildsTheMatcher() throws {
        var rules = try Self.seed()
        #expect(rules.matcher.topics(subject: nil, body: "lawyer").isEmpty)
        rules.topics.append(Topic(name: "legal", phrases: ["lawyer"]))
        #expect(rules.matcher.topics(subject: nil, body: "my LAWYER") == ["legal"])
        #expect(rules.matcher == TopicMatcher(topics: rules.topics))
    }
}
