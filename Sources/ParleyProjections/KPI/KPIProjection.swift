import ParleyEvents

/// What the KPI report needs, gathered during replay: one compact record per episode, message counts per
/// quarter-hour of UTC time (so that a report can cut days in any time zone exactly: every zone's offset
/// is a whole number of quarter-hours) and each customer's value tier. Memory grows with conversations,
/// episodes and the quarter-hours that saw messages, never with message bodies.
public struct KPIProjection: Projection {
    public static let section = CheckpointSection(id: 16, version: 2, name: "kpi")

    /// An episode reduced to what the KPIs use.
    struct EpisodeRecord: Sendable {
        var start: Int64
        /// Index in `episodes` of the same conversation's episode before this one (-1: its first). Ties the
        /// episodes of one conversation together, so that the backlog counts conversations, not episodes.
        var previous: Int
        var channel: Channel?
        var firstResponse: Int64?
        var resolved: Int64?
        var touches: Int
        /// Index into `categories` (-1: none).
        var category: Int32
        /// Priority when it ended (or now, if open).
        var priority: Priority?
        /// SLA clocks, when a policy measures it.
        var sla: SLAClocks?
        /// Start of the conversation's next episode, if it had one (for first-contact resolution).
        var nextStart: Int64?
        /// The conversation's team and owner when it ended (or now, if open): ids in `teams`, `agents`.
        var team: Int32 = -1
        var agent: Int32 = -1
        /// The conversation's customer (id in `customers`; -1: none known yet).
        var customer: Int32 = -1
        /// The customer's tier when it ended (id in `tiers`); for an open episode the report reads the
        /// customer's tier now.
        var tier: Int32 = -1

        /// An episode on a conversation that had one before.
        var isReopen: Bool { previous >= 0 }
    }

    var episodes: [EpisodeRecord] = []
    /// Index in `episodes` of each conversation's latest episode, by conversation ordinal (-1: none).
    var latestEpisode: [Int] = []
    var categories: [String] = []
    var categoryIDs: [String: Int32] = [:]
    var teams = NameTable()
    var agents = NameTable()
    var tiers = NameTable()
    var customers = NameTable()
    /// Each customer's tier (id in `tiers`, -1: none), from its latest `customer_profile`; by customer id.
    var customerTiers: [Int32] = []

    /// Nanoseconds in one message-count slot: a quarter of an hour.
    static let slotNanos: Int64 = 900 * 1_000_000_000
    /// `message_received` per quarter-hour slot of UTC time (slot n starts n × 15 min after the epoch), per
    /// channel (raw value).
    var messagesPerSlot: [Int64: [Int]] {
        var result: [Int64: [Int]] = [:]
        for (slot, position) in slotPositions { result[slot] = slotCounts[position] }
        return result
    }
    /// Counts by slot: `slotCounts[slotPositions[slot]][channel]`, with the last slot used cached, since
    /// events mostly come in time order.
    private var slotPositions: [Int64: Int] = [:]
    var slotCounts: [[Int]] = []
    private var lastSlot: Int64 = .min
    private var lastPosition = -1

    public init() {}

    /// Sets the counts of one slot (checkpoint loading).
    /// - Returns: `false` if the slot already had counts.
    mutating func setMessages(_ counts: [Int], slot: Int64) -> Bool {
        guard slotPositions[slot] == nil else { return false }
        slotPositions[slot] = slotCounts.count
        slotCounts.append(counts)
        return true
    }

    public mutating func apply(_ event: Event, seq: UInt64, conversation: ConversationBook.Conversation?) {
        guard let conversation else {
            if case .customerProfile(let profile) = event.payload { setTier(profile.tier, of: profile.customer) }
            return
        }
        count(event, key: conversation.ordinal)
    }

    /// A customer's latest profile sets its tier (none if the profile gives none).
    mutating func setTier(_ tier: String?, of customer: String) {
        let id = Int(customers.intern(customer))
        while customerTiers.count <= id { customerTiers.append(-1) }
        customerTiers[id] = tiers.intern(tier)
    }

    /// The tier of customer `id` now (-1: none).
    func tier(ofCustomer id: Int32) -> Int32 {
        id >= 0 && Int(id) < customerTiers.count ? customerTiers[Int(id)] : -1
    }

