/// Which callbacks a ``Projection`` wants.
public struct ProjectionInterests: OptionSet, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// ``Projection/apply(_:seq:conversation:)`` for events that name a conversation.
    public static let conversationEvents = ProjectionInterests(rawValue: 1)
    /// ``Projection/apply(_:seq:conversation:)`` for events that name none (`policy_set`, `customer_linked`).
    public static let otherEvents = ProjectionInterests(rawValue: 2)
    /// The episode callbacks.
    public static let episodes = ProjectionInterests(rawValue: 4)
    /// Every callback.
    public static let all: ProjectionInterests = [.conversationEvents, .otherEvents, .episodes]
}
