import ParleyEvents

/// One person across every customer id linked to the one asked for (`customer_linked`, directly or
/// through others) and every conversation any of those ids took part in (sent a message in), whoever
/// started it. The answer is the same whichever of the person's ids is asked for.
///
/// Built in two passes over the log: a ``Finder`` reads every event without texts and learns the links and
/// who wrote in which conversation; the view it makes then takes, with texts, the events its ``wants(_:)``
/// accepts. ``replay(id:path:limit:)`` runs both.
public struct CustomerView: Sendable {
    /// The id asked for.
    public let id: String
    /// Every id of the person, sorted in UTF-8 byte order (the id asked for among them).
    public let ids: [String]
    /// The person's conversations, sorted by id (UTF-8 byte order).
    public internal(set) var conversations: [ConversationView]
    /// The latest event time of the events that name a conversation (any conversation) in the first pass:
    /// the log's traffic, for the moment a historical log is judged at.
    public internal(set) var latestTrafficTime: Int64?
    /// Messages and replies of those conversations, in log order, with texts (messages by other customers
    /// in a shared conversation included).
    public private(set) var timeline: [SequencedEvent] = []
    /// Channels the person's own messages came on, in order of first use.
    public private(set) var channels: [Channel] = []
    private let idSet: Set<String>
    private let positions: [String: Int]

    /// Whether the log knows the person: one of their ids wrote a message or was linked to another.
    public var isFound: Bool { !conversations.isEmpty || ids.count > 1 }

    init(id: String, ids: [String], conversations: [String]) {
        self.id = id
        self.ids = ids
        idSet = Set(ids)
        let sorted = conversations.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.conversations = sorted.map { ConversationView(id: $0) }
        positions = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
    }

    /// Whether the second pass needs the texts of `event`: it belongs to one of the person's conversations,
    /// or it sets a policy (the conversations' SLA clocks need every policy).
    public func wants(_ event: Event) -> Bool {
        if case .policySet = event.payload { return true }
        return event.payload.conversation.map { positions[$0] != nil } ?? false
    }

    /// Applies one event of the second pass (in log order), with its texts.
    public mutating func apply(_ event: SequencedEvent) {
        guard wants(event.event) else { return }
        guard let conversation = event.event.payload.conversation else {
            // A policy: every conversation's clocks follow it.
            for index in conversations.indices { conversations[index].apply(event) }
            return
        }
        guard let position = positions[conversation] else { return }
        conversations[position].apply(event)
        switch event.event.payload {
        case .messageReceived(let message):
            timeline.append(event)
            if idSet.contains(message.customer), !channels.contains(message.channel) {
                channels.append(message.channel)
            }
        case .replySent:
            timeline.append(event)
        default:
            break
        }
    }

    /// The first pass: every event, without texts, in log order.
    public struct Finder: Sendable {
        private var directory = CustomerDirectory()
        /// The conversations each customer id sent a message in (a conversation listed once per run of
        /// messages; duplicates are removed by ``view(of:)``).
        private var conversationsOf: [String: [String]] = [:]

        public init() {}

        /// Applies one event (in log order).
        public mutating func apply(_ event: Event) {
            switch event.payload {
            case .customerLinked(let link):
                directory.link(link.customer, link.sameAs)
            case .messageReceived(let message):
                if conversationsOf[message.customer]?.last != message.conversation {
                    conversationsOf[message.customer, default: []].append(message.conversation)
                }
            default:
                break
            }
        }

        /// The view of the person `id` belongs to, ready for the second pass.
        public mutating func view(of id: String) -> CustomerView {
            let ids = directory.ids(of: id)
            var conversations = Set<String>()
            for customer in ids { conversations.formUnion(conversationsOf[customer] ?? []) }
            return CustomerView(id: id, ids: ids, conversations: Array(conversations))
        }
    }

    /// Builds the view of the person `id` belongs to from the log at `path`, in two passes within `limit`
    /// (the second never reads past the last event the first one saw, so the log growing in between changes
    /// nothing).
    /// - Returns: the view (check ``isFound``) and what the first pass read.
    /// - Throws: what ``Replay`` throws.
    public static func replay(id: String, path: String, limit: ReplayLimit = ReplayLimit()) throws -> (
        view: CustomerView, summary: Replay.Summary
    ) {
        var finder = Finder()
        var latest: Int64?
        let summary = try Replay.run(path: path, limit: limit) { event, _ in
            if event.payload.conversation != nil, event.at.nanoseconds > latest ?? .min {
                latest = event.at.nanoseconds
            }
            finder.apply(event)
        }
        var view = finder.view(of: id)
        view.latestTrafficTime = latest
        guard !view.conversations.isEmpty else { return (view, summary) }
        var second = limit
        second.untilSeq = min(limit.untilSeq ?? .max, summary.lastSeq)
        let wanted = view.wants
        _ = try Replay.run(path: path, limit: second, wants: wanted) { view.apply($0) }
        if view.conversations.contains(where: \.metRetroactivePolicy) {
            // A retroactive policy (``PolicyTimeline``): the second pass again, every book knowing every policy.
            var again = finder.view(of: id)
            again.conversations = view.conversations.map { $0.knowingPolicies() }
            again.latestTrafficTime = latest
            _ = try Replay.run(path: path, limit: second, wants: wanted) { again.apply($0) }
            view = again
        }
        return (view, summary)
    }
}
