import ParleyEvents

/// The state of every conversation, built by applying events in log order. It decides episodes:
/// when they start and end, their first response and touches, and runs their SLA clocks under the
/// policies the log set. Everything here is derived from the log.
///
/// Rules (docs/PROJECTIONS.md): an episode starts at a `message_received`, or a `status_changed` to
/// `open` or `pending`, while the conversation has no open episode, and ends at `status_changed` →
/// `resolved`. A reply or a `resolved` while no episode is open belongs to no episode and is counted
/// apart. `pending` keeps the episode open and pauses its SLA resolution clock; a customer's message (or
/// a status change to `open`) sets it open again and resumes the clock. Event time drives durations and
/// which policy measures an episode (``PolicyTimeline``), log order drives state.
public struct ConversationBook: Sendable {
    /// What is known about one conversation now.
    public struct Conversation: Equatable, Sendable {
        public var id: String
        /// The customer id of its first message.
        public var customer: String?
        public var status: ConversationStatus?
        public var owner: String?
        public var team: String?
        public var category: String?
        public var priority: Priority?
        /// The open episode, if any.
        public var openEpisode: Episode?
        /// How many episodes it has had (open one included).
        public var episodes = 0
        /// 0 for the first conversation the log mentions, 1 for the next, … : a dense key for the
        /// projections' own arrays (``Projection``), the same for the life of the log.
        public var ordinal = 0

        public init(id: String, ordinal: Int = 0) {
            self.id = id
            self.ordinal = ordinal
        }
    }

    /// Counts of events the rules set apart.
    public struct Anomalies: Equatable, Sendable {
        /// Durations that came out negative (late events) and were clamped to 0. Counted by the KPI report
        /// for the episodes it reports (so it follows its filters); the book itself computes no durations.
        public var negativeDurations = 0
        /// Non-automatic replies while no episode was open.
        public var repliesOutsideEpisodes = 0
        /// `resolved` while no episode was open.
        public var resolvesOutsideEpisodes = 0
        /// `policy_set` events whose policy could not be read (or whose time zone this system lacks):
        /// ignored, the previous policy stays in force.
        public var invalidPolicies = 0

        public init() {}
    }

    /// Conversations in order of first appearance.
    public internal(set) var all: [Conversation] = []
    /// Position in ``all`` of each conversation id.
    var index = IDTable()
    public internal(set) var anomalies = Anomalies()
    /// Every valid policy the log set, in log order, with its calendar.
    public internal(set) var policies: [BusinessCalendar] = []
    /// The last valid policy met in log order (index in ``policies``), if any. Which policy measures an
    /// episode depends on its start, not on this (``policyTimeline``).
    public internal(set) var currentPolicy: Int?
    /// When each policy takes effect and what it measures.
    public internal(set) var policyTimeline = PolicyTimeline()

    public init() {}

    /// An empty book for a replay that starts over knowing every policy of `other` (the same replay, after
    /// it met a retroactive policy): each episode is then measured by the policy in force at its start,
    /// whatever the log order.
    public init(knowingPoliciesOf other: ConversationBook) {
        policies = other.policies
        policyTimeline = PolicyTimeline(knowing: other.policyTimeline)
    }

    /// The conversation `id`, if the log mentions it.
    public subscript(id: String) -> Conversation? { index.position(of: id).map { all[$0] } }

    /// What applying one event did to episodes, as values (``apply(_:seq:)``).
    public enum EpisodeChange: Equatable, Sendable {
        case none
        /// An episode started (the conversation's open episode now).
        case started(Episode)
        /// The open episode changed (a reply counted, a new category or priority, its SLA clock paused or
        /// resumed).
        case changed(Episode)
        /// The conversation's episode ended (resolved).
        case ended(Episode)
    }

