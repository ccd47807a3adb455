import ParleyEvents
import Testing

/// `csat_recorded`, `compensation_given` and `order_placed`: what `append` reads, the error naming the field
/// for what it refuses (a score out of 1–5, a fractional amount, a currency that is no ISO 4217 code), and
/// money that stays an integer through every encoding.
@Suite struct InsightsEventTypesTests {
    static func decode(_ line: String) throws(EventError) -> Event {
        try JSONLineDecoder().decode(Array(line.utf8)[...], lineNumber: 3)
    }

    static func roundTrip(_ event: Event) throws -> Event {
        var record: [UInt8] = []
        EventCodec.encode(event, into: &record)
        guard case .event(let decoded) = try EventCodec.decode(record[...]) else {
            Issue.record("not decoded")
            return event
        }
        return decoded
    }

    @Test func eachTypeReadsItsFieldsAndSurvivesTheBinaryCodec() throws {
        let csat = try Self.decode(
            #"{"type":"csat_recorded","at":"2026-03-03T10:00:00Z","conversation":"c-7","score":4,"comment":"ok","channel":"whatsapp"}"#
        )
        #expect(
            csat.payload
                == .csatRecorded(CSATRecorded(conversation: "c-7", score: 4, comment: "ok", channel: .whatsapp)))
        let given = try Self.decode(
            #"{"type":"compensation_given","at":"2026-03-03T10:00:00Z","conversation":"c-7","kind":"replacement","amount":9007199254740991,"currency":"JPY"}"#
        )
        #expect(
            given.payload
                == .compensationGiven(
                    CompensationGiven(
                        conversation: "c-7", kind: .replacement, amount: 9_007_199_254_740_991, currency: "JPY")))
        let order = try Self.decode(
            #"{"type":"order_placed","at":"2026-03-03T10:00:00Z","customer":"u1","order_id":"o-1","amount":0,"currency":"EUR"}"#
        )
        #expect(order.payload == .orderPlaced(OrderPlaced(customer: "u1", orderID: "o-1", amount: 0, currency: "EUR")))
        #expect(order.payload.conversation == nil && given.payload.conversation == "c-7")
        for event in [csat, given, order] { #expect(try Self.roundTrip(event) == event) }
    }

    @Test(arguments: [
        (#""score":0"#, "score"), (#""score":6"#, "score"), (#""score":4.5"#, "score"), (#""score":"5""#, "score"),
        (#""score":5e0"#, "score"), (#""channel":"pigeon""#, "channel"),
    ])
    func aBadSurveyIsRefusedNamingTheField(member: String, field: String) {
        var members = [#""conversation":"c""#, #""score":3"#, #""channel":"email""#]
        members.removeAll { $0.hasPrefix(member.prefix { $0 != ":" }) }
        members.append(member)
        let line = #"{"type":"csat_recorded","at":"2026-03-03T10:00:00Z","# + members.joined(separator: ",") + "}"
        #expect {
            _ = try Self.decode(line)
        } throws: { error in
            (error as? EventError)?.field == field && (error as? EventError)?.line == 3
        }
    }

    @Test(arguments: [
        (#""amount":12.5"#, "amount"), (#""amount":-1"#, "amount"), (#""amount":1250.0"#, "amount"),
        (#""amount":9007199254740992"#, "amount"), (#""currency":"eur""#, "currency"),
        (#""currency":"EURO""#, "currency"),
        (#""kind":"gift""#, "kind"),
    ])
    func badMoneyIsRefusedNamingTheField(member: String, field: String) {
        for type in ["compensation_given", "order_placed"] where type == "compensation_given" || field != "kind" {
            var members =
                type == "compensation_given"
                ? [#""conversation":"c""#, #""kind":"refund""#, #""amount":100"#, #""currency":"EUR""#]
                : [#""customer":"u""#, #""order_id":"o""#, #""amount":100"#, #""currency":"EUR""#]
            members.removeAll { $0.hasPrefix(member.prefix { $0 != ":" }) }
            members.append(member)
            let line = #"{"type":"\#(type)","at":"2026-03-03T10:00:00Z","# + members.joined(separator: ",") + "}"
            #expect("\(type) \(member)") {
                _ = try Self.decode(line)
            } throws: { error in
                (error as? EventError)?.field == field
            }
        }
    }

    @Test func anAmountIsWrittenBackAsTheIntegerItWas() throws {
        let line =
            #"{"type":"order_placed","at":"2026-03-03T10:00:00Z","customer":"u","order_id":"o","amount":1999,"currency":"EUR"}"#
        var out: [UInt8] = []
        JSONLineEncoder().encode(try Self.roundTrip(try Self.decode(line)), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == line)
    }

    /// docs/EVENTS.md's example lines of the money types are accepted and come back from `dump` as written.
    @Test func theExamplesInEventsMDDecodeAndDumpAsWritten() throws {
        let text = try RepositoryFile.text("docs/EVENTS.md")
        let start = try #require(text.range(of: "Examples of the money types"))
        let open = try #require(text[start.upperBound...].range(of: "```\n"))
        let end = try #require(text[open.upperBound...].range(of: "```"))
        let lines = text[open.upperBound..<end.lowerBound].split(separator: "\n")
        #expect(
            Set(lines.map { try? Self.decode(String($0)).kind }) == [.csatRecorded, .compensationGiven, .orderPlaced])
        for line in lines {
            var out: [UInt8] = []
            JSONLineEncoder().encode(try Self.decode(String(line)), into: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(line))
        }
    }
}
