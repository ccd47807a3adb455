import ParleyProjections

/// An event that was stored but that the projections will not use: a `policy_set` whose policy does not
/// check (the SLA projections ignore it and keep the policy in force before it), or a `rules_set` whose
/// rules do not (routing ignores it and keeps the rules in force before it).
public struct AppendWarning: Equatable, Sendable {
    /// Where the event stands in the input.
    public var position: InputPosition
    /// Why the policy does not check, for a `policy_set`: its field (relative to the policy) and the reason.
    public var policyError: SLAPolicyError?
    /// Why the rules do not check, for a `rules_set`: the field (relative to the rules) and the reason.
    public var rulesError: RoutingRulesError?

    /// A warning about a `policy_set`.
    public init(position: InputPosition, policyError: SLAPolicyError) {
        self.position = position
        self.policyError = policyError
    }

    /// A warning about a `rules_set`.
    public init(position: InputPosition, rulesError: RoutingRulesError) {
        self.position = position
        self.rulesError = rulesError
    }

    /// The event's type: `policy_set` or `rules_set`.
    public var eventType: String { rulesError == nil ? "policy_set" : "rules_set" }

    /// The event's field concerned: `policy.` and the policy's field, or `rules.` and the rules' field.
    public var field: String {
        if let rulesError { return "rules.\(rulesError.field)" }
        return "policy.\(policyError?.field ?? "")"
    }

    /// Why it will not be used.
    public var reason: String { rulesError?.reason ?? policyError?.reason ?? "" }
}
