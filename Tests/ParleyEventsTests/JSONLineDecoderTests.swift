import ParleyEvents
import Testing

private let decoder = JSONLineDecoder()

private func decode(_ line: String, lineNumber: Int = 1) throws(EventError) -> Event {
    try decoder.decode(Array(line.utf8)[...], lineNumber: lineNumber)
}

private func decodeError(_ line: [UInt8], lineNumber: Int = 42) -> EventError? {
    #expect(throws: EventError.self) { try decoder.decode(line[...], lineNumber: lineNumber) }
}

private func decodeError(_ line: String, lineNumber: Int = 42) -> EventError? {
    decodeError(Array(line.utf8), lineNumber: lineNumber)
}

/// 2026-03-01T09:30:00+01:00
private let at = Timestamp(nanoseconds: 1_772_353_800_000_000_000, offsetMinutes: 60)
private let atText = "2026-03-01T09:30:00+01:00"

@Suite("JSONLineDecoder")
struct JSONLineDecoderTests {
    // MARK: Every type, every field

    @Test(
        "every event type decodes all its fields",
        arguments: [
            (
                #"{"type":"message_received","at":"\#(atText)","conversation":"c-1","customer":"cus-9","channel":"whatsapp","message_id":"wa-77","subject":"Where is my order?","body":"Hi,\nit's late 😀"}"#,
                EventPayload.messageReceived(
                    MessageReceived(
                        conversation: "c-1",
                        customer: "cus-9",
                        channel: .whatsapp,
                        messageID: "wa-77",
                        subject: "Where is my order?",
                        body: "Hi,\nit's late 😀"
                    )
                )
            ),
            (
                #"{"type":"reply_sent","at":"\#(atText)","conversation":"c-1","author":"bot:faq","auto":true,"body":"We got it"}"#,
                .replySent(ReplySent(conversation: "c-1", author: "bot:faq", isAutomatic: true, body: "We got it"))
            ),
            (
                #"{"type":"assigned","at":"\#(atText)","conversation":"c-1","assignee":"agent:ana","team":"billing"}"#,
                .assigned(Assigned(conversation: "c-1", assignee: "agent:ana", team: "billing"))
            ),
            (
                #"{"type":"status_changed","at":"\#(atText)","conversation":"c-1","status":"pending"}"#,
                .statusChanged(StatusChanged(conversation: "c-1", status: .pending))
            ),
            (
                #"{"type":"categorized","at":"\#(atText)","conversation":"c-1","category":"refund","priority":"urgent"}"#,
                .categorized(Categorized(conversation: "c-1", category: "refund", priority: .urgent))
            ),
            (
                #"{"type":"note_added","at":"\#(atText)","conversation":"c-1","author":"agent:bo","body":"VIP"}"#,
                .noteAdded(NoteAdded(conversation: "c-1", author: "agent:bo", body: "VIP"))
            ),
            (
                #"{"type":"customer_linked","at":"\#(atText)","customer":"cus-9","same_as":"cus-3"}"#,
                .customerLinked(CustomerLinked(customer: "cus-9", sameAs: "cus-3"))
            ),
            (
                #"{"type":"policy_set","at":"\#(atText)","policy":{"first_response_minutes":30,"hours":[9,17],"name":"std"}}"#,
                .policySet(
                    PolicySet(
                        policy: .object([
                            JSONMember(key: "first_response_minutes", value: .number("30")),
                            JSONMember(key: "hours", value: .array([.number("9"), .number("17")])),
                            JSONMember(key: "name", value: .string("std")),
                        ])
                    )
                )
            ),
        ]
    )
    func everyTypeDecodesAllFields(line: String, payload: EventPayload) throws {
        #expect(try decode(line) == Event(at: at, payload: payload))
    }

    @Test func everyKindNameAndEveryEnumerationNameIsRecognised() throws {
        for channel in Channel.allCases {
            let event = try decode(
                #"{"type":"message_received","at":"\#(atText)","conversation":"c","customer":"u","channel":"\#(channel.name)","body":""}"#
            )
            guard case .messageReceived(let message) = event.payload else {
                Issue.record("wrong payload \(event.payload)")
                continue
            }
            #expect(message.channel == channel)
        }
        for status in ConversationStatus.allCases {
            let event = try decode(
                #"{"type":"status_changed","at":"\#(atText)","conversation":"c","status":"\#(status.name)"}"#
            )
            #expect(event.payload == .statusChanged(StatusChanged(conversation: "c", status: status)))
        }
        for priority in Priority.allCases {
            let event = try decode(
                #"{"type":"categorized","at":"\#(atText)","conversation":"c","category":"x","priority":"\#(priority.name)"}"#
            )
            #expect(event.payload == .categorized(Categorized(conversation: "c", category: "x", priority: priority)))
        }
    }

