extension EventKind {
    /// The schema of this kind's type, recorded from its declaration.
    public var schema: EventSchema { EventSchemas.all[Int(rawValue)] }

    /// The `type` string of the JSON Lines interchange format, e.g. `message_received`.
    public var name: String { EventSchemas.names[Int(rawValue)] }

    /// Looks a kind up by its interchange name.
    /// - Parameter name: a `type` string such as `reply_sent`.
    public init?(name: String) {
        guard let kind = EventKind.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    /// Whether events of this kind belong to a conversation (carry a `conversation` id).
    public var hasConversation: Bool { EventSchemas.hasConversation[Int(rawValue)] }

    /// The kind of a record's type byte and schema version, if this build reads that version: the
    /// current one, or an older one an upcaster turns into the current shape.
    /// - Parameters:
    ///   - type: the record's type byte.
    ///   - version: the record's schema version byte.
    ///   - upcasters: the upcasters that read older versions; nil for ``EventUpcasters/standard``.
    public init?(type: UInt8, version: UInt8, upcasters: EventUpcasters? = nil) {
        guard let kind = EventKind(rawValue: type),
            version == kind.version || (upcasters ?? .standard).upcaster(type: type, version: version) != nil
        else { return nil }
        self = kind
    }
}

/// The schemas of every type, recorded once, indexed by type byte.
enum EventSchemas {
    static let all: [EventSchema] = {
        var schemas: [EventSchema?] = Array(repeating: nil, count: Int(EventKind.allCases.map(\.rawValue).max()!) + 1)
        for kind in EventKind.allCases {
            var recorder = Recorder()
            let schema = kind.visitType(&recorder)
            precondition(schema.kind == kind, "\(schema.name) declares the kind \(schema.kind), registered as \(kind)")
            schemas[Int(kind.rawValue)] = schema
        }
        // Index 0 is no type; it repeats the first schema so that the table needs no optionals.
        schemas[0] = schemas[Int(EventKind.allCases[0].rawValue)]
        return schemas.map { $0! }
    }()

    static let hasConversation: [Bool] = all.map(\.hasConversation)
    static let names: [String] = all.map(\.name)

    private struct Recorder: EventTypeVisitor {
        typealias Failure = Never
        mutating func visit<T: EventType>(_ type: T.Type) -> EventSchema { EventSchema(of: type) }
    }
}
