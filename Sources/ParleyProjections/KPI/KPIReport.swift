import ParleyEvents

/// Count, mean and nearest-rank percentiles of durations in seconds.
public struct DurationStats: Equatable, Sendable {
    public var count: Int
    public var mean: Double?
    public var p50: Double?
    public var p90: Double?

    init(_ values: [Double]) {
        count = values.count
        // Summed in the order given (episode order), so the mean does not depend on the selection below.
        mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        var working = values
        let ranks = Percentile.nearestRanks(&working, percents: [50, 90])
        p50 = ranks[0]
        p90 = ranks[1]
    }
}

/// SLA outcomes of one clock over a bucket's episodes (those a policy measures, with a target for their
/// priority).
public struct SLACounts: Equatable, Sendable {
    /// Stopped within the target.
    public var met = 0
    /// Over the target: stopped late, or still running and already over it at the report's moment.
    public var breached = 0
    /// Still running (or paused) within the target at the report's moment: not decided, not counted.
    public var open = 0

    /// `met / (met + breached)`, `nil` when nothing was decided.
    public var attainment: Double? { met + breached > 0 ? Double(met) / Double(met + breached) : nil }

    /// Counts of nothing.
    public init() {}

    mutating func count(_ state: SLAClockState?) {
        guard let state else { return }
        switch state.phase {
        case .met: met += 1
        case .breached: breached += 1
        case .running, .paused: open += 1
        }
    }

    mutating func add(_ other: SLACounts) {
        met += other.met
        breached += other.breached
        open += other.open
    }
}

/// The KPIs of one bucket (or of all of them: the totals).
public struct BucketKPIs: Equatable, Sendable {
    /// `2026-03-02`, `2026-W10`, or `total`.
    public var label: String
    /// `message_received` by channel (index = channel raw value).
    public var messagesByChannel: [Int]
    /// Episodes that started in the bucket.
    public var newEpisodes = 0
    /// Of those, episodes on conversations that had one before.
    public var reopens = 0
    /// First response times of the bucket's episodes that have one.
    public var firstResponse = DurationStats([])
    /// Resolution times of the bucket's episodes that are resolved.
    public var resolution = DurationStats([])
    /// Mean non-automatic replies per episode started in the bucket (open ones count their replies so far).
    public var touchesMean: Double?
    /// Resolved with exactly one touch and no reopen within 7 days.
    public var firstContactResolutions = 0
    /// Resolved with one touch whose 7 days are not over yet at the end of the replay: counted apart.
    public var firstContactPending = 0
    /// Episodes open at the end of the bucket (start < end ≤ resolve).
    public var backlogEnd = 0
    /// SLA attainment of first response and resolution; `nil` (absent) when the log sets no policy.
    public var slaFirstResponse: SLACounts?
    public var slaResolution: SLACounts?

    public var messages: Int { messagesByChannel.reduce(0, +) }
}

/// The KPI report: every bucket from the first to the last event (empty ones included), and totals.
public struct KPIReport: Equatable, Sendable {
    public var size: Bucketing.Size
    public var buckets: [BucketKPIs]
    public var totals: BucketKPIs
    public var anomalies: ConversationBook.Anomalies

    /// Filters and range of a report.
    public struct Query: Sendable {
        public var size: Bucketing.Size
        /// First and last dates (`YYYY-MM-DD`, UTC) whose buckets are listed; nil = the log's range.
        public var from: String?
        public var to: String?
        public var channel: Channel?
        public var category: String?
        /// The moment (ns) the report stands at, for SLA clocks still running: `--as-of`; `nil` means the
        /// latest event time replayed.
        public var moment: Int64?

        public init(
            size: Bucketing.Size, from: String? = nil, to: String? = nil, channel: Channel? = nil,
            category: String? = nil, moment: Int64? = nil
        ) {
            self.size = size
            self.from = from
            self.to = to
            self.channel = channel
            self.category = category
            self.moment = moment
        }
    }

    static let sevenDays: Int64 = 7 * 86_400 * 1_000_000_000

    /// Computes the report from a finished replay.
    /// - Returns: `nil` when a date in the query is not `YYYY-MM-DD`.
    public static func make(from state: ProjectionState, query: Query) -> KPIReport? {
        make(
            from: state.kpi, conversations: state.engine.conversations, eventTimes: state.engine.eventTimes,
            query: query)
    }