    /// Counts a message in its slot, and follows what the records keep of the conversation `key` (its
    /// owner, team and customer) while its latest episode is open.
    @inline(__always)
    mutating func count(_ event: Event, key: Int) {
        switch event.payload {
        case .messageReceived(let message):
            let slot = Bucketing.floorDiv(event.at.nanoseconds, Self.slotNanos)
            if slot != lastSlot || lastPosition < 0 {
                lastSlot = slot
                if let position = slotPositions[slot] {
                    lastPosition = position
                } else {
                    lastPosition = slotCounts.count
                    slotPositions[slot] = lastPosition
                    slotCounts.append([Int](repeating: 0, count: Channel.allCases.count))
                }
            }
            slotCounts[lastPosition][Int(message.channel.rawValue)] += 1
            // An episode a status change started learns its customer from the first message (as the book).
            if key < latestEpisode.count, latestEpisode[key] >= 0, episodes[latestEpisode[key]].customer < 0 {
                episodes[latestEpisode[key]].customer = customers.intern(message.customer)
            }
        case .assigned(let assignment):
            guard let position = openRecord(key) else { return }
            episodes[position].agent = agents.intern(assignment.assignee)
            if let team = assignment.team { episodes[position].team = teams.intern(team) }
        case .routed(let routed):
            guard let team = routed.team, let position = openRecord(key) else { return }
            episodes[position].team = teams.intern(team)
        default:
            return
        }
    }

    /// The record of conversation `key`'s open episode, if it has one.
    private func openRecord(_ key: Int) -> Int? {
        guard key < latestEpisode.count, latestEpisode[key] >= 0, episodes[latestEpisode[key]].resolved == nil
        else { return nil }
        return latestEpisode[key]
    }

    public mutating func episodeStarted(_ episode: Episode, conversation: ConversationBook.Conversation) {
        started(
            episode, key: conversation.ordinal, team: conversation.team, owner: conversation.owner,
            customer: conversation.customer)
    }

    public mutating func episodeChanged(_ episode: Episode, conversation: ConversationBook.Conversation) {
        changed(episode, key: conversation.ordinal)
    }

    public mutating func episodeEnded(_ episode: Episode, conversation: ConversationBook.Conversation) {
        changed(episode, key: conversation.ordinal)
    }

    // The engine's direct calls: the conversation's ordinal and the few fields the record keeps (the
    // engine then copies no conversation).

    @inline(__always)
    mutating func started(_ episode: Episode, key: Int, team: String?, owner: String?, customer: String?) {
        while latestEpisode.count <= key { latestEpisode.append(-1) }
        let previous = latestEpisode[key]
        if previous >= 0 { episodes[previous].nextStart = episode.start }
        latestEpisode[key] = episodes.count
        episodes.append(
            EpisodeRecord(
                start: episode.start, previous: previous, channel: nil, firstResponse: nil, resolved: nil, touches: 0,
                category: -1, priority: nil, sla: nil, nextStart: nil, team: teams.intern(team),
                agent: agents.intern(owner), customer: customers.intern(customer)))
        Self.update(&episodes[episodes.count - 1], from: episode, categories: &categories, categoryIDs: &categoryIDs)
    }

    /// The episode changed or ended. Records of open episodes are kept up to date, so a report needs no
    /// conversation.
    @inline(__always)
    mutating func changed(_ episode: Episode, key: Int) {
        let position = latestEpisode[key]
        Self.update(&episodes[position], from: episode, categories: &categories, categoryIDs: &categoryIDs)
        if episode.resolved != nil { episodes[position].tier = tier(ofCustomer: episodes[position].customer) }
    }

    /// Copies what the report uses of `episode` into its record. Static, with the parts it changes passed
    /// in, so that the record is changed in place.
    private static func update(
        _ record: inout EpisodeRecord, from episode: Episode, categories: inout [String],
        categoryIDs: inout [String: Int32]
    ) {
        record.channel = episode.channel
        record.firstResponse = episode.firstResponse
        record.touches = episode.touches
        record.resolved = episode.resolved
        record.priority = episode.priority
        record.sla = episode.sla
        // Interned only when it changed: most updates are replies, which leave the category alone.
        let current = record.category >= 0 ? categories[Int(record.category)] : nil
        if current != episode.category {
            record.category = intern(episode.category, categories: &categories, categoryIDs: &categoryIDs)
        }
    }

    private static func intern(_ category: String?, categories: inout [String], categoryIDs: inout [String: Int32])
        -> Int32
    {
        guard let category else { return -1 }
        if let id = categoryIDs[category] { return id }
        let id = Int32(categories.count)
        categories.append(category)
        categoryIDs[category] = id
        return id
    }
}
