import ParleyEvents
import ParleyProjections

/// The answer of ``LogQueries/workload(scope:)``: who works, how loaded they are, and what waits.
public struct WorkloadAnswer: Sendable {
    /// One agent as routing knows it.
    public struct AgentRow: Equatable, Sendable {
        /// The agent's id, e.g. `agent:ana`.
        public var id: String
        /// The last status reported; `nil`: unknown (only hand assignments named the agent).
        public var status: AgentAvailability?
        /// The event time of that status (ns); `nil` when unknown.
        public var since: Int64?
        /// The teams it works in, in UTF-8 order.
        public var teams: [String]
        /// The conversations with an open episode it owns, in UTF-8 order.
        public var open: [String]
        /// The most open conversations it takes; `nil`: no limit.
        public var capacity: Int?
        /// Its skills, in UTF-8 order.
        public var skills: [String]

        /// An agent row, field by field.
        public init(
            id: String, status: AgentAvailability?, since: Int64?, teams: [String], open: [String], capacity: Int?,
            skills: [String]
        ) {
            self.id = id
            self.status = status
            self.since = since
            self.teams = teams
            self.open = open
            self.capacity = capacity
            self.skills = skills
        }
    }

    /// One bot and the conversations it owns.
    public struct BotRow: Equatable, Sendable {
        /// The bot's id, e.g. `bot:faq`.
        public var id: String
        /// The conversations with an open episode it owns, in UTF-8 order.
        public var open: [String]

        /// A bot row, field by field.
        public init(id: String, open: [String]) {
            self.id = id
            self.open = open
        }
    }

    /// One team: who can take conversations, and its queue.
    public struct TeamRow: Equatable, Sendable {
        /// The team's name.
        public var team: String
        /// Agents of the team.
        public var members: Int
        /// Of them, those online.
        public var online: Int
        /// Of them, those online with room for one more conversation.
        public var withRoom: Int
        /// The conversations waiting in its queue for an owner, in the order they will be served.
        public var waiting: [String]
        /// The waiting conversation whose episode started first, if any.
        public var oldest: String?
        /// When that episode started (ns): waiting is counted from the episode's start, as `queue` counts it.
        public var oldestSince: Int64?
        /// Calendar seconds from ``oldestSince`` to the answer's moment.
        public var oldestWaitSeconds: Double?
    }

    /// The moment the workload is judged at (ns since the epoch).
    public var now: Int64
    /// Whether routing rules are in force.
    public var hasRules: Bool
    /// Agents (ids not starting with `bot:`), in UTF-8 order.
    public var agents: [AgentRow]
    /// Bots that own conversations or that the rules name, in UTF-8 order.
    public var bots: [BotRow]
    /// Teams named by an agent, the rules or a queue, in UTF-8 order.
    public var teams: [TeamRow]
    /// What became of the checkpoint.
    public var checkpoint: CheckpointReport
}

extension LogQueries {
    /// Per agent: status, teams, open conversations, capacity, skills; per bot: the conversations it owns;
    /// per team: agents online with room, online and members, and its waiting queue with the oldest
    /// waiting conversation, judged at the scope's moment.
    /// - Throws: ``ServiceError`` when the log cannot be read.
    public func workload(scope: QueryScope) throws(ServiceError) -> WorkloadAnswer {
        let (state, checkpoint, now) = try judgedState(scope)
        guard let router = state.router else {
            return WorkloadAnswer(now: now, hasRules: false, agents: [], bots: [], teams: [], checkpoint: checkpoint)
        }
        func ids(_ open: Set<Int>) -> [String] {
            open.map { router.conversations[$0].id }.sorted(by: Self.precedes)
        }
        var openByOwner: [String: [String]] = [:]
        if router.listening {
            for (id, agent) in router.agents { openByOwner[id] = ids(agent.open) }
        } else {
            // Before any rules, routing does not follow conversations: the owners are the book's.
            for conversation in state.conversations.all where conversation.openEpisode != nil {
                if let owner = conversation.owner { openByOwner[owner, default: []].append(conversation.id) }
            }
        }
        var agents: [WorkloadAnswer.AgentRow] = []
        var bots: [String: [String]] = [:]
        for id in Set(router.agents.keys).union(openByOwner.keys) {
            let agent = router.agents[id] ?? Router.Agent()
            let open = (openByOwner[id] ?? []).sorted(by: Self.precedes)
            if Router.isBot(id) {
                bots[id] = open
                continue
            }
            agents.append(
                WorkloadAnswer.AgentRow(
                    id: id, status: agent.status, since: agent.status == nil ? nil : agent.since, teams: agent.teams,
                    open: open, capacity: agent.capacity, skills: agent.skills))
        }
        agents.sort { Self.precedes($0.id, $1.id) }
        var teamNames = Set(agents.flatMap(\.teams))
        if let rules = router.rules {
            for bot in [rules.bot, rules.fallback.bot].compactMap({ $0 }) + rules.rules.compactMap(\.then.bot) {
                if bots[bot] == nil { bots[bot] = [] }
            }
            let actions = [rules.fallback] + rules.rules.map(\.then) + rules.timers.map(\.then)
            teamNames.formUnion(actions.compactMap(\.team))
        }
        let waiting = Dictionary(router.waitingConversations().map { ($0.team, $0.conversations) }) { $1 }
        teamNames.formUnion(waiting.keys)
        let teams = teamNames.sorted(by: Self.precedes).map { team in
            let members = agents.filter { $0.teams.contains(team) }
            let online = members.filter { router.agents[$0.id]?.status == .online }
            var row = WorkloadAnswer.TeamRow(
                team: team, members: members.count, online: online.count,
                withRoom: online.filter { router.agents[$0.id]?.canTake ?? false }.count, waiting: waiting[team] ?? [])
            let starts = row.waiting.compactMap { id in
                state.conversations[id].map { (id, router.conversations[$0.ordinal].episodeStart) }
            }
            if let oldest = starts.min(by: { $0.1 < $1.1 }) {
                row.oldest = oldest.0
                row.oldestSince = oldest.1
                row.oldestWaitSeconds = Duration64.seconds(from: oldest.1, to: now).seconds
            }
            return row
        }
        return WorkloadAnswer(
            now: now, hasRules: router.rules != nil, agents: agents,
            bots: bots.sorted { Self.precedes($0.key, $1.key) }.map {
                WorkloadAnswer.BotRow(id: $0.key, open: $0.value)
            },
            teams: teams, checkpoint: checkpoint)
    }

    /// UTF-8 byte order, the order routing keeps ids in.
    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
