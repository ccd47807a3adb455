import ParleyEvents

/// The KPI section of a checkpoint (docs/PROJECTIONS.md, "Checkpoints"): the name tables (categories,
/// teams, agents, tiers) and the tiers of profiled customers, one record per episode, the message counts
/// per quarter-hour and each conversation's latest record. Decoding checks every reference (policy, name
/// and record indices, enum bytes) and bounds every count by the events replayed.
extension KPIProjection {
    public func encode(to out: inout StateWriter) {
        out.bytes.reserveCapacity(64 + episodes.count * 24 + latestEpisode.count * 3)
        // Names before the episode records that index them.
        out.unsigned(categories.count)
        for category in categories { out.string(category) }
        for table in [teams, agents, tiers] {
            out.unsigned(table.count)
            for name in table.names { out.string(name) }
        }
        out.unsigned(customerTiers.count)
        for key in customerTiers.keys.sorted() {
            out.unsigned(key)
            out.signed(Int64(customerTiers[key]!))
        }
        out.unsigned(episodes.count)
        for record in episodes { Self.encode(record, &out) }
        out.unsigned(slotKeys.count)
        for position in slotKeys.indices.sorted(by: { slotKeys[$0] < slotKeys[$1] }) {
            out.signed(slotKeys[position])
            for count in counts(at: position) { out.unsigned(count) }
        }
        out.unsigned(latestEpisode.count)
        for index in latestEpisode { out.signed(Int64(index)) }
    }

    public init(from input: inout StateReader, context: CheckpointContext) throws(StateReader.Malformed) {
        self.init()
        for _ in 0..<(try input.count()) {
            let category = try input.string()
            guard categoryIDs[category] == nil else { throw StateReader.Malformed(reason: "category twice") }
            categoryIDs[category] = Int32(categories.count)
            categories.append(category)
        }
        for table in [\KPIProjection.teams, \.agents, \.tiers] {
            for _ in 0..<(try input.count()) {
                guard self[keyPath: table].add(try input.string()) else {
                    throw StateReader.Malformed(reason: "name twice")
                }
            }
        }
        var previousKey: UInt64 = 0
        for _ in 0..<(try input.count()) {
            let key = try input.unsigned()
            let tier = try input.signed()
            // Written sorted by key: a key out of order (or twice, or 0) is malformed.
            guard key > previousKey, tier >= -1, tier < Int64(tiers.count) else {
                throw StateReader.Malformed(reason: "customer tier out of order or out of range")
            }
            customerTiers[key] = Int32(tier)
            previousKey = key
        }
        let episodeCount = try input.count()
        episodes.reserveCapacity(episodeCount)
        // Each record follows at most one other: a conversation's records form one chain.
        var followed = [Bool](repeating: false, count: episodeCount)
        let names = (teams: teams.count, agents: agents.count, tiers: tiers.count)
        for position in 0..<episodeCount {
            let record = try Self.decodeRecord(
                &input, position: position, policies: context.policies, categories: categories.count, names: names)
            if record.previous >= 0 {
                guard !followed[record.previous] else {
                    throw StateReader.Malformed(reason: "two episodes follow episode \(record.previous)")
                }
                followed[record.previous] = true
            }
            episodes.append(record)
        }
        var previousSlot: Int64?
        var counts = [Int](repeating: 0, count: Self.channels)
        for _ in 0..<(try input.count()) {
            let slot = try input.signed()
            for channel in 0..<Self.channels { counts[channel] = try input.int() }
            // Written sorted by slot: a slot out of order (or twice) is malformed.
            guard previousSlot.map({ $0 < slot }) ?? true, setMessages(counts, slot: slot) else {
                throw StateReader.Malformed(reason: "slots out of order or twice")
            }
            previousSlot = slot
        }
        let latestCount = try input.count()
        latestEpisode.reserveCapacity(latestCount)
        for _ in 0..<latestCount {
            let value = try input.signed()
            guard value >= -1, value < Int64(episodeCount) else {
                throw StateReader.Malformed(reason: "episode index out of range")
            }
            latestEpisode.append(Int(value))
        }
        // Counts are bounded by the events replayed, so the report's sums cannot overflow.
        let events = context.summary.events
        var messages: UInt64 = 0
        for count in slotCounts {
            let (sum, overflow) = messages.addingReportingOverflow(UInt64(count))
            guard !overflow, sum <= events else {
                throw StateReader.Malformed(reason: "more messages than events replayed")
            }
            messages = sum
        }
        var touches: UInt64 = 0
        for record in episodes {
            touches += UInt64(min(record.touches, Int(events) + 1))
            guard touches <= events else { throw StateReader.Malformed(reason: "more touches than events replayed") }
        }
        guard UInt64(episodes.count) <= events else {
            throw StateReader.Malformed(reason: "more episodes than events replayed")
        }
    }

