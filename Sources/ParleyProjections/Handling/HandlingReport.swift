/// The handling report of `parley kpi` (docs/PROJECTIONS.md, "Handling figures"): totals, and the figures
/// per agent and per team, from a ``HandlingProjection``.
public struct HandlingReport: Equatable, Sendable {
    /// The figures of every episode counted.
    public var totals: HandlingFigures
    /// Per agent (or bot) named as the owner of a resolved episode, the author of a first response or a
    /// human reply, or an owner an episode was taken from; sorted by id (UTF-8 order).
    public var agents: [AgentHandling]
    /// Per team (episodes of no team last), sorted by name (UTF-8 order).
    public var teams: [TeamHandling]
    /// With a KPI query, the figures of each of the KPI report's buckets (the episodes that started in it),
    /// in the same order; empty otherwise.
    public var buckets: [HandlingFigures] = []
    /// Whether the log (within the scope) has an `assigned` or an `escalated` event: without one, `kpi`
    /// prints no handling figures unless asked for them.
    public var hasHandlingEvents: Bool

    /// The report of `state`, its episodes filtered as `query` filters the KPI report's (channel, category,
    /// buckets from `from` to `to`, in the query's time zone); `nil` when the handling section is not loaded,
    /// a date bound is not `YYYY-MM-DD` or the zone is unknown. Replies and reassignments per agent are
    /// counted over every episode. With `buckets` (a KPI report's), ``buckets`` holds the figures of the
    /// episodes that started in each of them; otherwise of each bucket from the first event to the last.
    public static func make(from state: ProjectionState, query: KPIReport.Query? = nil, buckets: [BucketKPIs]? = nil)
        -> HandlingReport?
    {
        guard let handling = state.projection(HandlingProjection.self) else { return nil }
        return make(from: handling, query: query, eventTimes: state.engine.eventTimes, buckets: buckets)
    }

    /// The report of `handling`, its episodes filtered by `query`; `nil` when a date bound is not a date.
    static func make(
        from handling: HandlingProjection, query: KPIReport.Query?, eventTimes: ClosedRange<Int64>?,
        buckets kpiBuckets: [BucketKPIs]? = nil
    ) -> HandlingReport? {
        var kept = handling.records
        var buckets: [HandlingFigures] = []
        if let query {
            guard var bucketing = ZonedBucketing(query.size, timeZone: query.timeZone) else { return nil }
            var first = Int64.min
            var last = Int64.max
            if let from = query.from {
                guard let index = bucketing.index(ofDate: from) else { return nil }
                first = index
            }
            if let to = query.to {
                guard let index = bucketing.index(ofDate: to) else { return nil }
                last = index
            }
            let category = query.category
            kept = kept.filter { record in
                if let channel = query.channel, record.channel != channel { return false }
                if let category, handling.name(record.category) != category { return false }
                let bucket = bucketing.index(of: record.start)
                return bucket >= first && bucket <= last
            }
            if let kpiBuckets {
                // The KPI report's buckets, by their instants (sorted, adjacent).
                var perBucket = [[HandlingProjection.Record]](repeating: [], count: kpiBuckets.count)
                for record in kept {
                    var low = 0
                    var high = kpiBuckets.count
                    while low < high {
                        let mid = (low + high) / 2
                        if kpiBuckets[mid].end <= record.start { low = mid + 1 } else { high = mid }
                    }
                    if low < kpiBuckets.count, kpiBuckets[low].start <= record.start {
                        perBucket[low].append(record)
                    }
                }
                buckets = perBucket.map { HandlingFigures($0) }
            } else if let eventTimes {
                // The KPI report's buckets: from the first bound (or event) to the last.
                let low = query.from == nil ? bucketing.index(of: eventTimes.lowerBound) : first
                let high = query.to == nil ? bucketing.index(of: eventTimes.upperBound) : last
                var perBucket = [[HandlingProjection.Record]](
                    repeating: [], count: high >= low ? Int(high - low + 1) : 0)
                for record in kept {
                    let bucket = bucketing.index(of: record.start)
                    if bucket >= low && bucket <= high { perBucket[Int(bucket - low)].append(record) }
                }
                buckets = perBucket.map { HandlingFigures($0) }
            }
        }
        return HandlingReport(
            totals: HandlingFigures(kept), agents: agents(of: handling, kept), teams: teams(of: handling, kept),
            buckets: buckets, hasHandlingEvents: handling.assignedEvents > 0 || handling.escalatedEvents > 0)
    }

    private static func agents(of handling: HandlingProjection, _ records: [HandlingProjection.Record])
        -> [AgentHandling]
    {
        var owned = [Int](repeating: 0, count: handling.names.count)
        var responses = [[Double]](repeating: [], count: handling.names.count)
        for record in records {
            if record.resolved != nil, record.owner >= 0 { owned[Int(record.owner)] += 1 }
            if let response = record.firstResponse, record.firstResponder >= 0 {
                responses[Int(record.firstResponder)].append(
                    Duration64.seconds(from: record.start, to: response).seconds)
            }
        }
        var result: [AgentHandling] = []
        for (index, name) in handling.names.enumerated() {
            let counts = handling.agentCounts(index)
            guard owned[index] > 0 || !responses[index].isEmpty || counts.humanReplies > 0 || counts.reassignedAway > 0
            else { continue }
            var agent = AgentHandling(agent: name)
            agent.resolvedOwned = owned[index]
            agent.humanReplies = counts.humanReplies
            agent.firstResponses = DurationStats(responses[index])
            agent.reassignedAway = counts.reassignedAway
            result.append(agent)
        }
        return result.sorted { $0.agent.utf8.lexicographicallyPrecedes($1.agent.utf8) }
    }

    private static func teams(of handling: HandlingProjection, _ records: [HandlingProjection.Record])
        -> [TeamHandling]
    {
        var byTeam: [Int32: [HandlingProjection.Record]] = [:]
        for record in records { byTeam[record.team, default: []].append(record) }
        let teams = byTeam.map { TeamHandling(team: handling.name($0.key), figures: HandlingFigures($0.value)) }
        return teams.sorted { left, right in
            guard let a = left.team else { return false }
            guard let b = right.team else { return true }
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
    }
}
