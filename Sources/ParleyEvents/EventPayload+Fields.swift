extension EventPayload {
    /// The event type of this payload.
    public var kind: EventKind {
        var visitor = KindOf()
        return visit(&visitor)
    }

    /// The conversation this event belongs to, if its kind has one.
    public var conversation: String? {
        var visitor = ConversationOf()
        return visit(&visitor)
    }

    /// Writes the event's fields, in schema order, to `writer`.
    /// - Parameter writer: the writer (a codec, or a renderer of the event).
    public func write<Writer: EventFieldWriter>(to writer: inout Writer) {
        // Moved in and out, so that a buffer the writer holds is never copied.
        var visitor = WriteFields(writer: consume writer)
        visit(&visitor)
        writer = visitor.writer
    }

    /// Reads the fields of an event of `kind` from `reader`.
    /// - Throws: what the reader throws.
    public static func read<Reader: EventFieldReader>(_ kind: EventKind, from reader: inout Reader) throws(EventError)
        -> EventPayload
    {
        var visitor = ReadingFields(reader: consume reader)
        defer { reader = visitor.reader }
        return try kind.visitType(&visitor)
    }
}

/// Reads an event of the visited type from the reader it holds. The binary codec keeps its reader in it
/// from the start, so that it is never moved; the JSON decoder's reader, large, is its own visitor
/// (``JSONFieldReader``).
struct ReadingFields<Reader: EventFieldReader>: EventTypeVisitor {
    var reader: Reader

    mutating func visit<T: EventType>(_ type: T.Type) throws(EventError) -> EventPayload {
        try T(reading: &reader).payload
    }
}

private struct KindOf: EventVisitor {
    func visit<T: EventType>(_ event: T) -> EventKind { T.kind }
}

private struct ConversationOf: EventVisitor {
    func visit<T: EventType>(_ event: T) -> String? { event.conversationID }
}

private struct WriteFields<Writer: EventFieldWriter>: EventVisitor {
    var writer: Writer
    mutating func visit<T: EventType>(_ event: T) { event.write(to: &writer) }
}
