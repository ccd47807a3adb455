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
/// A reference: the appender that routes and its caller share one session (the state after an append is the
/// state of the log as written). Not for use from two threads at once.
public final class RoutingSession {
    /// The state of the log and of everything written through the session.
    public private(set) var state: ProjectionState
    /// The seq the next event written gets.
    public private(set) var nextSeq: UInt64
    /// Decisions handed out so far.
    public private(set) var decisions: UInt64 = 0
    /// The seq of the last event routed (not a decision), if any.
    public private(set) var lastRoutedSeq: UInt64?

    /// A session continuing `state`, whose next event gets `nextSeq`.
    public init(state: ProjectionState, nextSeq: UInt64) {
        self.state = state
        self.nextSeq = nextSeq
    }

    /// The state of the log at `path` (its checkpoint, if valid, then the events after it), for a writer that
    /// holds the log's writer lock, so that nothing is added meanwhile.
    /// - Parameter writer: the open writer of the same log.
    /// - Throws: ``ServiceError`` when the log cannot be replayed.
    public static func load(path: String, writer: LogWriter) throws(ServiceError) -> RoutingSession {
        let built: ProjectionState
        do {
            built = try ProjectionState.build(path: path).state
        } catch {
            throw ServiceError(replaying: error, path: path)
        }
        return RoutingSession(state: built, nextSeq: writer.lastSeq + 1)
    }

    /// Whether routing rules are in force.
    public var hasRules: Bool { state.router?.rules != nil }

    /// Writes `event` with the decisions owed before it and those it causes, in log order.
    /// - Parameter write: called with each event to write, `event` included, in order, and whether it is a
    ///   decision.
    public func route(_ event: Event, write: (Event, _ isDecision: Bool) -> Void) {
        drain(now: event.at.nanoseconds, write: write)
        state.apply(event, seq: nextSeq)
        lastRoutedSeq = nextSeq
        nextSeq += 1
        write(event, false)
        drain(now: event.at.nanoseconds, write: write)
    }

    /// Writes every decision owed at `now` (ns): the timers and hand-backs due by then (`route --tick`).
    public func drain(now: Int64, write: (Event, _ isDecision: Bool) -> Void) {
        while let decision = state.nextRoutingDecision(now: now) {
            state.apply(decision, seq: nextSeq)
            nextSeq += 1
            decisions += 1
            write(decision, true)
        }
    }
}
