import ParleyEvents
import Testing

/// Every event type, enumerated from `EventKind.allCases`, through every encoding: its declaration is the
/// only place its fields are listed, so a type that any codec, table or renderer missed fails here.
@Suite struct EventTypeTests {
    /// JSON → event → record → validate ≡ decode → JSON, for samples generated from the schema.
    ///
    /// A type that is registered but that a table misses fails: the JSON decoder would not know its keys
    /// (the line does not decode, or its fields come back as extras), the encoder would not write them
    /// (the JSON differs), the validator would not know their shapes (validate disagrees with decode).
    @Test(arguments: EventKind.allCases)
    func everySampleOfTheTypeSurvivesEveryEncoding(kind: EventKind) throws {
        let samples = EventSample.samples(of: kind)
        #expect(samples.count >= 2)
        for sample in samples {
            let event = try JSONLineDecoder().decode(Array(sample.line.utf8)[...], lineNumber: 1)
            #expect(event.kind == kind, "\(sample)")
            #expect(json(event) == sample.expected, "\(sample)")

            var record: [UInt8] = []
            EventCodec.encode(event, into: &record)
            let validated = try EventCodec.validate(record[...])
            #expect(validated.kind == kind && validated.at == event.at, "\(sample)")
            #expect(try EventCodec.decode(record[...]) == .event(event), "\(sample)")
            var again: [UInt8] = []
            EventCodec.encode(event, into: &again)
            #expect(again == record, "\(sample)")

            guard case .event(let light) = try EventCodec.decode(record[...], texts: false) else {
                Issue.record("\(sample): not decoded without texts")
                continue
            }
            #expect(json(light) == sample.expectedWithoutTexts, "\(sample)")
        }
    }

    /// Replays decode without texts: every identifier survives (who replied, who was assigned, which team,
    /// the message id), only texts are left out.
    @Test func aReplayKeepsEveryIdentifierAndBlanksOnlyTexts() throws {
        let lines = [
            #"{"type":"reply_sent","at":"2026-03-02T09:15:00Z","conversation":"c","author":"agent:ana","body":"Hi"}"#,
            #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":"c","author":"agent:bo","body":"x"}"#,
            #"{"type":"assigned","at":"2026-03-02T09:15:00Z","conversation":"c","assignee":"agent:cy","team":"t1"}"#,
            #"{"type":"message_received","at":"2026-03-02T09:15:00Z","conversation":"c","customer":"u","channel":"sms","message_id":"m-1","subject":"s","body":"b"}"#,
        ]
        var light: [EventPayload] = []
        for line in lines {
            let event = try JSONLineDecoder().decode(Array(line.utf8)[...], lineNumber: 1)
            var record: [UInt8] = []
            EventCodec.encode(event, into: &record)
            guard case .event(let decoded) = try EventCodec.decode(record[...], texts: false) else {
                Issue.record("\(line) did not decode")
                return
            }
            light.append(decoded.payload)
        }
        #expect(light[0] == .replySent(ReplySent(conversation: "c", author: "agent:ana", body: "")))
        #expect(light[1] == .noteAdded(NoteAdded(conversation: "c", author: "agent:bo", body: "")))
        #expect(light[2] == .assigned(Assigned(conversation: "c", assignee: "agent:cy", team: "t1")))
        #expect(
            light[3]
                == .messageReceived(
                    MessageReceived(
                        conversation: "c", customer: "u", channel: .sms, messageID: "m-1", subject: "", body: "")))
    }

    /// The declarations agree with themselves: `write(to:)` writes the fields `init(reading:)` reads, in the
    /// same order and of the same kinds, and the registry maps each kind to the type that declares it.
    @Test(arguments: EventKind.allCases)
    func theWriterOfEachTypeWritesItsSchemaInOrder(kind: EventKind) throws {
        let schema = kind.schema
        #expect(schema.kind == kind)
        #expect(EventKind(name: schema.name) == kind)
        #expect(schema.hasConversation == kind.hasConversation)
        #expect(!schema.fields.isEmpty && schema.fields.count <= EventSchema.maxFields)
        for sample in EventSample.samples(of: kind) {
            let event = try JSONLineDecoder().decode(Array(sample.line.utf8)[...], lineNumber: 1)
            var recorder = KindRecorder()
            event.payload.write(to: &recorder)
            #expect(recorder.kinds == schema.fields.map { Self.shape($0.kind) }, "\(sample)")
            #expect((event.payload.conversation != nil) == kind.hasConversation)
        }
    }

    /// Every type's name and fields appear in docs/FORMAT.md's record table and docs/EVENTS.md's types
    /// table, in schema order: adding a type without documenting it fails here.
    @Test(arguments: EventKind.allCases)
    func theDocumentsListEveryTypeWithItsFields(kind: EventKind) throws {
        let format = try RepositoryFile.text("docs/FORMAT.md")
        let row = try #require(
            format.split(separator: "\n").first { $0.hasPrefix("| \(kind.rawValue) | `\(kind.name)` |") },
            "docs/FORMAT.md has no row for type \(kind.rawValue) \(kind.name)")
        var rest = row[...]
        for field in kind.schema.fields {
            let found = try #require(
                rest.range(of: "\(field.key) `"), "docs/FORMAT.md, \(kind.name): \(field.key) missing or out of order")
            rest = rest[found.upperBound...]
        }
        let events = try RepositoryFile.text("docs/EVENTS.md")
        #expect(events.contains("| `\(kind.name)` |"), "docs/EVENTS.md has no row for \(kind.name)")
    }

    private static func shape(_ kind: EventFieldKind) -> String {
        switch kind {
        case .identifier: "identifier"
        case .optionalIdentifier: "optionalIdentifier"
        case .nullableIdentifier: "nullableIdentifier"
        case .text: "text"
        case .optionalText: "optionalText"
        case .flag: "flag"
        case .choice: "choice"
        case .optionalChoice: "optionalChoice"
        case .object: "object"
        case .integer: "integer"
        case .optionalInteger: "optionalInteger"
        case .identifierList: "identifierList"
        }
    }

    private func json(_ event: Event) -> String {
        var out: [UInt8] = []
        JSONLineEncoder().encode(event, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Records the kind of each field written.
private struct KindRecorder: EventFieldWriter {
    var kinds: [String] = []
    mutating func identifier(_ value: String) { kinds.append("identifier") }
    mutating func optionalIdentifier(_ value: String?) { kinds.append("optionalIdentifier") }
    mutating func nullableIdentifier(_ value: String?) { kinds.append("nullableIdentifier") }
    mutating func text(_ value: String) { kinds.append("text") }
    mutating func optionalText(_ value: String?) { kinds.append("optionalText") }
    mutating func flag(_ value: Bool) { kinds.append("flag") }
    mutating func choice<Value: EventEnumeration>(_ value: Value) { kinds.append("choice") }
    mutating func optionalChoice<Value: EventEnumeration>(_ value: Value?) { kinds.append("optionalChoice") }
    mutating func object(_ value: JSONValue) { kinds.append("object") }
    mutating func integer(_ value: Int) { kinds.append("integer") }
    mutating func optionalInteger(_ value: Int?) { kinds.append("optionalInteger") }
    mutating func identifierList(_ value: [String]?) { kinds.append("identifierList") }
}
