import ParleyEvents

/// The routing section of a checkpoint (docs/PROJECTIONS.md, "Checkpoints"): the rules and policy in force as
/// the JSON they were set with, then agents, conversations, people, queues and timers, every list in a fixed
/// order (ids in UTF-8 order, queues and timers in their own order). The teams' members and the teams that may
/// have work are derived when it is read.
extension Router {
    public func encode(to out: inout StateWriter) {
        out.bool(listening)
        out.optional(rulesObject) { $0.json($1) }
        out.unsigned(invalidRules)
        out.optional(policyObject) { $0.json($1) }
        out.signed(clock)
        out.unsigned(tickets)
        let agentIDs = agents.keys.sorted(by: Self.precedes)
        out.unsigned(agentIDs.count)
        for id in agentIDs {
            let agent = agents[id]!
            out.string(id)
            out.byte(agent.status?.rawValue ?? 0)
            out.signed(agent.since)
            out.strings(agent.teams)
            out.optional(agent.capacity) { $0.unsigned($1) }
            out.strings(agent.skills)
            out.ordinals(agent.open.sorted())
        }
        out.unsigned(conversations.count)
        for state in conversations { Self.encode(state, &out) }
        people.encode(to: &out)
        let roots = profiles.keys.sorted(by: Self.precedes)
        out.unsigned(roots.count)
        for root in roots {
            let (profile, seq) = profiles[root]!
            out.string(root)
            out.string(profile.customer)
            out.optional(profile.tier) { $0.string($1) }
            out.optional(profile.lifetimeValue) { $0.unsigned($1) }
            out.optional(profile.currency) { $0.string($1) }
            out.optional(profile.accountManager) { $0.string($1) }
            out.unsigned(seq)
        }
        let resolvedRoots = lastResolved.keys.sorted(by: Self.precedes)
        out.unsigned(resolvedRoots.count)
        for root in resolvedRoots {
            out.string(root)
            out.signed(lastResolved[root]!)
        }
        // Only the live entries of the queues, timers and hand-backs: the same state gives the same bytes,
        // whatever was pruned by asking for decisions.
        out.entries(toRoute.remaining.filter(isOwed))
        let teams = queues.keys.sorted(by: Self.precedes).filter { team in
            queues[team]!.remaining.contains { isWaiting($0, in: team) }
        }
        out.unsigned(teams.count)
        for team in teams {
            out.string(team)
            out.entries(queues[team]!.remaining.filter { isWaiting($0, in: team) })
        }
        out.entries(botQueue.remaining.filter(isWaitingForBot))
        let picked = lastPicked.keys.sorted(by: Self.precedes)
        out.unsigned(picked.count)
        for team in picked {
            out.string(team)
            out.string(lastPicked[team]!)
        }
        // A hand-back whose agent owns nothing is armed again when they are given a conversation.
        let liveHandBacks = handBacks.filter { isLive($0) && !(agents[$0.agent]?.open.isEmpty ?? true) }
        out.unsigned(liveHandBacks.count)
        for handBack in liveHandBacks {
            out.string(handBack.agent)
            out.signed(handBack.since)
        }
        let liveTimers = timers.entries.filter { !isStale($0) }.sorted(by: TimerHeap.Entry.precedes)
        out.unsigned(liveTimers.count)
        for entry in liveTimers {
            out.signed(entry.due)
            out.unsigned(entry.position)
            out.unsigned(entry.timer)
            out.unsigned(UInt64(entry.epoch))
        }
    }

    private static func encode(_ state: Conversation, _ out: inout StateWriter) {
        out.string(state.id)
        out.optional(state.customer) { $0.string($1) }
        out.optional(state.channel) { $0.byte($1.rawValue) }
        out.optional(state.category) { $0.string($1) }
        out.byte(state.priority?.rawValue ?? 0)
        var flags: UInt8 = 0
        if state.isOpen { flags |= 1 }
        if state.waiting { flags |= 2 }
        if state.humanReplied { flags |= 4 }
        if state.escalated { flags |= 8 }
        out.byte(flags)
        out.unsigned(state.episode)
        out.signed(state.episodeStart)
        out.optional(state.team) { $0.string($1) }
        out.byte(state.mode.rawValue)
        out.optional(state.policy) { $0.string($1) }
        out.optional(state.routedBy) { $0.string($1) }
        out.strings(state.topics)
        out.byte(Self.strategyByte(state.strategy))
        out.strings(state.skills)
        out.optional(state.bot) { $0.string($1) }
        out.optional(state.owner) { $0.string($1) }
        out.optional(state.previousOwner) { $0.string($1) }
        out.strings(state.pendingTopics)
        out.optional(state.pending) { out, routed in
            var bytes: [UInt8] = []
            EventCodec.encode(Event(at: Timestamp(nanoseconds: 0), payload: .routed(routed)), into: &bytes)
            out.unsigned(bytes.count)
            out.bytes.append(contentsOf: bytes)
        }
        out.unsigned(state.firedTimers)
        out.unsigned(UInt64(state.timerEpoch))
        out.unsigned(state.queueTicket)
        out.unsigned(state.routeTicket)
    }

