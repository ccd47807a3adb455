import ParleyProjections

/// An event that was stored but that the projections will not use: today a `policy_set` whose policy does
/// not check (the SLA projections ignore it and keep the policy in force before it).
public struct AppendWarning: Equatable, Sendable {
    /// Where the event stands in the input.
    public var position: InputPosition
    /// Why the policy does not check: its field (relative to the policy) and the reason.
    public var policyError: SLAPolicyError

    /// Creates a warning.
    public init(position: InputPosition, policyError: SLAPolicyError) {
        self.position = position
        self.policyError = policyError
    }

    /// The event's field concerned: `policy.` and the policy's field.
    public var field: String { "policy.\(policyError.field)" }
}
