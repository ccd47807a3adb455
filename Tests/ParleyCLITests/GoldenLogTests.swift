import Foundation
import ParleyService
import Synchronization
import Testing

@testable import ParleyCLI
@testable import ParleyEvents
@testable import ParleyLog

/// The format may never drift silently: fixed inputs, clock, log id and salt must produce exactly the
/// committed bytes, and those bytes must read back to the committed dump. `docs/FORMAT.md`'s worked
/// example is checked against its fixture too.
///
/// To change the format on purpose, run the suite with `PARLEY_UPDATE_GOLDEN=1`, review the diff of
/// `Fixtures/golden/`, and commit it together with the FORMAT.md change (the run records an issue so it
/// cannot pass by accident).
@Suite(.serialized, .dedicatedThread) struct GoldenLogTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let golden = repository.appendingPathComponent("Fixtures/golden")

    /// A clock that starts at 2026-03-02T10:00:00Z and advances one second per reading.
    final class SteppingClock: Sendable {
        private let next = Atomic<Int64>(1_772_445_600 * 1_000_000_000)
        func read() -> Int64 { next.add(1_000_000_000, ordering: .relaxed).oldValue }
    }

    /// Builds a log from a JSONL fixture with a fixed identity and clock.
    static func buildLog(from jsonl: String, batchSize: Int?) throws -> [UInt8] {
        let input = try [UInt8](Data(contentsOf: golden.appendingPathComponent(jsonl)))
        let directory = try TemporaryDirectory.make(prefix: "parley-golden-tests")
        defer { directory.remove() }
        let path = directory.path + "/golden.log"
        let clock = SteppingClock()
        var options = LogWriter.Options()
        options.logID = Array(0..<16)
        options.salt = 0x0123_4567_89AB_CDEF
        options.clock = { clock.read() }
        let writer = try LogWriter.create(at: path, options: options)
        _ = try EventAppender(writer: writer, batchSize: batchSize).append(jsonLines: MemorySource(input))
        writer.close()
        return try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static var updating: Bool { ProcessInfo.processInfo.environment["PARLEY_UPDATE_GOLDEN"] == "1" }

    /// Compares `bytes` with a fixture file, or rewrites the fixture when updating.
    static func expectFixture(_ name: String, equals bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let url = golden.appendingPathComponent(name)
        if updating {
            try Data(bytes).write(to: url)
            Issue.record("rewrote Fixtures/golden/\(name): review and commit it", sourceLocation: sourceLocation)
            return
        }
        let expected = try [UInt8](Data(contentsOf: url))
        let firstDifference =
            zip(expected, bytes).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expected.count, bytes.count)
        #expect(
            bytes == expected,
            "\(name) drifted: first difference at byte \(firstDifference) (expected \(expected.count) bytes, got \(bytes.count))",
            sourceLocation: sourceLocation)
    }

    static func dump(_ path: String) -> (code: Int32, out: [UInt8], err: String) {
        let context = CommandContext(
            stdout: .capture(), stderr: .capture(), stdin: MemorySource([]), environment: [:])
        let code = ParleyCommandLine.run(["dump", "--log", path], context: context)
        return (code, context.stdout.captured, context.stderr.text)
    }

    @Test func goldenLogIsByteForByteStable() throws {
        let bytes = try Self.buildLog(from: "events.jsonl", batchSize: 8)
        try Self.expectFixture("golden.log", equals: bytes)
    }

    @Test func goldenLogReadsBackToGoldenDump() throws {
        let result = Self.dump(Self.golden.appendingPathComponent("golden.log").path)
        #expect(result.code == 0, "dump failed: \(result.err)")
        try Self.expectFixture("golden.dump.jsonl", equals: result.out)
    }

    @Test func formatExampleMatchesItsFixture() throws {
        let bytes = try Self.buildLog(from: "format-example.jsonl", batchSize: nil)
        try Self.expectFixture("format-example.log", equals: bytes)
    }

    /// `tools/read_log.py` was written from docs/FORMAT.md and docs/EVENTS.md alone, without the Swift
    /// sources: it must read the golden log to exactly the golden dump, or the spec no longer suffices.
    @Test func independentReaderWrittenFromTheSpecReadsTheGoldenLog() throws {
        try Self.expectIndependentReader(reads: "golden.log", to: "golden.dump.jsonl")
    }

    /// Runs `tools/read_log.py` on `Fixtures/golden/LOG` and expects exit 0 and exactly the dump `DUMP`.
    static func expectIndependentReader(reads log: String, to dump: String) throws {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", repository.appendingPathComponent("tools/read_log.py").path,
            golden.appendingPathComponent(log).path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let produced = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let expected = try Data(contentsOf: golden.appendingPathComponent(dump))
        #expect(
            String(decoding: produced, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
            "tools/read_log.py disagrees with parley dump on Fixtures/golden/\(log)")
    }

    /// The hex dump in docs/FORMAT.md is exactly the example fixture's bytes.
    @Test func formatDocumentHexMatchesFixture() throws {
        let document = try String(contentsOf: Self.repository.appendingPathComponent("docs/FORMAT.md"), encoding: .utf8)
        let begin = try #require(document.range(of: "<!-- hexdump:begin Fixtures/golden/format-example.log -->"))
        let end = try #require(document.range(of: "<!-- hexdump:end -->"))
        var documented: [UInt8] = []
        for line in document[begin.upperBound..<end.lowerBound].split(separator: "\n") {
            // Lines look like `0040  xx xx xx ...  | comment`; only the hex pairs before `|` count.
            let code = line.split(separator: "|", maxSplits: 1).first ?? ""
            let fields = code.split(separator: " ")
            guard let offsetField = fields.first, offsetField.count == 4, UInt32(offsetField, radix: 16) != nil else {
                continue
            }
            for pair in fields.dropFirst() {
                documented.append(try #require(UInt8(pair, radix: 16), "bad hex \"\(pair)\" in FORMAT.md"))
            }
        }
        let fixture = try [UInt8](Data(contentsOf: Self.golden.appendingPathComponent("format-example.log")))
        #expect(
            documented == fixture,
            "docs/FORMAT.md hex example (\(documented.count) bytes) differs from the fixture (\(fixture.count) bytes)")
    }
}