    static let strategies: [Strategy] = [.roundRobin, .leastLoaded, .accountManager, .queue]

    static func strategyByte(_ strategy: Strategy) -> UInt8 { UInt8(strategies.firstIndex(of: strategy)!) + 1 }

    /// Reads the section; every ordinal must name a conversation of the section and every enumeration byte a
    /// value, and the rules and policy must read as they did when they were set.
    public init(from input: inout StateReader, context: CheckpointContext) throws(StateReader.Malformed) {
        self.init()
        listening = try input.bool()
        if let object = try input.optional({ (input) throws(StateReader.Malformed) in try input.json() }) {
            guard let parsed = try? RoutingRules(json: object) else {
                throw StateReader.Malformed(reason: "routing rules that no longer read")
            }
            rules = parsed
            rulesObject = object
        }
        invalidRules = try input.int()
        if let object = try input.optional({ (input) throws(StateReader.Malformed) in try input.json() }) {
            guard let policy = try? SLAPolicy(json: object), let calendar = BusinessCalendar(policy) else {
                throw StateReader.Malformed(reason: "a routing policy that no longer reads")
            }
            self.calendar = calendar
            policyObject = object
        }
        clock = try input.signed()
        tickets = try input.unsigned()
        var agentOrdinals: [(String, [Int])] = []
        var previous: String?
        for _ in 0..<(try input.count()) {
            let id = try input.string()
            guard previous.map({ Self.precedes($0, id) }) ?? true else {
                throw StateReader.Malformed(reason: "agents out of order")
            }
            previous = id
            var agent = Agent()
            let status = try input.byte()
            if status != 0 {
                guard let value = AgentAvailability(rawValue: status) else {
                    throw StateReader.Malformed(reason: "bad agent status")
                }
                agent.status = value
            }
            agent.since = try input.signed()
            agent.teams = try input.strings()
            agent.capacity = try input.optional { (input) throws(StateReader.Malformed) in try input.int() }
            agent.skills = try input.strings()
            agentOrdinals.append((id, try input.ordinals()))
            agents[id] = agent
            for team in agent.teams { members[team, default: []].append(id) }
        }
        let count = try input.count()
        guard UInt64(count) <= context.summary.events else {
            throw StateReader.Malformed(reason: "more routed conversations than events")
        }
        conversations.reserveCapacity(count)
        for _ in 0..<count { conversations.append(try Self.decodeConversation(&input)) }
        func checked(_ ordinals: [Int]) throws(StateReader.Malformed) -> [Int] {
            guard ordinals.allSatisfy({ $0 < count }) else {
                throw StateReader.Malformed(reason: "a routing ordinal past the conversations")
            }
            return ordinals
        }
        for (id, ordinals) in agentOrdinals { agents[id]!.open = Set(try checked(ordinals)) }
        people = try CustomerDirectory(from: &input, context: context)
        for _ in 0..<(try input.count()) {
            let root = try input.string()
            let profile = CustomerProfile(
                customer: try input.string(),
                tier: try input.optional { (input) throws(StateReader.Malformed) in try input.string() },
                lifetimeValue: try input.optional { (input) throws(StateReader.Malformed) in try input.int() },
                currency: try input.optional { (input) throws(StateReader.Malformed) in try input.string() },
                accountManager: try input.optional { (input) throws(StateReader.Malformed) in try input.string() })
            profiles[root] = (profile, try input.unsigned())
            if let manager = profile.accountManager { managers.insert(manager) }
        }
        for _ in 0..<(try input.count()) {
            let root = try input.string()
            lastResolved[root] = try input.signed()
        }
        func entries() throws(StateReader.Malformed) -> WorkQueue {
            var queue = WorkQueue()
            for _ in 0..<(try input.count()) {
                let position = try input.int()
                let ticket = try input.unsigned()
                guard position < count, ticket <= tickets else {
                    throw StateReader.Malformed(reason: "a queue entry past the conversations or the tickets")
                }
                queue.append(position, ticket: ticket)
            }
            return queue
        }
        toRoute = try entries()
        for _ in 0..<(try input.count()) {
            let team = try input.string()
            queues[team] = try entries()
            dirtyTeams.insert(team)
        }
        botQueue = try entries()
        for _ in 0..<(try input.count()) {
            let team = try input.string()
            lastPicked[team] = try input.string()
        }
        for _ in 0..<(try input.count()) {
            handBacks.append(HandBack(agent: try input.string(), since: try input.signed()))
        }
        for _ in 0..<(try input.count()) {
            let entry = TimerHeap.Entry(
                due: try input.signed(), position: try input.int(), timer: try input.int(),
                epoch: UInt32(truncatingIfNeeded: try input.unsigned()))
            guard entry.position < count else { throw StateReader.Malformed(reason: "a timer past the conversations") }
            timers.push(entry)
        }
    }

