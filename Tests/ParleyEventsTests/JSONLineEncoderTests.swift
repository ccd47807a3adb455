import ParleyEvents
import Testing

private let encoder = JSONLineEncoder()
private let decoder = JSONLineDecoder()

private func encoded(_ event: Event) -> String {
    var out: [UInt8] = []
    encoder.encode(event, into: &out)
    return String(decoding: out, as: UTF8.self)
}

private func encoded(_ event: SequencedEvent) -> String {
    var out: [UInt8] = []
    encoder.encode(event, into: &out)
    return String(decoding: out, as: UTF8.self)
}

private func jsonString(_ string: String) -> String {
    var out: [UInt8] = []
    JSONLineEncoder.appendJSONString(string, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// 2026-03-01T09:30:00.25+01:00
private let at = Timestamp(nanoseconds: 1_772_353_800_250_000_000, offsetMinutes: 60)

private let extras = [
    JSONMember(key: "source", value: .string("zendesk")),
    JSONMember(
        key: "meta",
        value: .object([
            JSONMember(key: "tags", value: .array([.string("vip"), .number("1.50"), .bool(true), .null])),
            JSONMember(key: "nested", value: .object([])),
        ])
    ),
]

/// One event of every type with every field set, and with optional fields left out.
private let sampleEvents: [Event] = [
    Event(
        at: at,
        payload: .messageReceived(
            MessageReceived(
                conversation: "c-1",
                customer: "cus-9",
                channel: .whatsapp,
                messageID: "wa-77",
                subject: "Late",
                body: "Hi \"team\",\n\tmy order\\invoice is late 😀 \u{0}\u{1F}\u{7F}"
            )
        ),
        extras: extras
    ),
    Event(
        at: at,
        payload: .messageReceived(MessageReceived(conversation: "c-1", customer: "u", channel: .email, body: ""))
    ),
    Event(
        at: at,
        payload: .replySent(ReplySent(conversation: "c-1", author: "bot:faq", isAutomatic: true, body: "ok")),
        extras: extras
    ),
    Event(at: at, payload: .replySent(ReplySent(conversation: "c-1", author: "agent:ana", body: "hello"))),
    Event(
        at: at,
        payload: .assigned(Assigned(conversation: "c-1", assignee: "agent:ana", team: "billing")),
        extras: extras
    ),
    Event(at: at, payload: .assigned(Assigned(conversation: "c-1", assignee: nil))),
    Event(at: at, payload: .statusChanged(StatusChanged(conversation: "c-1", status: .resolved)), extras: extras),
    Event(
        at: at,
        payload: .categorized(Categorized(conversation: "c-1", category: "refund", priority: .high)),
        extras: extras
    ),
    Event(at: at, payload: .categorized(Categorized(conversation: "c-1", category: "refund"))),
    Event(at: at, payload: .noteAdded(NoteAdded(conversation: "c-1", author: "agent:bo", body: "VIP")), extras: extras),
    Event(
        at: at,
        payload: .customerLinked(CustomerLinked(customer: "cus-9", sameAs: "cus-3")),
        extras: extras + [JSONMember(key: "conversation", value: .string("c-1"))]
    ),
    Event(
        at: at,
        payload: .policySet(
            PolicySet(
                policy: .object([
                    JSONMember(key: "first_response_minutes", value: .number("30")),
                    JSONMember(
                        key: "calendar",
                        value: .object([JSONMember(key: "tz", value: .string("Europe/Madrid"))])
                    ),
                ])
            )
        ),
        extras: extras
    ),
]

@Suite("JSONLineEncoder")
struct JSONLineEncoderTests {
    @Test(
        "each type is written with its keys in schema order",
        arguments: [
            (
                Event(
                    at: at,
                    payload: .messageReceived(
                        MessageReceived(
                            conversation: "c",
                            customer: "u",
                            channel: .chat,
                            messageID: "m",
                            subject: "s",
                            body: "b"
                        )
                    )
                ),
                #"{"type":"message_received","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","customer":"u","channel":"chat","message_id":"m","subject":"s","body":"b"}"#
            ),
            (
                Event(
                    at: at,
                    payload: .messageReceived(
                        MessageReceived(conversation: "c", customer: "u", channel: .sms, body: "")
                    )
                ),
                #"{"type":"message_received","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","customer":"u","channel":"sms","body":""}"#
            ),
            (
                Event(at: at, payload: .replySent(ReplySent(conversation: "c", author: "a", body: "b"))),
                #"{"type":"reply_sent","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","author":"a","auto":false,"body":"b"}"#
            ),
            (
                Event(at: at, payload: .assigned(Assigned(conversation: "c", assignee: nil))),
                #"{"type":"assigned","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","assignee":null}"#
            ),
            (
                Event(at: at, payload: .assigned(Assigned(conversation: "c", assignee: "a", team: "t"))),
                #"{"type":"assigned","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","assignee":"a","team":"t"}"#
            ),
            (
                Event(at: at, payload: .statusChanged(StatusChanged(conversation: "c", status: .pending))),
                #"{"type":"status_changed","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","status":"pending"}"#
            ),
            (
                Event(at: at, payload: .categorized(Categorized(conversation: "c", category: "k"))),
                #"{"type":"categorized","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","category":"k"}"#
            ),
            (
                Event(at: at, payload: .categorized(Categorized(conversation: "c", category: "k", priority: .low))),
                #"{"type":"categorized","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","category":"k","priority":"low"}"#
            ),
            (
                Event(at: at, payload: .noteAdded(NoteAdded(conversation: "c", author: "a", body: "n"))),
                #"{"type":"note_added","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","author":"a","body":"n"}"#
            ),
            (
                Event(at: at, payload: .customerLinked(CustomerLinked(customer: "u", sameAs: "v"))),
                #"{"type":"customer_linked","at":"2026-03-01T09:30:00.25+01:00","customer":"u","same_as":"v"}"#
            ),
            (
                Event(
                    at: at,
                    payload: .policySet(PolicySet(policy: .object([JSONMember(key: "h", value: .number("1e3"))]))),
                    extras: [JSONMember(key: "x", value: .array([]))]
                ),
                #"{"type":"policy_set","at":"2026-03-01T09:30:00.25+01:00","policy":{"h":1e3},"x":[]}"#
            ),
        ]
    )
    func eventIsWrittenWithKeysInSchemaOrder(event: Event, json: String) {
        #expect(encoded(event) == json)
    }

    @Test func sequencedEventStartsWithSeqAndRecordedAt() {
        let event = SequencedEvent(
            seq: 18_446_744_073_709_551_615,
            recordedAt: Timestamp(nanoseconds: 1_772_353_801_000_000_000),
            event: Event(at: at, payload: .statusChanged(StatusChanged(conversation: "c", status: .open)))
        )
        #expect(
            encoded(event)
                == #"{"seq":18446744073709551615,"recorded_at":"2026-03-01T08:30:01Z","type":"status_changed","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","status":"open"}"#
        )
    }

    @Test func encodingAppendsWithoutANewline() {
        var out = Array("prefix\n".utf8)
        encoder.encode(Event(at: at, payload: .customerLinked(CustomerLinked(customer: "u", sameAs: "v"))), into: &out)
        #expect(out.starts(with: Array("prefix\n{".utf8)))
        #expect(out.last == UInt8(ascii: "}"))
        #expect(!out.dropFirst(7).contains(UInt8(ascii: "\n")))
    }

    @Test(
        "strings escape only quotes, backslashes and control characters",
        arguments: [
            ("", #""""#),
            ("plain", #""plain""#),
            ("say \"hi\"", #""say \"hi\"""#),
            (#"C:\dir"#, #""C:\\dir""#),
            ("a/b", #""a/b""#),
            ("\u{8}\u{C}\n\r\t", #""\b\f\n\r\t""#),
            ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
            ("del\u{7F}", "\"del\u{7F}\""),
            ("é€😀 中文", "\"é€😀 中文\""),
            ("\u{2028}\u{FEFF}", "\"\u{2028}\u{FEFF}\""),
        ]
    )
    func stringIsEscapedMinimally(string: String, json: String) {
        #expect(jsonString(string) == json)
    }

    @Test func everyControlCharacterRoundTripsThroughTheParser() throws {
        let string = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init)))
        let json = jsonString(string)
        #expect(try JSONParser.parse(Array(json.utf8)[...]) == .string(string))
    }

    @Test func valuesAreWrittenCompactly() {
        var out: [UInt8] = []
        JSONLineEncoder.appendJSON(
            .object([
                JSONMember(key: "a", value: .array([.number("-1.5e3"), .bool(false), .null, .array([])])),
                JSONMember(key: "b\n", value: .object([JSONMember(key: "c", value: .string("d"))])),
            ]),
            to: &out
        )
        #expect(String(decoding: out, as: UTF8.self) == #"{"a":[-1.5e3,false,null,[]],"b\n":{"c":"d"}}"#)
    }

    // MARK: Round trips

    @Test(arguments: sampleEvents)
    func encodeThenDecodeGivesTheSameEvent(event: Event) throws {
        var out: [UInt8] = []
        encoder.encode(event, into: &out)
        #expect(try decoder.decode(out[...], lineNumber: 1) == event)
    }

    @Test(arguments: sampleEvents)
    func dumpFormThenDecodeGivesTheSameEvent(event: Event) throws {
        var out: [UInt8] = []
        encoder.encode(SequencedEvent(seq: 99, recordedAt: Timestamp(nanoseconds: 5), event: event), into: &out)
        #expect(try decoder.decode(out[...], lineNumber: 1) == event)
    }

    @Test func decodeThenEncodeGivesTheSameLine() throws {
        let line =
            #"{"type":"message_received","at":"2026-03-01T09:30:00-05:00","conversation":"c","customer":"u","channel":"form","subject":"S","body":"line1\nline2 \"q\" é","zz":{"k":[1,2.50,"x"]},"aa":null}"#
        var out: [UInt8] = []
        encoder.encode(try decoder.decode(Array(line.utf8)[...], lineNumber: 1), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == line)
    }

    @Test func extrasThatWouldDuplicateAWrittenKeyAreLeftOut() throws {
        let event = Event(
            at: at,
            payload: .statusChanged(StatusChanged(conversation: "c", status: .open)),
            extras: [
                JSONMember(key: "type", value: .string("other")),
                JSONMember(key: "status", value: .string("closed")),
                JSONMember(key: "seq", value: .number("1")),
                JSONMember(key: "recorded_at", value: .null),
                JSONMember(key: "body", value: .string("kept: not a field of status_changed")),
            ]
        )
        let json = encoded(event)
        #expect(
            json
                == #"{"type":"status_changed","at":"2026-03-01T09:30:00.25+01:00","conversation":"c","status":"open","body":"kept: not a field of status_changed"}"#
        )
        let decoded = try decoder.decode(Array(json.utf8)[...], lineNumber: 1)
        #expect(decoded.payload == event.payload)
    }
}
