import ParleyEvents

/// What the business learns from its conversations (docs/PROJECTIONS.md, "Insights"): one compact record
/// per episode (category, channel, customer, response and resolution times, touches, handling time, its
/// satisfaction score), the compensations given and the orders placed. ``InsightsReport`` turns it into
/// figures per category and per channel. Memory grows with episodes, compensations and orders; no text is
/// kept (a survey's comment is not).
///
/// A `csat_recorded` or `compensation_given` names a conversation; it is attributed to that conversation's
/// latest episode at that moment in log order (the open one, else the last resolved). A conversation with
/// no episode yet has none to take it: the score or compensation is counted apart, as unattributed.
public struct InsightsProjection: Projection {
    public static let section = CheckpointSection(id: 20, version: 1, name: "insights")
    /// The events only: it tells episodes that start and end from the conversation it is handed (no episode
    /// callback, each of which copies the conversation), and orders from the events that name none.
    public static var interests: ProjectionInterests { [.conversationEvents, .otherEvents] }

    /// No name (an index into ``names``).
    static let none: Int32 = -1

    /// One episode, as the insights see it. Names are indices into ``InsightsProjection/names`` (−1: none).
    public struct Record: Equatable, Sendable {
        /// The conversation's ordinal.
        public var conversation: Int
        /// The customer of the conversation's first message.
        public var customer: Int32 = InsightsProjection.none
        /// Event time (ns) of the event that started it.
        public var start: Int64
        /// Whether the conversation had an episode before (a reopen).
        public var isReopen: Bool
        /// Channel of the message that started it (`nil` when a status change did).
        public var channel: Channel?
        /// The conversation's category when it ended (or now, while it is open).
        public var category: Int32 = InsightsProjection.none
        /// Event time (ns) of its first non-automatic reply.
        public var firstResponse: Int64?
        /// Event time (ns) of the `resolved` that ended it.
        public var resolved: Int64?
        /// Non-automatic replies in it.
        public var touches = 0
        /// Start (ns) of the conversation's next episode, if it had one (first-contact resolution).
        public var nextStart: Int64?
        /// The last satisfaction score given for it (1 … 5), 0 for none.
        public var csat: UInt8 = 0
        /// Handling time accrued (ns): open, not pending, owned by a person (docs/PROJECTIONS.md).
        public var handled: Int64 = 0
        /// Since when (ns) handling time runs, while it does.
        public var handlingSince: Int64?
    }

    /// A compensation: the record of the episode it is attributed to (−1: unattributed), what, how much.
    public struct Compensation: Equatable, Sendable {
        public var record: Int
        public var kind: CompensationKind
        /// Index of its currency code in ``InsightsProjection/names``.
        public var currency: Int32
        /// Minor units.
        public var amount: Int
    }

    /// An order: the customer (an index into ``InsightsProjection/names``) and when it was placed (ns).
    public struct Order: Equatable, Sendable {
        public var customer: Int32
        public var at: Int64
    }

    /// Categories, customers and currency codes, in order of first use.
    public internal(set) var names: [String] = []
    var nameIDs: [String: Int32] = [:]
    /// One record per episode, in order of start (log order).
    public internal(set) var records: [Record] = []
    /// Per conversation ordinal: the index of its latest episode's record, −1 for none.
    var latest: [Int] = []
    /// Every compensation, in log order.
    public internal(set) var compensations: [Compensation] = []
    /// Every order, in log order.
    public internal(set) var orders: [Order] = []
    /// Scores for conversations that had no episode yet.
    public internal(set) var unattributedScores = 0

    public init() {}

    /// The name at `index`, if any.
    public func name(_ index: Int32) -> String? { index >= 0 ? names[Int(index)] : nil }

