import ParleyEvents

/// How each event changes the routing state (docs/ROUTING.md, "Decisions"). Nothing here writes anything:
/// the decisions it makes owed are handed out by ``Router/nextDecision(now:)``.
extension Router {
    public mutating func apply(_ event: Event, seq: UInt64, conversation: ConversationBook.Conversation?) {
        let at = event.at.nanoseconds
        if at > clock { clock = at }
        while let entry = timers.first, isStale(entry) { timers.removeFirst() }
        guard let conversation else {
            applyOther(event, seq: seq, at: at)
            return
        }
        let position = conversation.ordinal
        track(conversation)
        switch event.payload {
        case .messageReceived(let message):
            conversations[position].channel = message.channel
            if conversations[position].customer == nil { conversations[position].customer = conversation.customer }
            guard let rules, conversations[position].isOpen, conversations[position].routedBy == nil else { return }
            // The message that started the episode is routed; one that follows before the decision is
            // written (a replay of a log without it) adds its topics.
            guard conversation.openEpisode?.startSeq == seq || conversations[position].pending != nil else { return }
            let found = rules.matcher.topics(subject: message.subject, body: message.body)
            for topic in found where !conversations[position].pendingTopics.contains(topic) {
                conversations[position].pendingTopics.append(topic)
            }
            owe(position, .episode, at: at)
        case .replySent(let reply):
            if conversations[position].isOpen, !reply.isAutomatic, !Self.isBot(reply.author) {
                conversations[position].humanReplied = true
            }
        case .assigned(let assignment):
            if let team = assignment.team { conversations[position].team = team }
            setOwner(position, assignment.assignee)
            if assignment.by == "strategy:round_robin" || assignment.by == "strategy:least_loaded",
                let team = conversations[position].team, let assignee = assignment.assignee
            {
                lastPicked[team] = assignee
            }
            if assignment.assignee == nil, conversations[position].isOpen, conversations[position].routedBy != nil {
                // Queued (again, with a new ticket): its team may have changed with it.
                enqueue(position, force: true)
            }
        case .categorized:
            conversations[position].category = conversation.category
            conversations[position].priority = conversation.priority
            if conversations[position].isOpen, conversations[position].routedBy != nil, rules != nil {
                owe(position, .recategorized, at: at)
            }
        case .escalated:
            guard conversations[position].isOpen else { return }
            conversations[position].escalated = true
            if rules != nil { owe(position, .escalation, at: at) }
        case .routed(let routed):
            conversations[position].priority = conversation.priority
            applyRouted(routed, at: position)
        case .statusChanged:
            // Episodes start and end in the episode callbacks; a status change that starts one is routed.
            if rules != nil, conversation.openEpisode?.startSeq == seq { owe(position, .episode, at: at) }
        default:
            break
        }
    }

    public mutating func episodeStarted(_ episode: Episode, conversation: ConversationBook.Conversation) {
        let position = conversation.ordinal
        track(conversation)
        var state = conversations[position]
        state.isOpen = true
        state.episode = episode.number
        state.episodeStart = episode.start
        state.humanReplied = false
        state.escalated = false
        state.pendingTopics = []
        state.pending = nil
        state.routedBy = nil
        state.firedTimers = 0
        state.timerEpoch &+= 1
        state.waiting = false
        conversations[position] = state
        // An owner given while no episode was open owns this one.
        if let owner = state.owner { agents[owner, default: Agent()].open.insert(position) }
    }

    public mutating func episodeEnded(_ episode: Episode, conversation: ConversationBook.Conversation) {
        let position = conversation.ordinal
        track(conversation)
        if let owner = conversations[position].owner {
            agents[owner]?.open.remove(position)
            markTeamsDirty(of: owner)
            conversations[position].previousOwner = owner
        }
        conversations[position].owner = nil
        conversations[position].isOpen = false
        conversations[position].waiting = false
        conversations[position].pending = nil
        conversations[position].timerEpoch &+= 1
        if let customer = conversations[position].customer ?? conversation.customer, let resolved = episode.resolved {
            let root = person(customer)
            lastResolved[root] = max(lastResolved[root] ?? resolved, resolved)
        }
    }

    /// Rules came for the first time: every conversation of the book, as it stands, with its owner (who
    /// carries it if its episode is open, and is its previous owner otherwise).
    public mutating func startListening(book: ConversationBook) {
        conversations.reserveCapacity(book.all.count)
        for conversation in book.all {
            var state = Conversation(id: conversation.id)
            state.customer = conversation.customer
            state.category = conversation.category
            state.priority = conversation.priority
            state.team = conversation.team
            state.episode = conversation.episodes
            if let episode = conversation.openEpisode {
                state.isOpen = true
                state.episodeStart = episode.start
                state.channel = episode.channel
                state.owner = conversation.owner
                if let owner = conversation.owner {
                    agents[owner, default: Agent()].open.insert(conversations.count)
                }
            } else {
                state.previousOwner = conversation.owner
            }
            conversations.append(state)
        }
    }

