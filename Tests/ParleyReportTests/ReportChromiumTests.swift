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

    @Test(arguments: [390, 1280])
    func theGoldenPageRendersWithoutOverflow(width: Int) throws {
        let environment = ProcessInfo.processInfo.environment
        guard let chromium = Self.chromium() else {
            if environment["PARLEY_REQUIRE_CHROMIUM"] == "1" {
                Issue.record("chromium is not installed and PARLEY_REQUIRE_CHROMIUM=1: run tools/install-chromium.sh")
            } else {
                withKnownIssue("chromium is not installed (tools/install-chromium.sh): rendering not checked") {
                    Issue.record("chromium not found on PATH")
                }
            }
            return
        }
        let directory = try TemporaryDirectory.make(prefix: "parley-report-chromium")
        defer { directory.remove() }
        let page = try String(contentsOf: ReportGoldenTests.golden, encoding: .utf8)
        let wrapper = directory.file("wrapper.html")
        try Data(Self.wrapper(page, width: width).utf8).write(to: URL(fileURLWithPath: wrapper))
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-extensions", "--disable-dev-shm-usage", "--user-data-dir=" + directory.file("profile"),
            "--window-size=\(max(width, 500)),2400",
        ]
        let screenshot = directory.file("shot-\(width).png")
        let shot = try Self.run(
            chromium, common + ["--screenshot=" + screenshot, "file://" + wrapper], output: directory.file("shot.out"))
        #expect(shot == 0, "chromium --screenshot exited \(shot)")
        if let keep = environment["PARLEY_SCREENSHOTS"] {
            try? FileManager.default.removeItem(atPath: keep + "/report-\(width).png")
            try? FileManager.default.copyItem(atPath: screenshot, toPath: keep + "/report-\(width).png")
        }
        let statsPath = directory.file("stats.json")
        let stats = try Self.run(
            "/usr/bin/env",
            [
                "python3", ReportSandbox.tools.appendingPathComponent("png_stats.py").path, screenshot, "--width",
                String(width),
            ], output: statsPath)
        #expect(stats == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statsPath)))
        let figures = try #require(json as? [String: Any])
        let colours = figures["colours"] as? Int ?? 0
        let share = figures["non_background"] as? Double ?? 0
        #expect(colours >= 50 && share >= 0.1, "the screenshot looks blank: \(figures)")

        let domPath = directory.file("dom.html")
        let dumped = try Self.run(chromium, common + ["--dump-dom", "file://" + wrapper], output: domPath)
        #expect(dumped == 0, "chromium --dump-dom exited \(dumped)")
        let dom = try String(contentsOfFile: domPath, encoding: .utf8)
        let measured = try #require(
            dom.components(separatedBy: "data-overflow=\"").dropFirst().first?.prefix { $0 != "\"" },
            "the wrapper's script did not run: \(dom.prefix(300))")
        let numbers = measured.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2 && numbers[1] == width, "viewport \(measured), expected \(width) px")
        #expect(numbers.count == 2 && numbers[0] <= numbers[1], "the page overflows at \(width) px: \(measured)")
    }
}
