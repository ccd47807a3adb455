/// The handling figures of a set of episodes (docs/PROJECTIONS.md, "Handling figures"): bot containment,
/// escalations, the time from an escalation to the first human reply, and owner changes.
public struct HandlingFigures: Equatable, Sendable {
    /// Episodes started.
    public var episodes = 0
    /// Of those, resolved.
    public var resolved = 0
    /// Resolved episodes a bot handled (owned, or replied in, at some point): containment's denominator.
    public var botHandled = 0
    /// Of those, resolved with no human reply.
    public var contained = 0
    /// Episodes with at least one `escalated`.
    public var escalated = 0
    /// Of those, with no human reply after the escalation yet.
    public var awaitingHuman = 0
    /// From an episode's first `escalated` to the first human reply after it (seconds, calendar time).
    public var timeToHuman = DurationStats([])
    /// Owner changes after the first owner, in every episode counted.
    public var reassignments = 0
    /// Owner changes in the resolved episodes.
    public var reassignmentsResolved = 0

    /// Contained / bot-handled resolved episodes; `nil` when a bot handled none.
    public var containment: Double? { botHandled > 0 ? Double(contained) / Double(botHandled) : nil }
    /// Escalated / episodes started; `nil` without episodes.
    public var escalationRate: Double? { episodes > 0 ? Double(escalated) / Double(episodes) : nil }
    /// Mean owner changes per resolved episode; `nil` when none is resolved.
    public var reassignmentsPerResolved: Double? {
        resolved > 0 ? Double(reassignmentsResolved) / Double(resolved) : nil
    }

    /// The figures of `records`, in order (the order only matters to the mean of ``timeToHuman``).
    init<Records: Sequence>(_ records: Records) where Records.Element == HandlingProjection.Record {
        var waits: [Double] = []
        for record in records {
            episodes += 1
            reassignments += record.reassignments
            if record.resolved != nil {
                resolved += 1
                reassignmentsResolved += record.reassignments
                if record.botHandled {
                    botHandled += 1
                    if record.humanReplies == 0 { contained += 1 }
                }
            }
            if let escalated = record.escalated {
                self.escalated += 1
                if let human = record.firstHumanAfterEscalation {
                    waits.append(Duration64.seconds(from: escalated, to: human).seconds)
                } else {
                    awaitingHuman += 1
                }
            }
        }
        timeToHuman = DurationStats(waits)
    }
}

/// One agent's (or bot's) part in the episodes counted.
public struct AgentHandling: Equatable, Sendable {
    /// The agent's id.
    public var agent: String
    /// Resolved episodes they owned when the episode was resolved.
    public var resolvedOwned = 0
    /// Human replies they sent inside episodes (0 for a bot).
    public var humanReplies = 0
    /// Their first responses: from the episode's start to their reply, the first non-automatic one in it.
    public var firstResponses = DurationStats([])
    /// Episodes taken from them by an `assigned` to someone else.
    public var reassignedAway = 0

    /// An agent with nothing counted yet.
    public init(agent: String) { self.agent = agent }
}

/// One team's figures: its episodes are those whose conversation was in the team when the episode was
/// resolved (or now, while it is open).
public struct TeamHandling: Equatable, Sendable {
    /// The team; `nil` for episodes of no team.
    public var team: String?
    /// Its figures.
    public var figures: HandlingFigures
}
