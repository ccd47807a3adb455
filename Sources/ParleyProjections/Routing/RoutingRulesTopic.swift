/// A named set of phrases: the topic is found in a message when one of its phrases occurs in it
/// (see ``TopicMatcher``).
public struct Topic: Equatable, Sendable {
    /// The topic's name, as rules' `topic` conditions refer to it.
    public var name: String
    /// The phrases, as written in the document (non-empty).
    public var phrases: [String]

    /// A topic of `phrases`.
    public init(name: String, phrases: [String]) {
        self.name = name
        self.phrases = phrases
    }

    /// The name of the topic made from the `keywords` condition of the rule named `rule`: `keywords:<rule>`.
    /// The colon keeps it apart from every topic the document names.
    public static func keywordsName(rule: String) -> String { "keywords:" + rule }
}

/// One routing rule: when all its conditions hold, its action decides (the first such rule wins).
public struct Rule: Equatable, Sendable {
    /// The rule's name, unique in its document; decisions cite it as `rule:<name>`.
    public var name: String
    /// The conditions, all of which must hold.
    public var when: Conditions
    /// The action as written; ``RoutingRules/action(for:)`` fills the missing fields from the default.
    public var then: Action

    /// A rule field by field.
    public init(name: String, when: Conditions = Conditions(), then: Action = Action()) {
        self.name = name
        self.when = when
        self.then = then
    }
}
