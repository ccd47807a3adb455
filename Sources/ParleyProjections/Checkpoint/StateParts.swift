import ParleyEvents

/// Codecs of the parts several checkpoint sections share (policies, SLA clocks, conversations, enum bytes)
/// and the bounds every reader applies (docs/PROJECTIONS.md, "Checkpoints").
enum StateParts {
    static func index(_ input: inout StateReader, below count: Int, _ what: String) throws(StateReader
        .Malformed)
        -> Int
    {
        let value = try input.int()
        guard value < count else { throw StateReader.Malformed(reason: "\(what) index \(value) out of range") }
        return value
    }

    static func encode(_ policy: SLAPolicy, _ out: inout StateWriter) {
        out.optional(policy.name) { $0.string($1) }
        out.string(policy.timeZone)
        for day in policy.week {
            out.unsigned(day.count)
            for window in day {
                out.unsigned(Int(window.start))
                out.unsigned(Int(window.end))
            }
        }
        out.unsigned(policy.holidays.count)
        for day in policy.holidays.sorted() { out.signed(day) }
        let priorities = policy.targets.keys.sorted { $0.rawValue < $1.rawValue }
        out.unsigned(priorities.count)
        for priority in priorities {
            out.byte(priority.rawValue)
            out.optional(policy.targets[priority]!.firstResponse) { $0.signed($1) }
            out.optional(policy.targets[priority]!.resolution) { $0.signed($1) }
        }
    }

    static func decodePolicy(_ input: inout StateReader) throws(StateReader.Malformed) -> SLAPolicy {
        let name = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        let zone = try input.string()
        var week: [[SLAPolicy.Window]] = []
        for _ in 0..<7 {
            var windows: [SLAPolicy.Window] = []
            for _ in 0..<(try input.count()) {
                let start = try input.int()
                let end = try input.int()
                guard start < end, end <= 86_400, start >= (windows.last.map { Int($0.end) } ?? 0) else {
                    throw StateReader.Malformed(reason: "bad business window")
                }
                windows.append(SLAPolicy.Window(start: Int32(start), end: Int32(end)))
            }
            week.append(windows)
        }
        var holidays: Set<Int64> = []
        var previousHoliday: Int64?
        for _ in 0..<(try input.count()) {
            let day = try input.signed()
            guard previousHoliday.map({ $0 < day }) ?? true else {
                throw StateReader.Malformed(reason: "holidays out of order or twice")
            }
            holidays.insert(day)
            previousHoliday = day
        }
        var targets: [Priority: SLAPolicy.Targets] = [:]
        var previousPriority: UInt8 = 0
        for _ in 0..<(try input.count()) {
            let priority = try decodePriority(&input)
            guard priority.rawValue > previousPriority else {
                throw StateReader.Malformed(reason: "target priorities out of order or twice")
            }
            previousPriority = priority.rawValue
            let firstResponse = try input.optional { (input) throws(StateReader.Malformed) in
                try targetMinutes(&input)
            }
            let resolution = try input.optional { (input) throws(StateReader.Malformed) in try targetMinutes(&input) }
            targets[priority] = SLAPolicy.Targets(firstResponse: firstResponse, resolution: resolution)
        }
        return SLAPolicy(name: name, timeZone: zone, week: week, holidays: holidays, targets: targets)
    }

    static func decodePriority(_ input: inout StateReader) throws(StateReader.Malformed) -> Priority {
        guard let priority = Priority(rawValue: try input.byte()) else {
            throw StateReader.Malformed(reason: "bad priority")
        }
        return priority
    }

    static func decodeChannel(_ input: inout StateReader) throws(StateReader.Malformed) -> Channel {
        guard let channel = Channel(rawValue: try input.byte()) else {
            throw StateReader.Malformed(reason: "bad channel")
        }
        return channel
    }

    static func encode(_ conversation: ConversationBook.Conversation, _ out: inout StateWriter) {
        out.string(conversation.id)
        out.optional(conversation.customer) { $0.string($1) }
        out.optional(conversation.status) { $0.byte($1.rawValue) }
        out.optional(conversation.owner) { $0.string($1) }
        out.optional(conversation.team) { $0.string($1) }
        out.optional(conversation.category) { $0.string($1) }
        out.optional(conversation.priority) { $0.byte($1.rawValue) }
        out.unsigned(conversation.episodes)
        out.optional(conversation.openEpisode) { out, episode in
            out.unsigned(episode.number)
            out.signed(episode.start)
            out.unsigned(episode.startSeq)
            out.optional(episode.channel) { $0.byte($1.rawValue) }
            out.optional(episode.firstResponse) { $0.signed($1) }
            out.unsigned(episode.touches)
            out.optional(episode.resolved) { $0.signed($1) }
            out.optional(episode.category) { $0.string($1) }
            out.optional(episode.priority) { $0.byte($1.rawValue) }
            out.optional(episode.sla) { encode($1, &$0) }
        }
    }

