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
    /// The business-day length (ns) of the policy measuring it, when that policy has one
    /// (``SLAPolicy/businessDayNanos``): lateness reads in business days.
    public var businessDay: Int64?
}

/// Why a filtered `queue` lists nothing, with what the log does hold (for a message that helps).
public enum QueueFilterMiss: Equatable, Sendable {
    /// No conversation, agent or rule of the log names this team; `known` are the teams that are named,
    /// in UTF-8 order.
    case unknownTeam(String, known: [String])
    /// No conversation was ever owned by this owner, nor does routing know it; `known` are the owners that
    /// are known (UTF-8 order), `suggestions` those that end in `:` + the name (`agent:maria` for `maria`)
    /// or differ from it only in case.
    case unknownOwner(String, known: [String], suggestions: [String])
    /// The team and owner asked for exist, but no open episode matches them.
    case nothingOpen(team: String?, owner: String?)
}

/// The answer of ``LogQueries/queue(team:owner:limit:scope:)``.
public struct QueueAnswer: Sendable {
    /// The moment the queue is judged at (ns since the epoch).
    public var now: Int64
    /// Whether the log holds any valid SLA policy (then the rows carry SLA clocks).
    public var hasPolicies: Bool
    /// Open episodes, oldest first (then by conversation id); at most the limit asked for.
    public var rows: [QueueRow]
    /// How many open episodes match the filters (``rows`` may hold fewer, with a limit).
    public var total: Int
    /// When filters were given and nothing matches: why (the team or owner is unknown, or nothing of
    /// theirs is open). `nil` otherwise.
    public var filterMiss: QueueFilterMiss?
    /// What became of the checkpoint.
    public var checkpoint: CheckpointReport
}

extension LogQueries {
    /// Every conversation with an open episode (open or pending) within `scope`, oldest episode first.
    /// - Parameters:
    ///   - team: only conversations of this team.
    ///   - owner: only conversations owned by this assignee.
    ///   - limit: at most this many rows (the oldest); `nil`: all. ``QueueAnswer/total`` counts them all.
    ///   - scope: how much of the log, and the moment waiting times and SLA clocks are judged at.
    /// - Throws: ``ServiceError`` when the log cannot be read.
    public func queue(team: String? = nil, owner: String? = nil, limit: Int? = nil, scope: QueryScope)
        throws(ServiceError) -> QueueAnswer
    {
        let (state, checkpoint, now) = try judgedState(scope)
        var book = state.conversations
        let open = OpenEpisodes(book, team: team, owner: owner)
        let hasPolicies = !book.policies.isEmpty
        var rows: [QueueRow] = []
        for entry in open.entries.prefix(max(0, limit ?? .max)) {
            rows.append(
                QueueRow(
                    conversation: entry.conversation, episode: entry.episode,
                    waitingSeconds: Duration64.seconds(from: entry.episode.start, to: now).seconds,
                    sla: hasPolicies ? book.slaState(of: entry.episode, at: now) : nil,
                    businessDay: book.businessDayNanos(of: entry.episode)))
        }
        var miss: QueueFilterMiss?
        if open.entries.isEmpty, team != nil || owner != nil {
            miss = Self.filterMiss(team: team, owner: owner, state: state)
        }
        return QueueAnswer(
            now: now, hasPolicies: hasPolicies, rows: rows, total: open.entries.count, filterMiss: miss,
            checkpoint: checkpoint)
    }

    /// Why `team` / `owner` match no open episode: the names the replayed state knows (the teams and owners
    /// of conversations, and the agents and their teams routing knows) against those asked for.
    static func filterMiss(team: String?, owner: String?, state: ProjectionState) -> QueueFilterMiss {
        var teams = Set(state.conversations.all.compactMap(\.team))
        var owners = Set(state.conversations.all.compactMap(\.owner))
        if let router = state.router {
            for (id, agent) in router.agents {
                owners.insert(id)
                teams.formUnion(agent.teams)
            }
        }
        if let team, !teams.contains(team) {
            return .unknownTeam(team, known: teams.sorted(by: precedes))
        }
        if let owner, !owners.contains(owner) {
            let folded = owner.lowercased()
            let suggestions = owners.filter { known in
                let lowered = known.lowercased()
                return lowered == folded || lowered.hasSuffix(":" + folded)
            }
            return .unknownOwner(
                owner, known: owners.sorted(by: precedes), suggestions: suggestions.sorted(by: precedes))
        }
        return .nothingOpen(team: team, owner: owner)
    }
}
