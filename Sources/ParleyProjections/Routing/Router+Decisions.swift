import ParleyEvents

/// The decisions the router owes, worked out from its state alone (docs/ROUTING.md, "Decisions").
extension Router {
    /// The next decision owed at `now` (ns), or `nil` when none is. Apply it (as an event of the log) before
    /// asking again: the state changes only by applying events, so asking twice without applying gives the
    /// same decision. Its time is `now` (or the latest event time applied, if later), except a timer's,
    /// which is the time the timer fell due.
    ///
    /// In order: a routing decision owed (episode started, escalation, new category or priority); an offline
    /// agent's conversation handed back once the grace period is over; a waiting conversation someone can
    /// take (teams in UTF-8 order, each queue first come, first served; automation-mode ones first); a timer
    /// due.
    public mutating func nextDecision(now: Int64) -> Event? {
        let now = max(now, clock)
        // Asked twice per event appended: nothing owed is answered without touching the rules.
        guard rules != nil,
            !toRoute.isEmpty || !botQueue.isEmpty || !dirtyTeams.isEmpty || (handBacks.first.map(due) ?? .max) <= now
                || (timers.first?.due ?? .max) <= now
        else { return nil }
        let rules = rules!
        let stamp = Timestamp(nanoseconds: now)
        while let entry = toRoute.first {
            if isOwed(entry), let routed = conversations[entry.position].pending {
                return Event(at: stamp, payload: .routed(routed))
            }
            toRoute.removeFirst()
        }
        // Hand-backs due, in due order. One whose agent owns nothing is done (a conversation given to them
        // while still offline arms it again: ``setOwner(_:_:)``).
        while let handBack = handBacks.first, due(handBack) <= now {
            if isLive(handBack), let position = agents[handBack.agent]?.open.min() {
                return Event(at: stamp, payload: .assigned(handBackDecision(position, from: handBack, rules: rules)))
            }
            handBacks.removeFirst()
        }
        while let entry = botQueue.first {
            let state = conversations[entry.position]
            if isWaitingForBot(entry), let bot = state.bot ?? rules.bot {
                let assignment = Assigned(
                    conversation: state.id, assignee: bot, team: state.team, by: "strategy:bot",
                    reason: "automation mode (\(state.routedBy ?? "default")): \(bot) handles it until it escalates")
                return Event(at: stamp, payload: .assigned(assignment))
            }
            botQueue.removeFirst()
        }
        for team in dirtyTeams.sorted(by: Self.precedes) {
            if let assignment = assignment(in: team, rules: rules) {
                return Event(at: stamp, payload: .assigned(assignment))
            }
            dirtyTeams.remove(team)
        }
        while let entry = timers.first, entry.due <= now {
            if !isStale(entry) { return timerDecision(entry, rules: rules) }
            timers.removeFirst()
        }
        return nil
    }

    /// The routing decision for a conversation now, or `nil` when it would change nothing (a new category
    /// that leads to the same rule, team, priority and mode; an escalation of a conversation already with
    /// humans).
    mutating func route(_ position: Int, trigger: Trigger, at: Int64) -> Routed? {
        guard let rules else { return nil }
        let state = conversations[position]
        let profile = profile(of: state.customer)
        let sinceResolve = state.customer.flatMap { lastResolved[person($0)] }.map { at &- $0 }
        var inBusinessHours: Bool?
        if var calendar {
            inBusinessHours = calendar.businessNanos(from: at, to: at &+ 1) > 0
            self.calendar = calendar
        }
        let topics = trigger == .episode ? state.pendingTopics : state.topics
        let facts = RoutingFacts(
            channel: state.channel, category: state.category, priority: state.priority, topics: Set(topics),
            tier: profile?.tier, lifetimeValue: profile?.lifetimeValue, currency: profile?.currency,
            nanosSinceLastResolve: sinceResolve, inBusinessHours: inBusinessHours)
        let rule = rules.firstMatch(facts)
        let action = rules.action(for: rule)
        let priority = Self.higher(state.priority, action.priority)
        let score = rules.score(tier: profile?.tier, priority: priority)
        var mode = rules.mode(for: action, score: score)
        if trigger == .escalation || state.escalated { mode = .human }
        let by = rule.map { "rule:\($0.name)" } ?? "default"
        let team = action.team ?? state.team
        if trigger != .episode, by == state.routedBy, team == state.team, priority == state.priority,
            mode == state.mode, action.policy == state.policy
        {
            return nil
        }
        var reason = Self.describe(trigger, state: state)
        reason += "; channel=\(state.channel?.name ?? "none") category=\(state.category ?? "none")"
        reason += " priority=\(state.priority?.name ?? "none") tier=\(profile?.tier ?? "none")"
        reason += " value=\(rules.value(tier: profile?.tier))"
        reason += " criticality=\(rules.criticality[priority ?? .normal] ?? 1) score=\(score)"
        if !topics.isEmpty { reason += " topics=\(topics.joined(separator: ","))" }
        if let sinceResolve { reason += " last_resolve=\(sinceResolve / 3_600_000_000_000)h_ago" }
        if let inBusinessHours { reason += inBusinessHours ? " in_business_hours" : " outside_business_hours" }
        reason += " → \(rule.map { "rule \($0.name)" } ?? "no rule matched, default")"
        return Routed(
            conversation: state.id, by: by, team: team, priority: priority, mode: mode, policy: action.policy,
            score: min(score, 1_000_000), topics: topics.isEmpty ? nil : topics, reason: reason)
    }