    /// Makes room for the conversation `conversation` names and copies what the book knows of it.
    @inline(__always)
    private mutating func track(_ conversation: ConversationBook.Conversation) {
        // Known already: its category and priority are copied where they change (categorized, routed).
        guard conversation.ordinal >= conversations.count else { return }
        let position = conversation.ordinal
        while conversations.count <= position {
            conversations.append(Conversation(id: conversations.count == position ? conversation.id : ""))
        }
        if conversations[position].id.isEmpty { conversations[position].id = conversation.id }
        if conversations[position].customer == nil { conversations[position].customer = conversation.customer }
        conversations[position].priority = conversation.priority
        conversations[position].category = conversation.category
    }

    /// Events that name no conversation.
    private mutating func applyOther(_ event: Event, seq: UInt64, at: Int64) {
        switch event.payload {
        case .rulesSet(let set):
            do {
                let parsed = try RoutingRules(json: set.rules)
                let oldTimers = rules?.timers.map(\.name) ?? []
                rules = parsed
                rulesObject = set.rules
                listening = true
                rescheduleTimers(keepingFiredOf: oldTimers)
                // A conversation waiting for a bot the old rules did not name may have one now.
                for position in conversations.indices
                where conversations[position].waiting && conversations[position].mode == .automation {
                    enqueue(position, force: true)
                }
                // Stickiness, strategies and bots may have changed: every queue may have work.
                for team in queues.keys { dirtyTeams.insert(team) }
            } catch {
                invalidRules += 1
            }
        case .policySet(let set):
            if let policy = try? SLAPolicy(json: set.policy), let calendar = BusinessCalendar(policy) {
                self.calendar = calendar
                policyObject = set.policy
            }
        case .agentStatus(let status):
            applyStatus(status, at: at)
        case .customerProfile(let profile):
            profiles[person(profile.customer)] = (profile, seq)
            if let manager = profile.accountManager { managers.insert(manager) }
            // The person's waiting conversations may now have a manager who can take them, in any team.
            for team in queues.keys { dirtyTeams.insert(team) }
        case .customerLinked(let link):
            let before = (person(link.customer), person(link.sameAs))
            people.link(link.customer, link.sameAs)
            let root = person(link.customer)
            for old in [before.0, before.1] where old != root {
                if let moved = profiles.removeValue(forKey: old), moved.seq > profiles[root]?.seq ?? 0 {
                    profiles[root] = moved
                }
                if let moved = lastResolved.removeValue(forKey: old) {
                    lastResolved[root] = max(lastResolved[root] ?? moved, moved)
                }
            }
            // A merged profile may bring an account manager: every queue may have work.
            for team in queues.keys { dirtyTeams.insert(team) }
        default:
            break
        }
    }

    private mutating func applyStatus(_ status: AgentStatus, at: Int64) {
        var agent = agents[status.agent] ?? Agent()
        let oldTeams = agent.teams
        agent.status = status.status
        agent.since = at
        if let teams = status.teams { agent.teams = Array(Set(teams)).sorted(by: Self.precedes) }
        if let capacity = status.capacity { agent.capacity = capacity }
        if let skills = status.skills { agent.skills = Array(Set(skills)).sorted(by: Self.precedes) }
        agents[status.agent] = agent
        if oldTeams != agent.teams {
            for team in oldTeams { members[team]?.removeAll { $0 == status.agent } }
            // The conversations they own in a team they left go back to that team's queue (they keep them
            // until someone of the team takes them).
            for position in agent.open.sorted() where rules != nil {
                let state = conversations[position]
                if state.isOpen, state.routedBy != nil, needsOwner(state) { enqueue(position, force: true) }
            }
            for team in agent.teams {
                var list = members[team] ?? []
                if !list.contains(status.agent) {
                    list.append(status.agent)
                    list.sort(by: Self.precedes)
                }
                members[team] = list
            }
        }
        if status.status != .offline { handBacks.removeAll { $0.agent == status.agent } }
        switch status.status {
        case .online:
            markTeamsDirty(of: status.agent)
        case .offline:
            handBacks.removeAll { $0.agent == status.agent }
            armHandBack(status.agent, since: at)
        case .away:
            break
        }
    }

