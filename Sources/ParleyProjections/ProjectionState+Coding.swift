import ParleyEvents

/// The checkpoint body: every part of ``ProjectionState`` in a fixed order (docs/PROJECTIONS.md,
/// "Checkpoints"). Decoding checks every reference (policy, category and episode indices, enum bytes), so
/// a damaged body is refused, never trusted.
extension ProjectionState {
    /// The reports section: everything `kpi` needs.
    func encodeReports() -> [UInt8] {
        var out = StateWriter()
        out.bytes.reserveCapacity(64 + collector.episodes.count * 24)
        let book = collector.book
        // Policies first: episodes refer to them.
        out.unsigned(book.policies.count)
        for calendar in book.policies { Self.encode(calendar.policy, &out) }
        out.optional(book.currentPolicy) { $0.unsigned($1) }
        out.unsigned(book.anomalies.negativeDurations)
        out.unsigned(book.anomalies.repliesOutsideEpisodes)
        out.unsigned(book.anomalies.resolvesOutsideEpisodes)
        out.unsigned(book.anomalies.invalidPolicies)
        // Categories before the episode records that index them.
        out.unsigned(collector.categories.count)
        for category in collector.categories { out.string(category) }
        out.unsigned(collector.episodes.count)
        for record in collector.episodes { Self.encode(record, &out) }
        let messagesPerDay = collector.messagesPerDay
        out.unsigned(messagesPerDay.count)
        for day in messagesPerDay.keys.sorted() {
            out.signed(day)
            for count in messagesPerDay[day]! { out.unsigned(count) }
        }
        out.optional(collector.eventTimes) { out, times in
            out.signed(times.lowerBound)
            out.signed(times.upperBound)
        }
        out.unsigned(summary.events)
        out.unsigned(summary.lastSeq)
        out.unsigned(summary.unknown)
        return out.bytes
    }

    /// The conversations section: what applying further events needs, and `queue` and `sla`.
    func encodeConversations() -> [UInt8] {
        var out = StateWriter()
        out.bytes.reserveCapacity(64 + collector.book.all.count * 48)
        out.unsigned(collector.book.all.count)
        for conversation in collector.book.all { Self.encode(conversation, &out) }
        out.unsigned(collector.latestEpisode.count)
        for index in collector.latestEpisode { out.signed(Int64(index)) }
        return out.bytes
    }

