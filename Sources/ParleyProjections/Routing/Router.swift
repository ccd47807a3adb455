import ParleyEvents

/// Routing and ownership (docs/ROUTING.md, "Decisions"): the state the routing rules decide from, fed by
/// the log like every projection, and the decisions it owes (``nextDecision(now:)``).
///
/// The state changes only by applying events, decisions included: a decision is worked out from the state,
/// written to the log (`routed`, or `assigned` with `by`), and takes effect when it is applied, in a live
/// append and in a replay alike. So a replay of the log rebuilds exactly the state the writer decided from,
/// and `route --check` can re-derive every decision.
///
/// Which decisions are owed: a conversation whose episode starts, that a bot escalates, or whose category or
/// priority changes (when the rules then say something else) is routed; a routed conversation without a
/// fitting owner waits in its team's queue until an agent can take it; an agent offline longer than the grace
/// period hands their conversations back; a timer of the rules fires.
public struct Router: Projection {
    public static let section = CheckpointSection(id: 18, version: 1, name: "routing")

    /// An agent (or a bot) as the log describes it.
    public struct Agent: Equatable, Sendable {
        /// The last status reported; `nil` when no `agent_status` named it (only hand assignments did).
        public var status: AgentAvailability?
        /// Event time (ns) of that status.
        public var since: Int64 = 0
        /// The teams it works in, sorted.
        public var teams: [String] = []
        /// At most this many open conversations; `nil`: no limit.
        public var capacity: Int?
        /// Its skills, sorted.
        public var skills: [String] = []
        /// Ordinals of the conversations with an open episode it owns.
        public var open: Set<Int> = []

        /// Whether it can take one more conversation now.
        public var hasRoom: Bool { capacity.map { open.count < $0 } ?? true }
        /// Online, with room.
        public var canTake: Bool { status == .online && hasRoom }

        /// An agent no event described yet.
        public init() {}
    }

    /// Why a conversation is being routed.
    public enum Trigger: UInt8, Sendable {
        /// An episode started.
        case episode = 1
        /// A bot escalated it to humans.
        case escalation = 2
        /// Its category or priority changed.
        case recategorized = 3
    }

    /// What routing knows of one conversation.
    public struct Conversation: Equatable, Sendable {
        public var id: String
        public var customer: String?
        public var channel: Channel?
        public var category: String?
        public var priority: Priority?
        public var isOpen = false
        /// The open (or last) episode's number and start (ns).
        public var episode = 0
        public var episodeStart: Int64 = 0
        /// The last routing decision's outcome.
        public var team: String?
        public var mode = HandlingMode.human
        public var policy: String?
        /// The `by` of the last `routed` decision (`rule:billing`, `default`, `timer:stale`).
        public var routedBy: String?
        public var topics: [String] = []
        /// How the owner is chosen (from the rule that routed it).
        public var strategy = Strategy.leastLoaded
        public var skills: [String] = []
        public var bot: String?
        /// The owner now; the owner of the last episode once it ended.
        public var owner: String?
        public var previousOwner: String?
        /// Waiting in its team's queue for an owner.
        public var waiting = false
        /// A human replied in this episode.
        public var humanReplied = false
        /// A bot escalated this episode.
        public var escalated = false
        /// Topics found in the messages received since the episode started and before it was routed.
        public var pendingTopics: [String] = []
        /// The routing decision owed, worked out when its cause was applied.
        public var pending: Routed?
        /// Timers of the rules fired in this episode (bit = the timer's position in the rules).
        public var firedTimers: UInt64 = 0
        /// Bumped whenever scheduled timers go stale.
        public var timerEpoch: UInt32 = 0
        /// The ticket of its entry in a queue (a team's or the bots') and in the routing queue: an entry with
        /// another ticket is stale, so that what is served, and in which order, depends on the events alone.
        var queueTicket: UInt64 = 0
        var routeTicket: UInt64 = 0

        init(id: String) { self.id = id }
    }

