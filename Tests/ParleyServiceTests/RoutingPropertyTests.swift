import ParleyEvents
import ParleyLog
import ParleyService
import ParleyTestSupport
import Testing

@testable import ParleyProjections

/// What routing promises (docs/ROUTING.md, "Decisions"), checked on generated traffic for every variation of
/// the rules and several seeds: the log written by `append` is replayed event by event and, after each event
/// and the decisions it caused, the routing state must hold the promises.
@Suite(.dedicatedThread) struct RoutingPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3]

    /// Traffic on which the router once broke a promise (the bugs named below, fixed): kept as regression cases.
    static let failing: [(rules: String, seed: UInt64)] = [
        ("seed", 3), ("timers", 3), ("skills", 1), ("accountManager", 3), ("automation", 3), ("seed", 2),
    ]

    /// Each variation with each seed, and the seed rules of the fixture (but the failing ones).
    static let cases: [(rules: String, seed: UInt64)] =
        (RoutingTraffic.Rules.allCases.flatMap { rules in seeds.map { (rules.rawValue, $0) } }
        + (seeds + [4, 5]).map { ("seed", $0) }).filter { one in !failing.contains { $0 == one } }

    static func lines(_ rules: String, seed: UInt64, events: Int = 500) throws -> [String] {
        let document =
            try RoutingTraffic.Rules(rawValue: rules).map(RoutingTraffic.document) ?? RoutedTraffic.seedRules()
        var random = SplitMix64(seed: seed)
        var options = RoutingTraffic.Options()
        options.events = events
        return RoutingTraffic.generate(rules: document, options: options, using: &random)
    }

    @Test(arguments: cases)
    func routingKeepsItsPromisesAndExplainsEveryDecision(_ rules: String, _ seed: UInt64) throws {
        try Self.check(rules, seed: seed)
    }

    // Bugs of the router this traffic found (report of helper PT, issue #12), all fixed:
    // - ("seed", 3), ("timers", 3): `append` loops forever. A waiting conversation whose owner is the agent
    //   picked again (an account manager outside the team; an owner who joined the team) gets the same
    //   `assigned` over and over: `Router.setOwner` returns early when the owner does not change, so
    //   `waiting` stays true and `nextDecision` owes it again.
    // - ("seed", 2), ("automation", 3), ("accountManager", 3): a conversation waiting in a team's queue that
    //   a `categorized` re-routes to automation mode in the same team never gets its bot: `applyRouted`
    //   enqueues only if the team changed or it was not waiting, so it stays in the human queue, skipped.
    // - ("skills", 1): a conversation waiting under strategy `queue`, re-routed in the same team to
    //   `least_loaded`, waits while agents can take it: its team is not marked dirty again.
    @Test(arguments: failing)
    func routingKeepsItsPromisesOnTrafficThatFoundBugs(_ rules: String, _ seed: UInt64) throws {
        try Self.check(rules, seed: seed)
    }

    static func check(_ rules: String, seed: UInt64) throws {
        let run = try RoutedTraffic(Self.lines(rules, seed: seed), batchSize: 64)
        var checker = PromiseChecker()
        for sequenced in try run.events() { checker.step(sequenced) }
        checker.finish()
        let context = "rules \(rules), seed \(seed)"
        #expect(checker.failures.isEmpty, "\(context): \(checker.failures.prefix(5))")
        #expect(checker.decisions > 0, "\(context): nothing decided")
        let audit = try run.audit()
        #expect(audit.isClean, "\(context): \(audit.findings.prefix(3))")
        #expect(audit.decisions == checker.decisions)
    }

    @Test(arguments: seeds)
    func roundRobinSpreadsWithinOneAmongEquallyAvailableAgents(_ seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var options = RoutingTraffic.Options()
        options.events = 600
        options.agentChurn = false
        options.handMade = false
        let lines = RoutingTraffic.generate(
            rules: RoutingTraffic.document(.roundRobin), options: options, using: &random)
        let run = try RoutedTraffic(lines, batchSize: 100)
        var picks: [String: [String: Int]] = [:]
        for sequenced in try run.events() {
            guard case .assigned(let assigned) = sequenced.event.payload, assigned.by == "strategy:round_robin",
                let team = assigned.team, let agent = assigned.assignee
            else { continue }
            picks[team, default: [:]][agent, default: 0] += 1
        }
        #expect(picks["support"].map { $0.values.reduce(0, +) } ?? 0 > 20, "too few picks to judge: \(picks)")
        for (team, counts) in picks {
            let all = (0..<options.agents).map { counts["agent:a\($0)"] ?? 0 }
            #expect(all.max()! - all.min()! <= 1, "team \(team): \(all)")
        }
    }

    @Test func aCheckpointAndTheTailGiveTheRoutingStateOfAFullReplay() throws {
        try Self.checkCheckpoints(.timers)
    }

    // Bug (report of helper PT): with the least-loaded traffic of seed 5, the routing section built from a
    // checkpoint and the tail differs from the full replay's.
    @Test
    func aCheckpointAndTheTailGiveTheRoutingStateOfAFullReplayLeastLoaded() throws {
        try Self.checkCheckpoints(.leastLoaded)
    }

    static func checkCheckpoints(_ rules: RoutingTraffic.Rules) throws {
        var random = SplitMix64(seed: 5)
        var options = RoutingTraffic.Options()
        options.events = 400
        let run = try RoutedTraffic(
            RoutingTraffic.generate(rules: RoutingTraffic.document(rules), options: options, using: &random),
            batchSize: 40)
        let frames = try run.log.frames()
        let full = try Self.routingSection(ProjectionState.build(path: run.log.path, useCheckpoint: false).state)
        let logID = try LogReader(path: run.log.path).header.logID
        for frame in [frames[1], frames[frames.count / 2], frames[frames.count - 2]] {
            let partial = try ProjectionState.build(
                path: run.log.path, limit: ReplayLimit(untilSeq: frame.upperBound), useCheckpoint: false
            ).state
            try Checkpoint.save(partial, logPath: run.log.path, logID: logID)
            let resumed = try ProjectionState.build(path: run.log.path)
            #expect(resumed.checkpoint != .none, "the checkpoint at seq \(frame.upperBound) was not used")
            #expect(Self.routingSection(resumed.state) == full, "checkpoint at seq \(frame.upperBound)")
        }
    }

    /// The bytes of the routing section of a checkpoint of `state`.
    static func routingSection(_ state: ProjectionState) -> [UInt8] {
        state.encodeSections().first { $0.section.id == Router.section.id }?.bytes ?? []
    }
}

