import Foundation
import ParleyCLI
import ParleyEvents
import ParleyLog
import ParleyService
import Synchronization

/// The `Fixtures/sla` folder: hand-worked SLA scenarios (see its README.md).
enum SLAFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/sla")

    /// The text of `Fixtures/sla/<scenario>/<file>`.
    static func text(_ scenario: String, _ file: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(scenario).appendingPathComponent(file), encoding: .utf8)
    }
}

/// Logs written as they would have been recorded live: one event per frame, each committed at its own
/// event time, so `--at T` / `--as-of T` see exactly the events dated at or before T.
enum RecordedLog {
    /// The commit clock the writer reads; set before each append.
    private final class Clock: Sendable {
        let now = Mutex<Int64>(0)
        func read() -> Int64 { now.withLock { $0 } }
    }

    /// Decodes JSON Lines text (blank lines skipped) with the production decoder.
    static func decode(_ text: String) throws -> [Event] {
        let decoder = JSONLineDecoder()
        var events: [Event] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            events.append(try decoder.decode(ArraySlice(Array(line.utf8)), lineNumber: index + 1))
        }
        return events
    }

    /// Creates a log at `path` holding `events`, one frame each, committed at the event's time (never
    /// earlier than the frame before: the writer keeps commit times from decreasing).
    static func write(_ events: [Event], to path: String, logID: [UInt8] = Array(0..<16)) throws {
        let clock = Clock()
        clock.now.withLock { $0 = events.first?.at.nanoseconds ?? 0 }
        var options = LogWriter.Options()
        options.logID = logID
        options.salt = 0x5EED_0000_0000_0001
        options.clock = { clock.read() }
        let writer = try LogWriter.create(at: path, options: options)
        defer { writer.close() }
        var batch = LogBatch()
        for event in events {
            clock.now.withLock { $0 = event.at.nanoseconds }
            batch.appendRecord { (out: inout [UInt8]) in EventCodec.encode(event, into: &out) }
            _ = try writer.append(&batch)
            batch.removeAll()
        }
    }
}

/// Runs a `parley` command line in this process, with a pinned clock (commit times and "now").
enum InProcess {
    struct Result: CustomStringConvertible {
        var code: Int32
        var stdout: String
        var stderr: String

        var description: String { "exit \(code)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)" }
    }

    /// 2026-06-01T00:00:00Z: later than every fixture event before October.
    static let defaultNow: Int64 = 1_780_272_000 * 1_000_000_000

    static func run(_ arguments: [String], now: Int64 = defaultNow, stdin: [UInt8] = []) -> Result {
        let context = CommandContext(
            stdout: .capture(), stderr: .capture(), stdin: MemorySource(stdin), environment: [:], clock: { now })
        let code = ParleyCommandLine.run(arguments, context: context)
        return Result(code: code, stdout: context.stdout.text, stderr: context.stderr.text)
    }
}

/// Field-by-field comparison of JSON: every member of `expected` must be in `actual` with the same value
/// (numbers compared as numbers); arrays must have the same length. Members `actual` has beyond those of
/// `expected` are not checked, so an expected file can hold the subset of fields it is about.
enum JSONSubsetCheck {
    /// The differences, one line each (`episodes[1].resolution.deadline: expected …, got …`).
    static func differences(expected: TestJSON, actual: TestJSON, path: String = "") -> [String] {
        let here = path.isEmpty ? "(root)" : path
        switch expected {
        case .object(let members):
            guard case .object = actual else { return ["\(here): expected an object, got \(actual)"] }
            return members.flatMap { member -> [String] in
                let child = path.isEmpty ? member.key : path + "." + member.key
                guard let value = actual[member.key] else { return ["\(child): missing"] }
                return differences(expected: member.value, actual: value, path: child)
            }
        case .array(let items):
            guard case .array(let actualItems) = actual else { return ["\(here): expected an array, got \(actual)"] }
            var found: [String] = []
            if items.count != actualItems.count {
                found.append("\(here): expected \(items.count) elements, got \(actualItems.count)")
            }
            for (index, (left, right)) in zip(items, actualItems).enumerated() {
                found += differences(expected: left, actual: right, path: "\(path)[\(index)]")
            }
            return found
        case .number(let text):
            guard case .number(let actualText) = actual, let want = Double(text), let got = Double(actualText),
                want == got
            else { return ["\(here): expected \(text), got \(actual)"] }
            return []
        default:
            return expected == actual ? [] : ["\(here): expected \(expected), got \(actual)"]
        }
    }
}
