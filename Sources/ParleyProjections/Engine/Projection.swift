import ParleyEvents

/// A view rebuilt by replaying the log, fed by the ``ProjectionEngine``: every event as it is applied, and
/// the episodes the engine's state machine starts, changes and ends, as values. It owns its state and its
/// own checkpoint section (``section``, ``encode(to:)``, ``init(from:context:)``).
///
/// The engine calls, for each event in log order, first the episode callback (if the event started,
/// changed or ended an episode), then ``apply(_:seq:conversation:)``. The conversation handed over is its
/// state after the event. ``ConversationBook/Conversation/ordinal`` is a dense key (0, 1, 2, … in order of
/// first appearance) a projection may index its own arrays with.
///
/// To add a checkpointed projection: a type conforming to this protocol, with a section id of its own,
/// listed in ``ProjectionState/registered``. (``KPIProjection``, which every state needs, is built into
/// the engine and called directly.)
public protocol Projection: Sendable {
    /// Its checkpoint section: a stable id, and the version of its layout.
    static var section: CheckpointSection { get }

    /// The callbacks the engine makes (default: all). Each one costs the replay a little for every event
    /// (a plug-in is called through an existential, which copies the conversation it is handed).
    static var interests: ProjectionInterests { get }

    /// The state of an empty log.
    init()

    /// Reads its checkpoint section (what ``encode(to:)`` wrote). Every number read must be bounded: a
    /// damaged section is refused, never trusted.
    init(from input: inout StateReader, context: CheckpointContext) throws(StateReader.Malformed)

    /// Writes its checkpoint section.
    func encode(to out: inout StateWriter)

    /// Checks the section against the conversations, once both are loaded (references from one to the
    /// other). Default: nothing to check.
    func check(against conversations: ConversationBook) throws(StateReader.Malformed)

    /// One event, after the engine applied it; `conversation` is the state of the conversation it names,
    /// if it names one.
    mutating func apply(_ event: Event, seq: UInt64, conversation: ConversationBook.Conversation?)

    /// One event that names a conversation, with the conversation lent rather than copied (the engine calls
    /// this one; default: ``apply(_:seq:conversation:)`` with a copy).
    mutating func apply(_ event: Event, seq: UInt64, in conversation: borrowing ConversationBook.Conversation)

    /// An episode started: it is `conversation`'s open episode.
    mutating func episodeStarted(_ episode: Episode, conversation: ConversationBook.Conversation)

    /// The open episode changed: a reply counted, a new category or priority, its SLA clock paused or resumed.
    mutating func episodeChanged(_ episode: Episode, conversation: ConversationBook.Conversation)

    /// The episode ended (`resolved`); `conversation` has no open episode any more.
    mutating func episodeEnded(_ episode: Episode, conversation: ConversationBook.Conversation)
}

extension Projection {
    public static var interests: ProjectionInterests { .all }
    public func check(against conversations: ConversationBook) throws(StateReader.Malformed) {}
    public mutating func apply(_ event: Event, seq: UInt64, conversation: ConversationBook.Conversation?) {}
    public mutating func apply(_ event: Event, seq: UInt64, in conversation: borrowing ConversationBook.Conversation) {
        apply(event, seq: seq, conversation: copy conversation)
    }
    public mutating func episodeStarted(_ episode: Episode, conversation: ConversationBook.Conversation) {}
    public mutating func episodeChanged(_ episode: Episode, conversation: ConversationBook.Conversation) {}
    public mutating func episodeEnded(_ episode: Episode, conversation: ConversationBook.Conversation) {}
}
