import Foundation
import ParleyService
import Testing

@testable import ParleyCLI

/// Inputs found by fuzzing (Fixtures/fuzz/crashes/README.md), replayed as regression tests.
@Suite(.dedicatedThread) struct FuzzFindingsTests {
    static let crashes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz/crashes")

    static func run(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
        let context = CommandContext(stdout: .capture(), stderr: .capture(), stdin: MemorySource([]), environment: [:])
        let code = ParleyCommandLine.run(arguments, context: context)
        return (code, context.stdout.text, context.stderr.text)
    }

    /// A checksum-valid record whose stored "number" is `1,"injected":true}\n{"seq":2,"forged":"yes"`
    /// must be malformed: verify says so, and dump stops before printing a line that is not the event.
    @Test func numberTextThatIsNotAJSONNumberIsAMalformedRecord() {
        let log = Self.crashes.appendingPathComponent("dump-number-text-injection.log").path
        let verified = Self.run(["verify", "--log", log])
        #expect(verified.code == 1)
        #expect(verified.out.contains("number text is not a JSON number"), "\(verified.out)")
        let dumped = Self.run(["dump", "--log", log])
        #expect(dumped.code == 1)
        #expect(!dumped.out.contains("forged"), "\(dumped.out)")
        #expect(!dumped.out.contains("injected"), "\(dumped.out)")
    }
}
