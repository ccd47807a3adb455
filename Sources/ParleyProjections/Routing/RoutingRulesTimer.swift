import ParleyEvents

/// A time-driven rule: when its trigger fires for an open episode with no human reply yet, its action
/// applies (absent fields keep the conversation's current values).
public struct Timer: Equatable, Sendable {
    /// When a timer fires.
    public enum Trigger: Equatable, Sendable {
        /// That many calendar minutes before the first-response deadline of the SLA policy in force.
        case firstResponseDueWithin(minutes: Int)
        /// That many calendar minutes after the episode started.
        case unanswered(minutes: Int)
    }

    /// The timer's name, unique among the document's timers; decisions cite it as `timer:<name>`.
    public var name: String
    /// When it fires.
    public var trigger: Trigger
    /// What it changes.
    public var then: Action

    /// A timer field by field.
    public init(name: String, trigger: Trigger, then: Action) {
        self.name = name
        self.trigger = trigger
        self.then = then
    }

    static let keys = ["name", "first_response_due_within_minutes", "unanswered_minutes", "then"]

    /// Reads one element of `timers` at `field`.
    init(json: JSONValue, field: String) throws(RoutingRulesError) {
        var name: String?
        var trigger: Trigger?
        var then: Action?
        for member in try RoutingRules.object(json, field: field) {
            let path = RoutingRules.path(field, member.key)
            var found: Trigger?
            switch member.key {
            case "name": name = try RoutingRules.name(member.value, field: path)
            case "first_response_due_within_minutes":
                found = .firstResponseDueWithin(
                    minutes: try RoutingRules.integer(member.value, field: path, in: 1...10_080))
            case "unanswered_minutes":
                found = .unanswered(minutes: try RoutingRules.integer(member.value, field: path, in: 1...525_600))
            case "then": then = try Action(json: member.value, field: path)
            default: throw RoutingRules.unknownKey(path, expected: Self.keys)
            }
            if let found {
                guard trigger == nil else {
                    throw RoutingRulesError(
                        field: path,
                        "a timer has exactly one trigger (first_response_due_within_minutes or unanswered_minutes)")
                }
                trigger = found
            }
        }
        guard let name else { throw RoutingRulesError(field: field + ".name", "is required") }
        guard let trigger else {
            throw RoutingRulesError(
                field: field,
                "needs a trigger: first_response_due_within_minutes or unanswered_minutes")
        }
        guard let then else { throw RoutingRulesError(field: field + ".then", "is required") }
        self.init(name: name, trigger: trigger, then: then)
    }
}
