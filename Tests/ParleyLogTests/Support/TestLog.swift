import Synchronization

@testable import ParleyLog

/// The fixed identity and options the tests write logs with, so that logs are the same bytes every run.
enum TestLog {
    /// Log id `00 01 … 0F`.
    static let logID: [UInt8] = Array(0..<16)
    /// The salt of the test logs.
    static let salt: UInt64 = 0x5A17_C0DE_0BAD_F00D
    /// A salt of "another log".
    static let otherSalt: UInt64 = 0x0DD_BA11_FEED_FACE
    /// Creation time of the test logs: 2026-03-02T10:00:00Z.
    static let createdAt: Int64 = 1_772_445_600_000_000_000

    /// The header `LogWriter.create` writes with ``options(clock:salt:io:)``.
    static let header = LogHeader(logID: logID, salt: salt, createdAt: createdAt)

    /// Writer options with the fixed identity and a manual clock (which starts at ``createdAt`` by default).
    static func options(
        clock: ManualClock = ManualClock(start: createdAt),
        salt: UInt64 = salt,
        io: FileOperations = .system
    ) -> LogWriter.Options {
        var options = LogWriter.Options()
        options.logID = logID
        options.salt = salt
        options.clock = { clock.now() }
        options.io = io
        return options
    }

    /// A batch of UTF-8 records.
    static func batch(_ records: [String]) -> LogBatch {
        var batch = LogBatch()
        for record in records { batch.appendRecord(bytes: Array(record.utf8)) }
        return batch
    }

    /// The bytes of one sealed frame, exactly as a writer with `salt` would write it.
    static func frame(
        _ records: [String],
        salt: UInt64 = salt,
        firstSeq: UInt64,
        commitTime: Int64 = createdAt
    )
        -> [UInt8]
    {
        var batch = batch(records)
        batch.seal(salt: salt, firstSeq: firstSeq, commitTime: commitTime)
        return batch.frame
    }

    /// Size of the frame of `records`: header, then a length prefix and the bytes of each record.
    static func frameLength(_ records: [String]) -> Int {
        LogFormat.frameHeaderBytes + records.reduce(0) { $0 + LogFormat.recordPrefixBytes + $1.utf8.count }
    }
}

/// A clock the test sets by hand; each reading then moves it on by `step` nanoseconds.
final class ManualClock: Sendable {
    private let value: Mutex<Int64>
    private let step: Int64

    init(start: Int64, step: Int64 = 0) {
        value = Mutex(start)
        self.step = step
    }

    /// The current time (then advances by `step`).
    func now() -> Int64 {
        value.withLock { value in
            defer { value += step }
            return value
        }
    }

    /// Sets the time, e.g. backwards.
    func set(_ time: Int64) {
        value.withLock { $0 = time }
    }
}

/// A value shared between threads, behind a mutex.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    /// Runs `body` with the value locked.
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }

    /// A copy of the value.
    var value: Value { mutex.withLock { $0 } }
}

extension LogWriter {
    /// Appends one frame of UTF-8 records.
    @discardableResult
    func appendRecords(_ records: [String]) throws(LogError) -> Commit {
        var batch = TestLog.batch(records)
        return try append(&batch)
    }
}

/// A frame copied out of a reader: its position, header fields and records.
struct StoredFrame: Equatable, Sendable {
    var offset: Int64
    var length: Int
    var firstSeq: UInt64
    var count: Int
    var commitTime: Int64
    var records: [[UInt8]]

    init(_ frame: Frame) {
        offset = frame.offset
        length = frame.length
        firstSeq = frame.firstSeq
        count = frame.count
        commitTime = frame.commitTime
        records = frame.records.map { Array($0) }
    }

    var seqs: ClosedRange<UInt64> { firstSeq...(firstSeq + UInt64(count) - 1) }

    /// The records as UTF-8 text.
    var text: [String] { records.map { String(decoding: $0, as: UTF8.self) } }
}

/// Reads every frame of the log at `path` with a fresh reader.
func readLog(at path: String, bufferBytes: Int = 256 << 10) throws -> (frames: [StoredFrame], stop: ReadStop?) {
    let reader = try LogReader(path: path, bufferBytes: bufferBytes)
    var frames: [StoredFrame] = []
    while let frame = try reader.nextFrame() { frames.append(StoredFrame(frame)) }
    return (frames, reader.stop)
}

/// Surveys the log at `path` with a fresh reader.
func surveyLog(at path: String, verifyChecksums: Bool = true) throws -> LogSurvey {
    try LogSurveyor.survey(LogReader(path: path), verifyChecksums: verifyChecksums)
}

extension LogEnding {
    var isClean: Bool {
        if case .clean = self { return true }
        return false
    }

    var tornTail: TornTail? {
        if case .tornTail(let tail) = self { return tail }
        return nil
    }

    var damage: LogDamage? {
        if case .damaged(let damage) = self { return damage }
        return nil
    }
}

/// Where one frame of a ``LogImage`` is.
struct FrameSpan: Sendable {
    var offset: Int64
    var length: Int
    var seqs: ClosedRange<UInt64>
    var end: Int64 { offset + Int64(length) }
}

/// A log built in memory, byte by byte as a writer would write it, for tests that damage logs
/// (no writer and no `fsync` needed to make one).
struct LogImage {
    let header: LogHeader
    private(set) var bytes: [UInt8]
    private(set) var frames: [FrameSpan] = []
    private(set) var nextSeq: UInt64 = 1
    /// Commit time of the next frame; each frame adds one second.
    var commitTime: Int64

    init(header: LogHeader = TestLog.header) {
        self.header = header
        bytes = header.encoded()
        commitTime = header.createdAt + 1_000_000_000
    }

    /// Appends the frame a writer would append next.
    @discardableResult
    mutating func appendFrame(_ records: [String]) -> FrameSpan {
        let frame = TestLog.frame(records, salt: header.salt, firstSeq: nextSeq, commitTime: commitTime)
        let span = FrameSpan(
            offset: Int64(bytes.count),
            length: frame.count,
            seqs: nextSeq...(nextSeq + UInt64(records.count) - 1)
        )
        bytes += frame
        frames.append(span)
        nextSeq += UInt64(records.count)
        commitTime += 1_000_000_000
        return span
    }

    /// Appends bytes that are not a frame of this log (garbage, foreign or copied frames).
    mutating func appendRaw(_ raw: [UInt8]) {
        bytes += raw
    }

    /// Flips bit `bit` (0 = least significant) of byte `offset`.
    mutating func flipBit(at offset: Int64, bit: Int) {
        bytes[Int(offset)] ^= 1 << UInt8(bit)
    }

    /// Replaces bytes from `offset` on.
    mutating func replace(at offset: Int64, with replacement: [UInt8]) {
        bytes.replaceSubrange(Int(offset)..<(Int(offset) + replacement.count), with: replacement)
    }

    /// Keeps the first `length` bytes.
    mutating func truncate(to length: Int64) {
        bytes.removeSubrange(Int(length)...)
    }

    func write(to path: String) throws {
        try Files.write(bytes, to: path)
    }
}
