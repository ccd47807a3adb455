import ParleyEvents

/// Builds ``KPIReport``s from what ``KPIProjection`` gathered: buckets cut in the query's time zone, the
/// episodes split into groups (or one), each group's figures accumulated in one pass over the records,
/// then empty buckets trimmed at the ends the query leaves open.
struct KPIReportBuilder {
    let collector: KPIProjection
    private var book: ConversationBook
    private let query: KPIReport.Query
    private var zoned: ZonedBucketing
    private let eventTimes: ClosedRange<Int64>?
    /// The buckets listed before trimming: `first ... last` (`count` of them, maybe 0).
    private var first: Int64 = 0
    private var last: Int64 = -1
    private var count: Int { last >= first ? Int(last - first + 1) : 0 }
    static let sevenDays: Int64 = 7 * 86_400 * 1_000_000_000

    /// `nil` when a date bound is not `YYYY-MM-DD` or the zone is unknown.
    init?(
        collector: KPIProjection, conversations: ConversationBook, eventTimes: ClosedRange<Int64>?,
        query: KPIReport.Query
    ) {
        guard KPIReport.check(query) == nil, var zoned = ZonedBucketing(query.size, timeZone: query.timeZone) else {
            return nil
        }
        self.collector = collector
        self.book = conversations
        self.query = query
        self.eventTimes = eventTimes
        if let times = eventTimes {
            first = query.from.flatMap { zoned.index(ofDate: $0) } ?? zoned.index(of: times.lowerBound)
            last = query.to.flatMap { zoned.index(ofDate: $0) } ?? zoned.index(of: times.upperBound)
        }
        self.zoned = zoned
    }

    /// One group's figures while the records are read.
    private struct Accumulator {
        var buckets: [BucketKPIs]
        var frt: [[Double]]
        var resolution: [[Double]]
        var businessFRT: [[Double]]
        var businessResolution: [[Double]]
        var touches: [Int]
        var backlog: BacklogCounter
        /// Dense keys for this group's conversations (grouped reports), so its backlog counter stays small.
        var localKeys: [Int: Int]?
    }

