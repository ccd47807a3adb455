import ParleyEvents
import Testing

/// A stored record whose extras repeat a key cannot be dumped as valid input: `decode` and `validate`
/// both refuse it, and nothing else.
@Suite struct StoredExtrasCodecTests {
    /// One valid line of each type, with every optional field left out (generated from its schema).
    static let lines: [String: String] = Dictionary(
        uniqueKeysWithValues: EventKind.allCases.map { ($0.name, EventSample.minimalLine(of: $0)) })

    /// The fields of each type, optional ones included, from its schema (which `EventTypeTests` checks
    /// against docs/FORMAT.md).
    static let fields: [String: Set<String>] = Dictionary(
        uniqueKeysWithValues: EventKind.allCases.map { ($0.name, Set($0.schema.fields.map(\.key))) })

    static let allKeys = Set(fields.values.joined()).union(["seq", "recorded_at", "type", "at"])

    static func record(_ type: String, extras: [JSONMember]) throws -> [UInt8] {
        var event = try JSONLineDecoder().decode(Array(try #require(lines[type]).utf8)[...], lineNumber: 1)
        event.extras = extras
        var out: [UInt8] = []
        EventCodec.encode(event, into: &out)
        return out
    }

    @Test(arguments: EventKind.allCases.map(\.name))
    func anExtraIsRefusedExactlyWhenItsKeyIsOneTheEventIsWrittenWith(type: String) throws {
        let reserved = try #require(Self.fields[type]).union(["seq", "recorded_at", "type", "at"])
        for key in Self.allKeys.sorted() {
            let bytes = try Self.record(type, extras: [JSONMember(key: key, value: .number("1"))])
            let decoded = Result { () throws(EventError) in try EventCodec.decode(bytes[...]) }
            let validated = Result { () throws(EventError) in try EventCodec.validate(bytes[...]) }
            if reserved.contains(key) {
                #expect(throws: EventError.self, "\(type) with extra \(key)") { try decoded.get() }
                #expect(throws: EventError.self, "\(type) with extra \(key)") { try validated.get() }
            } else {
                #expect(throws: Never.self, "\(type) with extra \(key)") { try decoded.get() }
                #expect(throws: Never.self, "\(type) with extra \(key)") { try validated.get() }
            }
        }
    }

    @Test func twoExtrasWithOneKeyAreRefused() throws {
        for count in [2, 3, 40] {
            var extras = (0..<count - 1).map { JSONMember(key: "k\($0)", value: .null) }
            extras.append(JSONMember(key: "k0", value: .bool(true)))
            let bytes = try Self.record("note_added", extras: extras)
            #expect(throws: EventError.self, "\(count)") { try EventCodec.decode(bytes[...]) }
            #expect(throws: EventError.self, "\(count)") { try EventCodec.validate(bytes[...]) }
            let distinct = try Self.record(
                "note_added", extras: (0..<count).map { JSONMember(key: "k\($0)", value: .null) })
            #expect(throws: Never.self) { try EventCodec.decode(distinct[...]) }
            #expect(throws: Never.self) { try EventCodec.validate(distinct[...]) }
        }
    }

    @Test func anObjectWithAKeyTwiceIsRefusedAtAnyDepthAndInAPolicy() throws {
        let twice = JSONValue.object([JSONMember(key: "a", value: .null), JSONMember(key: "a", value: .null)])
        let nested = JSONValue.array([.object([JSONMember(key: "x", value: twice)])])
        for value in [twice, nested] {
            let bytes = try Self.record("note_added", extras: [JSONMember(key: "x", value: value)])
            #expect(throws: EventError.self) { try EventCodec.decode(bytes[...]) }
            #expect(throws: EventError.self) { try EventCodec.validate(bytes[...]) }
        }
        var policy = try JSONLineDecoder().decode(
            Array(try #require(Self.lines["policy_set"]).utf8)[...], lineNumber: 1)
        policy.payload = .policySet(PolicySet(policy: twice))
        var out: [UInt8] = []
        EventCodec.encode(policy, into: &out)
        #expect(throws: EventError.self) { try EventCodec.decode(out[...]) }
        #expect(throws: EventError.self) { try EventCodec.validate(out[...]) }
        // Keys compare as bytes: "é" precomposed and decomposed are two keys.
        let spellings = JSONValue.object([
            JSONMember(key: "\u{E9}", value: .null), JSONMember(key: "e\u{301}", value: .null),
        ])
        let fine = try Self.record("note_added", extras: [JSONMember(key: "x", value: spellings)])
        #expect(throws: Never.self) { try EventCodec.decode(fine[...]) }
        #expect(throws: Never.self) { try EventCodec.validate(fine[...]) }
    }
}
