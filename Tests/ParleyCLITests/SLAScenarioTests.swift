import Foundation
import Testing

/// Hand-worked SLA scenarios: each folder of `Fixtures/sla` holds an `events.jsonl` and what `parley sla`
/// and `parley kpi` must print for it at given moments, worked out by hand from the SLA rules (the
/// arithmetic is in `Fixtures/sla/README.md`; no expected file was produced by running the code).
///
/// The events go through the JSON Lines decoder into a log recorded as it would have been live (one
/// frame per event, committed at its event time), and the commands run in-process.
@Suite(.dedicatedThread) struct SLAScenarioTests {
    /// One expected file of a scenario.
    struct Case: Sendable, CustomTestStringConvertible {
        var folder: String
        var expected: String

        var testDescription: String { "\(folder)/\(expected)" }
    }

    static let cases: [Case] = [
        Case(folder: "pending-weekend-holiday", expected: "expected-sla.json"),
        Case(folder: "pending-weekend-holiday", expected: "expected-kpi.json"),
        Case(folder: "split-shifts", expected: "expected-sla.json"),
        Case(folder: "split-shifts", expected: "expected-kpi.json"),
        Case(folder: "policy-change-mid-episode", expected: "expected-sla-1.json"),
        Case(folder: "policy-change-mid-episode", expected: "expected-sla-2.json"),
        Case(folder: "policy-change-mid-episode", expected: "expected-kpi.json"),
        Case(folder: "priority-change-mid-episode", expected: "expected-sla.json"),
        Case(folder: "priority-change-mid-episode", expected: "expected-kpi.json"),
        Case(folder: "resolve-without-reply", expected: "expected-sla.json"),
        Case(folder: "resolve-without-reply", expected: "expected-kpi.json"),
        Case(folder: "dst-change", expected: "expected-sla-spring.json"),
        Case(folder: "dst-change", expected: "expected-sla-autumn.json"),
        Case(folder: "dst-change", expected: "expected-kpi.json"),
        Case(folder: "auto-acknowledgement", expected: "expected-sla.json"),
        Case(folder: "auto-acknowledgement", expected: "expected-kpi.json"),
        Case(folder: "reopen-fresh-clock", expected: "expected-sla.json"),
        Case(folder: "reopen-fresh-clock", expected: "expected-kpi.json"),
    ]

    /// The command line an expected file was worked out for: its moment (and bucket size) are in it.
    static func arguments(for testCase: Case, expected: TestJSON, log: String) throws -> [String] {
        if testCase.expected.hasPrefix("expected-sla") {
            let at = try #require(expected["at"]?.stringValue, "\(testCase.expected) has no \"at\"")
            return ["sla", "--at", at, "--format", "json", "--log", log]
        }
        let asOf = try #require(expected["as_of"]?.stringValue, "\(testCase.expected) has no \"as_of\"")
        let by = try #require(expected["by"]?.stringValue, "\(testCase.expected) has no \"by\"")
        return ["kpi", "--by", by, "--as-of", asOf, "--format", "json", "--log", log]
    }

