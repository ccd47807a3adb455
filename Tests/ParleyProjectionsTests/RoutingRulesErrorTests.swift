import ParleyEvents
import Testing

@testable import ParleyProjections

/// Every refusal of a rules document names the field at fault, as a path, and what was expected.
@Suite struct RoutingRulesErrorTests {
    /// Reads `text`; the error it throws (nil when it is accepted).
    static func refusal(_ text: String) throws -> RoutingRulesError? {
        let json = try RoutingRulesTests.json(text)
        do {
            _ = try RoutingRules(json: json)
            return nil
        } catch {
            return error
        }
    }

    /// A minimal valid document with one rule: `{"name": "r", "when": WHEN, "then": THEN}`.
    static func rule(when: String = "{}", then: String = "{}", topics: String = #"{"t": ["phrase"]}"#) -> String {
        #"{"topics": \#(topics), "rules": [{"name": "r", "when": \#(when), "then": \#(then)}], "default": {"team": "s"}}"#
    }

    @Test func theMinimalDocumentsAreAccepted() throws {
        #expect(try Self.refusal(Self.rule()) == nil)
        #expect(try Self.refusal(Self.rule(when: #"{"topic": ["t"], "channel": ["chat"]}"#)) == nil)
    }

    @Test(
        arguments: [
            // The document itself.
            ("[]", "rules document", "must be a JSON object"),
            (#"{"default": {"team": "s"}, "colour": 1}"#, "colour", "unknown field"),
            (#"{"name": "x"}"#, "default", "is required"),
            (#"{"default": {}}"#, "default.team", "is required"),
            (#"{"default": {"team": ""}}"#, "default.team", "non-empty string"),
            (#"{"default": {"team": "s", "strategy": "random"}}"#, "default.strategy", #"unknown strategy "random""#),
            (#"{"default": {"team": "s", "boss": "x"}}"#, "default.boss", "unknown field"),
            (#"{"default": {"team": "s"}, "name": 3}"#, "name", "non-empty string"),
            (#"{"default": {"team": "s"}, "bot": "a\u0001"}"#, "bot", "control character"),
            (#"{"default": {"team": "s"}, "sticky": "yes"}"#, "sticky", "true or false"),
            // Numbers out of range or not whole.
            (#"{"default": {"team": "s"}, "offline_grace_minutes": 10081}"#, "offline_grace_minutes", "0 to 10080"),
            (#"{"default": {"team": "s"}, "offline_grace_minutes": -1}"#, "offline_grace_minutes", "0 to 10080"),
            (#"{"default": {"team": "s"}, "offline_grace_minutes": 1.5}"#, "offline_grace_minutes", "whole number"),
            (#"{"default": {"team": "s"}, "human_from": 0}"#, "human_from", "whole number"),
            (#"{"default": {"team": "s"}, "criticality": {"high": 0}}"#, "criticality.high", "1 to 1000"),
            (
                #"{"default": {"team": "s"}, "criticality": {"critical": 5}}"#, "criticality.critical",
                "unknown priority"
            ),
            (#"{"default": {"team": "s"}, "value": {"tiers": {"key": 1001}}}"#, "value.tiers.key", "1 to 1000"),
            (#"{"default": {"team": "s"}, "value": {"default": "1"}}"#, "value.default", "whole number"),
            (#"{"default": {"team": "s"}, "value": {"gold": 2}}"#, "value.gold", "unknown field"),
            // Topics.
            (#"{"default": {"team": "s"}, "topics": []}"#, "topics", "must be a JSON object"),
            (#"{"default": {"team": "s"}, "topics": {"a b": ["x"]}}"#, "topics.a b", "is not a name"),
            (#"{"default": {"team": "s"}, "topics": {"t": []}}"#, "topics.t", "non-empty array"),
            (#"{"default": {"team": "s"}, "topics": {"t": ["x", ""]}}"#, "topics.t[1]", "non-empty string"),
            (#"{"default": {"team": "s"}, "topics": {"t": ["x", "?!"]}}"#, "topics.t[1]", "no letter or digit"),
            (#"{"default": {"team": "s"}, "topics": {"t": [7]}}"#, "topics.t[0]", "non-empty string"),
        ] as [(String, String, String)])
    func documentRefusalsNameTheField(document: String, field: String, reason: String) throws {
        let error = try #require(try Self.refusal(document))
        #expect(error.field == field)
        #expect(error.reason.contains(reason), "\(error.reason)")
    }

    @Test(
        arguments: [
            (
                #"{"channel": ["chat", "fax"]}"#, "rules[0].when.channel[1]",
                #"unknown channel "fax" (expected email, chat, form, marketplace, social, review, sms, whatsapp, messenger, other)"#
            ),
            (#"{"channel": "chat"}"#, "rules[0].when.channel", "non-empty array"),
            (#"{"channel": []}"#, "rules[0].when.channel", "non-empty array"),
            (#"{"priority": ["normal", "critical"]}"#, "rules[0].when.priority[1]", #"unknown priority "critical""#),
            (#"{"topic": ["t", "u"]}"#, "rules[0].when.topic[1]", #"undefined topic "u""#),
            (#"{"keywords": ["ok", ""]}"#, "rules[0].when.keywords[1]", "non-empty string"),
            (#"{"category": [""]}"#, "rules[0].when.category[0]", "non-empty string"),
            (#"{"tier": [1]}"#, "rules[0].when.tier[0]", "non-empty string"),
            (
                #"{"lifetime_value_at_least": {"amount": 5}}"#, "rules[0].when.lifetime_value_at_least.currency",
                "is required"
            ),
            (
                #"{"lifetime_value_at_least": {"amount": -5, "currency": "EUR"}}"#,
                "rules[0].when.lifetime_value_at_least.amount", "whole number"
            ),
            (
                #"{"lifetime_value_at_least": {"amount": 5, "currency": "eur"}}"#,
                "rules[0].when.lifetime_value_at_least.currency", "ISO 4217"
            ),
            (#"{"resolved_within_days": 0}"#, "rules[0].when.resolved_within_days", "1 to 3650"),
            (#"{"resolved_within_days": 3651}"#, "rules[0].when.resolved_within_days", "1 to 3650"),
            (#"{"business_hours": 1}"#, "rules[0].when.business_hours", "true or false"),
            (#"{"weekday": ["monday"]}"#, "rules[0].when.weekday", "unknown field"),
        ] as [(String, String, String)])
    func conditionRefusalsNameTheField(when: String, field: String, reason: String) throws {
        let error = try #require(try Self.refusal(Self.rule(when: when)))
        #expect(error.field == field)
        #expect(error.reason.contains(reason), "\(error.reason)")
    }

    @Test(
        arguments: [
            (#"{"mode": "robot"}"#, "rules[0].then.mode", #"unknown mode "robot" (expected human, automation)"#),
            (#"{"priority": "asap"}"#, "rules[0].then.priority", "unknown priority"),
            (#"{"strategy": 1}"#, "rules[0].then.strategy", "must be a string"),
            (#"{"skills": ["fr", ""]}"#, "rules[0].then.skills[1]", "non-empty string"),
            (#"{"policy": null}"#, "rules[0].then.policy", "non-empty string"),
            (#"{"assignee": "x"}"#, "rules[0].then.assignee", "unknown field"),
        ] as [(String, String, String)])
    func actionRefusalsNameTheField(then: String, field: String, reason: String) throws {
        let error = try #require(try Self.refusal(Self.rule(then: then)))
        #expect(error.field == field)
        #expect(error.reason.contains(reason), "\(error.reason)")
    }

    @Test func ruleRefusalsNameTheField() throws {
        func check(_ rules: String, _ field: String, _ reason: String) throws {
            let error = try #require(try Self.refusal(#"{"rules": \#(rules), "default": {"team": "s"}}"#))
            #expect(error.field == field)
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
        try check(#"{}"#, "rules", "must be an array")
        try check(#"[{"when": {}, "then": {}}]"#, "rules[0].name", "is required")
        try check(#"[{"name": "a", "then": {}}]"#, "rules[0].when", "is required")
        try check(#"[{"name": "a", "when": {}}]"#, "rules[0].then", "is required")
        try check(#"[{"name": "a", "when": {}, "then": {}, "else": {}}]"#, "rules[0].else", "unknown field")
        try check(#"[{"name": "a", "when": [], "then": {}}]"#, "rules[0].when", "must be a JSON object")
        try check(#"[{"name": "a b", "when": {}, "then": {}}]"#, "rules[0].name", "is not a name")
        try check(#"[{"name": "", "when": {}, "then": {}}]"#, "rules[0].name", "is not a name")
        try check(#"[{"name": "é", "when": {}, "then": {}}]"#, "rules[0].name", "is not a name")
        let long = String(repeating: "n", count: 65)
        try check(#"[{"name": "\#(long)", "when": {}, "then": {}}]"#, "rules[0].name", "is not a name")
        try check(
            #"[{"name": "a", "when": {}, "then": {}}, {"name": "b-2", "when": {}, "then": {}}, {"name": "a", "when": {}, "then": {}}]"#,
            "rules[2].name", #"a rule named "a" comes earlier"#)
    }

    @Test func timerRefusalsNameTheField() throws {
        func check(_ timers: String, _ field: String, _ reason: String) throws {
            let error = try #require(try Self.refusal(#"{"timers": \#(timers), "default": {"team": "s"}}"#))
            #expect(error.field == field)
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
        try check(#"[{"name": "t", "then": {}}]"#, "timers[0]", "needs a trigger")
        try check(
            #"[{"name": "t", "unanswered_minutes": 5, "first_response_due_within_minutes": 5, "then": {}}]"#,
            "timers[0].first_response_due_within_minutes", "exactly one trigger")
        try check(
            #"[{"name": "t", "unanswered_minutes": 525601, "then": {}}]"#, "timers[0].unanswered_minutes", "1 to 525600"
        )
        try check(
            #"[{"name": "t", "first_response_due_within_minutes": 0, "then": {}}]"#,
            "timers[0].first_response_due_within_minutes", "1 to 10080")
        try check(#"[{"unanswered_minutes": 5, "then": {}}]"#, "timers[0].name", "is required")
        try check(#"[{"name": "t", "unanswered_minutes": 5}]"#, "timers[0].then", "is required")
        try check(
            #"[{"name": "t", "unanswered_minutes": 5, "then": {"team": 3}}]"#, "timers[0].then.team", "non-empty string"
        )
        try check(
            #"[{"name": "t", "unanswered_minutes": 5, "then": {}, "when": {}}]"#, "timers[0].when", "unknown field")
        try check(
            #"[{"name": "t", "unanswered_minutes": 5, "then": {}}, {"name": "t", "unanswered_minutes": 6, "then": {}}]"#,
            "timers[1].name", #"a timer named "t" comes earlier"#)
    }

    @Test func limitsAreEnforcedAtTheFieldThatPassesThem() throws {
        let manyRules = (0...256).map { #"{"name": "r\#($0)", "when": {}, "then": {}}"# }.joined(separator: ",")
        var error = try #require(try Self.refusal(#"{"rules": [\#(manyRules)], "default": {"team": "s"}}"#))
        #expect(error.field == "rules" && error.reason.contains("over the limit of 256"))
        // 256 rules are fine.
        let enough = (0..<256).map { #"{"name": "r\#($0)", "when": {}, "then": {}}"# }.joined(separator: ",")
        #expect(try Self.refusal(#"{"rules": [\#(enough)], "default": {"team": "s"}}"#) == nil)

        let phrases = (0...256).map { "\"p\($0)\"" }.joined(separator: ",")
        error = try #require(try Self.refusal(#"{"topics": {"t": [\#(phrases)]}, "default": {"team": "s"}}"#))
        #expect(error.field == "topics.t" && error.reason.contains("over the limit of 256"))

        let long = String(repeating: "a", count: 201)
        error = try #require(try Self.refusal(#"{"topics": {"t": ["\#(long)"]}, "default": {"team": "s"}}"#))
        #expect(error.field == "topics.t[0]" && error.reason.contains("over the limit of 200"))
        #expect(try Self.refusal(#"{"topics": {"t": ["\#(long.dropLast())"]}, "default": {"team": "s"}}"#) == nil)

        let sixtyFive = (0...64).map { #""t\#($0)": ["x"]"# }.joined(separator: ",")
        error = try #require(try Self.refusal(#"{"topics": {\#(sixtyFive)}, "default": {"team": "s"}}"#))
        #expect(error.field == "topics" && error.reason.contains("over the limit of 64"))

        // 63 named topics and two rules with keywords: the second keyword topic is the 65th.
        let sixtyThree = (0..<63).map { #""t\#($0)": ["x"]"# }.joined(separator: ",")
        let keywordRules = #"""
            [{"name": "a", "when": {"keywords": ["k"]}, "then": {}}, {"name": "b", "when": {}, "then": {}},
             {"name": "c", "when": {"keywords": ["k"]}, "then": {}}]
            """#
        error = try #require(
            try Self.refusal(#"{"topics": {\#(sixtyThree)}, "rules": \#(keywordRules), "default": {"team": "s"}}"#))
        #expect(error.field == "rules[2].when.keywords" && error.reason.contains("too many topics"))
    }
}