    private static func describe(_ trigger: Trigger, state: Conversation) -> String {
        switch trigger {
        case .episode: state.episode > 1 ? "episode \(state.episode) started (reopened)" : "episode 1 started"
        case .escalation: "escalated by a bot"
        case .recategorized: "category or priority changed"
        }
    }

    /// The higher of two priorities (rules and timers raise a priority, never lower one a person gave).
    static func higher(_ a: Priority?, _ b: Priority?) -> Priority? {
        guard let a else { return b }
        guard let b else { return a }
        return a.rawValue >= b.rawValue ? a : b
    }

    /// The first waiting conversation of `team` someone can take, assigned.
    private mutating func assignment(in team: String, rules: RoutingRules) -> Assigned? {
        guard var queue = queues[team] else { return nil }
        defer { queues[team] = queue }
        let anyone = (members[team] ?? []).contains { !Self.isBot($0) && (agents[$0]?.canTake ?? false) }
        // With nobody of the team free, only an account manager (who may be outside it) can take one.
        let anyManager = !anyone && managers.contains { agents[$0]?.canTake ?? false }
        guard anyone || anyManager else { return nil }
        var skipped = 0
        for entry in queue.remaining {
            let position = entry.position
            let state = conversations[position]
            guard isWaiting(entry, in: team) else {
                if skipped == 0 { queue.removeFirst() }
                continue
            }
            guard anyone || state.strategy == .accountManager else {
                skipped += 1
                continue
            }
            if let choice = pick(position, rules: rules, excluding: nil) {
                return Assigned(
                    conversation: state.id, assignee: choice.agent, team: team, by: choice.by, reason: choice.reason)
            }
            skipped += 1
        }
        return nil
    }

    /// What becomes of a conversation whose owner went offline and stayed so past the grace period.
    private mutating func handBackDecision(_ position: Int, from handBack: HandBack, rules: RoutingRules) -> Assigned {
        let state = conversations[position]
        let why =
            "\(handBack.agent) offline since \(Timestamp(nanoseconds: handBack.since).rfc3339) (grace \(rules.offlineGraceMinutes) min)"
        if state.mode == .human, let choice = pick(position, rules: rules, excluding: handBack.agent) {
            return Assigned(
                conversation: state.id, assignee: choice.agent, team: state.team, by: choice.by,
                reason: "\(why); \(choice.reason)")
        }
        return Assigned(
            conversation: state.id, assignee: nil, team: state.team, by: "handback",
            reason: "\(why); nobody available: waits in team \(state.team ?? "none")'s queue")
    }

    /// The agent a human-mode conversation goes to now, by its strategy, or `nil` when nobody can take it.
    mutating func pick(_ position: Int, rules: RoutingRules, excluding: String?) -> (
        agent: String, by: String, reason: String
    )? {
        let state = conversations[position]
        guard let team = state.team else { return nil }
        let candidates = (members[team] ?? []).filter { id in
            guard id != excluding, !Self.isBot(id), let agent = agents[id], agent.canTake else { return false }
            return state.skills.allSatisfy { agent.skills.contains($0) }
        }
        func load(_ id: String) -> String {
            let agent = agents[id]!
            return "\(id) has \(agent.open.count) open of \(agent.capacity.map(String.init) ?? "no limit")"
        }
        if state.strategy == .accountManager {
            if let manager = profile(of: state.customer)?.accountManager, manager != excluding,
                agents[manager]?.canTake ?? false
            {
                return (
                    manager, "strategy:account_manager", "account manager of \(state.customer ?? "?"); \(load(manager))"
                )
            }
        }
        if rules.sticky, state.strategy != .queue, state.episode > 1, let previous = state.previousOwner,
            candidates.contains(previous)
        {
            return (previous, "strategy:sticky", "previous owner, reopened; \(load(previous))")
        }
        guard !candidates.isEmpty else { return nil }
        // Candidates in turn order: the first after the one picked last.
        let last = lastPicked[team]
        let start = last.flatMap { last in candidates.firstIndex { Self.precedes(last, $0) } } ?? 0
        let turn = Array(candidates[start...] + candidates[..<start])
        switch state.strategy {
        case .queue:
            return nil
        case .roundRobin:
            return (
                turn[0], "strategy:round_robin",
                "next in turn of \(candidates.count) available in \(team); \(load(turn[0]))"
            )
        case .leastLoaded, .accountManager:
            var best = turn[0]
            for id in turn.dropFirst() where agents[id]!.open.count < agents[best]!.open.count { best = id }
            let note = state.strategy == .accountManager ? "no account manager available; " : ""
            return (
                best, "strategy:least_loaded",
                "\(note)least loaded of \(candidates.count) available in \(team); \(load(best))"
            )
        }
    }

