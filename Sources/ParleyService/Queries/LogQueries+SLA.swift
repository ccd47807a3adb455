import ParleyEvents
import ParleyProjections

/// One open episode whose SLA is breached or at risk.
public struct SLAAlert: Equatable, Sendable {
    /// The conversation as it stands (owner).
    public var conversation: ConversationBook.Conversation
    /// Its open episode (number, priority, start).
    public var episode: Episode
    /// Where its clocks stand at the query's moment.
    public var state: SLAState
    /// The least business time left of its clocks (ns; negative when breached): the first sort key.
    public var leastRemaining: Int64
    /// The nearest deadline of its clocks (ns since the epoch), if any: the second sort key.
    public var nearestDeadline: Int64?
    /// The business-day length (ns) of the policy measuring it, when that policy has one
    /// (``SLAPolicy/businessDayNanos``): lateness reads in business days.
    public var businessDay: Int64?
}

/// The answer of ``LogQueries/slaAlerts(scope:riskWindow:)``.
public struct SLAAnswer: Sendable {
    /// The moment the clocks are judged at (ns since the epoch).
    public var now: Int64
    /// Whether the log holds any valid SLA policy (without one, nothing is ever listed).
    public var hasPolicies: Bool
    /// Breached or at-risk episodes, most urgent first (see ``LogQueries/slaAlerts(scope:riskWindow:)``).
    public var alerts: [SLAAlert]
    /// What became of the checkpoint.
    public var checkpoint: CheckpointReport
}

extension LogQueries {
    /// One hour (ns): a running clock whose deadline falls within it is at risk.
    public static let slaRiskWindow: Int64 = 3_600_000_000_000

    /// Open episodes, measured by a policy, whose first-response or resolution clock is breached, or is
    /// running with its deadline within `riskWindow` of the query's moment. A paused clock is listed only
    /// when breached. Most urgent first: the least business time left (most breached), then the nearest
    /// deadline, then the conversation id.
    /// - Throws: ``ServiceError`` when the log cannot be read.
    public func slaAlerts(scope: QueryScope, riskWindow: Int64 = slaRiskWindow) throws(ServiceError) -> SLAAnswer {
        let (state, checkpoint, now) = try judgedState(scope)
        var book = state.conversations
        var alerts: [SLAAlert] = []
        for conversation in book.all {
            guard let episode = conversation.openEpisode, let sla = book.slaState(of: episode, at: now) else {
                continue
            }
            let clocks = [sla.firstResponse, sla.resolution].compactMap { $0 }
            let flagged = clocks.contains { clock in
                clock.phase == .breached
                    || (clock.phase == .running && clock.deadline.map { $0 <= now &+ riskWindow } == true)
            }
            guard flagged else { continue }
            alerts.append(
                SLAAlert(
                    conversation: conversation, episode: episode, state: sla,
                    leastRemaining: clocks.map(\.remaining).min() ?? 0,
                    nearestDeadline: clocks.compactMap(\.deadline).min(),
                    businessDay: book.businessDayNanos(of: episode)
                ))
        }
        alerts.sort {
            ($0.leastRemaining, $0.nearestDeadline ?? .max, $0.conversation.id)
                < ($1.leastRemaining, $1.nearestDeadline ?? .max, $1.conversation.id)
        }
        return SLAAnswer(now: now, hasPolicies: !book.policies.isEmpty, alerts: alerts, checkpoint: checkpoint)
    }
}
