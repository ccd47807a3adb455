import ParleyEvents
import Testing

@testable import ParleyProjections

/// Each condition of a rule, holding and not; an unknown fact fails the condition on it.
@Suite struct RoutingRulesConditionTests {
    static let day = Conditions.nanosPerDay

    @Test func noConditionMatchesEverything() {
        #expect(Conditions().matches(RoutingFacts()))
        #expect(Conditions().matches(RoutingFacts(channel: .sms, tier: "key")))
    }

    @Test func channelIsAnyOfTheList() {
        let when = Conditions(channel: [.email, .chat])
        #expect(when.matches(RoutingFacts(channel: .chat)))
        #expect(!when.matches(RoutingFacts(channel: .sms)))
        #expect(!when.matches(RoutingFacts()))
    }

    @Test func categoryIsAnyOfTheList() {
        let when = Conditions(category: ["billing", "refunds"])
        #expect(when.matches(RoutingFacts(category: "refunds")))
        #expect(!when.matches(RoutingFacts(category: "shipping")))
        #expect(!when.matches(RoutingFacts()))
    }

    @Test func priorityCountsNoneAsNormal() {
        #expect(Conditions(priority: [.high, .urgent]).matches(RoutingFacts(priority: .urgent)))
        #expect(!Conditions(priority: [.high, .urgent]).matches(RoutingFacts(priority: .low)))
        #expect(!Conditions(priority: [.high]).matches(RoutingFacts()))
        #expect(Conditions(priority: [.normal]).matches(RoutingFacts()))
    }

    @Test func topicIsAnyOfTheFoundTopics() {
        let when = Conditions(topic: ["billing", "complaint"])
        #expect(when.matches(RoutingFacts(topics: ["order_status", "complaint"])))
        #expect(!when.matches(RoutingFacts(topics: ["order_status"])))
        #expect(!when.matches(RoutingFacts()))
    }

    @Test func keywordsNeedTheRulesOwnTopic() {
        let when = Conditions(keywords: Topic(name: Topic.keywordsName(rule: "legal"), phrases: ["lawyer"]))
        #expect(when.matches(RoutingFacts(topics: ["keywords:legal"])))
        #expect(!when.matches(RoutingFacts(topics: ["keywords:other", "legal"])))
    }

    @Test func tierIsAnyOfTheList() {
        let when = Conditions(tier: ["key"])
        #expect(when.matches(RoutingFacts(tier: "key")))
        #expect(!when.matches(RoutingFacts(tier: "standard")))
        #expect(!when.matches(RoutingFacts()))
    }

    @Test func lifetimeValueNeedsTheSameCurrencyAndEnough() {
        let when = Conditions(lifetimeValueAtLeast: .init(amount: 100_000, currency: "EUR"))
        #expect(when.matches(RoutingFacts(lifetimeValue: 100_000, currency: "EUR")))
        #expect(when.matches(RoutingFacts(lifetimeValue: 250_000, currency: "EUR")))
        #expect(!when.matches(RoutingFacts(lifetimeValue: 99_999, currency: "EUR")))
        #expect(!when.matches(RoutingFacts(lifetimeValue: 900_000, currency: "USD")))
        #expect(!when.matches(RoutingFacts(lifetimeValue: 900_000)))
        #expect(!when.matches(RoutingFacts()))
    }

    @Test func resolvedWithinDaysCountsFromTheLastResolve() {
        let when = Conditions(resolvedWithinDays: 7)
        #expect(when.matches(RoutingFacts(nanosSinceLastResolve: 0)))
        #expect(when.matches(RoutingFacts(nanosSinceLastResolve: 7 * Self.day)))
        #expect(!when.matches(RoutingFacts(nanosSinceLastResolve: 7 * Self.day + 1)))
        #expect(!when.matches(RoutingFacts()))  // never resolved
    }

    @Test func businessHoursNeedAPolicyInForce() {
        #expect(Conditions(businessHours: true).matches(RoutingFacts(inBusinessHours: true)))
        #expect(!Conditions(businessHours: true).matches(RoutingFacts(inBusinessHours: false)))
        #expect(Conditions(businessHours: false).matches(RoutingFacts(inBusinessHours: false)))
        #expect(!Conditions(businessHours: false).matches(RoutingFacts(inBusinessHours: true)))
        #expect(!Conditions(businessHours: false).matches(RoutingFacts()))
        #expect(!Conditions(businessHours: true).matches(RoutingFacts()))
    }

    @Test func everyPresentConditionMustHold() {
        let when = Conditions(channel: [.email], topic: ["billing"], tier: ["key"])
        let facts = RoutingFacts(channel: .email, topics: ["billing"], tier: "key")
        #expect(when.matches(facts))
        var other = facts
        other.channel = .chat
        #expect(!when.matches(other))
        other = facts
        other.topics = []
        #expect(!when.matches(other))
        other = facts
        other.tier = nil
        #expect(!when.matches(other))
    }

    @Test func conditionsAreReadFromJSON() throws {
        let rules = try RoutingRules(
            json: RoutingRulesTests.json(
                #"""
                {"topics": {"billing": ["invoice"]},
                 "rules": [{"name": "all", "when": {
                    "channel": ["email", "whatsapp"], "category": ["billing"], "priority": ["high"],
                    "topic": ["billing"], "keywords": ["refund"], "tier": ["key"],
                    "lifetime_value_at_least": {"amount": 100000, "currency": "EUR"},
                    "resolved_within_days": 7, "business_hours": false}, "then": {}}],
                 "default": {"team": "support"}}
                """#))
        #expect(
            rules.rules[0].when
                == Conditions(
                    channel: [.email, .whatsapp], category: ["billing"], priority: [.high], topic: ["billing"],
                    keywords: Topic(name: "keywords:all", phrases: ["refund"]), tier: ["key"],
                    lifetimeValueAtLeast: .init(amount: 100_000, currency: "EUR"), resolvedWithinDays: 7,
                    businessHours: false))
    }
}