    /// The index of `name`, added when new. `likely`, an index the name often has (the value being replaced),
    /// is compared first: equal short strings compare faster than a lookup hashes.
    mutating func intern(_ name: String?, likely: Int32 = InsightsProjection.none) -> Int32 {
        guard let name else { return Self.none }
        if likely >= 0 && names[Int(likely)] == name { return likely }
        if let id = nameIDs[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        nameIDs[name] = id
        return id
    }

    public mutating func apply(_ event: Event, seq: UInt64, conversation: ConversationBook.Conversation?) {
        if let conversation { return apply(event, seq: seq, in: conversation) }
        if case .orderPlaced(let order) = event.payload {
            orders.append(Order(customer: intern(order.customer), at: event.at.nanoseconds))
        }
    }

    public mutating func apply(_ event: Event, seq: UInt64, in conversation: borrowing ConversationBook.Conversation) {
        let ordinal = conversation.ordinal
        while latest.count <= ordinal { latest.append(-1) }
        let at = event.at.nanoseconds
        var index = latest[ordinal]
        if let episode = conversation.openEpisode {
            if index < 0 || records[index].resolved != nil {
                // The event started an episode.
                var record = Record(
                    conversation: ordinal, start: episode.start, isReopen: episode.isReopen, channel: episode.channel)
                if index >= 0 {
                    records[index].nextStart = episode.start
                    // The conversation's customer (of its first message) never changes; its category seldom.
                    let previous = records[index].customer
                    record.customer = previous >= 0 ? previous : intern(conversation.customer)
                    record.category = intern(conversation.category, likely: records[index].category)
                } else {
                    record.customer = intern(conversation.customer)
                    record.category = intern(conversation.category)
                }
                index = records.count
                latest[ordinal] = index
                records.append(record)
            }
            if records[index].customer < 0, case .messageReceived = event.payload {
                // An episode a status change started gets the customer of the first message.
                records[index].customer = intern(conversation.customer)
            }
            records[index].firstResponse = episode.firstResponse
            records[index].touches = episode.touches
            if case .categorized = event.payload {
                records[index].category = intern(conversation.category, likely: records[index].category)
            }
            Self.accrue(&records[index], at: at, handling: Self.isHandled(conversation))
        } else if index >= 0 && records[index].resolved == nil {
            // Only a `resolved` ends an episode.
            records[index].resolved = at
            records[index].category = intern(conversation.category, likely: records[index].category)
            Self.accrue(&records[index], at: at, handling: false)
        }
        switch event.payload {
        case .csatRecorded(let survey):
            if index >= 0 { records[index].csat = UInt8(clamping: survey.score) } else { unattributedScores += 1 }
        case .compensationGiven(let given):
            compensations.append(
                Compensation(record: index, kind: given.kind, currency: intern(given.currency), amount: given.amount))
        default:
            break
        }
    }

    /// Whether the conversation's open episode is being handled now: not pending, owned by a person.
    static func isHandled(_ conversation: borrowing ConversationBook.Conversation) -> Bool {
        guard let owner = conversation.owner, conversation.status != .pending else { return false }
        return !Router.isBot(owner)
    }

    /// Adds the handling time that ran up to `at` (a stretch that ends before it starts counts 0), and starts
    /// or stops the next stretch.
    static func accrue(_ record: inout Record, at: Int64, handling: Bool) {
        if let since = record.handlingSince {
            record.handled = adding(record.handled, span(from: since, to: at))
            if handling && at <= since { return }
        }
        record.handlingSince = handling ? at : nil
    }

    /// The handling time of `record` at `moment` (ns): what accrued, plus the running stretch up to `moment`.
    static func handled(_ record: Record, at moment: Int64) -> Int64 {
        guard let since = record.handlingSince else { return record.handled }
        return adding(record.handled, span(from: since, to: moment))
    }

    /// `to − from` in ns, 0 when negative, saturating.
    static func span(from: Int64, to: Int64) -> Int64 {
        guard to > from else { return 0 }
        let (delta, overflow) = to.subtractingReportingOverflow(from)
        return overflow ? .max : delta
    }

    /// `a + b`, saturating at the largest value.
    static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
