import Foundation
import ParleyReport
import ParleyTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The golden report rendered by headless Chromium at a phone's width (390 px) and a desktop's (1280 px):
/// the screenshot is not blank, and the page does not overflow horizontally.
///
/// Headless Chromium will not make a window narrower than 500 px, so the page is framed: a wrapper page
/// holds it in an `<iframe srcdoc>` exactly as wide as the width tested (its media queries see that
/// width), and a script in the wrapper (same origin as a `srcdoc` frame) writes the frame's
/// `scrollWidth` and `clientWidth` into the wrapper's DOM, read back with `--dump-dom`. The report itself
/// has no script.
///
/// Chromium comes from `tools/install-chromium.sh`. Without it the test is skipped with a known issue,
/// unless `PARLEY_REQUIRE_CHROMIUM=1` (CI), where its absence fails. Set `PARLEY_SCREENSHOTS=DIR` to keep
/// the screenshots.
@Suite(.dedicatedThread) struct ReportChromiumTests {
    /// Seconds a Chromium run may take (it is slow on two busy cores).
    static let timeout = 120.0

    static func chromium() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser"] {
            for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// A page holding `page` in a frame `width` px wide, and the script that measures the frame.
    static func wrapper(_ page: String, width: Int) -> String {
        """
        <!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;background:#fff}\
        iframe{border:0;display:block}</style></head><body>\
        <iframe id="page" width="\(width)" height="2400" srcdoc="\(HTMLBuilder.escapeAttribute(page))"></iframe>\
        <script>var f=document.getElementById('page');f.addEventListener('load',function(){\
        var d=f.contentDocument.documentElement;\
        document.body.setAttribute('data-overflow',d.scrollWidth+' '+d.clientWidth);});</script></body></html>
        """
    }

