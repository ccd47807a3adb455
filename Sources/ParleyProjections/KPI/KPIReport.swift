import ParleyEvents

/// Count, mean and nearest-rank percentiles of durations in seconds.
public struct DurationStats: Equatable, Sendable {
    public var count: Int
    public var mean: Double?
    public var p50: Double?
    public var p90: Double?

    /// The statistics of `values` (seconds).
    public init(_ values: [Double]) {
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
    /// `2026-03-02`, `2026-W10`, `2026-03` (local dates in the report's time zone), or `total`.
    public var label: String
    /// The bucket's first instant and the first instant after it (ns, UTC); for the totals, those of the
    /// first and last buckets listed (equal when none is).
    public var start: Int64 = 0
    public var end: Int64 = 0
    /// `message_received` by channel (index = channel raw value). All zero when the report does not count
    /// messages (``KPIReport/countsMessages``).
    public var messagesByChannel: [Int]
    /// Episodes that started in the bucket.
    public var newEpisodes = 0
    /// Of those, episodes on conversations that had one before.
    public var reopens = 0
    /// Episodes (of any start) resolved in the bucket.
    public var resolvedEpisodes = 0
    /// First response times of the bucket's episodes that have one (calendar time).
    public var firstResponse = DurationStats([])
    /// Resolution times of the bucket's episodes that are resolved (calendar time).
    public var resolution = DurationStats([])
    /// First response times in business time, of the bucket's episodes a policy measures that had a
    /// response (the SLA first-response clock); `nil` when the log sets no policy.
    public var businessFirstResponse: DurationStats?
    /// Resolution times in business time (the SLA resolution clock: `pending` stretches not counted), of
    /// the bucket's resolved episodes a policy measures; `nil` when the log sets no policy.
    public var businessResolution: DurationStats?
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

/// The KPI report: the buckets from the first to the last with traffic (or the `from`/`to` range), and
/// totals.
public struct KPIReport: Equatable, Sendable {
    public var size: Bucketing.Size
    /// The IANA zone the buckets are cut in; `nil` for UTC.
    public var timeZone: String?
    public var buckets: [BucketKPIs]
    public var totals: BucketKPIs
    public var anomalies: ConversationBook.Anomalies
    /// Whether the message counts are this report's messages: `false` in a group of a grouping other than
    /// `channel` (messages belong to no category, team, agent, priority or tier).
    public var countsMessages = true
    /// What a person should know about the answer: filters that matched nothing, with what exists.
    public var notes: [String] = []

    /// The group of episodes that have no value for the grouping.
    public static let noGroup = "(none)"

    /// Filters and range of a report.
    public struct Query: Sendable {
        public var size: Bucketing.Size
        /// First and last local dates (`YYYY-MM-DD`, in ``timeZone``) whose buckets are listed; nil = the
        /// traffic's range (empty buckets at either end dropped).
        public var from: String?
        public var to: String?
        public var channel: Channel?
        public var category: String?
        /// The IANA zone days, weeks and months are cut in; `nil` for UTC.
        public var timeZone: String?
        /// What ``KPIReport/makeGrouped(from:query:)`` splits by; ignored by ``KPIReport/make(from:query:)``.
        public var groupBy: KPIGrouping?
        /// The moment (ns) the report stands at, for SLA clocks still running: `--as-of`; `nil` means the
        /// latest event time replayed.
        public var moment: Int64?

        public init(
            size: Bucketing.Size, from: String? = nil, to: String? = nil, channel: Channel? = nil,
            category: String? = nil, timeZone: String? = nil, groupBy: KPIGrouping? = nil, moment: Int64? = nil
        ) {
            self.size = size
            self.from = from
            self.to = to
            self.channel = channel
            self.category = category
            self.timeZone = timeZone
            self.groupBy = groupBy
            self.moment = moment
        }
    }

    /// Why a report could not be made from a query.
    public enum QueryProblem: Error, Equatable, Sendable {
        /// `from` or `to` is not a `YYYY-MM-DD` date.
        case invalidDate(String)
        /// The system does not know this time zone.
        case unknownTimeZone(String)
    }

    /// Checks the query's dates and zone without a replay.
    public static func check(_ query: Query) -> QueryProblem? {
        for date in [query.from, query.to].compactMap({ $0 }) where Bucketing.day(ofDate: date) == nil {
            return .invalidDate(date)
        }
        if let zone = query.timeZone, !ZonedBucketing.isKnownZone(zone) { return .unknownTimeZone(zone) }
        return nil
    }

    /// Computes the report from a finished replay (all episodes; ``Query/groupBy`` is not used).
    /// - Returns: `nil` when a date in the query is not `YYYY-MM-DD` or its zone is unknown.
    public static func make(from state: ProjectionState, query: Query) -> KPIReport? {
        make(
            from: state.kpi, conversations: state.engine.conversations, eventTimes: state.engine.eventTimes,
            query: query)
    }

    /// Computes the report split by `query.groupBy` (one group `(none)`… when it is nil: the whole report,
    /// named `all`).
    /// - Returns: `nil` when a date in the query is not `YYYY-MM-DD` or its zone is unknown.
    public static func makeGrouped(from state: ProjectionState, query: Query) -> GroupedKPIReport? {
        var builder = KPIReportBuilder(
            collector: state.kpi, conversations: state.engine.conversations, eventTimes: state.engine.eventTimes,
            query: query)
        return builder?.grouped()
    }

    /// The report of `query` over what `collector` gathered, with the policies and anomalies of
    /// `conversations`, over the event times `eventTimes`; `nil` when `from` or `to` is not a date or the
    /// zone is unknown.
    static func make(
        from collector: KPIProjection, conversations: ConversationBook, eventTimes: ClosedRange<Int64>?, query: Query
    ) -> KPIReport? {
        var query = query
        query.groupBy = nil
        var builder = KPIReportBuilder(
            collector: collector, conversations: conversations, eventTimes: eventTimes, query: query)
        guard let grouped = builder?.grouped(), let report = grouped.groups.first?.report else { return nil }
        return report
    }
}