    /// Every open episode has its record (reports and further events update it), and no conversation
    /// beyond the book has one.
    public func check(against conversations: ConversationBook) throws(StateReader.Malformed) {
        guard latestEpisode.count <= conversations.all.count else {
            throw StateReader.Malformed(reason: "episode index too long")
        }
        // Read in place: a loop over the conversations themselves would copy each one.
        let missing = conversations.all.withUnsafeBufferPointer { all in
            all.indices.contains {
                all[$0].openEpisode != nil && !(latestEpisode.indices.contains($0) && latestEpisode[$0] >= 0)
            }
        }
        guard !missing else { throw StateReader.Malformed(reason: "open episode without a record") }
    }

    static func encode(_ record: KPIProjection.EpisodeRecord, _ out: inout StateWriter) {
        out.signed(record.start)
        out.signed(Int64(record.previous))
        out.optional(record.channel) { $0.byte($1.rawValue) }
        out.optional(record.firstResponse) { $0.signed($1) }
        out.optional(record.resolved) { $0.signed($1) }
        out.unsigned(record.touches)
        out.signed(Int64(record.category))
        out.optional(record.priority) { $0.byte($1.rawValue) }
        out.optional(record.sla) { StateParts.encode($1, &$0) }
        out.optional(record.nextStart) { $0.signed($1) }
        out.signed(Int64(record.team))
        out.signed(Int64(record.agent))
        out.unsigned(record.customer)
        out.signed(Int64(record.tier))
    }

    static func decodeRecord(
        _ input: inout StateReader, position: Int, policies: Int, categories: Int,
        names: (teams: Int, agents: Int, tiers: Int)
    ) throws(StateReader.Malformed) -> KPIProjection.EpisodeRecord {
        let start = try input.signed()
        // The same conversation's episode before it started before it, so it comes earlier in the list.
        let previous = try input.signed()
        guard previous >= -1, previous < Int64(position) else {
            throw StateReader.Malformed(reason: "previous episode index out of range")
        }
        let channel = try input.optional { (input) throws(StateReader.Malformed) in try StateParts.decodeChannel(&input)
        }
        let firstResponse = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        let resolved = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        let touches = try input.int()
        let category = try input.signed()
        guard category >= -1, category < Int64(categories) else {
            throw StateReader.Malformed(reason: "category index out of range")
        }
        let priority = try input.optional { (input) throws(StateReader.Malformed) in
            try StateParts.decodePriority(&input)
        }
        let sla = try input.optional { (input) throws(StateReader.Malformed) in
            try StateParts.decodeClocks(&input, policies: policies)
        }
        let nextStart = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        let team = try input.signed()
        let agent = try input.signed()
        let customer = try input.unsigned()
        let tier = try input.signed()
        guard team >= -1, team < Int64(names.teams), agent >= -1, agent < Int64(names.agents), tier >= -1,
            tier < Int64(names.tiers)
        else { throw StateReader.Malformed(reason: "name index out of range") }
        return KPIProjection.EpisodeRecord(
            start: start, previous: Int(previous), channel: channel, firstResponse: firstResponse, resolved: resolved,
            touches: touches, category: Int32(category), priority: priority, sla: sla, nextStart: nextStart,
            team: Int32(team), agent: Int32(agent), customer: customer, tier: Int32(tier))
    }
}