    private static func decodeConversation(_ input: inout StateReader) throws(StateReader.Malformed) -> Conversation {
        var state = Conversation(id: try input.string())
        state.customer = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        if let channel = try input.optional({ (input) throws(StateReader.Malformed) in try input.byte() }) {
            guard let value = Channel(rawValue: channel) else { throw StateReader.Malformed(reason: "bad channel") }
            state.channel = value
        }
        state.category = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        let priority = try input.byte()
        if priority != 0 {
            guard let value = Priority(rawValue: priority) else { throw StateReader.Malformed(reason: "bad priority") }
            state.priority = value
        }
        let flags = try input.byte()
        guard flags < 16 else { throw StateReader.Malformed(reason: "bad routing flags") }
        state.isOpen = flags & 1 != 0
        state.waiting = flags & 2 != 0
        state.humanReplied = flags & 4 != 0
        state.escalated = flags & 8 != 0
        state.episode = try input.int()
        state.episodeStart = try input.signed()
        state.team = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        guard let mode = HandlingMode(rawValue: try input.byte()) else {
            throw StateReader.Malformed(reason: "bad handling mode")
        }
        state.mode = mode
        state.policy = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        state.routedBy = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        state.topics = try input.strings()
        let strategy = Int(try input.byte())
        guard (1...strategies.count).contains(strategy) else { throw StateReader.Malformed(reason: "bad strategy") }
        state.strategy = strategies[strategy - 1]
        state.skills = try input.strings()
        state.bot = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        state.owner = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        state.previousOwner = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        state.pendingTopics = try input.strings()
        state.pending = try input.optional { (input) throws(StateReader.Malformed) in
            let bytes = try input.rawBytes(try input.count())
            guard case .event(let event)? = try? EventCodec.decode(bytes[...]), case .routed(let routed) = event.payload
            else { throw StateReader.Malformed(reason: "a pending routing decision that does not decode") }
            return routed
        }
        state.firedTimers = try input.unsigned()
        state.timerEpoch = UInt32(truncatingIfNeeded: try input.unsigned())
        state.queueTicket = try input.unsigned()
        state.routeTicket = try input.unsigned()
        return state
    }

    /// The routed conversations must be the book's, ordinal for ordinal.
    public func check(against book: ConversationBook) throws(StateReader.Malformed) {
        guard conversations.count <= book.all.count else {
            throw StateReader.Malformed(reason: "routing names more conversations than the book")
        }
        for (position, state) in conversations.enumerated() where state.id != book.all[position].id && !state.id.isEmpty
        {
            throw StateReader.Malformed(reason: "routing conversation \(position) is not the book's")
        }
    }
}

extension StateWriter {
    /// A list of strings: its count, then each.
    mutating func strings(_ values: [String]) {
        unsigned(values.count)
        for value in values { string(value) }
    }

    /// A queue's entries: ordinal and ticket each.
    mutating func entries(_ values: [WorkQueue.Entry]) {
        unsigned(values.count)
        for entry in values {
            unsigned(entry.position)
            unsigned(entry.ticket)
        }
    }

    /// A list of conversation ordinals.
    mutating func ordinals(_ values: [Int]) {
        unsigned(values.count)
        for value in values { unsigned(value) }
    }

    /// A JSON value, as its compact text.
    mutating func json(_ value: JSONValue) {
        var text: [UInt8] = []
        JSONLineEncoder.appendJSON(value, to: &text)
        unsigned(text.count)
        bytes.append(contentsOf: text)
    }
}

extension StateReader {
    mutating func strings() throws(Malformed) -> [String] {
        var values: [String] = []
        for _ in 0..<(try count()) { values.append(try string()) }
        return values
    }

    mutating func ordinals() throws(Malformed) -> [Int] {
        var values: [Int] = []
        for _ in 0..<(try count()) { values.append(try int()) }
        return values
    }

    mutating func rawBytes(_ length: Int) throws(Malformed) -> [UInt8] {
        guard let bytes = reader.readBytes(length) else { throw Malformed(reason: "cut short") }
        return Array(bytes)
    }

    mutating func json() throws(Malformed) -> JSONValue {
        let bytes = try rawBytes(try count())
        do {
            return try JSONParser.parse(bytes[...])
        } catch {
            throw Malformed(reason: "a JSON value that does not parse")
        }
    }
}