    /// Reads the reports section; the conversations stay empty until ``decodeConversations(_:)``.
    static func decodeReports(_ bytes: ArraySlice<UInt8>, position: LogPosition) throws(StateReader.Malformed)
        -> ProjectionState
    {
        var input = StateReader(bytes)
        var book = ConversationBook()
        for _ in 0..<(try input.count()) {
            let policy = try decodePolicy(&input)
            guard let calendar = BusinessCalendar(policy) else {
                throw StateReader.Malformed(reason: "time zone \"\(policy.timeZone)\" unknown to this system")
            }
            book.policies.append(calendar)
        }
        let policyCount = book.policies.count
        book.currentPolicy = try input.optional { (input) throws(StateReader.Malformed) in
            try index(&input, below: policyCount, "policy")
        }
        book.anomalies.negativeDurations = try input.int()
        book.anomalies.repliesOutsideEpisodes = try input.int()
        book.anomalies.resolvesOutsideEpisodes = try input.int()
        book.anomalies.invalidPolicies = try input.int()
        var collector = KPICollector()
        for _ in 0..<(try input.count()) {
            let category = try input.string()
            guard collector.categoryIDs[category] == nil else { throw StateReader.Malformed(reason: "category twice") }
            collector.categoryIDs[category] = Int32(collector.categories.count)
            collector.categories.append(category)
        }
        let episodeCount = try input.count()
        collector.episodes.reserveCapacity(episodeCount)
        // Each record follows at most one other: a conversation's records form one chain.
        var followed = [Bool](repeating: false, count: episodeCount)
        for position in 0..<episodeCount {
            let record = try decodeRecord(
                &input, position: position, policies: policyCount, categories: collector.categories.count)
            if record.previous >= 0 {
                guard !followed[record.previous] else {
                    throw StateReader.Malformed(reason: "two episodes follow episode \(record.previous)")
                }
                followed[record.previous] = true
            }
            collector.episodes.append(record)
        }
        var previousDay: Int64?
        for _ in 0..<(try input.count()) {
            let day = try input.signed()
            var counts: [Int] = []
            for _ in Channel.allCases { counts.append(try input.int()) }
            // Written sorted by day: a day out of order (or twice) is malformed.
            guard previousDay.map({ $0 < day }) ?? true, collector.setMessages(counts, day: day) else {
                throw StateReader.Malformed(reason: "days out of order or twice")
            }
            previousDay = day
        }
        collector.eventTimes = try input.optional { (input) throws(StateReader.Malformed) in
            let lower = try input.signed()
            let upper = try input.signed()
            guard lower <= upper else { throw StateReader.Malformed(reason: "event time range reversed") }
            return lower...upper
        }
        var summary = Replay.Summary()
        summary.events = try input.unsigned()
        summary.lastSeq = try input.unsigned()
        summary.unknown = try input.unsigned()
        guard input.isAtEnd else { throw StateReader.Malformed(reason: "bytes after the state") }
        // The state was replayed up to the header's frame, whole: its last event is that frame's last event,
        // unless records of unknown types, which the summary's last seq does not count, came after it: then
        // no more of them than were skipped.
        guard
            summary.lastSeq == position.lastSeq
                || (summary.lastSeq < position.lastSeq && position.lastSeq - summary.lastSeq <= summary.unknown)
        else {
            throw StateReader.Malformed(
                reason: "state ends at seq \(summary.lastSeq), its position at seq \(position.lastSeq)")
        }
        guard summary.events <= summary.lastSeq else {
            throw StateReader.Malformed(reason: "state goes beyond its position")
        }
        // Counts are bounded by the events replayed, so the report's sums cannot overflow.
        var messages: UInt64 = 0
        for counts in collector.messagesPerDay.values {
            for count in counts {
                let (sum, overflow) = messages.addingReportingOverflow(UInt64(count))
                guard !overflow, sum <= summary.events else {
                    throw StateReader.Malformed(reason: "more messages than events replayed")
                }
                messages = sum
            }
        }
        var touches: UInt64 = 0
        for record in collector.episodes {
            touches += UInt64(min(record.touches, Int(summary.events) + 1))
            guard touches <= summary.events else {
                throw StateReader.Malformed(reason: "more touches than events replayed")
            }
        }
        guard UInt64(collector.episodes.count) <= summary.events else {
            throw StateReader.Malformed(reason: "more episodes than events replayed")
        }
        collector.book = book
        return ProjectionState(collector: collector, position: position, summary: summary)
    }

    /// Reads the conversations section into `collector` (whose reports section is loaded).
    static func decodeConversations(_ bytes: ArraySlice<UInt8>, into collector: inout KPICollector)
        throws(StateReader.Malformed)
    {
        var input = StateReader(bytes)
        let policyCount = collector.book.policies.count
        let conversationCount = try input.count()
        var book = collector.book
        book.all.reserveCapacity(conversationCount)
        book.index.reserveCapacity(conversationCount)
        for position in 0..<conversationCount {
            let conversation = try decodeConversation(&input, policies: policyCount)
            guard book.index.position(inserting: conversation.id) == position else {
                throw StateReader.Malformed(reason: "conversation \"\(conversation.id)\" twice")
            }
            book.all.append(conversation)
        }
        let latestCount = try input.count()
        guard latestCount <= conversationCount else { throw StateReader.Malformed(reason: "episode index too long") }
        var latest: [Int] = []
        latest.reserveCapacity(latestCount)
        let episodeCount = collector.episodes.count
        for _ in 0..<latestCount {
            let value = try input.signed()
            guard value >= -1, value < Int64(episodeCount) else {
                throw StateReader.Malformed(reason: "episode index out of range")
            }
            latest.append(Int(value))
        }
        // Every open episode must have its record: reports and further events update it.
        for (position, conversation) in book.all.enumerated() where conversation.openEpisode != nil {
            guard position < latest.count, latest[position] >= 0 else {
                throw StateReader.Malformed(reason: "open episode without a record")
            }
        }
        guard input.isAtEnd else { throw StateReader.Malformed(reason: "bytes after the conversations") }
        collector.book = book
        collector.latestEpisode = latest
    }

    // MARK: Parts

    private static func index(_ input: inout StateReader, below count: Int, _ what: String) throws(StateReader
        .Malformed)
        -> Int
    {
        let value = try input.int()
        guard value < count else { throw StateReader.Malformed(reason: "\(what) index \(value) out of range") }
        return value
    }

