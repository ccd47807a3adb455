import ParleyEvents
import ParleyLog

/// How much of the log a replay sees: everything, or what had been committed at a moment (the audit
/// view), or up to a sequence number; and, apart, only the events that had happened by an event time (the
/// business view). Reports at a commit-time or sequence limit are exactly what they were (or would have
/// been) at that point.
public struct ReplayLimit: Equatable, Sendable {
    /// Only events with `seq ≤ untilSeq`.
    public var untilSeq: UInt64?
    /// Only events committed at or before this commit time (ns since the epoch).
    public var asOf: Int64?
    /// Only events whose event time (`at`) is at or before this time (ns since the epoch). The replay skips
    /// the others and reads on to the end of the log (or to the other limits): event times are not in log
    /// order. A checkpoint never serves such a replay.
    public var eventsUntil: Int64?

    public init(untilSeq: UInt64? = nil, asOf: Int64? = nil, eventsUntil: Int64? = nil) {
        self.untilSeq = untilSeq
        self.asOf = asOf
        self.eventsUntil = eventsUntil
    }
}

/// Streams the events of a log through a closure, within a ``ReplayLimit``. Holds one frame at a time.
/// Events come without their texts (`body`, `subject` are empty): projections never need them. Every
/// identifier is kept (`author`, `assignee`, `team`, `message_id`), so a projection can count per agent.
public enum Replay {
    /// What a replay read.
    public struct Summary: Equatable, Sendable {
        /// Events delivered.
        public var events: UInt64 = 0
        /// Last sequence number delivered (0 for none).
        public var lastSeq: UInt64 = 0
        /// Records of a type or version this build does not know (skipped).
        public var unknown: UInt64 = 0
        /// Events skipped because they happened after ``ReplayLimit/eventsUntil`` (not kept in checkpoints:
        /// a checkpoint is never made with that limit).
        public var afterEventTime: UInt64 = 0
        /// The earliest event time (ns) among those skipped events.
        public var earliestSkipped: Int64?
        /// Commit time (ns) of the last frame read (0 for none), whether or not it delivered an event.
        public var lastCommitTime: Int64 = 0

        public init() {}
    }

    /// Replays the log at `path` in log order.
    /// - Parameters:
    ///   - path: the log.
    ///   - limit: where to stop.
    ///   - body: called with each event and its sequence number.
    /// - Throws: ``LogError`` for unreadable logs; ``EventError`` for a record that does not decode.
    public static func run(path: String, limit: ReplayLimit = ReplayLimit(), _ body: (Event, UInt64) -> Void) throws
        -> Summary
    {
        try records(path: path, limit: limit) { event, seq, _, _ in body(event, seq) }
    }

    /// Replays like ``run(path:limit:_:)``, but decodes the texts of the events `wants` accepts (checked on
    /// the text-less decoding first) and hands them over with their commit time.
    public static func run(
        path: String, limit: ReplayLimit = ReplayLimit(), wants: (Event) -> Bool, _ body: (SequencedEvent) -> Void
    ) throws -> Summary {
        try records(path: path, limit: limit) { light, seq, record, commitTime in
            guard wants(light), case .event(let event) = try EventCodec.decode(record, texts: true) else { return }
            body(SequencedEvent(seq: seq, recordedAt: Timestamp(nanoseconds: commitTime), event: event))
        }
    }

    /// The one replay loop: every known event within the limit, decoded without texts, with its seq, its
    /// record bytes and its frame's commit time.
    private static func records(
        path: String, limit: ReplayLimit,
        _ body: (Event, UInt64, ArraySlice<UInt8>, Int64) throws -> Void
    ) throws -> Summary {
        let reader = try LogReader(path: path)
        var summary = Summary()
        var position = LogPosition()
        try records(reader: reader, limit: limit, summary: &summary, position: &position, body)
        return summary
    }

    /// Replays from where `reader` stands, adding to `summary` and moving `position` past every frame
    /// replayed whole.
    ///
    /// A replay that reaches damage before its limit throws (``LogDamage/readError(path:)``, code
    /// `.corruption`): a report of the events before the damage would be a silent partial answer. A limit
    /// that ends before the damage is answered: `untilSeq` below the first unreadable seq, or `asOf` before
    /// the commit time of the damaged frame, when its header is believable
    /// (``LogReader/claimedCommitTime(of:notBefore:)``). A torn tail is a normal end.
    static func records(
        reader: LogReader, limit: ReplayLimit, summary: inout Summary, position: inout LogPosition,
        _ body: (Event, UInt64, ArraySlice<UInt8>, Int64) throws -> Void
    ) throws {
        var lastCommitTime = Int64.min
        while let frame = try reader.nextFrame() {
            // Commit times never decrease, so the first frame after `asOf` ends the replay.
            if let asOf = limit.asOf, frame.commitTime > asOf { return }
            // A frame wholly past `untilSeq` ends it too (its records would all be left out).
            if let until = limit.untilSeq, frame.firstSeq > until { return }
            lastCommitTime = frame.commitTime
            summary.lastCommitTime = frame.commitTime
            for record in frame.numberedRecords(seqs: 0...(limit.untilSeq ?? .max)) {
                let decoded: DecodedRecord
                do {
                    decoded = try EventCodec.decode(record.bytes, texts: false)
                } catch {
                    // Where, as `dump` says it: damage the checksums did not catch (or a hand-made record).
                    throw EventError(
                        .malformedPayload,
                        reason: "seq \(record.seq) (frame at offset \(frame.offset)): malformed event: \(error.reason)")
                }
                guard case .event(let event) = decoded else {
                    summary.unknown += 1
                    continue
                }
                if let until = limit.eventsUntil, event.at.nanoseconds > until {
                    summary.afterEventTime += 1
                    summary.earliestSkipped = min(summary.earliestSkipped ?? .max, event.at.nanoseconds)
                    continue
                }
                summary.events += 1
                summary.lastSeq = record.seq
                try body(event, record.seq, record.bytes, frame.commitTime)
            }
            // A frame that goes on past `untilSeq` is not replayed whole: the replay ends inside it.
            if let until = limit.untilSeq, frame.lastSeq > until { return }
            position = LogPosition(frame: frame)
        }
        if let until = limit.untilSeq, until < reader.nextSeq { return }
        guard let damage = try reader.damageWhereStopped() else { return }
        if let asOf = limit.asOf, let claimed = try reader.claimedCommitTime(of: damage, notBefore: lastCommitTime),
            claimed > asOf
        {
            return
        }
        throw damage.readError(path: reader.path)
    }
}