    @Test(arguments: cases)
    func outputMatchesTheHandWorkedFixture(_ testCase: Case) throws {
        let sandbox = try Sandbox()
        let events = try RecordedLog.decode(SLAFixtures.text(testCase.folder, "events.jsonl"))
        try RecordedLog.write(events, to: sandbox.log)
        let expected = try TestJSON.parse(SLAFixtures.text(testCase.folder, testCase.expected))
        let arguments = try Self.arguments(for: testCase, expected: expected, log: sandbox.log)
        let result = InProcess.run(arguments)
        #expect(result.code == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let actual = try TestJSON.parse(result.stdout.trimmingCharacters(in: .newlines))
        let differences = JSONSubsetCheck.differences(expected: expected, actual: actual)
        #expect(
            differences.isEmpty,
            "\(testCase.folder)/\(testCase.expected):\n\(differences.joined(separator: "\n"))\nactual: \(result.stdout)"
        )
        // The same answer after `rebuild`: the checkpoint is loaded when the moment is after the last
        // commit (most `kpi` cases), and set aside for a full replay when it is not (most `sla` cases).
        #expect(InProcess.run(["rebuild", "--log", sandbox.log]).code == 0)
        let fromCheckpoint = InProcess.run(arguments)
        #expect(fromCheckpoint.stdout == result.stdout, "\(fromCheckpoint)")
        #expect(fromCheckpoint.stderr.isEmpty, "\(fromCheckpoint)")
    }

    /// A folder or expected file added to `Fixtures/sla` without an entry above would never run.
    @Test func everyFixtureIsATestCaseAndIsExplainedInTheReadme() throws {
        let manager = FileManager.default
        let folders = try manager.contentsOfDirectory(atPath: SLAFixtures.folder.path)
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }
        #expect(Set(folders) == Set(Self.cases.map(\.folder)))
        var files: [String] = []
        for folder in folders {
            let names = try manager.contentsOfDirectory(atPath: SLAFixtures.folder.appendingPathComponent(folder).path)
            #expect(names.contains("events.jsonl"), "\(folder) has no events.jsonl")
            files += names.filter { $0.hasPrefix("expected") }.map { "\(folder)/\($0)" }
            #expect(Set(names).subtracting(["events.jsonl"]).allSatisfy { $0.hasPrefix("expected-") })
        }
        #expect(Set(files) == Set(Self.cases.map(\.testDescription)))
        let readme = try String(contentsOf: SLAFixtures.folder.appendingPathComponent("README.md"), encoding: .utf8)
        for folder in folders {
            #expect(readme.contains("## \(folder)\n"), "README.md does not explain \(folder)")
        }
        for testCase in Self.cases {
            #expect(readme.contains("`\(testCase.expected)`"), "README.md does not mention \(testCase.expected)")
        }
        // Every events file carries its policy.
        for folder in folders {
            #expect(try SLAFixtures.text(folder, "events.jsonl").contains(#""type":"policy_set""#))
        }
    }

    /// `kpi --format csv` and the table carry the same SLA figures as the JSON of split-shifts (README): FRT
    /// 1 met, 2 breached, 0 open, attainment 1/3; resolution 1, 1, 1, 1/2.
    @Test func csvAndTableCarryTheSLAFigures() throws {
        let sandbox = try Sandbox()
        try RecordedLog.write(RecordedLog.decode(SLAFixtures.text("split-shifts", "events.jsonl")), to: sandbox.log)
        let arguments = ["kpi", "--by", "day", "--as-of", "2026-03-02T22:30:00Z", "--log", sandbox.log]
        let csv = InProcess.run(arguments + ["--format", "csv"])
        #expect(csv.code == 0, "\(csv)")
        let lines = ParleyRun.lines(csv.stdout).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = try #require(lines.first).map(String.init)
        let total = try #require(lines.last).map(String.init)
        let columns = [
            "sla_frt_met", "sla_frt_breached", "sla_frt_open", "sla_frt_attainment", "sla_resolution_met",
            "sla_resolution_breached", "sla_resolution_open", "sla_resolution_attainment",
        ]
        #expect(Array(header.suffix(8)) == columns, "\(csv)")
        #expect(total.first == "total")
        #expect(Array(total.suffix(8)) == ["1", "2", "0", "0.333", "1", "1", "1", "0.5"], "\(csv)")
        let table = InProcess.run(arguments)
        let cells = ParleyRun.lines(table.stdout).map { $0.split(separator: " ").map(String.init) }
        let headerRow = try #require(cells.first { $0.first == "bucket" }, "\(table)")
        let totalRow = try #require(cells.first { $0.first == "total" }, "\(table)")
        #expect(Array(headerRow.suffix(4)) == ["SLA", "FRT", "SLA", "res"], "\(table)")
        #expect(Array(totalRow.suffix(2)) == ["33.3%", "50%"], "\(table)")
    }

    /// The table of `parley sla` for the split-shifts moment (README, `split-shifts`): urgency order, the
    /// late and due cells (business time over the target, labelled business; calendar time to the deadline).
    @Test func tableListsTheMostUrgentFirst() throws {
        let sandbox = try Sandbox()
        try RecordedLog.write(RecordedLog.decode(SLAFixtures.text("split-shifts", "events.jsonl")), to: sandbox.log)
        let result = InProcess.run(["sla", "--at", "2026-03-02T18:15:00Z", "--log", sandbox.log])
        #expect(result.code == 0, "\(result)")
        let lines = ParleyRun.lines(result.stdout)
        let rows = lines.dropFirst().map { $0.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(lines.first == "3 episode(s) breached or due within the hour at 2026-03-02T18:15:00Z (times UTC)")
        let expected: [[String]] = [
            ["conversation", "episode", "owner", "priority", "started", "first response", "resolution"],
            ["c3", "1", "-", "urgent", "2026-03-02T14:00:00Z", "late 3h business", "late 1h15m business"],
            ["c1", "1", "-", "-", "2026-03-02T16:30:00Z", "due in 15m", "due in 22h15m"],
            ["c2", "1", "-", "-", "2026-03-02T16:50:00Z", "due in 35m", "due in 22h35m"],
        ]
        #expect(rows.map { $0.filter { !$0.isEmpty } } == expected, "\(result.stdout)")
    }
}