    static func decodeConversation(_ input: inout StateReader, ordinal: Int, policies: Int)
        throws(StateReader.Malformed) -> ConversationBook.Conversation
    {
        var conversation = ConversationBook.Conversation(id: try input.string(), ordinal: ordinal)
        conversation.customer = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        conversation.status = try input.optional { (input) throws(StateReader.Malformed) in
            guard let status = ConversationStatus(rawValue: try input.byte()) else {
                throw StateReader.Malformed(reason: "bad status")
            }
            return status
        }
        conversation.owner = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        conversation.team = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        conversation.category = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
        conversation.priority = try input.optional { (input) throws(StateReader.Malformed) in try decodePriority(&input)
        }
        conversation.episodes = try bounded(&input, "episode count")
        let id = conversation.id
        conversation.openEpisode = try input.optional { (input) throws(StateReader.Malformed) in
            var episode = Episode(
                conversation: id, number: try input.int(), start: try input.signed(), startSeq: try input.unsigned(),
                channel: nil, firstResponse: nil, touches: 0, resolved: nil, category: nil, priority: nil)
            episode.channel = try input.optional { (input) throws(StateReader.Malformed) in try decodeChannel(&input) }
            episode.firstResponse = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
            episode.touches = try bounded(&input, "touches")
            episode.resolved = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
            episode.category = try input.optional { (input) throws(StateReader.Malformed) in try input.string() }
            episode.priority = try input.optional { (input) throws(StateReader.Malformed) in try decodePriority(&input)
            }
            episode.sla = try input.optional { (input) throws(StateReader.Malformed) in
                try decodeClocks(&input, policies: policies)
            }
            return episode
        }
        return conversation
    }

    static func encode(_ clocks: SLAClocks, _ out: inout StateWriter) {
        out.unsigned(clocks.policy)
        out.optional(clocks.responseElapsed) { $0.signed($1) }
        out.bool(clocks.responded)
        out.signed(clocks.resolutionAccrued)
        out.optional(clocks.runningSince) { $0.signed($1) }
        out.signed(clocks.countedUntil)
    }

    static func decodeClocks(_ input: inout StateReader, policies: Int) throws(StateReader.Malformed)
        -> SLAClocks
    {
        var clocks = SLAClocks(policy: try index(&input, below: policies, "policy"), runningSince: nil)
        clocks.responseElapsed = try input.optional { (input) throws(StateReader.Malformed) in
            try businessTime(&input)
        }
        clocks.responded = try input.bool()
        clocks.resolutionAccrued = try businessTime(&input)
        clocks.runningSince = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        clocks.countedUntil = try input.signed()
        return clocks
    }

    /// Business time a clock can have counted: at most ``BusinessCalendar/maxDays`` (+2) whole days, so
    /// that the sums and differences made with it cannot overflow (a crafted checkpoint found by fuzzing).
    static let maxBusinessNanos = (BusinessCalendar.maxDays + 2) * BusinessCalendar.dayNanos

    static func businessTime(_ input: inout StateReader) throws(StateReader.Malformed) -> Int64 {
        let value = try input.signed()
        guard value >= 0, value <= maxBusinessNanos else {
            throw StateReader.Malformed(reason: "business time \(value) ns out of range")
        }
        return value
    }

    /// A counter that later events increment: far below `Int.max`, so that no increment can overflow.
    static func bounded(_ input: inout StateReader, _ what: String) throws(StateReader.Malformed) -> Int {
        let value = try input.int()
        guard value <= 1 << 48 else { throw StateReader.Malformed(reason: "\(what) \(value) out of range") }
        return value
    }

    /// A target in minutes, in the range `SLAPolicy` accepts.
    static func targetMinutes(_ input: inout StateReader) throws(StateReader.Malformed) -> Int64 {
        let value = try input.signed()
        guard value >= 1, value <= SLAPolicy.maxTargetMinutes else {
            throw StateReader.Malformed(reason: "target of \(value) minutes out of range")
        }
        return value
    }
}
