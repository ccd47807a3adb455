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
        /// The conversation's customer, as ``customerKey(_:)`` (0: none known yet).
        var customer: UInt64 = 0
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
    /// The tier (id in `tiers`, -1: none) of each customer that has a `customer_profile`, from its latest
    /// one, by ``customerKey(_:)``. Only profiled customers are here: records keep a key, not the id, so
    /// that neither the replay nor a checkpoint carries every customer id.
    var customerTiers: [UInt64: Int32] = [:]

    /// Nanoseconds in one message-count slot: a quarter of an hour.
    static let slotNanos: Int64 = 900 * 1_000_000_000
    /// `message_received` per quarter-hour slot of UTC time (slot n starts n × 15 min after the epoch), per
    /// channel (raw value).
    var messagesPerSlot: [Int64: [Int]] {
        var result: [Int64: [Int]] = [:]
        for (position, slot) in slotKeys.enumerated() { result[slot] = Array(counts(at: position)) }
        return result
    }
    /// Channels per slot in `slotCounts`.
    static let channels = Channel.allCases.count
    /// Counts by slot, flat: slot `slotKeys[p]` has `slotCounts[p * channels + channel]`; `slotPositions`
    /// finds `p`, with the last slot used cached, since events mostly come in time order. Flat, so that a
    /// year of quarter-hours (35,000 slots) costs no allocation each.
    private var slotPositions: [Int64: Int] = [:]
    private(set) var slotKeys: [Int64] = []
    private(set) var slotCounts: [Int] = []
    private var lastSlot: Int64 = .min
    private var lastPosition = -1

    public init() {}

    /// The counts per channel of the slot at `position`.
    func counts(at position: Int) -> ArraySlice<Int> {
        slotCounts[position * Self.channels..<(position + 1) * Self.channels]
    }

    /// Sets the counts of one slot (checkpoint loading).
    /// - Returns: `false` if the slot already had counts.
    mutating func setMessages(_ counts: some Collection<Int>, slot: Int64) -> Bool {
        guard slotPositions[slot] == nil, counts.count == Self.channels else { return false }
        slotPositions[slot] = slotKeys.count
        slotKeys.append(slot)
        slotCounts.append(contentsOf: counts)
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
        customerTiers[Self.customerKey(customer)] = tiers.intern(tier)
    }

    /// The tier of the customer with key `key` now (-1: none).
    func tier(ofCustomer key: UInt64) -> Int32 {
        guard key != 0, !customerTiers.isEmpty else { return -1 }
        return customerTiers[key] ?? -1
    }

    /// A customer id's key: its 64-bit FNV-1a hash over UTF-8 (stable across runs, unlike `Hasher`), never
    /// 0; 0 for none. Two ids with one key (about one chance in 10⁹ among 200,000 profiled customers)
    /// would share a tier.
    static func customerKey(_ id: String?) -> UInt64 {
        guard let id else { return 0 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash == 0 ? 1 : hash
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
                    lastPosition = slotKeys.count
                    slotPositions[slot] = lastPosition
                    slotKeys.append(slot)
                    slotCounts.append(contentsOf: repeatElement(0, count: Self.channels))
                }
            }
            slotCounts[lastPosition &* Self.channels &+ Int(message.channel.rawValue)] += 1
            // An episode a status change started learns its customer from the first message (as the book).
            if key < latestEpisode.count, latestEpisode[key] >= 0, episodes[latestEpisode[key]].customer == 0 {
                episodes[latestEpisode[key]].customer = Self.customerKey(message.customer)
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
                agent: agents.intern(owner), customer: Self.customerKey(customer)))
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