    /// Whether it follows conversations: from the first valid `rules_set` on. Until then it follows only the
    /// events that name no conversation (agents, profiles, links, policies), and the engine spares every
    /// replay the per-conversation calls; when rules come, it takes the conversations from the book.
    public internal(set) var listening = false
    /// The rules in force, if any.
    public internal(set) var rules: RoutingRules?
    /// The object of the `rules_set` that set them.
    var rulesObject: JSONValue?
    /// The rules in force as the document they were set with.
    public var rulesDocument: JSONValue? { rulesObject }
    /// `rules_set` events whose rules did not check (ignored: the previous rules stay in force).
    public internal(set) var invalidRules = 0
    /// The SLA policy in force, for `business_hours` and first-response deadlines.
    var policyObject: JSONValue?
    var calendar: BusinessCalendar?
    /// The latest event time applied (ns).
    public internal(set) var clock = Int64.min
    /// Agents and bots by id.
    public internal(set) var agents: [String: Agent] = [:]
    /// Agent ids of each team, sorted.
    var members: [String: [String]] = [:]
    /// Conversations by ordinal (``ConversationBook/Conversation/ordinal``).
    public internal(set) var conversations: [Conversation] = []
    /// Who is the same person, from `customer_linked`.
    var people = CustomerDirectory()
    /// The last profile of each person (by root id), with the seq that set it.
    var profiles: [String: (profile: CustomerProfile, seq: UInt64)] = [:]
    /// Agents who are some person's account manager (from the profiles).
    var managers: Set<String> = []
    /// When each person (by root id) last had an episode resolved.
    var lastResolved: [String: Int64] = [:]
    /// The last ticket handed out (``Conversation/queueTicket``).
    var tickets: UInt64 = 0
    /// Ordinals of conversations with a routing decision owed, in order (entries go stale; skipped).
    var toRoute = WorkQueue()
    /// Waiting human-mode conversations of each team, in order (entries go stale; skipped).
    var queues: [String: WorkQueue] = [:]
    /// Automation-mode conversations waiting for their bot, in order.
    var botQueue = WorkQueue()
    /// Teams whose queue may hold a conversation someone can take now (a superset).
    var dirtyTeams: Set<String> = []
    /// The agent each team's round robin or least-loaded choice picked last.
    var lastPicked: [String: String] = [:]
    /// Offline agents whose conversations go back to routing after the grace period, in order of `since`.
    var handBacks: [HandBack] = []
    /// Timers scheduled, earliest first.
    var timers = TimerHeap()

    /// An agent's grace period ending: its conversations go back to routing.
    struct HandBack: Equatable, Sendable {
        var agent: String
        /// The status time it follows from (a newer status makes it stale).
        var since: Int64
    }

    /// The grace period of the rules in force (ns): hand-backs fall due by it, whenever they were armed.
    var graceNanos: Int64 { Int64(rules?.offlineGraceMinutes ?? 10) * 60_000_000_000 }

    /// When a hand-back falls due.
    func due(_ handBack: HandBack) -> Int64 { Self.adding(handBack.since, graceNanos) }

    /// `a + b`, held at the ends of the 64-bit range instead of wrapping.
    static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    public init() {}

    /// The person `customer` is (the root of its linked ids).
    mutating func person(_ customer: String) -> String { people.root(of: customer) }

    /// The profile of the person `customer` is, if the log gave one.
    mutating func profile(of customer: String?) -> CustomerProfile? {
        guard let customer else { return nil }
        return profiles[person(customer)]?.profile
    }

    /// Whether `author` is a bot: ids starting with `bot:`.
    public static func isBot(_ author: String) -> Bool { author.utf8.starts(with: "bot:".utf8) }
}

/// A first-in, first-out list of conversation ordinals with their tickets, popped from the front without
/// moving the rest.
struct WorkQueue: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        var position: Int
        var ticket: UInt64
    }

    private(set) var items: [Entry] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    var first: Entry? { head < items.count ? items[head] : nil }
    /// The entries left, in order.
    var remaining: ArraySlice<Entry> { items[head...] }

    mutating func append(_ position: Int, ticket: UInt64) { items.append(Entry(position: position, ticket: ticket)) }

    mutating func removeFirst() {
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}

extension Router {
    /// The conversations waiting in each team's queue for an owner, in the order they will be served
    /// (teams in UTF-8 order): their ids.
    public func waitingConversations() -> [(team: String, conversations: [String])] {
        queues.keys.sorted(by: Self.precedes).compactMap { team in
            var seen = Set<Int>()
            let ids = queues[team]!.remaining.filter { entry in
                isWaiting(entry, in: team) && seen.insert(entry.position).inserted
            }.map { conversations[$0.position].id }
            return ids.isEmpty ? nil : (team, ids)
        }
    }

    /// Whether a team queue's entry is live: its conversation waits there for a person, with this ticket.
    func isWaiting(_ entry: WorkQueue.Entry, in team: String) -> Bool {
        let state = conversations[entry.position]
        return state.queueTicket == entry.ticket && state.isOpen && state.waiting && state.team == team
            && state.mode == .human
    }

    /// Whether a bot queue's entry is live.
    func isWaitingForBot(_ entry: WorkQueue.Entry) -> Bool {
        let state = conversations[entry.position]
        return state.queueTicket == entry.ticket && state.isOpen && state.waiting && state.mode == .automation
    }

    /// Whether a routing queue's entry is live: a decision is owed, with this ticket.
    func isOwed(_ entry: WorkQueue.Entry) -> Bool {
        let state = conversations[entry.position]
        return state.routeTicket == entry.ticket && state.isOpen && state.pending != nil
    }

    /// Whether a hand-back is live: the agent is still offline since then (it waits while they own nothing).
    func isLive(_ handBack: HandBack) -> Bool {
        guard let agent = agents[handBack.agent] else { return false }
        return agent.status == .offline && agent.since == handBack.since
    }

    /// The routing of conversation `id`, if the log mentions it.
    public func conversation(_ id: String) -> Conversation? { conversations.first { $0.id == id } }
}