    /// What applying one event did, for the engine: the conversation's position in ``all`` (-1 for an
    /// event that names none) and the episode change. The engine reads the values there and hands them
    /// to the projections; no index leaves the engine.
    enum Change {
        case none
        /// An episode started: it is the conversation's `openEpisode`.
        case started
        /// The conversation's episode ended: it is ``lastEnded``.
        case ended
        /// The open episode changed.
        case changed
    }

    /// The episode the last `.ended` change ended.
    var lastEnded: Episode?

    /// Applies one event (in log order).
    /// - Returns: the episode it started, changed or ended, if any.
    @discardableResult
    public mutating func apply(_ event: Event, seq: UInt64) -> EpisodeChange {
        let (position, change) = step(event, seq: seq)
        switch change {
        case .none: return .none
        case .started: return .started(all[position].openEpisode!)
        case .changed: return .changed(all[position].openEpisode!)
        case .ended: return .ended(lastEnded!)
        }
    }

    /// Applies one event (in log order): the engine's fast path.
    /// - Returns: the position of the conversation it names (-1: none) and what it did to episodes.
    mutating func step(_ event: Event, seq: UInt64) -> (position: Int, change: Change) {
        guard let id = event.payload.conversation else {
            if case .policySet(let set) = event.payload { setPolicy(set, at: event.at.nanoseconds) }
            return (-1, .none)
        }
        let position = index.position(inserting: id)
        if position == all.count { all.append(Conversation(id: id, ordinal: position)) }
        let change = Self.apply(
            event, seq: seq, to: &all[position], policies: &policies, timeline: &policyTimeline,
            anomalies: &anomalies, lastEnded: &lastEnded)
        return (position, change)
    }

    // Static, with the parts of the book it changes passed in: the conversation is changed in place in
    // `all` while the calendars and counters (other stored properties) are changed beside it.
    private static func apply(
        _ event: Event, seq: UInt64, to conversation: inout Conversation, policies: inout [BusinessCalendar],
        timeline: inout PolicyTimeline, anomalies: inout Anomalies, lastEnded: inout Episode?
    ) -> Change {
        let at = event.at.nanoseconds
        switch event.payload {
        case .messageReceived(let message):
            if conversation.customer == nil { conversation.customer = message.customer }
            if conversation.openEpisode == nil {
                startEpisode(
                    &conversation, at: at, seq: seq, channel: message.channel, pending: false,
                    policy: timeline.episodeStarted(at: at))
                return .started
            }
            if conversation.status == .pending {
                // The customer wrote while the episode waited on them: it is open again.
                conversation.status = .open
                resumeResolutionClock(&conversation, at: at)
                return .changed
            }
        case .replySent(let reply):
            guard !reply.isAutomatic else { return .none }
            guard conversation.openEpisode != nil else {
                anomalies.repliesOutsideEpisodes += 1
                return .none
            }
            conversation.openEpisode!.touches += 1
            if conversation.openEpisode!.firstResponse == nil {
                conversation.openEpisode!.firstResponse = at
                if let clocks = conversation.openEpisode!.sla {
                    let start = conversation.openEpisode!.start
                    conversation.openEpisode!.sla!.responseElapsed = policies[clocks.policy].businessNanos(
                        from: start, to: at)
                    conversation.openEpisode!.sla!.responded = true
                }
            }
            return .changed
        case .assigned(let assignment):
            conversation.owner = assignment.assignee
            if let team = assignment.team { conversation.team = team }
        case .routed(let routed):
            // A routing decision's team and priority count like an assignment's and a categorization's.
            if let team = routed.team { conversation.team = team }
            if let priority = routed.priority, priority != conversation.priority {
                conversation.priority = priority
                if conversation.openEpisode != nil {
                    conversation.openEpisode!.priority = priority
                    return .changed
                }
            }
        case .categorized(let categorized):
            conversation.category = categorized.category
            if let priority = categorized.priority { conversation.priority = priority }
            if conversation.openEpisode != nil {
                conversation.openEpisode!.category = conversation.category
                conversation.openEpisode!.priority = conversation.priority
                return .changed
            }
        case .statusChanged(let change):
            let previous = conversation.status
            conversation.status = change.status
            switch change.status {
            case .open, .pending:
                guard conversation.openEpisode != nil else {
                    startEpisode(
                        &conversation, at: at, seq: seq, channel: nil, pending: change.status == .pending,
                        policy: timeline.episodeStarted(at: at))
                    return .started
                }
                if change.status == .pending, previous != .pending {
                    pauseResolutionClock(&conversation, at: at, policies: &policies)
                }
                if change.status == .open, previous == .pending { resumeResolutionClock(&conversation, at: at) }
                return .changed
            case .resolved:
                guard conversation.openEpisode != nil else {
                    anomalies.resolvesOutsideEpisodes += 1
                    return .none
                }
                pauseResolutionClock(&conversation, at: at, policies: &policies)
                var episode = conversation.openEpisode!
                if let clocks = episode.sla {
                    let span = policies[clocks.policy].businessNanos(from: episode.start, to: at)
                    if clocks.responseElapsed == nil { episode.sla!.responseElapsed = span }
                    // A resolve dated before a pause: the clock cannot hold more than its span.
                    episode.sla!.resolutionAccrued = min(clocks.resolutionAccrued, span)
                }
                episode.resolved = at
                episode.category = conversation.category
                episode.priority = conversation.priority
                conversation.openEpisode = nil
                lastEnded = episode
                return .ended
            }
        default:  // notes, links, policies (handled before), and any type the state machine does not use
            break
        }
        return .none
    }

