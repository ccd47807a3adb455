import ParleyEvents
import ParleyLog

/// Everything the `kpi`, `queue` and `sla` commands need, as left by replaying a log up to a
/// ``LogPosition``: the conversations with their open episodes and SLA clocks, the compact episode
/// records of the KPI report, and the message counts. It can be saved as a checkpoint and continued
/// from there: a checkpoint plus the events after it gives exactly what a full replay gives.
public struct ProjectionState: Sendable {
    public internal(set) var collector: KPICollector
    /// The last frame replayed whole.
    public internal(set) var position: LogPosition
    /// What the replays that built it read.
    public internal(set) var summary: Replay.Summary
    /// The conversations section of the checkpoint it was loaded from, not yet checked nor decoded
    /// (`kpi` never needs it). `nil` once loaded, or when built by replay.
    var deferred: Deferred?

    /// A checkpoint section kept for later: its checksum, and how to read it (from the file opened when
    /// the checkpoint was loaded, so from the same version of it).
    struct Deferred: Sendable {
        var checksum: UInt32
        var read: @Sendable () throws(Checkpoint.Problem) -> ArraySlice<UInt8>
    }

    /// Whether the conversations are loaded (always, unless built from a checkpoint for reports only).
    public var hasConversations: Bool { deferred == nil }

    /// Checks and decodes the conversations section kept from the checkpoint.
    /// - Throws: ``Checkpoint/Problem`` when it is damaged or malformed.
    mutating func loadConversations() throws(Checkpoint.Problem) {
        guard let section = deferred else { return }
        try Self.load(section, into: &collector)
        deferred = nil
    }

    private static func load(_ section: Deferred, into collector: inout KPICollector) throws(Checkpoint.Problem) {
        let bytes = try section.read()
        guard CRC32C.checksum(bytes) == section.checksum else {
            throw Checkpoint.Problem(reason: "checkpoint checksum mismatch in the conversations section (damaged)")
        }
        do {
            try decodeConversations(bytes, into: &collector)
        } catch {
            throw Checkpoint.Problem(reason: "checkpoint conversations are malformed (\(error.reason))")
        }
    }

    /// An empty state, at the start of a log.
    public init() {
        collector = KPICollector()
        position = LogPosition()
        summary = Replay.Summary()
    }

    init(collector: KPICollector, position: LogPosition, summary: Replay.Summary, deferred: Deferred? = nil) {
        self.deferred = deferred
        self.collector = collector
        self.position = position
        self.summary = summary
    }

    /// Every conversation, its open episode and SLA clocks, and the policies the log set.
    public var conversations: ConversationBook { collector.book }

    /// The latest event time replayed (ns), if any event was.
    public var latestEventTime: Int64? { collector.eventTimes?.upperBound }

    /// How a build used a checkpoint.
    public enum CheckpointUse: Equatable, Sendable {
        /// There was none, or the replay limit lies before it.
        case none
        /// Loaded; only the events after it were replayed.
        case loaded(LogPosition)
        /// Refused for the reason given; the whole log was replayed.
        case ignored(String)
    }

    /// Builds the state of the log at `path` within `limit`, starting from the checkpoint beside it when
    /// there is a valid one that the limit does not exclude.
    /// - Parameters:
    ///   - useCheckpoint: `false` replays the whole log whatever lies beside it.
    ///   - needsConversations: `false` when only the KPI report will be read: then, if no event follows the
    ///     checkpoint, its conversations are left undecoded (``hasConversations`` is `false`).
    /// - Returns: the state, and what became of the checkpoint.
    /// - Throws: ``LogError`` for unreadable logs; ``EventError`` for a record that does not decode.
    public static func build(
        path: String, limit: ReplayLimit = ReplayLimit(), useCheckpoint: Bool = true, needsConversations: Bool = true
    ) throws -> (state: ProjectionState, checkpoint: CheckpointUse) {
        let reader = try LogReader(path: path)
        guard useCheckpoint else {
            var state = ProjectionState()
            try state.replay(reader, limit: limit)
            return (state, .none)
        }
        do {
            guard var loaded = try Checkpoint.load(for: path, logID: reader.header.logID), loaded.admits(limit) else {
                var state = ProjectionState()
                try state.replay(reader, limit: limit)
                return (state, .none)
            }
            try loaded.position.check(against: reader)
            let size = try reader.fileSize()
            if needsConversations || size > loaded.position.frameEnd { try loaded.loadConversations() }
            let checkpoint = loaded.position
            // Should events arrive after the size was read, `replay` loads the conversations first.
            try loaded.replay(reader, limit: limit)
            return (loaded, .loaded(checkpoint))
        } catch let problem as Checkpoint.Problem {
            let fresh = try LogReader(path: path)
            var state = ProjectionState()
            try state.replay(fresh, limit: limit)
            return (state, .ignored(problem.reason))
        }
    }

    /// Replays what `reader` has left, within `limit`.
    mutating func replay(_ reader: LogReader, limit: ReplayLimit) throws {
        // Moved out, so that it is the only reference to its storage while events change it.
        var collector = self.collector
        self.collector = KPICollector()
        var deferred = self.deferred
        defer {
            self.collector = collector
            self.deferred = deferred
        }
        try Replay.records(reader: reader, limit: limit, summary: &summary, position: &position) {
            event, seq, _, _ in
            if let section = deferred {
                try Self.load(section, into: &collector)
                deferred = nil
            }
            collector.apply(event, seq: seq)
        }
    }

    /// Whether a replay within `limit` may start from this state (it holds nothing the limit excludes).
    func admits(_ limit: ReplayLimit) -> Bool {
        if let until = limit.untilSeq, position.lastSeq > until { return false }
        if let asOf = limit.asOf, position.lastSeq > 0, position.commitTime > asOf { return false }
        return true
    }
}

extension LogPosition {
    /// Checks that the log read by `reader` holds, at this position, the very frame recorded, and leaves
    /// the reader just after it.
    /// - Throws: ``Checkpoint/Problem`` when it does not.
    func check(against reader: LogReader) throws {
        guard lastSeq > 0 else { return }
        let size = try reader.fileSize()
        guard frameEnd <= size else {
            throw Checkpoint.Problem(
                reason: "it reaches seq \(lastSeq) at offset \(frameEnd), beyond the end of the log (\(size) bytes)")
        }
        reader.seek(toFrameAt: frameOffset, nextSeq: frameFirstSeq)
        guard let frame = try reader.nextFrame(), LogPosition(frame: frame) == self else {
            throw Checkpoint.Problem(
                reason: "the log holds other bytes at offset \(frameOffset) than the frame it recorded (seq \(lastSeq))"
            )
        }
    }
}
