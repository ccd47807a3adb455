/// When each SLA policy takes effect, and which episodes each measures (docs/PROJECTIONS.md, "SLA
/// policies"). A `policy_set`'s event time (`at`) is when it takes effect; an episode is measured by the
/// policy in force at its start: the one with the greatest effect time at or before the start (on a tie,
/// the later in log order), whatever order the log holds them in.
///
/// A replay meets policies in log order. One that should measure an episode already replayed is
/// *retroactive*: that episode was measured without it. The book cannot fix
/// them in place; it records the fact (``metRetroactivePolicy``) and the replay starts over with every
/// policy known up front (``ConversationBook/init(knowingPoliciesOf:)``).
public struct PolicyTimeline: Equatable, Sendable {
    /// What one policy measures.
    public struct Coverage: Equatable, Sendable {
        /// Episodes it measures (started while it was in force).
        public var episodes = 0
        /// Earliest and latest start (ns) of those episodes.
        public var starts: ClosedRange<Int64>?

        public init() {}
    }

    /// Effect time (ns) of each policy, by index in ``ConversationBook/policies``.
    public internal(set) var effectTimes: [Int64] = []
    /// What each policy measures, by the same index.
    public internal(set) var coverage: [Coverage] = []
    /// Earliest and latest start (ns) of every episode replayed.
    public internal(set) var episodeStarts: ClosedRange<Int64>?
    /// The episodes no policy measures.
    public internal(set) var unmeasured = Coverage()
    /// Whether a retroactive policy was applied in log order: the SLA clocks of the episodes it should
    /// measure are wrong until the log is replayed knowing it. Such a state is never saved as a checkpoint.
    public internal(set) var metRetroactivePolicy = false
    /// Policies known up front (replay with every policy known) that the replay has not met yet in log
    /// order: the next valid `policy_set` met is one of them, not a new one.
    var preloaded = 0

    public init() {}

    /// The policy in force at `time` (ns): the greatest effect time at or before it, the later in log
    /// order on a tie.
    public func policy(inForceAt time: Int64) -> Int? {
        var best: Int?
        for (index, effect) in effectTimes.enumerated() where effect <= time {
            if let current = best, effectTimes[current] > effect { continue }
            best = index
        }
        return best
    }

    /// The policy in force after `index`'s effect time: the next effect time, if any (ties: the later
    /// in log order).
    public func nextEffectTime(after index: Int) -> Int64? {
        let effect = effectTimes[index]
        var next: Int64?
        for (other, time) in effectTimes.enumerated() where other != index {
            if time > effect || (time == effect && other > index) { next = min(next ?? .max, time) }
        }
        return next
    }

    /// Records a policy met in log order, taking effect at `effect`.
    /// - Returns: `true` when it is new (append its calendar), `false` when it was known up front.
    mutating func add(effect: Int64) -> Bool {
        if preloaded > 0 {
            preloaded -= 1
            return false
        }
        // The policy in force at `effect` so far measures episodes from its own effect time up to the next
        // one after `effect`: the new policy takes those that start at or after `effect`.
        let current = policy(inForceAt: effect).map { coverage[$0] } ?? unmeasured
        if let starts = current.starts, starts.upperBound >= effect { metRetroactivePolicy = true }
        effectTimes.append(effect)
        coverage.append(Coverage())
        return true
    }

    /// Records an episode starting at `start` and returns the policy that measures it.
    mutating func episodeStarted(at start: Int64) -> Int? {
        episodeStarts = Self.widen(episodeStarts, to: start)
        guard let policy = policy(inForceAt: start) else {
            unmeasured.episodes += 1
            unmeasured.starts = Self.widen(unmeasured.starts, to: start)
            return nil
        }
        coverage[policy].episodes += 1
        coverage[policy].starts = Self.widen(coverage[policy].starts, to: start)
        return policy
    }

    private static func widen(_ range: ClosedRange<Int64>?, to time: Int64) -> ClosedRange<Int64> {
        guard let range else { return time...time }
        return min(range.lowerBound, time)...max(range.upperBound, time)
    }

    /// The timeline of a replay that starts over knowing `other`'s policies: their effect times, nothing
    /// measured yet.
    init(knowing other: PolicyTimeline) {
        effectTimes = other.effectTimes
        coverage = Array(repeating: Coverage(), count: other.effectTimes.count)
        preloaded = other.effectTimes.count
    }

    /// Restores a timeline from a checkpoint.
    init(effectTimes: [Int64], coverage: [Coverage], episodeStarts: ClosedRange<Int64>?, unmeasured: Coverage) {
        self.effectTimes = effectTimes
        self.coverage = coverage
        self.episodeStarts = episodeStarts
        self.unmeasured = unmeasured
    }
}