    /// The report, split by `query.groupBy` (one group, `all`, when it is nil).
    mutating func grouped() -> GroupedKPIReport {
        let count = count
        let empty = [Int](repeating: 0, count: Channel.allCases.count)
        var template = (0..<count).map {
            BucketKPIs(label: zoned.label(of: first + Int64($0)), messagesByChannel: empty)
        }
        for slot in 0..<count {
            template[slot].start = zoned.start(of: first + Int64(slot))
            template[slot].end = zoned.end(of: first + Int64(slot))
        }
        let measuresSLA = !book.policies.isEmpty
        if measuresSLA {
            for slot in 0..<count {
                template[slot].slaFirstResponse = SLACounts()
                template[slot].slaResolution = SLACounts()
                template[slot].businessFirstResponse = DurationStats([])
                template[slot].businessResolution = DurationStats([])
            }
        }
        var busy = [Bool](repeating: false, count: count)
        let messages = messageCounts(count: count, busy: &busy)
        let grouping = query.groupBy
        let fresh = Accumulator(
            buckets: template, frt: .init(repeating: [], count: count), resolution: .init(repeating: [], count: count),
            businessFRT: .init(repeating: [], count: count), businessResolution: .init(repeating: [], count: count),
            touches: .init(repeating: 0, count: count),
            backlog: BacklogCounter(buckets: count, episodes: grouping == nil ? collector.episodes.count : 0),
            localKeys: grouping == nil ? nil : [:])
        // Groups by the id of their value (-1: none); for the channel grouping, every channel with messages.
        // In an array (changed in place), found by value id through `groupIndex`.
        var groups: [Accumulator] = []
        var groupIDs: [Int32] = []
        var groupIndex: [Int32: Int] = [:]
        func index(of id: Int32) -> Int {
            if let index = groupIndex[id] { return index }
            groupIndex[id] = groups.count
            groups.append(fresh)
            groupIDs.append(id)
            return groups.count - 1
        }
        if grouping == nil { _ = index(of: 0) }
        if grouping == .channel {
            for channel in Channel.allCases where messages.totals[Int(channel.rawValue)] > 0 {
                if let wanted = query.channel, wanted != channel { continue }
                _ = index(of: Int32(channel.rawValue))
            }
        }

        let wantedCategory: Int32? = query.category.map { collector.categoryIDs[$0] ?? -2 }
        let horizon = eventTimes?.upperBound ?? 0
        let moment = query.moment ?? horizon
        var chainKeys: [Int] = []
        chainKeys.reserveCapacity(collector.episodes.count)
        var matched = 0
        for (position, episode) in collector.episodes.enumerated() {
            // Before the filters: a filtered-out episode still links its conversation's chain. `previous <
            // position` holds for every record (checked when a checkpoint is loaded).
            let chainKey = episode.previous >= 0 ? chainKeys[episode.previous] : position
            chainKeys.append(chainKey)
            guard count > 0 else { continue }
            // Traffic, whatever the filters: the range every report and group of this query lists.
            let bucket = zoned.index(of: episode.start)
            let resolvedBucket = episode.resolved.map { zoned.index(of: $0) }
            for busyBucket in [bucket, resolvedBucket ?? bucket] where busyBucket >= first && busyBucket <= last {
                busy[Int(busyBucket - first)] = true
            }
            if let channel = query.channel, episode.channel != channel { continue }
            if let wantedCategory, episode.category != wantedCategory { continue }
            matched += 1
            let group = grouping.map { index(of: groupID(of: episode, by: $0)) } ?? 0
            var key = chainKey
            if groups[group].localKeys != nil {
                if let local = groups[group].localKeys![chainKey] {
                    key = local
                } else {
                    key = groups[group].localKeys!.count
                    groups[group].localKeys![chainKey] = key
                }
            }
            add(
                episode, bucket: bucket, resolvedBucket: resolvedBucket, conversation: key, moment: moment,
                horizon: horizon, to: &groups[group])
        }
        var notes = filterNotes(collector: collector, query: query, matched: matched, messages: messages.totals)
        var result: [KPIGroup] = []
        for (id, accumulator) in zip(groupIDs, groups) {
            var report = finish(accumulator, measuresSLA: measuresSLA)
            if grouping == nil || grouping == .channel {
                for slot in 0..<count {
                    for channel in 0..<empty.count {
                        if grouping == .channel && channel != Int(id) { continue }
                        report.buckets[slot].messagesByChannel[channel] = messages.perBucket[slot][channel]
                    }
                }
            } else {
                report.countsMessages = false
            }
            report = trimmed(report, busy: busy)
            result.append(KPIGroup(name: grouping.map { groupName(id, by: $0) } ?? "all", report: report))
        }
        result.sort {
            ($0.name == KPIReport.noGroup ? 1 : 0, $0.name) < ($1.name == KPIReport.noGroup ? 1 : 0, $1.name)
        }
        if let grouping, matched > 0, result.allSatisfy({ $0.name == KPIReport.noGroup }) {
            notes.append("no episode has a \(grouping.rawValue): all \(matched) are in the group \(KPIReport.noGroup)")
        }
        if grouping == nil, result.isEmpty {
            var report = KPIReport(
                size: query.size, timeZone: query.timeZone, buckets: [],
                totals: BucketKPIs(label: "total", messagesByChannel: empty), anomalies: book.anomalies)
            report.notes = notes
            result.append(KPIGroup(name: "all", report: report))
        }
        if grouping == nil { result[0].report.notes = notes }
        return GroupedKPIReport(grouping: grouping ?? .channel, groups: result, notes: notes)
    }

