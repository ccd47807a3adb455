import ParleyEvents
import Testing

/// The event types of routing and hand-off (`rules_set`, `agent_status`, `customer_profile`, `escalated`,
/// `routed`) and the field kinds they brought (optional integers, identifier lists): what `append` accepts
/// and how it says what it refuses. Their round trips are in `EventTypeTests`, which enumerates every type.
@Suite struct RoutingEventsTests {
    private static let envelope = #""at":"2026-03-02T09:15:00Z""#

    private func decode(_ line: String) throws(EventError) -> EventPayload {
        try JSONLineDecoder().decode(Array(line.utf8)[...], lineNumber: 7).payload
    }

    private func error(_ line: String) -> EventError? {
        #expect(throws: EventError.self) { try JSONLineDecoder().decode(Array(line.utf8)[...], lineNumber: 7) }
    }

    @Test func everyNewTypeDecodesIntoItsFields() throws {
        let e = Self.envelope
        #expect(
            try decode(#"{"type":"rules_set",\#(e),"rules":{"rules":[]}}"#)
                == .rulesSet(RulesSet(rules: .object([JSONMember(key: "rules", value: .array([]))]))))
        #expect(
            try decode(
                #"{"type":"agent_status",\#(e),"agent":"agent:ana","status":"online","teams":["support","billing"],"capacity":5,"skills":[]}"#
            )
                == .agentStatus(
                    AgentStatus(
                        agent: "agent:ana", status: .online, teams: ["support", "billing"], capacity: 5, skills: [])))
        #expect(
            try decode(#"{"type":"agent_status",\#(e),"agent":"agent:bo","status":"away","teams":null}"#)
                == .agentStatus(AgentStatus(agent: "agent:bo", status: .away)))
        #expect(
            try decode(
                #"{"type":"customer_profile",\#(e),"customer":"cus-1","tier":"key","lifetime_value":1250000,"currency":"EUR","account_manager":"agent:maria"}"#
            )
                == .customerProfile(
                    CustomerProfile(
                        customer: "cus-1", tier: "key", lifetimeValue: 1_250_000, currency: "EUR",
                        accountManager: "agent:maria")))
        #expect(
            try decode(
                #"{"type":"escalated",\#(e),"conversation":"c1","by":"bot:faq","reason":"low_confidence","understood":"refund for order 42"}"#
            )
                == .escalated(
                    Escalated(
                        conversation: "c1", by: "bot:faq", reason: "low_confidence", understood: "refund for order 42"))
        )
        #expect(
            try decode(
                #"{"type":"routed",\#(e),"conversation":"c1","by":"rule:billing","team":"finance","priority":"high","mode":"human","score":12,"topics":["billing"],"reason":"channel=email tier=key"}"#
            )
                == .routed(
                    Routed(
                        conversation: "c1", by: "rule:billing", team: "finance", priority: .high, mode: .human,
                        score: 12, topics: ["billing"], reason: "channel=email tier=key")))
    }

    @Test func aCurrencyThatIsNotAnISOCodeIsRefusedNamingTheField() throws {
        for currency in ["eur", "EURO", "E1R", "€"] {
            let line =
                #"{"type":"customer_profile",\#(Self.envelope),"customer":"cus-1","lifetime_value":1,"currency":"\#(currency)"}"#
            let failure = try #require(error(line))
            #expect(failure.code == .invalidValue && failure.field == "currency" && failure.line == 7, "\(failure)")
            #expect(failure.description.contains("ISO 4217"))
        }
    }

    @Test func aLifetimeValueWithoutItsCurrencyIsRefused() throws {
        let failure = try #require(
            error(#"{"type":"customer_profile",\#(Self.envelope),"customer":"cus-1","lifetime_value":100}"#))
        #expect(failure.field == "currency" && failure.code == .invalidValue)
        #expect(
            try decode(#"{"type":"customer_profile",\#(Self.envelope),"customer":"cus-1","currency":"USD"}"#)
                == .customerProfile(CustomerProfile(customer: "cus-1", currency: "USD")))
    }

    @Test func aListItemTwiceIsRefusedNamingTheFieldAndTheItem() throws {
        let failure = try #require(
            error(
                #"{"type":"agent_status",\#(Self.envelope),"agent":"a","status":"online","teams":["support","sales","support"]}"#
            ))
        #expect(failure.description == #"line 7, field "teams": "support" appears twice"#)
    }

    @Test func aListOverItsLimitIsRefusedAndOneAtItIsAccepted() throws {
        func line(_ count: Int) -> String {
            let items = (0..<count).map { #""s\#($0)""# }.joined(separator: ",")
            return #"{"type":"agent_status",\#(Self.envelope),"agent":"a","status":"online","skills":[\#(items)]}"#
        }
        guard case .agentStatus(let status) = try decode(line(AgentStatus.maxListCount)) else {
            Issue.record("not an agent_status")
            return
        }
        #expect(status.skills?.count == AgentStatus.maxListCount)
        let failure = try #require(error(line(AgentStatus.maxListCount + 1)))
        #expect(failure.code == .tooLarge && failure.field == "skills", "\(failure)")
    }

    @Test(arguments: [
        (#""teams":"support""#, "teams", EventError.Code.wrongType),
        (#""teams":[1]"#, "teams", .wrongType),
        (#""teams":[""]"#, "teams", .invalidValue),
        (#""capacity":10001"#, "capacity", .invalidValue),
        (#""capacity":-1"#, "capacity", .invalidValue),
        (#""capacity":2.5"#, "capacity", .invalidValue),
        (#""capacity":"5""#, "capacity", .wrongType),
    ])
    func aBadListOrCapacityIsRefusedNamingTheField(member: String, field: String, code: EventError.Code) throws {
        let failure = try #require(
            error(#"{"type":"agent_status",\#(Self.envelope),"agent":"a","status":"online",\#(member)}"#))
        #expect(failure.field == field && failure.code == code, "\(failure)")
    }

    @Test func anUnknownStatusOrModeIsRefusedWithTheNamesAllowed() throws {
        let status = try #require(
            error(#"{"type":"agent_status",\#(Self.envelope),"agent":"a","status":"busy"}"#))
        #expect(status.field == "status" && status.code == .invalidValue)
        #expect(status.description.contains("online, away, offline"), "\(status)")
        let mode = try #require(
            error(#"{"type":"routed",\#(Self.envelope),"conversation":"c","by":"default","mode":"bot"}"#))
        #expect(mode.field == "mode" && mode.description.contains("human, automation"), "\(mode)")
    }

    @Test func anEmptyListIsKeptApartFromAnAbsentOneThroughTheLog() throws {
        for (teams, expected) in [("[]", [String]?.some([])), ("null", nil)] {
            let event = try JSONLineDecoder().decode(
                Array(
                    #"{"type":"agent_status",\#(Self.envelope),"agent":"a","status":"offline","teams":\#(teams)}"#.utf8)[
                        ...],
                lineNumber: 1)
            var record: [UInt8] = []
            EventCodec.encode(event, into: &record)
            guard case .event(let back) = try EventCodec.decode(record[...], texts: false),
                case .agentStatus(let status) = back.payload
            else {
                Issue.record("not decoded")
                return
            }
            #expect(status.teams == expected)
        }
    }

    @Test func aStoredListOrOptionalIntegerOutOfItsShapeIsMalformedForDecodeAndValidateAlike() throws {
        var record: [UInt8] = []
        let event = Event(
            at: Timestamp(nanoseconds: 0, offsetMinutes: 0),
            payload: .agentStatus(AgentStatus(agent: "a", status: .online, teams: ["t"], capacity: 3)))
        EventCodec.encode(event, into: &record)
        // Prefix 12, agent "a" (2 bytes), status (1): teams count+1 at 15, its item at 16–17, then capacity.
        #expect(record[15] == 2 && record[18] == 1 && record[19] == 6)
        var tooMany = record
        tooMany[15] = UInt8(AgentStatus.maxListCount + 2)
        var badPresence = record
        badPresence[18] = 2
        var outOfRange = Array(record[..<19]) + [0xA2, 0x9C, 0x01] + record[20...]  // zigzag 10_001
        outOfRange[18] = 1
        for bad in [tooMany, badPresence, outOfRange, Array(record.dropLast(3))] {
            #expect(throws: EventError.self) { try EventCodec.decode(bad[...]) }
            #expect(throws: EventError.self) { try EventCodec.validate(bad[...]) }
        }
    }

    /// The example lines docs/EVENTS.md gives for the newer types are accepted, and come back from `dump`
    /// as they are written there.
    @Test func theExamplesInEventsMDDecodeAndDumpAsWritten() throws {
        let text = try RepositoryFile.text("docs/EVENTS.md")
        let start = try #require(text.range(of: "Examples of the newer types, one line each:\n\n```\n"))
        let end = try #require(text[start.upperBound...].range(of: "```"))
        let lines = text[start.upperBound..<end.lowerBound].split(separator: "\n")
        #expect(lines.count == 6)
        for line in lines {
            let event = try JSONLineDecoder().decode(Array(line.utf8)[...], lineNumber: 1)
            var out: [UInt8] = []
            JSONLineEncoder().encode(event, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(line))
        }
    }
}
