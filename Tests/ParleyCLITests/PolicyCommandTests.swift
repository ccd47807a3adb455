import Foundation
import Testing

/// `parley policy set FILE.json` and `parley policy show`: a policy that checks is appended as one
/// `policy_set` event, stored exactly as given; one that does not is refused with its field and nothing
/// is written.
@Suite(.dedicatedThread) struct PolicyCommandTests {
    static let policy = #"""
        {"name": "Standard", "time_zone": "Europe/Paris",
         "business_hours": {"monday": ["09:00-12:30", "13:30-18:00"], "tuesday": ["09:00-18:00"]},
         "holidays": ["2026-12-25"],
         "targets": {"urgent": {"first_response": 30, "resolution": 240}, "normal": {"first_response": 240}}}
        """#

    /// A log with two events (seqs 1 and 2), in the sandbox.
    static func logWithTwoEvents(_ sandbox: Sandbox) throws {
        #expect(InProcess.run(["init", "--log", sandbox.log]).code == 0)
        let lines = [
            #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"u1","channel":"email","body":"hi"}"#,
            #"{"type":"note_added","at":"2026-03-02T09:01:00Z","conversation":"c1","author":"agent:ana","body":"n"}"#,
        ]
        let appended = InProcess.run(["append", "--log", sandbox.log], stdin: EventLines.input(lines))
        #expect(appended.code == 0, "\(appended)")
    }

    static func write(_ text: String, to path: String, bom: Bool = false) throws {
        try Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)).write(to: URL(fileURLWithPath: path))
    }

    /// The last line of `parley dump`, parsed.
    static func lastEvent(_ sandbox: Sandbox) throws -> TestJSON {
        let dumped = InProcess.run(["dump", "--log", sandbox.log])
        #expect(dumped.code == 0, "\(dumped)")
        return try TestJSON.parse(try #require(ParleyRun.lines(dumped.stdout).last))
    }

    @Test func validPolicyIsAppendedAsOneEventAndItsSeqPrinted() throws {
        let sandbox = try Sandbox()
        try Self.logWithTwoEvents(sandbox)
        let file = sandbox.path("policy.json")
        try Self.write(Self.policy, to: file)
        let set = InProcess.run(["policy", "set", file, "--at", "2026-03-01T12:00:00+01:00", "--log", sandbox.log])
        #expect(set.code == 0, "\(set)")
        // It says which episodes it covers: the log's one episode (c1, 09:00 on 2 March) started after it.
        #expect(
            set.stdout == """
                policy set at seq 3
                policy in force from 2026-03-01T11:00:00Z on
                covers 1 episode: first start 2026-03-02T09:00:00Z, last start 2026-03-02T09:00:00Z

                """, "\(set)")
        #expect(set.stderr.isEmpty)
        let event = try Self.lastEvent(sandbox)
        #expect(event["seq"]?.intValue == 3)
        #expect(event["type"]?.stringValue == "policy_set")
        #expect(event["at"]?.stringValue == "2026-03-01T12:00:00+01:00")
        #expect(event["conversation"] == nil)
        // Stored exactly as given: same members, same order, same number texts.
        #expect(event["policy"] == (try TestJSON.parse(Self.policy)))
        // Without --at, the event time is now (the command's clock).
        let again = InProcess.run(["policy", "set", file, "--log", sandbox.log], now: 1_772_445_600 * 1_000_000_000)
        // Dated after the only episode, the new policy measures nothing yet.
        #expect(
            again.stdout == """
                policy set at seq 4
                policy in force from 2026-03-02T10:00:00Z on
                covers no episode yet: the log's episodes start 2026-03-02T09:00:00Z … 2026-03-02T09:00:00Z; \
                date it with --at TIME

