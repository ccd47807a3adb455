import Foundation
import ParleyEvents
import ParleyLog
import ParleyProjections
import Synchronization

/// A new log in a temporary folder of its own, removed when the value goes away; its writer's clock
/// reads 2026-03-02T10:00:00Z and advances one second per reading.
final class TemporaryLog {
    let folder: String
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parley-service-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        folder = base.path
        path = folder + "/test.log"
        let writer = try LogWriter.create(at: path, options: Self.options())
        writer.close()
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// 2026-03-02T10:00:00Z.
    static let start: Int64 = 1_772_445_600 * 1_000_000_000

    /// Writer options with a clock that steps one second per reading from ``start``.
    static func options() -> LogWriter.Options {
        let clock = SteppingClock()
        var options = LogWriter.Options()
        options.clock = { clock.next() }
        return options
    }

    /// Opens the log for writing.
    func writer() throws -> LogWriter { try LogWriter.open(at: path, options: Self.options()) }

    /// Every event of the log with its seq.
    func events() throws -> [(seq: UInt64, event: Event)] {
        var events: [(UInt64, Event)] = []
        _ = try Replay.run(path: path) { event, seq in events.append((seq, event)) }
        return events
    }

    /// The event ranges of the log's frames, in order.
    func frames() throws -> [ClosedRange<UInt64>] {
        let reader = try LogReader(path: path)
        var frames: [ClosedRange<UInt64>] = []
        while let frame = try reader.nextFrame() {
            frames.append(frame.firstSeq...(frame.firstSeq + UInt64(frame.count) - 1))
        }
        return frames
    }
}

/// A clock that starts at ``TemporaryLog/start`` and advances one second per reading (read from the commit
/// thread too).
final class SteppingClock: Sendable {
    private let value = Atomic<Int64>(TemporaryLog.start)

    func next() -> Int64 { value.add(1_000_000_000, ordering: .relaxed).oldValue }
}

/// JSON Lines bytes, one line per string.
func jsonLines(_ lines: [String]) -> [UInt8] { Array(lines.map { $0 + "\n" }.joined().utf8) }

/// A `message_received` line of conversation `conversation` at `time` (RFC 3339).
func message(_ conversation: String, at time: String, customer: String = "ann", channel: String = "email") -> String {
    "{\"type\":\"message_received\",\"at\":\"\(time)\",\"conversation\":\"\(conversation)\",\"customer\":\"\(customer)\","
        + "\"channel\":\"\(channel)\",\"body\":\"hello\"}"
}
