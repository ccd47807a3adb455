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

    /// An empty state, at the start of a log.
    public init() {
        collector = KPICollector()
        position = LogPosition()
        summary = Replay.Summary()
    }

    init(collector: KPICollector, position: LogPosition, summary: Replay.Summary) {
        self.collector = collector
        self.position = position
        self.summary = summary
    }

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
    /// - Parameter useCheckpoint: `false` replays the whole log whatever lies beside it.
    /// - Returns: the state, and what became of the checkpoint.
    /// - Throws: ``LogError`` for unreadable logs; ``EventError`` for a record that does not decode.
    public static func build(path: String, limit: ReplayLimit = ReplayLimit(), useCheckpoint: Bool = true) throws
        -> (state: ProjectionState, checkpoint: CheckpointUse)
    {
        let reader = try LogReader(path: path)
        var state = ProjectionState()
        var use = CheckpointUse.none
        if useCheckpoint {
            do {
                if let loaded = try Checkpoint.load(for: path, logID: reader.header.logID) {
                    if loaded.admits(limit) {
                        try loaded.position.check(against: reader)
                        state = loaded
                        use = .loaded(loaded.position)
                    }
                }
            } catch let problem as Checkpoint.Problem {
                use = .ignored(problem.reason)
                reader.seek(toFrameAt: Int64(LogFormat.fileHeaderBytes), nextSeq: 1)
            }
        }
        try state.replay(reader, limit: limit)
        return (state, use)
    }

    /// Replays what `reader` has left, within `limit`.
    mutating func replay(_ reader: LogReader, limit: ReplayLimit) throws {
        var collector = self.collector
        try Replay.records(reader: reader, limit: limit, summary: &summary, position: &position) {
            event, seq, _, _ in
            collector.apply(event, seq: seq)
        }
        self.collector = collector
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