    @Test func optionalFieldsMayBeAbsentOrNull() throws {
        let absent = try decode(
            #"{"type":"message_received","at":"\#(atText)","conversation":"c","customer":"u","channel":"email","body":""}"#
        )
        let null = try decode(
            #"{"type":"message_received","at":"\#(atText)","conversation":"c","customer":"u","channel":"email","message_id":null,"subject":null,"body":""}"#
        )
        let expected = MessageReceived(conversation: "c", customer: "u", channel: .email, body: "")
        #expect(absent.payload == .messageReceived(expected))
        #expect(null.payload == .messageReceived(expected))

        let reply = try decode(#"{"type":"reply_sent","at":"\#(atText)","conversation":"c","author":"a","body":"b"}"#)
        #expect(reply.payload == .replySent(ReplySent(conversation: "c", author: "a", isAutomatic: false, body: "b")))
        let nullAuto = try decode(
            #"{"type":"reply_sent","at":"\#(atText)","conversation":"c","author":"a","auto":null,"body":"b"}"#
        )
        #expect(nullAuto.payload == reply.payload)

        let noPriority = try decode(
            #"{"type":"categorized","at":"\#(atText)","conversation":"c","category":"x","priority":null}"#
        )
        #expect(noPriority.payload == .categorized(Categorized(conversation: "c", category: "x", priority: nil)))

        let noTeam = try decode(#"{"type":"assigned","at":"\#(atText)","conversation":"c","assignee":"a","team":null}"#)
        #expect(noTeam.payload == .assigned(Assigned(conversation: "c", assignee: "a", team: nil)))
    }

    @Test func nullAssigneeUnassigns() throws {
        let event = try decode(#"{"type":"assigned","at":"\#(atText)","conversation":"c","assignee":null}"#)
        #expect(event.payload == .assigned(Assigned(conversation: "c", assignee: nil)))
    }

    @Test func membersMayComeInAnyOrder() throws {
        let event = try decode(#"{"status":"open","conversation":"c","at":"\#(atText)","type":"status_changed"}"#)
        #expect(event == Event(at: at, payload: .statusChanged(StatusChanged(conversation: "c", status: .open))))
    }

    @Test func escapedKeysAreRecognised() throws {
        let event = try decode(
            #"{"typ\u0065":"status_changed","\u0061t":"\#(atText)","conversation":"c","status":"open","x\"y":1}"#
        )
        #expect(event.payload == .statusChanged(StatusChanged(conversation: "c", status: .open)))
        #expect(event.extras == [JSONMember(key: "x\"y", value: .number("1"))])
    }

    @Test func escapedValuesOfNamesAreRecognised() throws {
        let event = try decode(
            #"{"type":"status_\u0063hanged","at":"2026-03-01T09:30:00\u002B01:00","conversation":"c","status":"op\u0065n"}"#
        )
        #expect(event == Event(at: at, payload: .statusChanged(StatusChanged(conversation: "c", status: .open))))
    }

    // MARK: Extras and reserved keys

    @Test func unknownKeysAreKeptAsExtrasInInputOrder() throws {
        let event = try decode(
            #"{"source":"zendesk","type":"note_added","tags":["a","b"],"at":"\#(atText)","conversation":"c","meta":{"n":1.50},"author":"x","body":"y","flag":false,"none":null}"#
        )
        #expect(
            event.extras == [
                JSONMember(key: "source", value: .string("zendesk")),
                JSONMember(key: "tags", value: .array([.string("a"), .string("b")])),
                JSONMember(key: "meta", value: .object([JSONMember(key: "n", value: .number("1.50"))])),
                JSONMember(key: "flag", value: .bool(false)),
                JSONMember(key: "none", value: .null),
            ]
        )
    }

    @Test func conversationOfATypeWithoutOneIsAnExtra() throws {
        let linked = try decode(
            #"{"type":"customer_linked","at":"\#(atText)","conversation":"c-1","customer":"a","same_as":"b"}"#
        )
        #expect(linked.payload == .customerLinked(CustomerLinked(customer: "a", sameAs: "b")))
        #expect(linked.extras == [JSONMember(key: "conversation", value: .string("c-1"))])

        let policy = try decode(#"{"type":"policy_set","conversation":7,"at":"\#(atText)","policy":{}}"#)
        #expect(policy.extras == [JSONMember(key: "conversation", value: .number("7"))])
    }

    @Test func fieldsOfOtherTypesAreExtrasInTheirPlaceEvenBeforeTheType() throws {
        // `status` and `body` come before `type`, so the decoder only learns later that they are extras.
        let event = try decode(
            #"{"x":1,"status":"open","type":"customer_linked","body":"b","at":"\#(atText)","customer":"a","same_as":"b","y":2}"#
        )
        #expect(event.payload == .customerLinked(CustomerLinked(customer: "a", sameAs: "b")))
        #expect(
            event.extras == [
                JSONMember(key: "x", value: .number("1")),
                JSONMember(key: "status", value: .string("open")),
                JSONMember(key: "body", value: .string("b")),
                JSONMember(key: "y", value: .number("2")),
            ]
        )
    }

    @Test func seqAndRecordedAtAreIgnored() throws {
        let event = try decode(
            #"{"seq":17,"recorded_at":"2026-03-01T08:30:01Z","type":"status_changed","at":"\#(atText)","conversation":"c","status":"resolved"}"#
        )
        #expect(event == Event(at: at, payload: .statusChanged(StatusChanged(conversation: "c", status: .resolved))))
    }

    @Test(arguments: [#""seq":[1,{"a":null}]"#, #""recorded_at":"not a time at all""#, #""seq":-1.5e3"#])
    func ignoredKeysMayHoldAnyValue(member: String) throws {
        let event = try decode(
            #"{\#(member),"type":"status_changed","at":"\#(atText)","conversation":"c","status":"open"}"#
        )
        #expect(event.extras.isEmpty)
    }

    @Test(arguments: [#""seq":01"#, #""seq":1."#, #""recorded_at":"a\x""#, #""recorded_at":"a"#, #""seq":tru"#])
    func ignoredKeysMustStillBeValidJSON(member: String) {
        let error = decodeError(
            #"{\#(member),"type":"status_changed","at":"\#(atText)","conversation":"c","status":"open"}"#
        )
        #expect(error?.code == .invalidJSON)
        #expect(error?.line == 42)
    }

    @Test func manyExtrasAreKeptAndTheirDuplicatesFound() throws {
        // Past 16 extras the decoder checks duplicates with a set.
        let extras = (0..<40).map { "\"x\($0)\":\($0)" }.joined(separator: ",")
        let line = #"{"type":"status_changed","at":"\#(atText)","conversation":"c","status":"open",\#(extras)"#
        let event = try decode(line + "}")
        #expect(event.extras.map(\.key) == (0..<40).map { "x\($0)" })
        let error = decodeError(line + #","x33":0}"#)
        #expect(error?.reason == #"duplicate key "x33""#)
    }

    // MARK: Limits and edge values

    @Test func bodyOfExactlyOneMebibyteIsAccepted() throws {
        let body = String(repeating: "é", count: EventLimits.maxBodyBytes / 2)
        let event = try decode(
            #"{"type":"note_added","at":"\#(atText)","conversation":"c","author":"a","body":"\#(body)"}"#
        )
        #expect(event.payload == .noteAdded(NoteAdded(conversation: "c", author: "a", body: body)))
    }

    @Test func identifierOfExactlyTheLimitIsAccepted() throws {
        let id = String(repeating: "€", count: 170) + "xx"  // 512 bytes of UTF-8
        #expect(id.utf8.count == EventLimits.maxIdentifierBytes)
        let event = try decode(#"{"type":"status_changed","at":"\#(atText)","conversation":"\#(id)","status":"open"}"#)
        #expect(event.payload.conversation == id)
    }

    @Test func escapedControlCharactersAreAllowedInBodies() throws {
        let event = try decode(
            #"{"type":"note_added","at":"\#(atText)","conversation":"c","author":"a","body":"nul:\u0000 bell:\u0007 del:\u007f"}"#
        )
        #expect(
            event.payload
                == .noteAdded(NoteAdded(conversation: "c", author: "a", body: "nul:\u{0} bell:\u{7} del:\u{7F}"))
        )
    }

    // MARK: Rejected lines

    @Test(
        "bad lines are rejected with the right code and field",
        arguments: [
            // Not JSON, or not an object.
            (#"{"type":"note_added""#, EventError.Code.invalidJSON, nil as String?),
            (#"[1,2]"#, .invalidJSON, nil),
            (#""just a string""#, .invalidJSON, nil),
            (#"{"type":"status_changed","at":"\#(atText)","conversation":"c","status":"open"} x"#, .invalidJSON, nil),
            // The envelope.
            (#"{"at":"\#(atText)","conversation":"c","status":"open"}"#, .missingField, "type"),
            (#"{"type":7,"at":"\#(atText)"}"#, .wrongType, "type"),
            (#"{"type":"ticket_opened","at":"\#(atText)"}"#, .unknownType, "type"),
            (#"{"type":"status_changed","conversation":"c","status":"open"}"#, .missingField, "at"),
            (#"{"type":"status_changed","at":1772353800,"conversation":"c","status":"open"}"#, .wrongType, "at"),
            (
                #"{"type":"status_changed","at":"2026-02-30T25:61:00Z","conversation":"c","status":"open"}"#,
                .invalidValue, "at"
            ),
            (
                #"{"type":"status_changed","at":"2026-03-01T09:30:00","conversation":"c","status":"open"}"#,
                .invalidValue, "at"
            ),
            // Identifiers.
            (#"{"type":"status_changed","at":"\#(atText)","status":"open"}"#, .missingField, "conversation"),
            (
                #"{"type":"status_changed","at":"\#(atText)","conversation":12,"status":"open"}"#, .wrongType,
                "conversation"
            ),
            (
                #"{"type":"status_changed","at":"\#(atText)","conversation":null,"status":"open"}"#, .wrongType,
                "conversation"
            ),
            (
                #"{"type":"status_changed","at":"\#(atText)","conversation":"","status":"open"}"#, .invalidValue,
                "conversation"
            ),
            (
                #"{"type":"status_changed","at":"\#(atText)","conversation":"a\u0000b","status":"open"}"#,
                .invalidValue, "conversation"
            ),
            (
                #"{"type":"status_changed","at":"\#(atText)","conversation":"a\nb","status":"open"}"#, .invalidValue,
                "conversation"
            ),
            (
                #"{"type":"status_changed","at":"\#(atText)","conversation":"a\u007f","status":"open"}"#, .invalidValue,
                "conversation"
            ),
            (
                #"{"type":"message_received","at":"\#(atText)","conversation":"c","channel":"email","body":""}"#,
                .missingField, "customer"
            ),
            (
                #"{"type":"message_received","at":"\#(atText)","conversation":"c","customer":"u","channel":"email","message_id":"","body":""}"#,
                .invalidValue, "message_id"
            ),
            (
                #"{"type":"reply_sent","at":"\#(atText)","conversation":"c","author":["a"],"body":""}"#, .wrongType,
                "author"
            ),
            (#"{"type":"assigned","at":"\#(atText)","conversation":"c"}"#, .missingField, "assignee"),
            (#"{"type":"assigned","at":"\#(atText)","conversation":"c","assignee":""}"#, .invalidValue, "assignee"),
            (
                #"{"type":"assigned","at":"\#(atText)","conversation":"c","assignee":"a","team":false}"#, .wrongType,
                "team"
            ),
            (#"{"type":"categorized","at":"\#(atText)","conversation":"c"}"#, .missingField, "category"),
            (#"{"type":"customer_linked","at":"\#(atText)","customer":"a"}"#, .missingField, "same_as"),
            (#"{"type":"customer_linked","at":"\#(atText)","customer":"a","same_as":{}}"#, .wrongType, "same_as"),
            // Names.
            (
                #"{"type":"message_received","at":"\#(atText)","conversation":"c","customer":"u","channel":"fax","body":""}"#,
                .invalidValue, "channel"
            ),
            (
                #"{"type":"message_received","at":"\#(atText)","conversation":"c","customer":"u","channel":"EMAIL","body":""}"#,
                .invalidValue, "channel"
            ),
            (
                #"{"type":"message_received","at":"\#(atText)","conversation":"c","customer":"u","channel":"a-very-long-channel-name","body":""}"#,
                .invalidValue, "channel"
            ),
            (
                #"{"type":"message_received","at":"\#(atText)","conversation":"c","customer":"u","channel":1,"body":""}"#,
                .wrongType, "channel"
            ),
            (
                #"{"type":"status_changed","at":"\#(atText)","conversation":"c","status":"closed"}"#, .invalidValue,
                "status"
            ),
            (#"{"type":"status_changed","at":"\#(atText)","conversation":"c"}"#, .missingField, "status"),
            (
                #"{"type":"categorized","at":"\#(atText)","conversation":"c","category":"x","priority":"p1"}"#,
                .invalidValue, "priority"
            ),
            (
                #"{"type":"categorized","at":"\#(atText)","conversation":"c","category":"x","priority":3}"#, .wrongType,
                "priority"
            ),
            // Other fields.
            (
                #"{"type":"reply_sent","at":"\#(atText)","conversation":"c","author":"a","auto":"yes","body":""}"#,
                .wrongType, "auto"
            ),
            (#"{"type":"reply_sent","at":"\#(atText)","conversation":"c","author":"a"}"#, .missingField, "body"),
            (#"{"type":"note_added","at":"\#(atText)","conversation":"c","author":"a","body":42}"#, .wrongType, "body"),
            (
                #"{"type":"message_received","at":"\#(atText)","conversation":"c","customer":"u","channel":"sms","subject":1,"body":""}"#,
                .wrongType, "subject"
            ),
            (#"{"type":"policy_set","at":"\#(atText)"}"#, .missingField, "policy"),
            (#"{"type":"policy_set","at":"\#(atText)","policy":[1]}"#, .wrongType, "policy"),
            (#"{"type":"policy_set","at":"\#(atText)","policy":"{}"}"#, .wrongType, "policy"),
            // Duplicates, of schema fields, of ignored keys and of extras.
            (
                #"{"type":"status_changed","at":"\#(atText)","conversation":"c","conversation":"d","status":"open"}"#,
                .invalidJSON, nil
            ),
            (
                #"{"seq":1,"seq":2,"type":"status_changed","at":"\#(atText)","conversation":"c","status":"open"}"#,
                .invalidJSON, nil
            ),
            (
                #"{"x":1,"type":"status_changed","at":"\#(atText)","conversation":"c","status":"open","x":2}"#,
                .invalidJSON, nil
            ),
        ]
    )
    func badLineIsRejected(line: String, code: EventError.Code, field: String?) {
        let error = decodeError(line, lineNumber: 42)
        #expect(error?.code == code)
        #expect(error?.field == field)
        #expect(error?.line == 42)
    }

    @Test func wrongTypeSaysWhatWasExpectedAndWhatCame() {
        let error = decodeError(#"{"type":"status_changed","at":"\#(atText)","conversation":12,"status":"open"}"#)
        #expect(error?.reason == "expected a string, got a number")
        #expect(error?.description == #"line 42, field "conversation": expected a string, got a number"#)
    }

    @Test func badTimestampSaysWhy() {
        let error = decodeError(
            #"{"type":"status_changed","at":"2026-02-03T25:00:00Z","conversation":"c","status":"open"}"#
        )
        #expect(
            error?.description
                == #"line 42, field "at": not an RFC 3339 timestamp: hour 25 out of range in "2026-02-03T25:00:00Z""#
        )
    }

    @Test func syntaxErrorCarriesLineAndColumn() {
        let error = decodeError(#"{"type":"note_added",}"#, lineNumber: 7)
        #expect(error?.code == .invalidJSON)
        #expect(error?.line == 7)
        #expect(error?.column == 22)
    }

    @Test func nonObjectIsRejectedSayingWhatItIs() {
        #expect(decodeError("[1]")?.reason == "expected a JSON object, got an array")
        #expect(decodeError("null")?.reason == "expected a JSON object, got null")
    }

    @Test func duplicateKeyIsRejected() {
        let error = decodeError(#"{"type":"status_changed","type":"note_added"}"#)
        #expect(error?.code == .invalidJSON)
        #expect(error?.reason == #"duplicate key "type""#)
        #expect(error?.column == 26)
    }

    @Test func bodyOverOneMebibyteIsRejected() {
        let body = String(repeating: "a", count: EventLimits.maxBodyBytes + 1)
        let error = decodeError(
            #"{"type":"note_added","at":"\#(atText)","conversation":"c","author":"a","body":"\#(body)"}"#
        )
        #expect(error?.code == .tooLarge)
        #expect(error?.field == "body")
        #expect(error?.reason.contains("1048577") == true)
        #expect(error?.reason.contains("1048576") == true)
    }

    @Test func subjectOverItsLimitIsRejected() {
        let subject = String(repeating: "s", count: EventLimits.maxSubjectBytes + 1)
        let error = decodeError(
            #"{"type":"message_received","at":"\#(atText)","conversation":"c","customer":"u","channel":"sms","subject":"\#(subject)","body":""}"#
        )
        #expect(error?.code == .tooLarge)
        #expect(error?.field == "subject")
    }

    @Test(
        arguments: [
            ("conversation", #"{"type":"status_changed","at":"AT","conversation":"HUGE","status":"open"}"#),
            ("customer", #"{"type":"customer_linked","at":"AT","customer":"HUGE","same_as":"b"}"#),
            ("same_as", #"{"type":"customer_linked","at":"AT","customer":"a","same_as":"HUGE"}"#),
            ("author", #"{"type":"note_added","at":"AT","conversation":"c","author":"HUGE","body":""}"#),
            ("assignee", #"{"type":"assigned","at":"AT","conversation":"c","assignee":"HUGE"}"#),
            ("team", #"{"type":"assigned","at":"AT","conversation":"c","assignee":null,"team":"HUGE"}"#),
            ("category", #"{"type":"categorized","at":"AT","conversation":"c","category":"HUGE"}"#),
            (
                "message_id",
                #"{"type":"message_received","at":"AT","conversation":"c","customer":"u","channel":"sms","message_id":"HUGE","body":""}"#
            ),
        ]
    )
    func identifierOverTheLimitIsRejected(field: String, template: String) {
        let huge = String(repeating: "€", count: 171)  // 513 bytes of UTF-8
        let line = template.replacing("AT", with: atText).replacing("HUGE", with: huge)
        let error = decodeError(line)
        #expect(error?.code == .tooLarge)
        #expect(error?.field == field)
        #expect(error?.reason.contains("513") == true)
    }

    @Test func hugeConversationIdIsRejected() {
        let id = String(repeating: "c", count: 100_000)
        let error = decodeError(#"{"type":"status_changed","at":"\#(atText)","conversation":"\#(id)","status":"open"}"#)
        #expect(error?.code == .tooLarge)
        #expect(error?.field == "conversation")
    }

    @Test func invalidUTF8IsRejected() {
        let line =
            Array(#"{"type":"note_added","at":"\#(atText)","conversation":"c","author":"a","body":"caf"#.utf8)
            + [0xE9] + Array(#""}"#.utf8)
        let error = decodeError(line)
        #expect(error?.code == .invalidUTF8)
        #expect(error?.line == 42)
        #expect(error?.column == line.count - 2)
    }

    @Test func rawNulByteIsRejected() {
        let line =
            Array(#"{"type":"note_added","at":"\#(atText)","conversation":"c","author":"a","body":"a"#.utf8)
            + [0x00] + Array(#"b"}"#.utf8)
        let error = decodeError(line)
        #expect(error?.code == .invalidJSON)
        #expect(error?.line == 42)
    }

    @Test func tenThousandLevelsOfNestingAreRejectedWithoutCrashing() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = decodeError(#"{"type":"note_added","at":"\#(atText)","extra":\#(deep)}"#)
        #expect(error?.code == .invalidJSON)
        #expect(error?.reason.contains("depth") == true)

        let deepPolicy = String(repeating: "{\"a\":", count: 10_000)
        #expect(decodeError(#"{"type":"policy_set","at":"\#(atText)","policy":\#(deepPolicy)"#)?.code == .invalidJSON)
    }

    @Test func syntaxErrorsWinOverFieldErrors() {
        // The conversation is bad, but the line is not even JSON: that is what gets reported.
        let error = decodeError(#"{"type":"status_changed","at":"\#(atText)","conversation":1,"status":"open""#)
        #expect(error?.code == .invalidJSON)
    }
}