/// Steps a replay of a routed log and checks routing's promises: at each decision, that an agent it assigns
/// can take the conversation; before each event that is no decision (that is, once the previous event's
/// decisions are written), that no conversation waits while someone can take it.
struct PromiseChecker {
    var state = ProjectionState()
    var failures: [String] = []
    var decisions: UInt64 = 0
    /// Conversations given a hand-made assignment (routing respects it; the promises then do not hold).
    var handMade: Set<String> = []
    /// The team of each conversation when its owner was given (an owner who leaves the team keeps it).
    var teamOfOwner: [String: String] = [:]

    mutating func step(_ sequenced: SequencedEvent) {
        let event = sequenced.event
        if RoutedTraffic.isDecision(event) {
            decisions += 1
            checkDecision(event, seq: sequenced.seq)
        } else {
            checkSettled(before: sequenced.seq)
            if case .assigned(let assigned) = event.payload { handMade.insert(assigned.conversation) }
        }
        state.apply(event, seq: sequenced.seq)
        if case .assigned(let assigned) = event.payload {
            teamOfOwner[assigned.conversation] = state.router?.conversation(assigned.conversation)?.team
        }
    }

    mutating func finish() { checkSettled(before: nil) }

    /// An assignment by routing goes to an agent online, under capacity, in the team, with the skills.
    mutating func checkDecision(_ event: Event, seq: UInt64) {
        guard case .assigned(let assigned) = event.payload, let router = state.router,
            let assignee = assigned.assignee, !Router.isBot(assignee)
        else { return }
        let agent = router.agents[assignee]
        if agent?.canTake != true {
            failures.append(
                "seq \(seq): \(assigned.by ?? "") gives \(assigned.conversation) to \(assignee): \(String(describing: agent))"
            )
        }
        // An account manager need not be in the team.
        if let team = assigned.team, assigned.by != "strategy:account_manager", agent?.teams.contains(team) != true {
            failures.append("seq \(seq): \(assignee) is not in team \(team)")
        }
        if let conversation = router.conversation(assigned.conversation),
            !conversation.skills.allSatisfy({ agent?.skills.contains($0) ?? false })
        {
            failures.append("seq \(seq): \(assignee) lacks skills \(conversation.skills)")
        }
    }

    /// No routed, open conversation lacks a fitting owner while someone could be it; one owner at a time.
    mutating func checkSettled(before seq: UInt64?) {
        guard let router = state.router, router.rules != nil else { return }
        let at = seq.map { "before seq \($0)" } ?? "at the end"
        var owners: [Int: String] = [:]
        for (id, agent) in router.agents {
            for position in agent.open {
                if let other = owners[position] {
                    failures.append("\(at): \(router.conversations[position].id) owned by \(other) and \(id)")
                }
                owners[position] = id
            }
        }
        for (position, conversation) in router.conversations.enumerated() where conversation.isOpen {
            if owners[position] != conversation.owner {
                failures.append(
                    "\(at): \(conversation.id) owner \(conversation.owner ?? "none"), agents say \(owners[position] ?? "none")"
                )
            }
            guard conversation.routedBy != nil, !handMade.contains(conversation.id) else { continue }
            if conversation.escalated && conversation.mode != .human {
                failures.append("\(at): \(conversation.id) escalated but in \(conversation.mode) mode")
            }
            switch conversation.mode {
            case .automation:
                let bot = conversation.bot ?? router.rules?.bot
                if bot != nil, conversation.owner != bot {
                    failures.append(
                        "\(at): \(conversation.id) in automation mode owned by \(conversation.owner ?? "none")")
                }
            case .human:
                guard conversation.strategy != .queue, let team = conversation.team else { continue }
                // No owner, a bot, or a human outside the team routing moved the conversation to (but the
                // person's account manager, under that strategy, who fits wherever they work).
                let manager = conversation.customer.flatMap {
                    router.profiles[router.people.findRoot(of: $0)]?.profile.accountManager
                }
                let fits = conversation.owner.map { owner in
                    !Router.isBot(owner)
                        && (router.agents[owner]?.teams.contains(team) ?? false || teamOfOwner[conversation.id] == team
                            || (conversation.strategy == .accountManager && owner == manager))
                }
                guard fits != true else { continue }
                let free = router.agents.filter { _, agent in
                    agent.canTake && agent.teams.contains(team)
                        && conversation.skills.allSatisfy { agent.skills.contains($0) }
                }
                if !free.isEmpty {
                    failures.append(
                        "\(at): \(conversation.id) (team \(team)) has owner \(conversation.owner ?? "none") while "
                            + "\(free.keys.sorted()) can take it")
                }
            }
        }
    }
}
