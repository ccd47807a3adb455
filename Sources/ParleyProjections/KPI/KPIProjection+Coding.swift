import ParleyEvents

/// The KPI section of a checkpoint (docs/PROJECTIONS.md, "Checkpoints"): the category table, one record per
/// episode, the message counts per day and each conversation's latest record. Decoding checks every
/// reference (policy, category and record indices, enum bytes) and bounds every count by the events
/// replayed.
extension KPIProjection {
    public func encode(to out: inout StateWriter) {
        out.bytes.reserveCapacity(64 + episodes.count * 24 + latestEpisode.count * 3)
        // Categories before the episode records that index them.
        out.unsigned(categories.count)
        for category in categories { out.string(category) }
        out.unsigned(episodes.count)
        for record in episodes { Self.encode(record, &out) }
        let messagesPerDay = messagesPerDay
        out.unsigned(messagesPerDay.count)
        for day in messagesPerDay.keys.sorted() {
            out.signed(day)
            for count in messagesPerDay[day]! { out.unsigned(count) }
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
        let episodeCount = try input.count()
        episodes.reserveCapacity(episodeCount)
        // Each record follows at most one other: a conversation's records form one chain.
        var followed = [Bool](repeating: false, count: episodeCount)
        for position in 0..<episodeCount {
            let record = try Self.decodeRecord(
                &input, position: position, policies: context.policies, categories: categories.count)
            if record.previous >= 0 {
                guard !followed[record.previous] else {
                    throw StateReader.Malformed(reason: "two episodes follow episode \(record.previous)")
                }
                followed[record.previous] = true
            }
            episodes.append(record)
        }
        var previousDay: Int64?
        for _ in 0..<(try input.count()) {
            let day = try input.signed()
            var counts: [Int] = []
            for _ in Channel.allCases { counts.append(try input.int()) }
            // Written sorted by day: a day out of order (or twice) is malformed.
            guard previousDay.map({ $0 < day }) ?? true, setMessages(counts, day: day) else {
                throw StateReader.Malformed(reason: "days out of order or twice")
            }
            previousDay = day
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
        for counts in dayCounts {
            for count in counts {
                let (sum, overflow) = messages.addingReportingOverflow(UInt64(count))
                guard !overflow, sum <= events else {
                    throw StateReader.Malformed(reason: "more messages than events replayed")
                }
                messages = sum
            }
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
    }

    static func decodeRecord(_ input: inout StateReader, position: Int, policies: Int, categories: Int)
        throws(StateReader.Malformed) -> KPIProjection.EpisodeRecord
    {
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
        return KPIProjection.EpisodeRecord(
            start: start, previous: Int(previous), channel: channel, firstResponse: firstResponse, resolved: resolved,
            touches: touches, category: Int32(category), priority: priority, sla: sla, nextStart: nextStart)
    }
}