    /// Stops the resolution clock of the open episode at `at`, adding what it counted since it last ran.
    private static func pauseResolutionClock(
        _ conversation: inout Conversation, at: Int64, policies: inout [BusinessCalendar]
    ) {
        guard let clocks = conversation.openEpisode?.sla, let since = clocks.runningSince else { return }
        let counted = policies[clocks.policy].businessNanos(from: since, to: at)
        conversation.openEpisode!.sla!.resolutionAccrued = clocks.resolutionAccrued + counted
        conversation.openEpisode!.sla!.runningSince = nil
        conversation.openEpisode!.sla!.countedUntil = max(clocks.countedUntil, at)
    }

    /// Restarts the resolution clock of the open episode, paused, at `at`. A late event (dated before the
    /// pause) resumes at the pause: no stretch counts twice.
    private static func resumeResolutionClock(_ conversation: inout Conversation, at: Int64) {
        guard let clocks = conversation.openEpisode?.sla, clocks.runningSince == nil else { return }
        conversation.openEpisode!.sla!.runningSince = max(at, clocks.countedUntil)
    }

    private mutating func setPolicy(_ set: PolicySet, at: Int64) {
        guard let policy = try? SLAPolicy(json: set.policy), let calendar = BusinessCalendar(policy) else {
            anomalies.invalidPolicies += 1
            return
        }
        // Known up front (a replay that starts over): it is the next one in log order, already in place.
        let known = policyTimeline.preloaded
        if policyTimeline.add(effect: at) {
            currentPolicy = policies.count
            policies.append(calendar)
        } else {
            currentPolicy = policies.count - known
        }
    }

    private static func startEpisode(
        _ conversation: inout Conversation, at: Int64, seq: UInt64, channel: Channel?, pending: Bool, policy: Int?
    ) {
        conversation.episodes += 1
        if conversation.status == nil || conversation.status == .resolved { conversation.status = .open }
        var episode = Episode(
            conversation: conversation.id, number: conversation.episodes, start: at, startSeq: seq, channel: channel,
            firstResponse: nil, touches: 0, resolved: nil, category: conversation.category,
            priority: conversation.priority)
        if let policy {
            episode.sla = SLAClocks(policy: policy, runningSince: pending ? nil : at)
            episode.sla!.countedUntil = at
        }
        conversation.openEpisode = episode
    }
}
