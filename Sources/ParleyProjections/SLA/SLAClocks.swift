/// The SLA clocks of one episode, kept as the log is replayed: which policy measures it, and the business
/// time its first-response and resolution clocks have counted. An episode is measured by the policy in
/// force when it started (docs/PROJECTIONS.md, "SLA policies").
public struct SLAClocks: Equatable, Sendable {
    /// Index of the policy in ``ConversationBook/policies``.
    public var policy: Int
    /// Business time (ns) from the start to the first response; or, for an episode resolved without a
    /// response, to the resolve. `nil` while the clock runs.
    public var responseElapsed: Int64?
    /// Whether the first-response clock was stopped by a response (not by a resolve).
    public var responded = false
    /// Business time (ns) the resolution clock counted before ``runningSince``.
    public var resolutionAccrued: Int64 = 0
    /// Since when the resolution clock runs; `nil` while it is paused (`pending`) or stopped (resolved).
    public var runningSince: Int64?
    /// The latest instant the resolution clock has counted up to (the start, then each pause): a late
    /// `open` dated before it resumes from it, so no stretch of time counts twice.
    public var countedUntil: Int64 = 0

    public init(policy: Int, runningSince: Int64?) {
        self.policy = policy
        self.runningSince = runningSince
    }
}

/// Where one SLA clock stands at a moment.
public struct SLAClockState: Equatable, Sendable {
    public enum Phase: String, Sendable {
        /// Stopped within the target.
        case met
        /// Over the target (stopped or still running).
        case breached
        /// Running, within the target.
        case running
        /// Resolution clock paused while `pending`, within the target.
        case paused
    }

    public var phase: Phase
    /// The target, in business minutes.
    public var targetMinutes: Int64
    /// Business time counted (ns).
    public var elapsed: Int64
    /// For a running clock: the instant (ns) it reaches (or reached) its target; `nil` when paused,
    /// stopped, or beyond ``BusinessCalendar/maxDays``.
    public var deadline: Int64?

    /// Business time left before the target (ns); negative when over it.
    public var remaining: Int64 { targetMinutes * 60_000_000_000 - elapsed }
}

/// The two clocks of an episode at a moment; `nil` where the policy sets no target for the episode's
/// priority (or no response was needed).
public struct SLAState: Equatable, Sendable {
    public var firstResponse: SLAClockState?
    public var resolution: SLAClockState?
}
