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
        #expect(page.contains("Category figures (CSAT, compensation) are not available for this report."))
    }

    @Test(arguments: [
        (["--week", "2026-W54", "--out", "-"], "2026-W54"), (["--week", "10", "--out", "-"], "\"10\""),
        (["--out", "-"], "--week is required"), (["--week", "2026-W10"], "--out is required"),
        (["--week", "2026-W10", "--out", "-", "--tz", "Europe/Paris"], "Europe/Paris"),
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
        try Data(String(repeating: "old ", count: 100_000).utf8).write(to: URL(fileURLWithPath: out))
        let result = sandbox.run(["report", "--week", "2026-W10", "--out", out, "--log", sandbox.log])
        #expect(result.code == 0, "\(result)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n") && !page.contains("old old"))
        // Nothing left beside it: the temporary file was renamed over the old one.
        #expect(try sandbox.directory.entries().filter { !$0.hasPrefix("parley.log") } == ["report.html"])
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