    /// Adds one episode (it passed the filters) to its group's figures.
    private mutating func add(
        _ episode: KPIProjection.EpisodeRecord, bucket: Int64, resolvedBucket: Int64?, conversation key: Int,
        moment: Int64, horizon: Int64, to group: inout Accumulator
    ) {
        // Backlog: open at the end of every bucket b with start < end(b) ≤ resolve.
        let lastOpen = resolvedBucket.map { $0 - 1 } ?? last
        let from = max(bucket, first)
        let to = min(lastOpen, last)
        if from <= to && (episode.resolved ?? .max) > episode.start {
            group.backlog.add(Int(from - first)...Int(to - first), conversation: key)
        }
        if let resolvedBucket, resolvedBucket >= first, resolvedBucket <= last {
            group.buckets[Int(resolvedBucket - first)].resolvedEpisodes += 1
        }
        guard bucket >= first, bucket <= last else { return }
        let slot = Int(bucket - first)
        group.buckets[slot].newEpisodes += 1
        if episode.isReopen { group.buckets[slot].reopens += 1 }
        group.touches[slot] += episode.touches
        if let clocks = episode.sla {
            let state = book.slaState(
                clocks: clocks, start: episode.start, resolved: episode.resolved, priority: episode.priority,
                at: moment, deadlines: false)
            group.buckets[slot].slaFirstResponse?.count(state.firstResponse)
            group.buckets[slot].slaResolution?.count(state.resolution)
            if clocks.responded, let elapsed = clocks.responseElapsed {
                group.businessFRT[slot].append(Double(elapsed) / 1e9)
            }
            if episode.resolved != nil { group.businessResolution[slot].append(Double(clocks.resolutionAccrued) / 1e9) }
        }
        if let response = episode.firstResponse {
            let (seconds, clamped) = Duration64.seconds(from: episode.start, to: response)
            if clamped { book.anomalies.negativeDurations += 1 }
            group.frt[slot].append(seconds)
        }
        guard let resolved = episode.resolved else { return }
        let (seconds, clamped) = Duration64.seconds(from: episode.start, to: resolved)
        if clamped { book.anomalies.negativeDurations += 1 }
        group.resolution[slot].append(seconds)
        guard episode.touches == 1 else { return }
        // The 7 days run to resolve + 7 d inclusive (a reopen at that instant is within them); past the last
        // representable instant they never end.
        let (sum, overflow) = resolved.addingReportingOverflow(Self.sevenDays)
        let windowEnd = overflow ? Int64.max : sum
        if let next = episode.nextStart {
            if next > windowEnd { group.buckets[slot].firstContactResolutions += 1 }
        } else if horizon > windowEnd {
            group.buckets[slot].firstContactResolutions += 1
        } else {
            group.buckets[slot].firstContactPending += 1
        }
    }

    /// The statistics and totals of one group.
    private func finish(_ group: Accumulator, measuresSLA: Bool) -> KPIReport {
        var buckets = group.buckets
        var totals = BucketKPIs(
            label: "total", messagesByChannel: [Int](repeating: 0, count: Channel.allCases.count))
        if measuresSLA {
            totals.slaFirstResponse = SLACounts()
            totals.slaResolution = SLACounts()
        }
        let backlogEnds = group.backlog.counts()
        for slot in buckets.indices {
            buckets[slot].backlogEnd = backlogEnds[slot]
            buckets[slot].firstResponse = DurationStats(group.frt[slot])
            buckets[slot].resolution = DurationStats(group.resolution[slot])
            if measuresSLA {
                buckets[slot].businessFirstResponse = DurationStats(group.businessFRT[slot])
                buckets[slot].businessResolution = DurationStats(group.businessResolution[slot])
            }
            buckets[slot].touchesMean =
                buckets[slot].newEpisodes > 0 ? Double(group.touches[slot]) / Double(buckets[slot].newEpisodes) : nil
            if let counts = buckets[slot].slaFirstResponse { totals.slaFirstResponse?.add(counts) }
            if let counts = buckets[slot].slaResolution { totals.slaResolution?.add(counts) }
        }
        totals.firstResponse = DurationStats(group.frt.flatMap { $0 })
        totals.resolution = DurationStats(group.resolution.flatMap { $0 })
        if measuresSLA {
            totals.businessFirstResponse = DurationStats(group.businessFRT.flatMap { $0 })
            totals.businessResolution = DurationStats(group.businessResolution.flatMap { $0 })
        }
        let touches = group.touches.reduce(0, +)
        let newEpisodes = buckets.reduce(0) { $0 + $1.newEpisodes }
        totals.touchesMean = newEpisodes > 0 ? Double(touches) / Double(newEpisodes) : nil
        return KPIReport(
            size: query.size, timeZone: query.timeZone, buckets: buckets, totals: totals, anomalies: book.anomalies)
    }

