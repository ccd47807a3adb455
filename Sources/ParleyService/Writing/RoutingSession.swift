import ParleyEvents
import ParleyLog
import ParleyProjections

/// Routing as part of ingest (docs/ROUTING.md, "Decisions"): the state of the log being written to, kept up
/// to date event by event, and the decisions each event causes, written right after it in the same batch.
///
/// Before an event, the decisions that fell due by its time (timers, hand-backs) are written; then the event;
/// then the decisions it causes. Every decision is applied to the state as it is written, exactly as a replay
/// of the log will apply it, so a replay (and `route --check`) reproduces the writer's state and its choices.
///
/// A log that never had routing rules costs nothing: the session is *dormant* (``isDormant``), holds no
/// state and writes events as they come, until a `rules_set` comes in; the appender then wakes it
/// (``wake(pending:)``): it replays the log and the batch not yet written, and routes from there on.
///
/// A reference: the appender that routes and its caller share one session (the state after an append is the
/// state of the log as written). Not for use from two threads at once. After an append that failed, the
/// state may hold events of the batch that was not written: load a new session.
/// (`route` also stops at nothing: a decision that would not end what made it owed would loop; the router
/// is built and tested so that every decision, applied, ends it.)
public final class RoutingSession {
    /// The state of the log and of everything written through the session (empty while dormant).
    public private(set) var state: ProjectionState
    /// The seq the next event written gets.
    public private(set) var nextSeq: UInt64
    /// Decisions handed out so far.
    public private(set) var decisions: UInt64 = 0
    /// The seq of the last event routed (not a decision), if any.
    public private(set) var lastRoutedSeq: UInt64?
    /// The log, for a dormant session to wake up from.
    private let path: String?
    /// Whether it waits for rules, with no state.
    public private(set) var isDormant: Bool

    /// A session continuing `state`, whose next event gets `nextSeq`.
    public init(state: ProjectionState, nextSeq: UInt64) {
        self.state = state
        self.nextSeq = nextSeq
        path = nil
        isDormant = false
    }

    private init(dormantAt path: String, nextSeq: UInt64) {
        state = ProjectionState()
        self.nextSeq = nextSeq
        self.path = path
        isDormant = true
    }

    /// The session for the log at `path`: dormant if the log holds no `rules_set` (a scan of its record
    /// types, decoding nothing), else the state of the log (its checkpoint, if valid, then the events after
    /// it). For a writer that holds the log's writer lock, so that nothing is added meanwhile.
    /// - Parameter writer: the open writer of the same log.
    /// - Throws: ``ServiceError`` when the log cannot be read or replayed.
    public static func load(path: String, writer: LogWriter) throws(ServiceError) -> RoutingSession {
        do {
            guard try hasRules(path) else { return RoutingSession(dormantAt: path, nextSeq: writer.lastSeq + 1) }
            return RoutingSession(state: try ProjectionState.build(path: path).state, nextSeq: writer.lastSeq + 1)
        } catch {
            throw ServiceError(replaying: error, path: path)
        }
    }

    /// Whether the log at `path` holds a `rules_set` record.
    static func hasRules(_ path: String) throws -> Bool {
        let reader = try LogReader(path: path)
        while let frame = try reader.nextFrame() {
            for record in frame.numberedRecords() where record.bytes.first == EventKind.rulesSet.rawValue {
                return true
            }
        }
        return false
    }

    /// Whether writing `event` needs the session awake first: a dormant session meeting a `rules_set`.
    public func wakes(for event: Event) -> Bool {
        guard isDormant, case .rulesSet = event.payload else { return false }
        return true
    }

    /// Wakes a dormant session: the state of the log as committed now, then the records of `pending` (the
    /// batch being gathered, not yet written), in order.
    /// - Throws: ``ServiceError`` when the log cannot be replayed or a pending record does not decode.
    public func wake(pending: LogBatch) throws(ServiceError) {
        guard isDormant, let path else { return }
        do {
            var built = try ProjectionState.build(path: path).state
            var seq = built.summary.lastSeq
            try pending.forEachRecord { record in
                seq += 1
                if case .event(let event) = try EventCodec.decode(record, texts: false) {
                    built.apply(event, seq: seq)
                }
            }
            state = built
        } catch {
            throw ServiceError(replaying: error, path: path)
        }
        isDormant = false
    }

    /// Whether routing rules are in force.
    public var hasRules: Bool { state.router?.rules != nil }

    /// Writes `event` with the decisions owed before it and those it causes, in log order (a dormant session
    /// writes the event alone).
    /// - Parameter write: called with each event to write, `event` included, in order, and whether it is a
    ///   decision.
    public func route(_ event: Event, write: (Event, _ isDecision: Bool) -> Void) {
        guard !isDormant else {
            lastRoutedSeq = nextSeq
            nextSeq += 1
            write(event, false)
            return
        }
        drain(now: event.at.nanoseconds, write: write)
        state.apply(event, seq: nextSeq)
        lastRoutedSeq = nextSeq
        nextSeq += 1
        write(event, false)
        drain(now: event.at.nanoseconds, write: write)
    }

    /// Writes every decision owed at `now` (ns): the timers and hand-backs due by then (`route --tick`).
    public func drain(now: Int64, write: (Event, _ isDecision: Bool) -> Void) {
        guard !isDormant else { return }
        while let decision = state.nextRoutingDecision(now: now) {
            state.apply(decision, seq: nextSeq)
            nextSeq += 1
            decisions += 1
            write(decision, true)
        }
    }
}
