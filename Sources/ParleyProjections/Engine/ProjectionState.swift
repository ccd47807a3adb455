import ParleyEvents
import ParleyLog

/// Everything the `kpi`, `queue` and `sla` commands need, as left by replaying a log up to a
/// ``LogPosition``: the engine (conversations with their open episodes and SLA clocks, the policies) and
/// every registered projection (``registered``). It can be saved as a checkpoint and continued from
/// there: a checkpoint plus the events after it gives exactly what a full replay gives.
public struct ProjectionState: Sendable {
    /// The projections every state feeds and every checkpoint holds a section of, besides the engine's
    /// built-in ``KPIProjection``, in the order their sections are written. Adding one is adding it here
    /// (with a section id of its own, 16 or above: `ProjectionRegistryTests` checks).
    public static let registered: [any Projection.Type] = [
        CustomerDirectory.self, HandlingProjection.self, InsightsProjection.self,
    ]

    /// The state machine and the projections it feeds.
    public internal(set) var engine: ProjectionEngine
    /// The last frame replayed whole.
    public internal(set) var position: LogPosition
    /// What the replays that built it read.
    public internal(set) var summary: Replay.Summary
    /// Checkpoint sections not yet checked nor decoded (`kpi` never needs them), in the checkpoint's table
    /// order.
    /// Empty once loaded, or when built by replay.
    var deferred: [Deferred] = []

    /// A checkpoint section kept for later: its table entry, and how to read it (from the file opened when
    /// the checkpoint was loaded, so from the same version of it).
    struct Deferred: Sendable {
        var entry: Checkpoint.Entry
        var read: @Sendable () throws(Checkpoint.Problem) -> ArraySlice<UInt8>
    }

    /// An empty state, at the start of a log.
    public init() {
        engine = ProjectionEngine(projections: Self.registered)
        position = LogPosition()
        summary = Replay.Summary()
    }

    /// Every conversation, its open episode and SLA clocks, and the policies the log set. Empty when
    /// ``hasConversations`` is `false`.
    public var conversations: ConversationBook { engine.conversations }

    /// The latest event time replayed (ns), if any event was.
    public var latestEventTime: Int64? { engine.eventTimes?.upperBound }
    /// The latest event time of the events that name a conversation (ns), if any: the moment a historical
    /// log is judged at (configuration such as a policy set today does not move it).
    public var latestConversationEventTime: Int64? { engine.latestConversationEventTime }

    /// The commit time (ns) of the last frame read, if any was.
    public var latestCommitTime: Int64? { summary.lastCommitTime > 0 ? summary.lastCommitTime : nil }

    /// The projection of type `type` (`nil` if it is not registered, or not loaded: ``hasConversations``).
    public func projection<P: Projection>(_ type: P.Type) -> P? {
        guard !deferred.contains(where: { $0.entry.id == P.section.id }) else { return nil }
        return engine.projection(type)
    }

    /// The KPI projection.
    var kpi: KPIProjection {
        get { engine.kpi }
        set { engine.kpi = newValue }
    }

    /// Whether every section is loaded (always, unless built from a checkpoint for reports only).
    public var hasConversations: Bool { deferred.isEmpty }

    /// Applies one event, as a replay does (tests feed events without a log).
    public mutating func apply(_ event: Event, seq: UInt64) {
        engine.apply(event, seq: seq)
        summary.events += 1
        summary.lastSeq = seq
    }

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
    /// there is a valid one that the limit does not exclude (an event-time limit excludes every
    /// checkpoint). When the replay meets a retroactive SLA policy (``PolicyTimeline``), the state is built
    /// again from the start of the log, knowing every policy up front.
    /// - Parameters:
    ///   - useCheckpoint: `false` replays the whole log whatever lies beside it.
    ///   - needsConversations: `false` when only the KPI report will be read: then, if no event follows the
    ///     checkpoint, only the engine's and the KPI sections are decoded (``hasConversations`` is `false`).
    /// - Returns: the state, and what became of the checkpoint.
    /// - Throws: ``LogError`` for unreadable logs; ``EventError`` for a record that does not decode.
    public static func build(
        path: String, limit: ReplayLimit = ReplayLimit(), useCheckpoint: Bool = true, needsConversations: Bool = true
    ) throws -> (state: ProjectionState, checkpoint: CheckpointUse) {
        var built = try buildOnce(
            path: path, limit: limit, useCheckpoint: useCheckpoint, needsConversations: needsConversations)
        guard built.state.engine.conversations.policyTimeline.metRetroactivePolicy else { return built }
        var state = ProjectionState()
        state.engine.conversations = ConversationBook(knowingPoliciesOf: built.state.engine.conversations)
        built.state = ProjectionState()  // the first pass's state goes before the second pass grows
        try state.replay(try LogReader(path: path), limit: limit)
        // The checkpoint use stays as the first pass found it: the answer is the full replay's either way.
        built.state = state
        return built
    }

    private static func buildOnce(
        path: String, limit: ReplayLimit, useCheckpoint: Bool, needsConversations: Bool
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
            if needsConversations || size > loaded.position.frameEnd { try loaded.loadDeferredSections() }
            let checkpoint = loaded.position
            // Should events arrive after the size was read, `replay` loads the sections first.
            try loaded.replay(reader, limit: limit)
            return (loaded, .loaded(checkpoint))
        } catch let problem as Checkpoint.Problem {
            let fresh = try LogReader(path: path)
            var state = ProjectionState()
            try state.replay(fresh, limit: limit)
            return (state, .ignored(problem.reason))
        }
    }

    /// Replays what `reader` has left, within `limit`. The deferred sections are loaded first if an event
    /// follows (`kpi` from an up-to-date checkpoint never reads them).
    mutating func replay(_ reader: LogReader, limit: ReplayLimit) throws {
        // Moved out, so that it is the only reference to its storage while events change it.
        var engine = self.engine
        self.engine = ProjectionEngine(projections: [])
        var deferred = self.deferred
        let loaded = summary
        defer {
            self.engine = engine
            self.deferred = deferred
        }
        try Replay.records(reader: reader, limit: limit, summary: &summary, position: &position) {
            event, seq, _, _ in
            if !deferred.isEmpty {
                try Self.load(deferred, into: &engine, summary: loaded)
                deferred = []
            }
            engine.apply(event, seq: seq)
        }
    }

    /// Whether a replay within `limit` may start from this state (it holds nothing the limit excludes).
    func admits(_ limit: ReplayLimit) -> Bool {
        // Events after an event time may lie anywhere in the log, the checkpoint's part included.
        if limit.eventsUntil != nil { return false }
        if let until = limit.untilSeq, position.lastSeq > until { return false }
        if let asOf = limit.asOf, position.lastSeq > 0, position.commitTime > asOf { return false }
        return true
    }
}

extension ProjectionState {
    /// The next routing decision owed at `now` (ns), if one is (``Router/nextDecision(now:)``). Apply it (with
    /// ``apply(_:seq:)``) before asking again.
    public mutating func nextRoutingDecision(now: Int64) -> Event? {
        engine.nextRoutingDecision(now: now)
    }

    /// The routing state, if loaded.
    public var router: Router? { projection(Router.self) }
}