    private static func encode(_ policy: SLAPolicy, _ out: inout StateWriter) {
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

    private static func decodePolicy(_ input: inout StateReader) throws(StateReader.Malformed) -> SLAPolicy {
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

    private static func decodePriority(_ input: inout StateReader) throws(StateReader.Malformed) -> Priority {
        guard let priority = Priority(rawValue: try input.byte()) else {
            throw StateReader.Malformed(reason: "bad priority")
        }
        return priority
    }

    private static func decodeChannel(_ input: inout StateReader) throws(StateReader.Malformed) -> Channel {
        guard let channel = Channel(rawValue: try input.byte()) else {
            throw StateReader.Malformed(reason: "bad channel")
        }
        return channel
    }

    private static func encode(_ conversation: ConversationBook.Conversation, _ out: inout StateWriter) {
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

    private static func decodeConversation(_ input: inout StateReader, policies: Int) throws(StateReader.Malformed)
        -> ConversationBook.Conversation
    {
        var conversation = ConversationBook.Conversation(id: try input.string())
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

    private static func encode(_ clocks: SLAClocks, _ out: inout StateWriter) {
        out.unsigned(clocks.policy)
        out.optional(clocks.responseElapsed) { $0.signed($1) }
        out.bool(clocks.responded)
        out.signed(clocks.resolutionAccrued)
        out.optional(clocks.runningSince) { $0.signed($1) }
        out.signed(clocks.countedUntil)
    }

    private static func decodeClocks(_ input: inout StateReader, policies: Int) throws(StateReader.Malformed)
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

    private static func businessTime(_ input: inout StateReader) throws(StateReader.Malformed) -> Int64 {
        let value = try input.signed()
        guard value >= 0, value <= maxBusinessNanos else {
            throw StateReader.Malformed(reason: "business time \(value) ns out of range")
        }
        return value
    }

    /// A counter that later events increment: far below `Int.max`, so that no increment can overflow.
    private static func bounded(_ input: inout StateReader, _ what: String) throws(StateReader.Malformed) -> Int {
        let value = try input.int()
        guard value <= 1 << 48 else { throw StateReader.Malformed(reason: "\(what) \(value) out of range") }
        return value
    }

    /// A target in minutes, in the range `SLAPolicy` accepts.
    private static func targetMinutes(_ input: inout StateReader) throws(StateReader.Malformed) -> Int64 {
        let value = try input.signed()
        guard value >= 1, value <= SLAPolicy.maxTargetMinutes else {
            throw StateReader.Malformed(reason: "target of \(value) minutes out of range")
        }
        return value
    }

    private static func encode(_ record: KPICollector.EpisodeRecord, _ out: inout StateWriter) {
        out.signed(record.start)
        out.signed(Int64(record.previous))
        out.optional(record.channel) { $0.byte($1.rawValue) }
        out.optional(record.firstResponse) { $0.signed($1) }
        out.optional(record.resolved) { $0.signed($1) }
        out.unsigned(record.touches)
        out.signed(Int64(record.category))
        out.optional(record.priority) { $0.byte($1.rawValue) }
        out.optional(record.sla) { encode($1, &$0) }
        out.optional(record.nextStart) { $0.signed($1) }
    }

    private static func decodeRecord(_ input: inout StateReader, position: Int, policies: Int, categories: Int)
        throws(StateReader.Malformed) -> KPICollector.EpisodeRecord
    {
        let start = try input.signed()
        // The same conversation's episode before it started before it, so it comes earlier in the list.
        let previous = try input.signed()
        guard previous >= -1, previous < Int64(position) else {
            throw StateReader.Malformed(reason: "previous episode index out of range")
        }
        let channel = try input.optional { (input) throws(StateReader.Malformed) in try decodeChannel(&input) }
        let firstResponse = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        let resolved = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        let touches = try input.int()
        let category = try input.signed()
        guard category >= -1, category < Int64(categories) else {
            throw StateReader.Malformed(reason: "category index out of range")
        }
        let priority = try input.optional { (input) throws(StateReader.Malformed) in try decodePriority(&input) }
        let sla = try input.optional { (input) throws(StateReader.Malformed) in
            try decodeClocks(&input, policies: policies)
        }
        let nextStart = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        return KPICollector.EpisodeRecord(
            start: start, previous: Int(previous), channel: channel, firstResponse: firstResponse, resolved: resolved,
            touches: touches, category: Int32(category), priority: priority, sla: sla, nextStart: nextStart)
    }
}
