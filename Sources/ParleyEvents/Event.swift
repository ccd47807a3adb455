/// One event of the conversation log: what happened (`payload`), when it happened (`at`, the event
/// time given by the source) and any extra JSON fields the source sent that Parley does not interpret.
///
/// Events are immutable facts. Their sequence number and commit time are properties of the log,
/// not of the event, and are carried beside it by ``SequencedEvent``.
public struct Event: Equatable, Sendable {
    /// Event time: when it happened at the source, with the UTC offset the source wrote.
    public var at: Timestamp
    /// The typed content of the event.
    public var payload: EventPayload
    /// Fields of the input object that are not part of the event's schema, in input order.
    /// They are stored and come back out of `dump`; Parley gives them no meaning.
    public var extras: [JSONMember]

    /// Creates an event.
    /// - Parameters:
    ///   - at: the event time.
    ///   - payload: the typed content.
    ///   - extras: uninterpreted extra fields, kept in order.
    public init(at: Timestamp, payload: EventPayload, extras: [JSONMember] = []) {
        self.at = at
        self.payload = payload
        self.extras = extras
    }

    /// The event's type.
    public var kind: EventKind { payload.kind }
}

/// An event together with its place in the log.
public struct SequencedEvent: Equatable, Sendable {
    /// Dense sequence number, starting at 1: the public cursor into the log.
    public var seq: UInt64
    /// Commit time of the frame that holds the event (the writer's clock).
    public var recordedAt: Timestamp
    /// The event itself.
    public var event: Event

    /// Creates a sequenced event.
    public init(seq: UInt64, recordedAt: Timestamp, event: Event) {
        self.seq = seq
        self.recordedAt = recordedAt
        self.event = event
    }
}