    /// The report of `query` over what `collector` gathered, with the policies and anomalies of
    /// `conversations`, over the event times `eventTimes`; `nil` when `from` or `to` is not a date.
    static func make(
        from collector: KPIProjection, conversations: ConversationBook, eventTimes: ClosedRange<Int64>?, query: Query
    ) -> KPIReport? {
        var book = conversations
        let bucketing = Bucketing(query.size)
        var anomalies = book.anomalies
        let empty = [Int](repeating: 0, count: Channel.allCases.count)
        var fromIndex: Int64?
        var toIndex: Int64?
        if let from = query.from {
            guard let index = bucketing.index(ofDate: from) else { return nil }
            fromIndex = index
        }
        if let to = query.to {
            guard let index = bucketing.index(ofDate: to) else { return nil }
            toIndex = index
        }
        guard let times = eventTimes else {
            return KPIReport(
                size: query.size, buckets: [], totals: BucketKPIs(label: "total", messagesByChannel: empty),
                anomalies: anomalies)
        }
        let first = fromIndex ?? bucketing.index(of: times.lowerBound)
        let last = toIndex ?? bucketing.index(of: times.upperBound)
        let horizon = times.upperBound
        let count = last >= first ? Int(last - first + 1) : 0
        var buckets = (0..<count).map {
            BucketKPIs(label: bucketing.label(of: first + Int64($0)), messagesByChannel: empty)
        }
        var totals = BucketKPIs(label: "total", messagesByChannel: empty)

        for (day, perChannel) in collector.messagesPerDay {
            let bucket = bucketing.index(of: Bucketing(.day).start(of: day))
            guard bucket >= first, bucket <= last else { continue }
            for (channel, value) in perChannel.enumerated() {
                if let wanted = query.channel, wanted.rawValue != channel { continue }
                buckets[Int(bucket - first)].messagesByChannel[channel] += value
                totals.messagesByChannel[channel] += value
            }
        }

        let wantedCategory: Int32? = query.category.map { collector.categoryIDs[$0] ?? -2 }
        var frt = [[Double]](repeating: [], count: count)
        var resolution = [[Double]](repeating: [], count: count)
        var touches = [Int](repeating: 0, count: count)
        var backlog = BacklogCounter(buckets: count, episodes: collector.episodes.count)
        let measuresSLA = !book.policies.isEmpty
        let moment = query.moment ?? horizon
        if measuresSLA {
            for slot in 0..<count {
                buckets[slot].slaFirstResponse = SLACounts()
                buckets[slot].slaResolution = SLACounts()
            }
            totals.slaFirstResponse = SLACounts()
            totals.slaResolution = SLACounts()
        }
        for (position, episode) in collector.episodes.enumerated() {
            // Before the filters: a filtered-out episode still links its conversation's chain.
            let conversation = backlog.conversation(ofEpisode: position, previous: episode.previous)
            if let channel = query.channel, episode.channel != channel { continue }
            if let wantedCategory, episode.category != wantedCategory { continue }
            let bucket = bucketing.index(of: episode.start)
            // Backlog: open at the end of every bucket b with start < end(b) ≤ resolve.
            let lastOpen = episode.resolved.map { bucketing.index(of: $0) - 1 } ?? last
            let from = max(bucket, first)
            let to = min(lastOpen, last)
            if from <= to && (episode.resolved ?? .max) > episode.start {
                backlog.add(Int(from - first)...Int(to - first), conversation: conversation)
            }
            guard bucket >= first, bucket <= last else { continue }
            let slot = Int(bucket - first)
            buckets[slot].newEpisodes += 1
            if episode.isReopen { buckets[slot].reopens += 1 }
            touches[slot] += episode.touches
            if let clocks = episode.sla {
                let state = book.slaState(
                    clocks: clocks, start: episode.start, resolved: episode.resolved, priority: episode.priority,
                    at: moment, deadlines: false)
                buckets[slot].slaFirstResponse?.count(state.firstResponse)
                buckets[slot].slaResolution?.count(state.resolution)
            }
            if let response = episode.firstResponse {
                let (seconds, clamped) = Duration64.seconds(from: episode.start, to: response)
                if clamped { anomalies.negativeDurations += 1 }
                frt[slot].append(seconds)
            }
            if let resolved = episode.resolved {
                let (seconds, clamped) = Duration64.seconds(from: episode.start, to: resolved)
                if clamped { anomalies.negativeDurations += 1 }
                resolution[slot].append(seconds)
                if episode.touches == 1 {
                    // The 7 days run to resolve + 7 d inclusive (a reopen at that instant is within them);
                    // past the last representable instant they never end.
                    let (sum, overflow) = resolved.addingReportingOverflow(sevenDays)
                    let windowEnd = overflow ? Int64.max : sum
                    if let next = episode.nextStart {
                        if next > windowEnd { buckets[slot].firstContactResolutions += 1 }
                    } else if horizon > windowEnd {
                        buckets[slot].firstContactResolutions += 1
                    } else {
                        buckets[slot].firstContactPending += 1
                    }
                }
            }
        }
        let backlogEnds = backlog.counts()
        for slot in 0..<count {
            buckets[slot].backlogEnd = backlogEnds[slot]
            buckets[slot].firstResponse = DurationStats(frt[slot])
            buckets[slot].resolution = DurationStats(resolution[slot])
            buckets[slot].touchesMean =
                buckets[slot].newEpisodes > 0 ? Double(touches[slot]) / Double(buckets[slot].newEpisodes) : nil
            totals.newEpisodes += buckets[slot].newEpisodes
            totals.reopens += buckets[slot].reopens
            totals.firstContactResolutions += buckets[slot].firstContactResolutions
            totals.firstContactPending += buckets[slot].firstContactPending
            if let counts = buckets[slot].slaFirstResponse { totals.slaFirstResponse?.add(counts) }
            if let counts = buckets[slot].slaResolution { totals.slaResolution?.add(counts) }
        }
        totals.firstResponse = DurationStats(frt.flatMap { $0 })
        totals.resolution = DurationStats(resolution.flatMap { $0 })
        totals.touchesMean = totals.newEpisodes > 0 ? Double(touches.reduce(0, +)) / Double(totals.newEpisodes) : nil
        totals.backlogEnd = buckets.last?.backlogEnd ?? 0
        return KPIReport(size: query.size, buckets: buckets, totals: totals, anomalies: anomalies)
    }
}
