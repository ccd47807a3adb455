import ParleyEvents
import ParleyLog
import ParleyProjections

/// The one write path into a log: every producer (`parley append`, `policy set`, `demo`, importers and
/// automations) appends through it.
///
/// Events come from JSON Lines (``append(jsonLines:)``) or as typed values (``append(_:)``). Each one is
/// decoded or checked (a typed event must encode to a record that reads back), enriched (today: a
/// `policy_set` whose policy will not be used is reported, or refused), and added to a batch. A batch is
/// all or nothing: it is written as one frame and `fdatasync`ed before it counts as committed. With no
/// ``batchSize`` the whole input is one batch; with one, a batch also closes early when it reaches the
/// frame limit (``LogFormat/maxFrameBytes``). While batch *k* is written and synced on a second thread,
/// batch *k + 1* is parsed; batches are still acknowledged in order, and a failed one stops everything
/// after it.
///
/// ```swift
/// let writer = try LogWriter.open(at: path)
/// defer { writer.close() }
/// var appender = EventAppender(writer: writer, batchSize: 10_000)
/// appender.onWarning = { print("warning:", $0) }
/// let summary = try appender.append(jsonLines: MemorySource(bytes))
/// ```
public struct EventAppender {
    /// What to do with a `policy_set` event whose policy does not check (the SLA projections would
    /// ignore it), or a `rules_set` whose rules do not (routing would).
    public enum PolicyCheck: Sendable {
        /// Store it and report it to ``EventAppender/onWarning`` (the log does not interpret what it stores).
        case warn
        /// Refuse it: ``ServiceError/Code/invalidPolicy``; the batch holding it is not written.
        case refuse
    }

    /// The log written to. The caller opens and closes it.
    public let writer: LogWriter
    /// Events per batch; `nil` appends the whole input as one batch.
    public var batchSize: Int?
    /// What to do with a policy that does not check.
    public var policyCheck = PolicyCheck.warn
    /// Called on the commit thread as soon as each batch is durable, in commit order.
    public var onCommit: (@Sendable (LogWriter.Commit) -> Void)?
    /// Called with each warning about an event that is stored but that the projections will not use.
    public var onWarning: ((AppendWarning) -> Void)?
    /// Routes as it appends (docs/ROUTING.md): each event is written with the routing decisions owed before
    /// it and those it causes, in the same batch. `nil`: the events are written as they come. After an
    /// append, it holds the state of the log as written (the caller may go on with it).
    public var routing: RoutingSession?

    /// An appender to `writer`.
    /// - Parameters:
    ///   - writer: an open writer; the appender does not close it.
    ///   - batchSize: events per batch, from 1 to ``LogFormat/maxEventsPerFrame``; `nil` for one batch.
    public init(writer: LogWriter, batchSize: Int? = nil) {
        precondition(
            batchSize.map { (1...LogFormat.maxEventsPerFrame).contains($0) } ?? true, "batch size out of range")
        self.writer = writer
        self.batchSize = batchSize
    }

    /// Appends every line of `source`, read as JSON Lines.
    /// - Returns: what was committed.
    /// - Throws: ``ServiceError``: ``ServiceError/Code/badInput`` (with the line and field),
    ///   ``ServiceError/Code/unreadableInput``, ``ServiceError/Code/batchTooLarge``,
    ///   ``ServiceError/Code/invalidPolicy`` or ``ServiceError/Code/log``. The batch holding the failing
    ///   line is not written; earlier batches stay committed and ``ServiceError/committed`` says which.
    public func append<Source: ByteSource>(jsonLines source: Source) throws(ServiceError) -> AppendSummary {
        // One concrete reader type, so that the pipeline is compiled for it (specialized) in this module
        // whatever the caller's source: the source is called once per buffer, not per line.
        var input = JSONLinesInput(reader: JSONLinesReader(source: ErasedSource(source)))
        return try run(&input)
    }

    /// Appends typed events (`policy set`, importers, automations), in order.
    /// - Returns: what was committed.
    /// - Throws: ``ServiceError``, as ``append(jsonLines:)`` does; positions are
    ///   ``InputPosition/event(_:)``, 1-based.
    public func append(_ events: [Event]) throws(ServiceError) -> AppendSummary {
        var input = TypedInput(events)
        return try run(&input)
    }

    /// Checks typed events as ``append(_:)`` would, without writing anything: so that a producer can
    /// refuse bad input before it opens the log.
    /// - Throws: ``ServiceError`` for the first event that does not check.
    public static func check(_ events: [Event], policyCheck: PolicyCheck = .refuse) throws(ServiceError) {
        var input = TypedInput(events)
        while let event = try input.next() {
            if policyCheck == .refuse, let problem = policyProblem(event) {
                throw ServiceError(refusing: problem, at: input.position)
            }
        }
    }

    /// Why the SLA projections will ignore this `policy_set` (docs/PROJECTIONS.md, "SLA policies"), if they
    /// will; `nil` for any other event.
    public static func policyProblem(_ event: Event) -> SLAPolicyError? {
        guard case .policySet(let set) = event.payload else { return nil }
        do {
            _ = try SLAPolicy(json: set.policy)
            return nil
        } catch {
            return error
        }
    }
}

extension EventAppender {
    /// Why routing will ignore this `rules_set` (docs/ROUTING.md), if it will; `nil` for any other event.
    public static func rulesProblem(_ event: Event) -> RoutingRulesError? {
        guard case .rulesSet(let set) = event.payload else { return nil }
        do {
            _ = try RoutingRules(json: set.rules)
            return nil
        } catch {
            return error
        }
    }
}

extension ServiceError {
    /// A `rules_set` refused by ``EventAppender/PolicyCheck/refuse``.
    init(refusing problem: RoutingRulesError, at position: InputPosition) {
        self.init(.invalidRules, reason: problem.reason, position: position, field: "rules.\(problem.field)")
    }

    /// A `policy_set` refused by ``EventAppender/PolicyCheck/refuse``.
    init(refusing problem: SLAPolicyError, at position: InputPosition) {
        self.init(.invalidPolicy, reason: problem.reason, position: position, field: "policy.\(problem.field)")
        policyError = problem
    }
}
