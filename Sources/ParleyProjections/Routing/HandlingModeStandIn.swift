import ParleyEvents

/// Who handles a conversation: a person or a bot.
///
/// A stand-in until the event helper's declaration of the same enum lands in ParleyEvents; the lead
/// deletes this file at merge.
public enum HandlingMode: UInt8, EventEnumeration {
    case human = 1
    case automation = 2

    /// The interchange name.
    public var name: String {
        switch self {
        case .human: "human"
        case .automation: "automation"
        }
    }
}