                """, "\(again)")
        #expect(try Self.lastEvent(sandbox)["at"]?.stringValue == "2026-03-02T10:00:00Z")
    }

    @Test func byteOrderMarkIsAccepted() throws {
        let sandbox = try Sandbox()
        try Self.logWithTwoEvents(sandbox)
        let file = sandbox.path("policy.json")
        try Self.write(Self.policy, to: file, bom: true)
        let set = InProcess.run(["policy", "set", file, "--at", "2026-03-01T12:00:00Z", "--log", sandbox.log])
        #expect(set.code == 0, "\(set)")
        #expect(try Self.lastEvent(sandbox)["policy"] == (try TestJSON.parse(Self.policy)))
    }

    /// A refused policy and what stderr must name.
    struct Refused: Sendable, CustomTestStringConvertible {
        var what: String
        var text: String
        var mentions: String

        var testDescription: String { what }
    }

    static let refused: [Refused] = [
        Refused(
            what: "unknown field", text: policy.replacingOccurrences(of: #""holidays""#, with: #""holyday""#),
            mentions: #"policy field "holyday""#),
        Refused(
            what: "bad window", text: policy.replacingOccurrences(of: "09:00-18:00", with: "25:00-26:00"),
            mentions: #"policy field "business_hours.tuesday[0]""#),
        Refused(
            what: "unknown time zone", text: policy.replacingOccurrences(of: "Europe/Paris", with: "Mars/Olympus"),
            mentions: #"policy field "time_zone""#),
        Refused(
            what: "target 0",
            text: policy.replacingOccurrences(of: #""first_response": 30"#, with: #""first_response": 0"#),
            mentions: #"policy field "targets.urgent.first_response""#),
        Refused(what: "not an object", text: "[1, 2]", mentions: #"policy field "policy""#),
        Refused(what: "not JSON", text: "{\"time_zone\": ", mentions: "policy.json"),
        Refused(what: "two objects", text: policy + policy, mentions: "policy.json"),
        Refused(what: "empty file", text: "", mentions: "policy.json"),
    ]

    @Test(arguments: refused)
    func invalidPolicyExits65NamingTheFieldAndWritesNothing(_ refusal: Refused) throws {
        let sandbox = try Sandbox()
        try Self.logWithTwoEvents(sandbox)
        let before = try sandbox.bytes()
        let file = sandbox.path("policy.json")
        try Self.write(refusal.text, to: file)
        let set = InProcess.run(["policy", "set", file, "--at", "2026-03-01T12:00:00Z", "--log", sandbox.log])
        #expect(set.code == 65, "\(set)")
        #expect(set.stdout.isEmpty)
        #expect(set.stderr.hasPrefix("Error: "), "\(set)")
        #expect(set.stderr.contains(refusal.mentions), "\(set)")
        #expect(try sandbox.bytes() == before)
    }

    @Test func missingFileExits66AndWritesNothing() throws {
        let sandbox = try Sandbox()
        try Self.logWithTwoEvents(sandbox)
        let before = try sandbox.bytes()
        let set = InProcess.run(["policy", "set", sandbox.path("nowhere.json"), "--log", sandbox.log])
        #expect(set.code == 66, "\(set)")
        #expect(set.stderr.contains("nowhere.json"), "\(set)")
        #expect(try sandbox.bytes() == before)
    }

    @Test func usageErrorsExit64() throws {
        let sandbox = try Sandbox()
        try Self.logWithTwoEvents(sandbox)
        let file = sandbox.path("policy.json")
        try Self.write(Self.policy, to: file)
        let before = try sandbox.bytes()
        for arguments in [
            ["policy"], ["policy", "set"], ["policy", "unset"], ["policy", "show", "extra"],
            ["policy", "set", file, "--at", "tomorrow"], ["policy", "set", file, file],
        ] {
            let result = InProcess.run(arguments + ["--log", sandbox.log])
            #expect(result.code == 64, "\(arguments): \(result)")
            #expect(result.stderr.contains("Usage: parley policy"), "\(arguments): \(result)")
        }
        #expect(try sandbox.bytes() == before)
    }

    @Test func showListsEveryPolicyInLogOrderMarkingTheInvalid() throws {
        let sandbox = try Sandbox()
        #expect(InProcess.run(["init", "--log", sandbox.log]).code == 0)
        let empty = InProcess.run(["policy", "show", "--log", sandbox.log])
        #expect(empty.code == 0 && empty.stdout == "no SLA policy in the log\n", "\(empty)")
        // The events of Fixtures/sla/policy-change-mid-episode: Office hours (seq 2), Extended hours (4) and
        // the invalid Mars office (5).
        try RecordedLog.write(
            RecordedLog.decode(SLAFixtures.text("policy-change-mid-episode", "events.jsonl")), to: sandbox.path("p.log")
        )
        let shown = InProcess.run(["policy", "show", "--log", sandbox.path("p.log")])
        #expect(shown.code == 0, "\(shown)")
        let rows = ParleyRun.lines(shown.stdout).map { line in
            line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        #expect(
            rows == [
                ["seq", "at", "name", "time zone", "state"],
                ["2", "2026-03-02T08:30:00+01:00", "Office hours", "Europe/Paris", "valid"],
                ["4", "2026-03-02T11:00:00+01:00", "Extended hours", "Europe/Paris", "valid"],
                ["5", "2026-03-02T12:00:00+01:00", "-", "-", "invalid (ignored)"],
            ], "\(shown.stdout)")
    }

    /// The built binary: exit codes and messages as a shell sees them.
    @Test func binaryRefusesAnInvalidPolicyAndAcceptsAValidOne() throws {
        let sandbox = try Sandbox()
        try sandbox.initLog()
        let bad = sandbox.path("bad.json")
        try Self.write(Self.policy.replacingOccurrences(of: "\"monday\"", with: "\"mondays\""), to: bad)
        let before = try sandbox.bytes()
        let refused = try sandbox.run(["policy", "set", bad])
        #expect(refused.exitCode == 65, "\(refused)")
        #expect(refused.stderrText.contains(#"policy field "business_hours.mondays": unknown weekday"#), "\(refused)")
        #expect(try sandbox.bytes() == before)
        let missing = try sandbox.run(["policy", "set", sandbox.path("none.json")])
        #expect(missing.exitCode == 66, "\(missing)")
        let good = sandbox.path("good.json")
        try Self.write(Self.policy, to: good)
        let accepted = try sandbox.run(["policy", "set", good, "--at", "2026-03-01T00:00:00Z"])
        #expect(accepted.succeeded, "\(accepted)")
        #expect(
            accepted.stdoutText
                == "policy set at seq 1\npolicy in force from 2026-03-01T00:00:00Z on\ncovers no episode yet: the log has none\n"
        )
        let shown = try sandbox.run(["policy", "show"])
        #expect(shown.stdoutLines.count == 2 && shown.stdoutLines[1].hasPrefix("1 "), "\(shown)")
    }
}
