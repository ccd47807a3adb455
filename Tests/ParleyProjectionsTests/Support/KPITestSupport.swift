import Foundation
import ParleyEvents
import ParleyLog
import ParleyProjections
import ParleyTestSupport
import Synchronization

@testable import ParleyCLI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The repository and its `Fixtures/projections` folder.
enum ProjectionFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let folder = repository.appendingPathComponent("Fixtures/projections")

    /// The text of `Fixtures/projections/<scenario>/<file>`.
    static func text(_ scenario: String, _ file: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(scenario).appendingPathComponent(file), encoding: .utf8)
    }
}

/// A test's own directory (``TemporaryDirectory``), given by its path and removed with everything in it
/// when `body` returns.
func withTemporaryPath<Result>(_ body: (String) throws -> Result) throws -> Result {
    try withTemporaryDirectory(prefix: "parley-kpi-tests") { try body($0.path) }
}

/// A failure of the tests' own plumbing (not of the code under test).
struct TestSupportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A commit clock that starts at `start` and advances `step` ns per reading.
final class SteppingClock: Sendable {
    private let next: Atomic<Int64>
    private let step: Int64

    init(start: Int64 = 1_772_445_600 * 1_000_000_000, step: Int64 = 1_000_000_000) {
        next = Atomic(start)
        self.step = step
    }

    func read() -> Int64 { next.add(step, ordering: .relaxed).oldValue }

    /// ``read()`` as the closure `LogWriter.Options.clock` takes.
    var reader: @Sendable () -> Int64 { { self.read() } }
}

/// Events in, log out: the JSON Lines decoder, and a writer with an injected clock.
enum TestLog {
    /// Decodes JSON Lines text (one event per line; blank lines are not allowed) with ``JSONLineDecoder``.
    static func decode(_ text: String) throws -> [Event] {
        let decoder = JSONLineDecoder()
        var events: [Event] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { continue }
            events.append(try decoder.decode(ArraySlice(Array(line.utf8)), lineNumber: index + 1))
        }
        return events
    }

    /// Creates a log at `path` holding `events`, one frame per batch: `batchSizes` are the sizes of the
    /// frames in turn (the last size repeats; default: one frame per event).
    /// - Returns: every commit, in order.
    @discardableResult
    static func write(
        _ events: [Event], to path: String, batchSizes: [Int] = [1],
        clock: @escaping @Sendable () -> Int64 = SteppingClock().reader
    ) throws -> [LogWriter.Commit] {
        var options = LogWriter.Options()
        options.logID = Array(0..<16)
        options.salt = 0x0123_4567_89AB_CDEF
        options.clock = clock
        let writer = try LogWriter.create(at: path, options: options)
        defer { writer.close() }
        var commits: [LogWriter.Commit] = []
        var batch = LogBatch()
        var index = 0
        var frame = 0
        while index < events.count {
            let size = max(1, batchSizes[min(frame, batchSizes.count - 1)])
            for event in events[index..<min(index + size, events.count)] {
                batch.appendRecord { (out: inout [UInt8]) in EventCodec.encode(event, into: &out) }
            }
            commits.append(try writer.append(&batch))
            batch.removeAll()
            index += size
            frame += 1
        }
        return commits
    }
}

/// Runs a report the way `parley kpi` does: replay the log within a limit, then make the report.
enum KPIRun {
    struct Result {
        var report: KPIReport
        var summary: Replay.Summary

        /// The `--format json` text, with the header `parley kpi` puts in front.
        var json: String {
            report.json(context: [("events", String(summary.events)), ("last_seq", String(summary.lastSeq))])
        }
    }

    static func run(path: String, limit: ReplayLimit = ReplayLimit(), query: KPIReport.Query) throws -> Result {
        var collector = ProjectionState()
        let summary = try Replay.run(path: path, limit: limit) { event, seq in collector.apply(event, seq: seq) }
        guard let report = KPIReport.make(from: collector, query: query) else {
            throw TestSupportError("KPIReport.make refused the query")
        }
        return Result(report: report, summary: summary)
    }

    /// The report over events fed straight to a state, without a log (seq = position + 1).
    static func report(_ events: [Event], query: KPIReport.Query) -> KPIReport? {
        var collector = ProjectionState()
        for (index, event) in events.enumerated() { collector.apply(event, seq: UInt64(index + 1)) }
        return KPIReport.make(from: collector, query: query)
    }
}

