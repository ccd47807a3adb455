import Dispatch
import ParleyEvents
import ParleyLog
import Synchronization

/// Counts the events of a log frame by frame: by type, unknown types, event-time range, and (when
/// decoding fully) records that do not decode. Shared by `verify` and `stats`.
struct EventCensus: Sendable {
    /// Events per known type, in ``EventKind`` order.
    var byKind = [UInt64](repeating: 0, count: EventCensus.slots)
    /// Record bytes per known type.
    var bytesByKind = [UInt64](repeating: 0, count: EventCensus.slots)
    /// One counter per type byte up to the highest known.
    private static let slots = Int(EventKind.allCases.map(\.rawValue).max() ?? 0) + 1
    /// Events of a type or schema version this build does not know (skipped).
    var unknown: UInt64 = 0
    /// Earliest and latest event time (instants, ns).
    var eventTimes: ClosedRange<Int64>?
    /// The first record that did not decode: (seq, reason).
    var firstMalformed: (seq: UInt64, reason: String)?
    /// How many records did not decode.
    var malformed: UInt64 = 0
    /// Whether to decode every field (verify) or only the record prefix (stats).
    let decodeFully: Bool

    init(decodeFully: Bool) { self.decodeFully = decodeFully }

    mutating func add(_ frame: Frame) {
        for numbered in frame.numberedRecords() {
            let (seq, record) = (numbered.seq, numbered.bytes)
            let kind: EventKind
            let at: Timestamp
            if decodeFully {
                do {
                    let checked = try EventCodec.validate(record)
                    guard let known = checked.kind else {
                        unknown += 1
                        continue
                    }
                    (kind, at) = (known, checked.at)
                } catch {
                    noteMalformed(seq: seq, reason: error.reason)
                    continue
                }
            } else {
                guard let prefix = EventCodec.peek(record) else {
                    noteMalformed(seq: seq, reason: "record shorter than its 12-byte prefix")
                    continue
                }
                guard let known = EventKind(type: prefix.type, version: prefix.version) else {
                    unknown += 1
                    continue
                }
                (kind, at) = (known, prefix.at)
            }
            byKind[Int(kind.rawValue)] += 1
            bytesByKind[Int(kind.rawValue)] += UInt64(record.count)
            let instant = at.nanoseconds
            eventTimes =
                min(eventTimes?.lowerBound ?? instant, instant)...max(eventTimes?.upperBound ?? instant, instant)
        }
    }

    /// Adds the counts of another census (of other frames).
    mutating func merge(_ other: EventCensus) {
        for index in byKind.indices {
            byKind[index] += other.byKind[index]
            bytesByKind[index] += other.bytesByKind[index]
        }
        unknown += other.unknown
        malformed += other.malformed
        if let times = other.eventTimes {
            eventTimes =
                min(
                    eventTimes?.lowerBound ?? times.lowerBound, times.lowerBound)...max(
                    eventTimes?.upperBound ?? times.upperBound, times.upperBound)
        }
        if let bad = other.firstMalformed, bad.seq < firstMalformed?.seq ?? .max { firstMalformed = bad }
    }

    private mutating func noteMalformed(seq: UInt64, reason: String) {
        malformed += 1
        if firstMalformed == nil { firstMalformed = (seq, reason) }
    }
}

/// An ``EventCensus`` fed by the reading thread and counted on worker threads, so that checksumming and
/// event validation use both cores: `add` copies the frame (the reader reuses its buffer) and hands it to
/// a worker; at most three frames wait, so memory stays bounded. Each frame is counted into its own
/// census and merged; the merged result does not depend on the order frames finish in.
final class ConcurrentCensus: Sendable {
    private let census: Mutex<EventCensus>
    private let decodeFully: Bool
    private let queue = DispatchQueue(label: "parley.census", attributes: .concurrent)
    private let group = DispatchGroup()
    private let slots = DispatchSemaphore(value: 3)

    init(decodeFully: Bool) {
        self.decodeFully = decodeFully
        census = Mutex(EventCensus(decodeFully: decodeFully))
    }

    /// Queues a frame for counting.
    func add(_ frame: Frame) {
        slots.wait()
        var copy = frame
        copy.payload = ArraySlice(Array(frame.payload))
        let owned = copy
        queue.async(group: group) { [self] in
            var partial = EventCensus(decodeFully: decodeFully)
            partial.add(owned)
            census.withLock { $0.merge(partial) }
            slots.signal()
        }
    }

    /// Waits until every queued frame is counted and returns the result.
    func finish() -> EventCensus {
        group.wait()
        return census.withLock { $0 }
    }
}

/// Formatting helpers for human-readable reports.
enum Format {
    /// `1,234,567`.
    static func grouped(_ value: some BinaryInteger) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0, digit != "-" { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// An instant in ns as RFC 3339 UTC.
    static func time(_ nanoseconds: Int64) -> String {
        Timestamp(nanoseconds: nanoseconds).rfc3339
    }

    /// `12.3 MiB`.
    static func bytes(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(Int(value * 10) / 10) + "." + String(Int(value * 10) % 10) + " " + units[unit]
    }

    /// A JSON value, compact.
    static func json(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        JSONLineEncoder.appendJSON(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string literal.
    static func json(_ text: String) -> String {
        var out: [UInt8] = []
        JSONLineEncoder.appendJSONString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