    /// A timer that fell due: the conversation's routing changes as the timer's action says.
    private mutating func timerDecision(_ entry: TimerHeap.Entry, rules: RoutingRules) -> Event {
        let state = conversations[entry.position]
        let timer = rules.timers[entry.timer]
        let action = timer.then
        let priority = Self.higher(state.priority, action.priority)
        let tier = profile(of: state.customer)?.tier
        let score = rules.score(tier: tier, priority: priority)
        let trigger: String
        switch timer.trigger {
        case .unanswered(let minutes): trigger = "no human reply \(minutes) min after the episode started"
        case .firstResponseDueWithin(let minutes): trigger = "first response due within \(minutes) min, no human reply"
        }
        // Automation needs a bot, and an escalated conversation stays with people.
        var mode = action.mode ?? state.mode
        if mode == .automation && (state.escalated || (action.bot ?? state.bot ?? rules.bot) == nil) { mode = .human }
        let routed = Routed(
            conversation: state.id, by: "timer:\(timer.name)", team: action.team ?? state.team, priority: priority,
            mode: mode, policy: action.policy ?? state.policy, score: min(score, 1_000_000),
            topics: state.topics.isEmpty ? nil : state.topics,
            reason: "\(trigger) (episode started \(Timestamp(nanoseconds: state.episodeStart).rfc3339))")
        return Event(at: Timestamp(nanoseconds: max(entry.due, state.episodeStart)), payload: .routed(routed))
    }

    /// Whether a scheduled timer no longer applies.
    func isStale(_ entry: TimerHeap.Entry) -> Bool {
        guard entry.position < conversations.count, let rules, entry.timer < rules.timers.count else { return true }
        let state = conversations[entry.position]
        // A bot's conversation has no timers: they run again (from the episode's start) once it escalates.
        return !state.isOpen || state.timerEpoch != entry.epoch || state.humanReplied || state.mode == .automation
            || state.firedTimers & (1 << UInt64(entry.timer)) != 0
    }

    /// Schedules the rules' timers for an open, routed conversation (again: earlier ones go stale).
    mutating func scheduleTimers(_ position: Int) {
        guard let rules, !rules.timers.isEmpty, conversations[position].isOpen else { return }
        conversations[position].timerEpoch &+= 1
        let state = conversations[position]
        for (index, timer) in rules.timers.enumerated() where state.firedTimers & (1 << UInt64(index)) == 0 {
            let due: Int64
            switch timer.trigger {
            case .unanswered(let minutes):
                due = Self.adding(state.episodeStart, Int64(minutes) * 60_000_000_000)
            case .firstResponseDueWithin(let minutes):
                guard var calendar,
                    let target = calendar.policy.targets[state.priority ?? .normal]?.firstResponse,
                    let deadline = calendar.instant(after: target * 60_000_000_000, from: state.episodeStart)
                else { continue }
                self.calendar = calendar
                due = Self.adding(deadline, -Int64(minutes) * 60_000_000_000)
            }
            timers.push(TimerHeap.Entry(due: due, position: position, timer: index, epoch: state.timerEpoch))
        }
    }

    /// New rules: every open, routed conversation's timers are scheduled again under them.
    mutating func rescheduleTimers(keepingFiredOf oldTimers: [String]) {
        timers = TimerHeap()
        let newTimers = rules?.timers.map(\.name) ?? []
        for position in conversations.indices where conversations[position].isOpen {
            // A timer that fired in this episode, kept under the same name, does not fire again.
            let fired = conversations[position].firedTimers
            var kept: UInt64 = 0
            for (index, name) in newTimers.enumerated() {
                if let old = oldTimers.firstIndex(of: name), fired & (1 << UInt64(old)) != 0 {
                    kept |= 1 << UInt64(index)
                }
            }
            conversations[position].firedTimers = kept
            if conversations[position].routedBy != nil { scheduleTimers(position) }
        }
    }
}