    /// Drops the buckets without traffic (`busy`: a message, an episode started or resolved, before any
    /// filter) at the ends `from`/`to` leave open, then adds up the counts of those left. The range is that
    /// of the whole log's traffic, so filtered reports and the groups of one query list the same buckets.
    private func trimmed(_ report: KPIReport, busy: [Bool]) -> KPIReport {
        var report = report
        let lower = query.from == nil ? busy.firstIndex(of: true) ?? busy.count : 0
        let upper = query.to == nil ? busy.lastIndex(of: true) ?? -1 : busy.count - 1
        report.buckets = lower <= upper ? Array(report.buckets[lower...upper]) : []
        var totals = report.totals
        for kpis in report.buckets {
            for (channel, value) in kpis.messagesByChannel.enumerated() { totals.messagesByChannel[channel] += value }
            totals.newEpisodes += kpis.newEpisodes
            totals.reopens += kpis.reopens
            totals.resolvedEpisodes += kpis.resolvedEpisodes
            totals.firstContactResolutions += kpis.firstContactResolutions
            totals.firstContactPending += kpis.firstContactPending
        }
        totals.backlogEnd = report.buckets.last?.backlogEnd ?? 0
        totals.start = report.buckets.first?.start ?? 0
        totals.end = report.buckets.last?.end ?? totals.start
        report.totals = totals
        return report
    }

    /// Messages per bucket and channel (the channel filter applied), and their totals per channel.
    /// Marks in `busy` the buckets with any message (before the channel filter).
    private mutating func messageCounts(count: Int, busy: inout [Bool]) -> (perBucket: [[Int]], totals: [Int]) {
        let channels = Channel.allCases.count
        var perBucket = [[Int]](repeating: [Int](repeating: 0, count: channels), count: count)
        var totals = [Int](repeating: 0, count: channels)
        let counts = collector.slotCounts
        for (position, slot) in collector.slotKeys.enumerated() {
            let (instant, overflow) = slot.multipliedReportingOverflow(by: KPIProjection.slotNanos)
            let bucket = zoned.index(of: overflow ? (slot < 0 ? .min : .max) : instant)
            guard bucket >= first, bucket <= last else { continue }
            let row = Int(bucket - first)
            for channel in 0..<channels {
                let value = counts[position * channels + channel]
                guard value > 0 else { continue }
                busy[row] = true
                if let wanted = query.channel, wanted.rawValue != channel { continue }
                perBucket[row][channel] += value
                totals[channel] += value
            }
        }
        return (perBucket, totals)
    }

    /// The id of an episode's value for `grouping` (-1: none).
    private func groupID(of episode: KPIProjection.EpisodeRecord, by grouping: KPIGrouping) -> Int32 {
        switch grouping {
        case .channel: return episode.channel.map { Int32($0.rawValue) } ?? -1
        case .category: return episode.category
        case .team: return episode.team
        case .agent: return episode.agent
        case .priority: return episode.priority.map { Int32($0.rawValue) } ?? -1
        case .tier: return episode.resolved == nil ? collector.tier(ofCustomer: episode.customer) : episode.tier
        }
    }

    /// The name of value `id` of `grouping`.
    private func groupName(_ id: Int32, by grouping: KPIGrouping) -> String {
        let name: String?
        switch grouping {
        case .channel: name = Channel(rawValue: UInt8(truncatingIfNeeded: id)).map(\.name)
        case .category: name = id >= 0 ? collector.categories[Int(id)] : nil
        case .team: name = collector.teams.name(id)
        case .agent: name = collector.agents.name(id)
        case .priority: name = Priority(rawValue: UInt8(truncatingIfNeeded: id)).map(\.name)
        case .tier: name = collector.tiers.name(id)
        }
        return id < 0 ? KPIReport.noGroup : name ?? KPIReport.noGroup
    }
}