/// Field-by-field comparison of parsed JSON (`JSONSerialization`): every member of `expected` must be in
/// `actual` with the same value; arrays must have the same length. Members `actual` has beyond those of
/// `expected` are not checked, so a fixture can hold the subset of fields it is about.
enum JSONSubset {
    static func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// The differences, one line each (`buckets[2].frt.p90: expected 90, got 100`); empty when it matches.
    static func differences(expected: Any, actual: Any, path: String = "") -> [String] {
        let here = path.isEmpty ? "(root)" : path
        if let expectedObject = expected as? [String: Any] {
            guard let actualObject = actual as? [String: Any] else {
                return ["\(here): expected an object, got \(describe(actual))"]
            }
            return expectedObject.keys.sorted().flatMap { key -> [String] in
                let child = path.isEmpty ? key : path + "." + key
                guard let value = actualObject[key] else { return ["\(child): missing"] }
                return differences(expected: expectedObject[key]!, actual: value, path: child)
            }
        }
        if let expectedArray = expected as? [Any] {
            guard let actualArray = actual as? [Any] else {
                return ["\(here): expected an array, got \(describe(actual))"]
            }
            var found: [String] = []
            if expectedArray.count != actualArray.count {
                found.append("\(here): expected \(expectedArray.count) elements, got \(actualArray.count)")
            }
            for (index, (left, right)) in zip(expectedArray, actualArray).enumerated() {
                found += differences(expected: left, actual: right, path: "\(path)[\(index)]")
            }
            return found
        }
        if expected is NSNull {
            return actual is NSNull ? [] : ["\(here): expected null, got \(describe(actual))"]
        }
        if let expectedString = expected as? String {
            return (actual as? String) == expectedString
                ? [] : ["\(here): expected \"\(expectedString)\", got \(describe(actual))"]
        }
        if let expectedNumber = number(expected) {
            guard let actualNumber = number(actual) else {
                return ["\(here): expected \(expectedNumber), got \(describe(actual))"]
            }
            return actualNumber == expectedNumber ? [] : ["\(here): expected \(expectedNumber), got \(actualNumber)"]
        }
        return ["\(here): unsupported expected value \(describe(expected))"]
    }

    private static func number(_ value: Any) -> Double? {
        if value is NSNull || value is String || value is [Any] || value is [String: Any] { return nil }
        if let integer = value as? Int { return Double(integer) }
        if let double = value as? Double { return double }
        if let number = value as? NSNumber { return number.doubleValue }
        return nil
    }

    private static func describe(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if let string = value as? String { return "\"\(string)\"" }
        if let number = number(value) { return String(number) }
        if value is [Any] { return "an array" }
        if value is [String: Any] { return "an object" }
        return String(describing: value)
    }
}

/// Builders for events in Swift (the generator and the unit tests).
enum Make {
    static let hour: Int64 = 3_600_000_000_000
    static let day: Int64 = 24 * hour

    /// `2026-03-02T00:00:00Z` plus `offset` ns.
    static func at(_ offset: Int64, base: String = "2026-03-02T00:00:00Z") -> Timestamp {
        Timestamp(nanoseconds: Timestamp(rfc3339: base)!.nanoseconds + offset)
    }

    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    static func message(_ conversation: String, _ at: Timestamp, channel: Channel = .email) -> Event {
        Event(
            at: at,
            payload: .messageReceived(
                MessageReceived(conversation: conversation, customer: "u-" + conversation, channel: channel, body: "")))
    }

    static func reply(_ conversation: String, _ at: Timestamp, automatic: Bool = false) -> Event {
        Event(
            at: at,
            payload: .replySent(
                ReplySent(conversation: conversation, author: "agent:ana", isAutomatic: automatic, body: "")))
    }

    static func status(_ conversation: String, _ at: Timestamp, _ status: ConversationStatus) -> Event {
        Event(at: at, payload: .statusChanged(StatusChanged(conversation: conversation, status: status)))
    }

    static func categorized(_ conversation: String, _ at: Timestamp, _ category: String) -> Event {
        Event(at: at, payload: .categorized(Categorized(conversation: conversation, category: category)))
    }
}
