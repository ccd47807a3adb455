/// Why a rules document was refused: the field, as a path such as `rules[2].when.channel[1]`, and the
/// reason, which says what was expected.
public struct RoutingRulesError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where in the document: object keys joined by `.`, array positions in brackets.
    public var field: String
    /// What is wrong and what was expected.
    public var reason: String

    /// An error at `field`.
    public init(field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "rules field \"\(field)\": \(reason)" }
}
