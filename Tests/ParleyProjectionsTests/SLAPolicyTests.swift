import ParleyEvents
import Testing

@testable import ParleyProjections

/// Reading a policy from the JSON of a `policy_set`: what a valid one becomes, and that every refusal
/// names the field at fault.
@Suite struct SLAPolicyTests {
    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(ArraySlice(Array(text.utf8))) }

    /// A valid policy with every kind of member; the refusals below change one thing in it.
    static let valid = #"""
        {"name":"Standard","time_zone":"Europe/Paris",
         "business_hours":{"monday":["13:30-18:00","09:00-12:30"],"friday":["09:00-17:00"],"saturday":["20:00-24:00"],
                           "sunday":[]},
         "holidays":["2026-12-25","2027-01-01"],
         "targets":{"urgent":{"first_response":30,"resolution":240},"normal":{"first_response":240},"low":{}}}
        """#

    @Test func validPolicyIsReadIntoSecondsDaysAndMinutes() throws {
        let policy = try SLAPolicy(json: Self.json(Self.valid))
        #expect(policy.name == "Standard")
        #expect(policy.timeZone == "Europe/Paris")
        #expect(policy.week.count == 7)
        // Sorted, in seconds after local midnight; 24:00 is 86 400; weekdays left out (and empty) are closed.
        #expect(policy.week[0] == [.init(start: 32_400, end: 45_000), .init(start: 48_600, end: 64_800)])
        #expect(policy.week[4] == [.init(start: 32_400, end: 61_200)])
        #expect(policy.week[5] == [.init(start: 72_000, end: 86_400)])
        #expect(policy.week[1].isEmpty && policy.week[2].isEmpty && policy.week[3].isEmpty && policy.week[6].isEmpty)
        let christmas = Timestamp(rfc3339: "2026-12-25T00:00:00Z")!.nanoseconds / 86_400_000_000_000
        #expect(policy.holidays == [christmas, christmas + 7])
        #expect(policy.targets[.urgent] == SLAPolicy.Targets(firstResponse: 30, resolution: 240))
        #expect(policy.targets[.normal] == SLAPolicy.Targets(firstResponse: 240, resolution: nil))
        #expect(policy.targets[.low] == SLAPolicy.Targets(firstResponse: nil, resolution: nil))
        #expect(policy.targets[.high] == nil)
        // No priority is measured as normal; a priority without an entry has no targets.
        #expect(policy.targets(for: nil) == policy.targets[.normal])
        #expect(policy.targets(for: .high) == nil)
    }

    @Test func minimalPolicyNeedsOnlyZoneHoursAndTargets() throws {
        let policy = try SLAPolicy(
            json: Self.json(
                #"{"time_zone":"America/New_York","business_hours":{},"targets":{"high":{"resolution":1}}}"#))
        #expect(policy.name == nil)
        #expect(policy.week.allSatisfy { $0.isEmpty })
        #expect(policy.holidays.isEmpty)
        #expect(policy.targets == [.high: SLAPolicy.Targets(firstResponse: nil, resolution: 1)])
    }

    @Test(arguments: ["00:00-24:00", "23:59-24:00", "00:00-00:01", "09:05-09:06"])
    func windowsFromMidnightToMidnightAreAccepted(_ window: String) throws {
        let text = Self.valid.replacingOccurrences(of: "\"09:00-17:00\"", with: "\"\(window)\"")
        #expect(throws: Never.self) { try SLAPolicy(json: Self.json(text)) }
    }

    @Test func windowsThatTouchDoNotOverlap() throws {
        let text = Self.valid.replacingOccurrences(
            of: #"["09:00-17:00"]"#, with: #"["12:00-13:00","09:00-12:00","13:00-24:00"]"#)
        let policy = try SLAPolicy(json: Self.json(text))
        #expect(policy.week[4].map(\.start) == [32_400, 43_200, 46_800])
    }

    /// One change to the valid policy and the field the refusal must name.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var what: String
        var replace: String
        var with: String
        var field: String

        var testDescription: String { "\(what) → \(field)" }

        func policy() -> String {
            precondition(SLAPolicyTests.valid.contains(replace), "\(replace) is not in the valid policy")
            return SLAPolicyTests.valid.replacingOccurrences(of: replace, with: with)
        }
    }

    static let friday = #"["09:00-17:00"]"#
    static let urgent = #"{"first_response":30,"resolution":240}"#

    static let refusals: [Refusal] = [
        Refusal(what: "unknown field", replace: #""name":"Standard","#, with: #""colour":"red","#, field: "colour"),
        Refusal(what: "misspelt field", replace: #""holidays":"#, with: #""holiday":"#, field: "holiday"),
        Refusal(what: "25:00-26:00", replace: friday, with: #"["25:00-26:00"]"#, field: "business_hours.friday[0]"),
        Refusal(
            what: "end before start", replace: friday, with: #"["12:00-09:00"]"#, field: "business_hours.friday[0]"),
        Refusal(what: "empty window", replace: friday, with: #"["09:00-09:00"]"#, field: "business_hours.friday[0]"),
        Refusal(what: "24:00 as start", replace: friday, with: #"["24:00-24:00"]"#, field: "business_hours.friday[0]"),
        Refusal(what: "24:01", replace: friday, with: #"["09:00-24:01"]"#, field: "business_hours.friday[0]"),
        Refusal(what: "minute 60", replace: friday, with: #"["09:00-12:60"]"#, field: "business_hours.friday[0]"),
        Refusal(what: "one-digit hour", replace: friday, with: #"["9:00-12:00"]"#, field: "business_hours.friday[0]"),
        Refusal(what: "en dash", replace: friday, with: #"["09:00–12:00"]"#, field: "business_hours.friday[0]"),
        Refusal(
            what: "three times", replace: friday, with: #"["09:00-12:00-13:00"]"#, field: "business_hours.friday[0]"),
        Refusal(
            what: "not a string", replace: friday, with: #"["09:00-12:00",900]"#, field: "business_hours.friday[1]"),
        Refusal(what: "not an array", replace: friday, with: #""09:00-17:00""#, field: "business_hours.friday"),
        Refusal(
            what: "overlap", replace: friday, with: #"["09:00-12:00","11:30-13:00"]"#, field: "business_hours.friday"),
        Refusal(
            what: "overlap, unsorted", replace: friday, with: #"["13:00-14:00","09:00-13:30"]"#,
            field: "business_hours.friday"),
        Refusal(
            what: "same window twice", replace: friday, with: #"["09:00-10:00","09:00-10:00"]"#,
            field: "business_hours.friday"),
        Refusal(what: "unknown weekday", replace: #""friday":"#, with: #""funday":"#, field: "business_hours.funday"),
        Refusal(
            what: "capitalised weekday", replace: #""friday":"#, with: #""Friday":"#, field: "business_hours.Friday"),
        Refusal(
            what: "hours not an object", replace: #""business_hours":{"#, with: #""business_hours":[],"x":{"#,
            field: "business_hours"),
        Refusal(what: "month 13", replace: "2026-12-25", with: "2026-13-01", field: "holidays[0]"),
        Refusal(what: "February 30", replace: "2026-12-25", with: "2026-02-30", field: "holidays[0]"),
        Refusal(what: "February 29 of a common year", replace: "2027-01-01", with: "2027-02-29", field: "holidays[1]"),
        Refusal(what: "day first", replace: "2026-12-25", with: "25-12-2026", field: "holidays[0]"),
        Refusal(what: "with a time", replace: "\"2026-12-25\"", with: "\"2026-12-25T00:00:00Z\"", field: "holidays[0]"),
        Refusal(what: "two-digit year", replace: "2026-12-25", with: "26-12-25", field: "holidays[0]"),
        Refusal(what: "a number", replace: "\"2027-01-01\"", with: "20270101", field: "holidays[1]"),
        Refusal(
            what: "holidays not an array", replace: #"["2026-12-25","2027-01-01"]"#, with: "\"2026-12-25\"",
            field: "holidays"),
        Refusal(what: "unknown priority", replace: #""urgent":"#, with: #""critical":"#, field: "targets.critical"),
        Refusal(
            what: "target 0", replace: urgent, with: #"{"first_response":0}"#, field: "targets.urgent.first_response"),
        Refusal(
            what: "target 1.5", replace: urgent, with: #"{"first_response":1.5}"#,
            field: "targets.urgent.first_response"),
        Refusal(
            what: "target \"30\"", replace: urgent, with: #"{"first_response":"30"}"#,
            field: "targets.urgent.first_response"),
        Refusal(what: "target -30", replace: urgent, with: #"{"resolution":-30}"#, field: "targets.urgent.resolution"),
        Refusal(what: "target 3e1", replace: urgent, with: #"{"resolution":3e1}"#, field: "targets.urgent.resolution"),
        Refusal(
            what: "target null", replace: urgent, with: #"{"resolution":null}"#, field: "targets.urgent.resolution"),
        Refusal(
            what: "target too large", replace: urgent, with: #"{"resolution":10000001}"#,
            field: "targets.urgent.resolution"),
        Refusal(
            what: "unknown clock", replace: urgent, with: #"{"reply_time":30}"#, field: "targets.urgent.reply_time"),
        Refusal(what: "clocks not an object", replace: urgent, with: "30", field: "targets.urgent"),
        Refusal(what: "no targets", replace: #""targets":{"urgent""#, with: #""targetz":{"urgent""#, field: "targetz"),
        Refusal(what: "unknown time zone", replace: "Europe/Paris", with: "Mars/Olympus", field: "time_zone"),
        Refusal(what: "abbreviation for a zone", replace: "Europe/Paris", with: "Paris", field: "time_zone"),
        Refusal(what: "empty time zone", replace: "\"Europe/Paris\"", with: "\"\"", field: "time_zone"),
        Refusal(what: "time zone a number", replace: "\"Europe/Paris\"", with: "1", field: "time_zone"),
        Refusal(what: "empty name", replace: "\"Standard\"", with: "\"\"", field: "name"),
    ]

    @Test(arguments: refusals)
    func refusalNamesTheField(_ refusal: Refusal) throws {
        let json = try Self.json(refusal.policy())
        #expect {
            try SLAPolicy(json: json)
        } throws: { error in
            guard let error = error as? SLAPolicyError else { return false }
            return error.field == refusal.field && !error.reason.isEmpty
                && "\(error)".hasPrefix("policy field \"\(refusal.field)\": ")
        }
    }

    @Test func missingMembersAreNamed() throws {
        let cases: [(String, String)] = [
            (#"{"business_hours":{},"targets":{"normal":{}}}"#, "time_zone"),
            (#"{"time_zone":"Europe/Paris","targets":{"normal":{}}}"#, "business_hours"),
            (#"{"time_zone":"Europe/Paris","business_hours":{}}"#, "targets"),
            (#"{"time_zone":"Europe/Paris","business_hours":{},"targets":{}}"#, "targets"),
            (#"[]"#, "policy"),
            (#""Europe/Paris""#, "policy"),
        ]
        for (text, field) in cases {
            let json = try Self.json(text)
            #expect(throws: SLAPolicyError.self, "\(text)") { try SLAPolicy(json: json) }
            do {
                _ = try SLAPolicy(json: json)
            } catch {
                #expect(error.field == field, "\(text): \(error)")
            }
        }
    }
}
