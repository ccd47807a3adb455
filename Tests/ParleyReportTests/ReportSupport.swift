import Foundation
import ParleyCLI
import ParleyService
import ParleyTestSupport

/// Runs `parley` command lines in this process with a pinned clock, in a temporary directory with the
/// report fixture's log.
final class ReportSandbox {
    /// The repository's `Fixtures/report` folder.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/report")
    /// The repository's `tools` folder.
    static let tools = fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("tools")
    /// 2026-06-01T00:00:00Z: the commit clock, and "now" (which the report must not depend on).
    static let now: Int64 = 1_780_272_000 * 1_000_000_000

    /// What a run printed and returned.
    struct Result: CustomStringConvertible {
        var code: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(code)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)" }
    }

    let directory: TemporaryDirectory
    /// The log, in ``directory``.
    var log: String { directory.file("parley.log") }

    /// A new directory with an empty log.
    init() throws {
        directory = try TemporaryDirectory.make(prefix: "parley-report-tests")
        let created = run(["init", "--log", log])
        guard created.code == 0 else { throw SandboxError(what: "init", result: created) }
    }

    deinit { directory.remove() }

    /// Appends the JSON Lines of `Fixtures/report/<name>` to the log.
    func appendFixture(_ name: String = "events.jsonl") throws {
        let bytes = try Array(Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
        let appended = run(["append", "--log", log], stdin: bytes)
        guard appended.code == 0 else { throw SandboxError(what: "append", result: appended) }
    }

    /// Runs one command line (without the program name).
    func run(_ arguments: [String], stdin: [UInt8] = [], now: Int64 = ReportSandbox.now) -> Result {
        let context = CommandContext(
            stdout: .capture(), stderr: .capture(), stdin: MemorySource(stdin), environment: [:], clock: { now })
        let code = ParleyCommandLine.run(arguments, context: context)
        return Result(code: code, stdout: context.stdout.text, stderr: context.stderr.text)
    }

    struct SandboxError: Error, CustomStringConvertible {
        var what: String
        var result: Result
        var description: String { "\(what) failed: \(result)" }
    }
}
