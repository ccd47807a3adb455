import Foundation
import ParleyTestSupport
import Testing

/// `parley report` end to end on a fixed log: the page byte for byte against `Fixtures/report/golden.html`,
/// and the command's usage errors and output rules.
///
/// The log is built from `Fixtures/report/events.jsonl` (made by `Fixtures/report/make_events.py`), appended
/// in a fresh directory. After a deliberate change to the page, regenerate the golden file with
///
///     PARLEY_UPDATE_GOLDEN=1 swift test --filter ReportGoldenTests
///
/// then look at it (and at the screenshots of ReportChromiumTests) before committing it.
@Suite(.dedicatedThread) struct ReportGoldenTests {
    static let golden = ReportSandbox.fixtures.appendingPathComponent("golden.html")

    @Test func theFixtureLogGivesTheGoldenPageByteForByte() throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        let out = sandbox.directory.file("report.html")
        let result = sandbox.run(["report", "--week", "2026-W10", "--out", out, "--log", sandbox.log])
        #expect(result.code == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines[0] == "wrote \(out) (\(page.utf8.count) bytes)", "\(result)")
        #expect(lines.last?.hasPrefix("2026-W10 (Mon 2 Mar – Sun 8 Mar 2026, UTC): ") == true, "\(result)")
        if ProcessInfo.processInfo.environment["PARLEY_UPDATE_GOLDEN"] == "1" {
            try Data(page.utf8).write(to: Self.golden)
            return
        }
        let expected = try String(contentsOf: Self.golden, encoding: .utf8)
        if page != expected {
            let got = Array(page.utf8)
            let want = Array(expected.utf8)
            let offset =
                zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            func around(_ bytes: [UInt8]) -> String {
                String(decoding: bytes[max(offset - 80, 0)..<min(offset + 160, bytes.count)], as: UTF8.self)
            }
            Issue.record(
                """
                the page differs from Fixtures/report/golden.html at byte \(offset) \
                (regenerate with PARLEY_UPDATE_GOLDEN=1 if the change is meant):
                got:  …\(around(got))…
                want: …\(around(want))…
                """)
        }
    }

    @Test func thePageDoesNotDependOnTheClockOrTheCheckpoint() throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        let first = sandbox.run(["report", "--week", "2026-W10", "--out", "-", "--log", sandbox.log])
        #expect(first.code == 0, "\(first)")
        _ = sandbox.run(["rebuild", "--log", sandbox.log])
        let later = sandbox.run(
            ["report", "--week", "2026-W10", "--out", "-", "--log", sandbox.log], now: ReportSandbox.now * 2)
        let replayed = sandbox.run(
            ["report", "--week", "2026-W10", "--out", "-", "--no-checkpoint", "--log", sandbox.log])
        #expect(later.stdout == first.stdout)
        #expect(replayed.stdout == first.stdout)
        // With `--out -` the page is the whole of standard output; the summary goes to standard error.
        #expect(first.stdout.hasPrefix("<!DOCTYPE html>") && first.stdout.hasSuffix("</html>\n"))
        #expect(first.stderr.hasPrefix("2026-W10 (Mon 2 Mar – Sun 8 Mar 2026, UTC): "), "\(first)")
    }

    @Test func aTimeZoneCutsTheDaysLocally() throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        let utc = sandbox.run(["report", "--week", "2026-W10", "--out", "-", "--log", sandbox.log])
        let paris = sandbox.run([
            "report", "--week", "2026-W10", "--tz", "Europe/Paris", "--out", "-", "--log", sandbox.log,
        ])
        #expect(paris.code == 0, "\(paris)")
        #expect(paris.stderr.hasPrefix("2026-W10 (Mon 2 Mar – Sun 8 Mar 2026, Europe/Paris): "), "\(paris)")
        // The same week, cut an hour earlier: the days' figures are the KPI report's in that zone.
        let kpi = sandbox.run(
            [
                "kpi", "--by", "day", "--tz", "Europe/Paris", "--from", "2026-03-02", "--to", "2026-03-08", "--format",
                "csv",
                "--log", sandbox.log,
            ]).stdout
        let lines = kpi.split(separator: "\n")
        let header = try #require(lines.first).split(separator: ",")
        let column = try #require(header.firstIndex(of: "backlog_end"))
        let monday = try #require(lines.first { $0.hasPrefix("2026-03-02,") }).split(separator: ",")
        #expect(paris.stdout.contains("<tr><td>Mon 2 Mar</td><td>\(monday[column])</td></tr>"), "\(monday)")
        #expect(paris.stdout != utc.stdout)
    }

    @Test func theTargetLineIsThePolicyInForceAtTheWeeksEnd() throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        // A policy that takes effect next year, appended last: the week's page keeps the fixture's target.
        let future =
            #"{"type":"policy_set","at":"2027-01-01T00:00:00Z","policy":{"name":"Future","time_zone":"UTC","#
            + #""business_hours":{"monday":["09:00-17:00"]},"targets":{"normal":{"first_response":5,"resolution":60}}}}"#
        let appended = sandbox.run(["append", "--log", sandbox.log], stdin: Array((future + "\n").utf8))
        #expect(appended.code == 0, "\(appended)")
        let page = sandbox.run(["report", "--week", "2026-W10", "--out", "-", "--log", sandbox.log]).stdout
        #expect(page.contains("target 2h 00m") && !page.contains("Future"), "\(page.prefix(200))")
    }

    @Test func theFixturePageShowsTheWeeksFigures() throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        let page = sandbox.run(["report", "--week", "2026-W10", "--out", "-", "--log", sandbox.log]).stdout
        let kpi = sandbox.run(["kpi", "--by", "week", "--format", "csv", "--log", sandbox.log]).stdout
        // The headline's message count is the KPI report's for the week.
        let week = try #require(kpi.split(separator: "\n").first { $0.hasPrefix("2026-W10,") })
        let header = try #require(kpi.split(separator: "\n").first).split(separator: ",")
        let column = try #require(header.firstIndex(of: "messages"))
        let messages = try #require(Int(week.split(separator: ",")[column]))
        #expect(page.contains("<h3>Messages received</h3><p class=\"value\">\(messages)</p>"))
        #expect(page.contains("class=\"target\""))  // the fixture sets a policy with a 2h target
        // The categories table is `parley insights` over the week's days: one row per category, its episodes.
        let insights = sandbox.run(
            ["insights", "--from", "2026-03-02", "--to", "2026-03-08", "--format", "csv", "--log", sandbox.log]
        ).stdout
        let rows = insights.split(separator: "\n").filter { $0.hasPrefix("category,") }.map { $0.split(separator: ",") }
        #expect(!rows.isEmpty)
        for row in rows where row[1] != "" {
            #expect(page.contains("<tr><td class=\"text\">\(row[1])</td><td>\(row[2])</td>"), "\(row)")
        }
        // The recurring questions of the week are listed (the fixture repeats its questions).
        #expect(page.contains("<section id=\"questions\">") && !page.contains("Recurring questions are not available"))
    }

    @Test(arguments: [
        (["--week", "2026-W54", "--out", "-"], "2026-W54"), (["--week", "10", "--out", "-"], "\"10\""),
        (["--out", "-"], "--week is required"), (["--week", "2026-W10"], "--out is required"),
        (["--week", "2026-W10", "--out", "-", "--tz", "Europe/Atlantis"], "Europe/Atlantis"),
        (["--week", "2026-W10", "--out", "-", "--as-of", "yesterday"], "yesterday"),
    ])
    func usageErrorsExit64NamingTheValue(arguments: [String], named: String) throws {
        let sandbox = try ReportSandbox()
        let result = sandbox.run(["report"] + arguments + ["--log", sandbox.log])
        #expect(result.code == 64, "\(result)")
        #expect(result.stderr.contains(named), "\(result)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aDirectoryIsNeverOverwritten() throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        let folder = sandbox.directory.file("reports")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let result = sandbox.run(["report", "--week", "2026-W10", "--out", folder, "--log", sandbox.log])
        #expect(result.code == 73, "\(result)")
        #expect(result.stderr.contains("is a directory"), "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func anExistingFileIsReplacedWhole() throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        let out = sandbox.directory.file("report.html")
        // An older page (longer than the new one) is replaced whole.
        try Data(("<!DOCTYPE html>" + String(repeating: "old ", count: 100_000)).utf8).write(
            to: URL(fileURLWithPath: out))
        let result = sandbox.run(["report", "--week", "2026-W10", "--out", out, "--log", sandbox.log])
        #expect(result.code == 0, "\(result)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n") && !page.contains("old old"))
        // Nothing left beside it: the temporary file was renamed over the old one.
        #expect(try sandbox.directory.entries().filter { !$0.hasPrefix("parley.log") } == ["report.html"])
    }

    @Test(arguments: ["log", "checkpoint", "other"])
    func aFileThatIsNotAPageIsNeverReplaced(kind: String) throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        _ = sandbox.run(["rebuild", "--log", sandbox.log])
        let out: String
        switch kind {
        case "log": out = sandbox.log
        case "checkpoint": out = sandbox.log + ".checkpoint"
        default:
            out = sandbox.directory.file("notes.txt")
            try Data("my notes".utf8).write(to: URL(fileURLWithPath: out))
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        let result = sandbox.run(["report", "--week", "2026-W10", "--out", out, "--log", sandbox.log])
        #expect(result.code == 73, "\(result)")
        #expect(result.stderr.contains("is not an HTML page"), "\(result)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)
    }

    @Test func aWeekWithoutEventsStillGivesAPage() throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        let result = sandbox.run(["report", "--week", "2027-W01", "--out", "-", "--log", sandbox.log])
        #expect(result.code == 0, "\(result)")
        #expect(result.stdout.contains(">no data</text>"))
        #expect(result.stdout.contains("No agent resolved or answered an episode this week."))
    }
}
