import ParleyEvents

/// One conversation's whole story, rebuilt by replay: its timeline across channels, its state now, and
/// its episodes with their first response time, resolution time and touches.
public struct ConversationView: Sendable {
    public let id: String
    /// Every event of the conversation, in log order, with texts.
    public private(set) var timeline: [SequencedEvent] = []
    /// Episodes, oldest first; the last one may be open.
    public private(set) var episodes: [Episode] = []
    /// State at the end of the replay.
    public private(set) var state: ConversationBook.Conversation?
    /// Channels its messages came on, in order of first use.
    public private(set) var channels: [Channel] = []
    private var book = ConversationBook()

    /// The latest event time of the events that name a conversation (any conversation) among those the
    /// replay read: the log's traffic, for the moment a historical log is judged at (``replay(id:path:limit:)``).
    public internal(set) var latestTrafficTime: Int64?

    public init(id: String) { self.id = id }

    /// Whether the record belongs to this conversation — checked before decoding texts, so a replay only
    /// builds the bodies of the conversation shown.
    public func wants(_ event: Event) -> Bool {
        if case .policySet = event.payload { return true }  // the SLA clocks need every policy
        return event.payload.conversation == id
    }

    /// Applies one event of this conversation (in log order), with its texts.
    public mutating func apply(_ event: SequencedEvent) {
        guard wants(event.event) else { return }
        guard event.event.payload.conversation != nil else {
            book.apply(event.event, seq: event.seq)
            return
        }
        timeline.append(event)
        if case .messageReceived(let message) = event.event.payload, !channels.contains(message.channel) {
            channels.append(message.channel)
        }
        switch book.apply(event.event, seq: event.seq) {
        case .none, .changed: break  // the open episode is copied from the state below
        case .started(let episode): episodes.append(episode)
        case .ended(let ended): if !episodes.isEmpty { episodes[episodes.count - 1] = ended }
        }
        state = book[id]
        if let open = state?.openEpisode, !episodes.isEmpty { episodes[episodes.count - 1] = open }
    }

    /// The length of one business day under the policy that measures `episode`, when every open day of it
    /// has the same length (``ConversationBook/businessDayNanos(of:)``).
    public func businessDayNanos(of episode: Episode) -> Int64? { book.businessDayNanos(of: episode) }

    /// The events the book set apart for this conversation.
    public var anomalies: ConversationBook.Anomalies { book.anomalies }

    /// Where the SLA clocks of `episode` stand at `now`; `nil` when no policy measures it.
    public mutating func slaState(of episode: Episode, at now: Int64) -> SLAState? {
        book.slaState(of: episode, at: now)
    }

    /// Whether the log mentions the conversation (within the replay's limit).
    public var isFound: Bool { state != nil }

    /// Builds the view of conversation `id` from the log at `path`, within `limit`, in one pass that decodes
    /// the texts of its events only.
    /// - Returns: the view (check ``isFound``) and what the replay read.
    /// - Throws: what ``Replay`` throws.
    public static func replay(id: String, path: String, limit: ReplayLimit = ReplayLimit()) throws -> (
        view: ConversationView, summary: Replay.Summary
    ) {
        var view = ConversationView(id: id)
        // The view's own filter, on a copy: `view` changes in the body.
        let filter = ConversationView(id: id).wants
        var latest: Int64?
        let wanted = { (event: Event) -> Bool in
            if event.payload.conversation != nil, event.at.nanoseconds > latest ?? .min {
                latest = event.at.nanoseconds
            }
            return filter(event)
        }
        var summary = try Replay.run(path: path, limit: limit, wants: wanted) { view.apply($0) }
        if view.metRetroactivePolicy {
            // A retroactive policy: again, knowing every policy up front (``PolicyTimeline``).
            var again = view.knowingPolicies()
            summary = try Replay.run(path: path, limit: limit, wants: filter) { again.apply($0) }
            view = again
        }
        view.latestTrafficTime = latest
        return (view, summary)
    }

    /// Whether a policy the replay met should have measured an episode it had already replayed
    /// (``PolicyTimeline``): the view is then built again by ``knowingPolicies()``.
    var metRetroactivePolicy: Bool { book.policyTimeline.metRetroactivePolicy }

    /// A new, empty view of the same conversation whose book knows, from the start, every policy this one met.
    func knowingPolicies() -> ConversationView {
        var view = ConversationView(id: id)
        view.book = ConversationBook(knowingPoliciesOf: book)
        return view
    }
}