    /// A `routed` decision takes effect.
    private mutating func applyRouted(_ routed: Routed, at position: Int) {
        var state = conversations[position]
        if let team = routed.team { state.team = team }
        state.mode = routed.mode
        state.policy = routed.policy
        state.routedBy = routed.by
        state.topics = routed.topics ?? []
        state.pendingTopics = []
        state.pending = nil
        if let rules {
            if routed.by.utf8.starts(with: "timer:".utf8) {
                let name = String(routed.by.dropFirst(6))
                if let index = rules.timers.firstIndex(where: { $0.name == name }) {
                    state.firedTimers |= 1 << UInt64(index)
                    let action = rules.timers[index].then
                    if let strategy = action.strategy { state.strategy = strategy }
                    if !action.skills.isEmpty { state.skills = action.skills }
                    if let bot = action.bot { state.bot = bot }
                }
            } else {
                let rule = rules.rules.first { "rule:\($0.name)" == routed.by }
                let action = rules.action(for: rule)
                state.strategy = action.strategy ?? .leastLoaded
                state.skills = action.skills
                state.bot = action.bot ?? rules.bot
            }
        }
        conversations[position] = state
        // Queued again (with a new ticket) whatever changed: its team, mode or strategy may have.
        if state.isOpen, needsOwner(state) { enqueue(position, force: true) }
        scheduleTimers(position)
    }

    /// Whether the conversation's owner does not fit its routing: none, a bot for a human-mode one, a human
    /// outside its team, or not its bot for an automation-mode one.
    func needsOwner(_ state: Conversation) -> Bool {
        guard let owner = state.owner else { return true }
        switch state.mode {
        case .automation:
            return owner != (state.bot ?? rules?.bot)
        case .human:
            if Self.isBot(owner) { return true }
            guard let team = state.team else { return false }
            if agents[owner]?.teams.contains(team) ?? false { return false }
            // The person's account manager fits wherever they work.
            if state.strategy == .accountManager, let customer = state.customer,
                profiles[people.findRoot(of: customer)]?.profile.accountManager == owner
            {
                return false
            }
            return true
        }
    }

    /// Sets the owner, keeping the agents' open conversations right.
    mutating func setOwner(_ position: Int, _ owner: String?) {
        let old = conversations[position].owner
        // An assignment, even to the owner it has, ends its wait.
        if owner != nil { conversations[position].waiting = false }
        guard old != owner else { return }
        if conversations[position].isOpen {
            if let old {
                agents[old]?.open.remove(position)
                markTeamsDirty(of: old)
            }
            if let owner {
                agents[owner, default: Agent()].open.insert(position)
                // Given to an agent who is offline: their grace period, over or not, applies to it too.
                if let agent = agents[owner], agent.status == .offline {
                    armHandBack(owner, since: agent.since)
                }
            }
        }
        conversations[position].owner = owner
        if owner != nil { conversations[position].waiting = false }
    }

    /// Schedules the hand-back of an offline agent's conversations at the end of the grace period (once).
    mutating func armHandBack(_ agent: String, since: Int64) {
        // A bot is never handed back from (it would be given the conversation again at once).
        guard !Self.isBot(agent), !handBacks.contains(where: { $0.agent == agent && $0.since == since }) else { return }
        let handBack = HandBack(agent: agent, since: since)
        let index = handBacks.firstIndex { $0.since > since } ?? handBacks.count
        handBacks.insert(handBack, at: index)
    }

    /// Puts a conversation in its team's queue.
    mutating func enqueue(_ position: Int, force: Bool = false) {
        guard force || !conversations[position].waiting else { return }
        if conversations[position].mode == .automation {
            tickets += 1
            conversations[position].queueTicket = tickets
            conversations[position].waiting = true
            botQueue.append(position, ticket: tickets)
            return
        }
        guard let team = conversations[position].team else { return }
        tickets += 1
        conversations[position].queueTicket = tickets
        conversations[position].waiting = true
        queues[team, default: WorkQueue()].append(position, ticket: tickets)
        dirtyTeams.insert(team)
    }

    /// Works out the routing decision owed to a conversation now and records it (none if nothing would change).
    mutating func owe(_ position: Int, _ trigger: Trigger, at: Int64) {
        guard let decision = route(position, trigger: trigger, at: at) else {
            conversations[position].pending = nil
            return
        }
        if conversations[position].pending == nil {
            tickets += 1
            conversations[position].routeTicket = tickets
            toRoute.append(position, ticket: tickets)
        }
        conversations[position].pending = decision
    }

    /// An agent may take more now: the queues they can serve may have work. An account manager can serve
    /// their people's conversations in any team.
    mutating func markTeamsDirty(of agent: String) {
        if managers.contains(agent) {
            for team in queues.keys { dirtyTeams.insert(team) }
            return
        }
        guard let teams = agents[agent]?.teams else { return }
        for team in teams { dirtyTeams.insert(team) }
    }

    /// UTF-8 byte order, the order every list of ids is kept in.
    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
