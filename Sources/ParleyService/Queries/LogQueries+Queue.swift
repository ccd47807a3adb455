import ParleyEvents
import ParleyProjections

/// One open episode in the queue.
public struct QueueRow: Equatable, Sendable {
    /// The conversation as it stands (status, owner, team, priority).
    public var conversation: ConversationBook.Conversation
    /// Its open episode (start, touches).
    public var episode: Episode
    /// Calendar seconds from the episode's start to the query's moment.
    public var waitingSeconds: Double
    /// Where its SLA clocks stand at the query's moment; `nil` when no policy measures it.
    public var sla: SLAState?
}

/// The answer of ``LogQueries/queue(team:owner:scope:)``.
public struct QueueAnswer: Sendable {
    /// The moment the queue is judged at (ns since the epoch).
    public var now: Int64
    /// Whether the log holds any valid SLA policy (then the rows carry SLA clocks).
    public var hasPolicies: Bool
    /// Open episodes, oldest first (then by conversation id).
    public var rows: [QueueRow]
    /// What became of the checkpoint.
    public var checkpoint: CheckpointReport
}

extension LogQueries {
    /// Every conversation with an open episode (open or pending) within `scope`, oldest episode first.
    /// - Parameters:
    ///   - team: only conversations of this team.
    ///   - owner: only conversations owned by this assignee.
    ///   - scope: how much of the log, and the moment waiting times and SLA clocks are judged at.
    /// - Throws: ``ServiceError`` when the log cannot be read.
    public func queue(team: String? = nil, owner: String? = nil, scope: QueryScope) throws(ServiceError)
        -> QueueAnswer
    {
        let (state, checkpoint, now) = try judgedState(scope)
        var book = state.conversations
        let open = OpenEpisodes(book, team: team, owner: owner)
        let hasPolicies = !book.policies.isEmpty
        let rows = open.entries.map { entry in
            QueueRow(
                conversation: entry.conversation, episode: entry.episode,
                waitingSeconds: Duration64.seconds(from: entry.episode.start, to: now).seconds,
                sla: hasPolicies ? book.slaState(of: entry.episode, at: now) : nil)
        }
        return QueueAnswer(now: now, hasPolicies: hasPolicies, rows: rows, checkpoint: checkpoint)
    }
}