    /// Runs `program` with `arguments`, standard output into `output`; fails after ``timeout`` seconds.
    static func run(_ program: String, _ arguments: [String], output: String) throws -> Int32 {
        guard FileManager.default.createFile(atPath: output, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        defer { try? handle.close() }
        let child = ChildProcess()
        child.executableURL = URL(fileURLWithPath: program)
        child.arguments = arguments
        child.standardOutput = handle
        child.standardError = FileHandle.nullDevice
        child.standardInput = FileHandle.nullDevice
        try child.run()
        let deadline = Date().addingTimeInterval(timeout)
        while child.isRunning {
            guard Date() < deadline else {
                child.send(SIGKILL)
                child.waitUntilExit()
                Issue.record("\(program) did not finish within \(Int(timeout)) s: \(arguments)")
                return -1
            }
            usleep(100_000)
        }
        return child.terminationStatus
    }

    /// Chromium's path; `nil` (after recording a failure or a known issue) when it is not installed.
    static func chromiumOrSkip() -> String? {
        if let chromium = chromium() { return chromium }
        if ProcessInfo.processInfo.environment["PARLEY_REQUIRE_CHROMIUM"] == "1" {
            Issue.record("chromium is not installed and PARLEY_REQUIRE_CHROMIUM=1: run tools/install-chromium.sh")
        } else {
            withKnownIssue("chromium is not installed (tools/install-chromium.sh): rendering not checked") {
                Issue.record("chromium not found on PATH")
            }
        }
        return nil
    }

    /// Renders `page` framed `width` px wide with `chromium` in `directory`.
    /// - Returns: the screenshot's statistics (`tools/png_stats.py`, over the frame's width), and the
    ///   frame's scroll width and client width.
    static func render(_ page: String, width: Int, chromium: String, in directory: TemporaryDirectory) throws -> (
        stats: [String: Any], scrollWidth: Int, clientWidth: Int
    ) {
        let wrapper = directory.file("wrapper-\(width).html")
        try Data(Self.wrapper(page, width: width).utf8).write(to: URL(fileURLWithPath: wrapper))
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-extensions", "--disable-dev-shm-usage", "--user-data-dir=" + directory.file("profile"),
            "--window-size=\(max(width, 500)),2400",
        ]
        let screenshot = directory.file("shot-\(width).png")
        let shot = try run(
            chromium, common + ["--screenshot=" + screenshot, "file://" + wrapper], output: directory.file("shot.out"))
        #expect(shot == 0, "chromium --screenshot exited \(shot)")
        let statsPath = directory.file("stats.json")
        let tool = ReportSandbox.tools.appendingPathComponent("png_stats.py").path
        let stats = try run("/usr/bin/env", ["python3", tool, screenshot, "--width", String(width)], output: statsPath)
        #expect(stats == 0, "png_stats.py exited \(stats)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statsPath)))

        let domPath = directory.file("dom.html")
        let dumped = try run(chromium, common + ["--dump-dom", "file://" + wrapper], output: domPath)
        #expect(dumped == 0, "chromium --dump-dom exited \(dumped)")
        let dom = try String(contentsOfFile: domPath, encoding: .utf8)
        let measured = try #require(
            dom.components(separatedBy: "data-overflow=\"").dropFirst().first?.prefix { $0 != "\"" },
            "the wrapper's script did not run: \(dom.prefix(300))")
        let numbers = measured.split(separator: " ").compactMap { Int($0) }
        try #require(numbers.count == 2, "unexpected measure \(measured)")
        return (json as? [String: Any] ?? [:], numbers[0], numbers[1])
    }

    @Test(arguments: [390, 1280])
    func theGoldenPageRendersWithoutOverflow(width: Int) throws {
        guard let chromium = Self.chromiumOrSkip() else { return }
        let directory = try TemporaryDirectory.make(prefix: "parley-report-chromium")
        defer { directory.remove() }
        let page = try String(contentsOf: ReportGoldenTests.golden, encoding: .utf8)
        let (stats, scrollWidth, clientWidth) = try Self.render(page, width: width, chromium: chromium, in: directory)
        if let keep = ProcessInfo.processInfo.environment["PARLEY_SCREENSHOTS"] {
            try? FileManager.default.removeItem(atPath: keep + "/report-\(width).png")
            try? FileManager.default.copyItem(
                atPath: directory.file("shot-\(width).png"), toPath: keep + "/report-\(width).png")
        }
        let colours = stats["colours"] as? Int ?? 0
        let share = stats["non_background"] as? Double ?? 0
        #expect(colours >= 50 && share >= 0.1, "the screenshot looks blank: \(stats)")
        #expect(clientWidth == width, "the frame's viewport is \(clientWidth) px, expected \(width) px")
        #expect(scrollWidth <= clientWidth, "the page overflows at \(width) px: \(scrollWidth) > \(clientWidth)")
    }

    /// Every optional section filled (categories with money, questions with examples), with long names, on a
    /// phone: the tables scroll inside their boxes, the page does not.
    @Test func aPageWithEverySectionFilledFitsAPhone() throws {
        guard let chromium = Self.chromiumOrSkip() else { return }
        let directory = try TemporaryDirectory.make(prefix: "parley-report-chromium")
        defer { directory.remove() }
        var report = WeeklyReportHTMLTests.sample()
        report.questions?[0].label = "where is my order and when will it arrive please tell me"
        report.questions?[0].examples = (1...12).map { "conversation-with-a-long-id-\($0)" }
        report.agents.append(
            WeeklyReport.AgentLoadRow(
                agent: "agent:" + String(repeating: "x", count: 60), resolved: 1, firstResponses: 1))
        let page = WeeklyReportHTML.render(report)
        let (stats, scrollWidth, clientWidth) = try Self.render(page, width: 390, chromium: chromium, in: directory)
        if let keep = ProcessInfo.processInfo.environment["PARLEY_SCREENSHOTS"] {
            try? Data(page.utf8).write(to: URL(fileURLWithPath: keep + "/sample.html"))
            try? FileManager.default.removeItem(atPath: keep + "/sample-390.png")
            try? FileManager.default.copyItem(atPath: directory.file("shot-390.png"), toPath: keep + "/sample-390.png")
        }
        #expect((stats["non_background"] as? Double ?? 0) >= 0.1, "the screenshot looks blank: \(stats)")
        #expect(scrollWidth <= clientWidth, "the page overflows at 390 px: \(scrollWidth) > \(clientWidth)")
    }

    /// The checks above can fail: a blank page and a page wider than the phone are caught.
    @Test func theChecksCatchABlankPageAndAnOverflowingOne() throws {
        guard let chromium = Self.chromiumOrSkip() else { return }
        let directory = try TemporaryDirectory.make(prefix: "parley-report-chromium")
        defer { directory.remove() }
        let blank = try Self.render("<!DOCTYPE html><title>x</title>", width: 390, chromium: chromium, in: directory)
        #expect(blank.stats["colours"] as? Int == 1)
        #expect(blank.stats["non_background"] as? Double == 0)
        #expect(blank.scrollWidth <= blank.clientWidth)
        let wide = try Self.render(
            "<!DOCTYPE html><div style=\"width:700px\">wide</div>", width: 390, chromium: chromium, in: directory)
        #expect(wide.scrollWidth > wide.clientWidth)
    }
}
