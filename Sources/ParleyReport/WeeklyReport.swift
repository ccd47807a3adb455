/// Everything the weekly report shows, as plain values: built from the log by the service
/// (`LogQueries.weeklyReport`), or by hand in tests; ``WeeklyReportHTML/render(_:)`` turns it into a page.
///
/// docs/REPORT.md defines each figure. Durations are seconds of calendar time; SLA targets are business
/// minutes of the policy in force.
public struct WeeklyReport: Equatable, Sendable {
    /// The week, e.g. `2026-W10`.
    public var week: String
    /// The time zone its days are cut in (an IANA name, `UTC` by default).
    public var timeZone: String
    /// Channel names, in the column order of every day's ``Day/messagesByChannel``.
    public var channels: [String]
    /// The seven days, Monday first.
    public var days: [Day]
    /// The headline figures against the previous week.
    public var headline: [Headline]
    /// The targets of the SLA policy in force at the end of the week, if any.
    public var slaTarget: SLATarget?
    /// Per category: volume, speed, money and CSAT; `nil` when not computed (the page says so).
    public var categories: [CategoryRow]?
    /// Questions asked five times or more; `nil` when not computed (the page says so).
    public var questions: [QuestionRow]?
    /// The agents' load over the week.
    public var agents: [AgentLoadRow]
    /// Where the figures come from, e.g. `parley.log, events 1–412`; shown in the page's footer.
    public var source: String

    /// A report, field by field.
    public init(
        week: String, timeZone: String, channels: [String], days: [Day], headline: [Headline],
        slaTarget: SLATarget? = nil, categories: [CategoryRow]? = nil, questions: [QuestionRow]? = nil,
        agents: [AgentLoadRow] = [], source: String = ""
    ) {
        self.week = week
        self.timeZone = timeZone
        self.channels = channels
        self.days = days
        self.headline = headline
        self.slaTarget = slaTarget
        self.categories = categories
        self.questions = questions
        self.agents = agents
        self.source = source
    }

    /// One day's figures.
    public struct Day: Equatable, Sendable {
        /// The local date, `2026-03-02`.
        public var date: String
        /// How the page names it, `Mon 2 Mar`.
        public var label: String
        /// Messages received, per channel (order of ``WeeklyReport/channels``).
        public var messagesByChannel: [Int]
        /// Episodes started.
        public var episodes: Int
        /// First response time of the episodes started that day, p50 (seconds).
        public var firstResponseP50: Double?
        /// First response time of the episodes started that day, p90 (seconds).
        public var firstResponseP90: Double?
        /// Resolution time of the episodes started that day, p50 (seconds).
        public var resolutionP50: Double?
        /// Resolution time of the episodes started that day, p90 (seconds).
        public var resolutionP90: Double?
        /// Conversations with an episode open at the end of the day.
        public var backlogEnd: Int
        /// First-response SLA outcomes of the episodes started that day; `nil` without a policy.
        public var slaFirstResponse: SLACount?
        /// Resolution SLA outcomes of the episodes started that day; `nil` without a policy.
        public var slaResolution: SLACount?

        /// A day, field by field.
        public init(
            date: String, label: String, messagesByChannel: [Int], episodes: Int, firstResponseP50: Double? = nil,
            firstResponseP90: Double? = nil, resolutionP50: Double? = nil, resolutionP90: Double? = nil,
            backlogEnd: Int = 0, slaFirstResponse: SLACount? = nil, slaResolution: SLACount? = nil
        ) {
            self.date = date
            self.label = label
            self.messagesByChannel = messagesByChannel
            self.episodes = episodes
            self.firstResponseP50 = firstResponseP50
            self.firstResponseP90 = firstResponseP90
            self.resolutionP50 = resolutionP50
            self.resolutionP90 = resolutionP90
            self.backlogEnd = backlogEnd
            self.slaFirstResponse = slaFirstResponse
            self.slaResolution = slaResolution
        }

        /// Messages on every channel.
        public var messages: Int { messagesByChannel.reduce(0, +) }
    }

    /// SLA outcomes of one clock: met, breached, and still open (undecided, not counted in attainment).
    public struct SLACount: Equatable, Sendable {
        /// Clocks stopped within the target.
        public var met: Int
        /// Clocks over the target (stopped late, or running and already over).
        public var breached: Int
        /// Clocks still running or paused within the target.
        public var open: Int

        /// Counts, field by field.
        public init(met: Int, breached: Int, open: Int) {
            self.met = met
            self.breached = breached
            self.open = open
        }

        /// `met / (met + breached)`; `nil` when nothing was decided.
        public var attainment: Double? { met + breached > 0 ? Double(met) / Double(met + breached) : nil }
    }

    /// The targets of an SLA policy for `normal` priority, in business minutes.
    public struct SLATarget: Equatable, Sendable {
        /// The policy's name, if it has one.
        public var name: String?
        /// First response target (business minutes), if set.
        public var firstResponseMinutes: Int64?
        /// Resolution target (business minutes), if set.
        public var resolutionMinutes: Int64?

        /// Targets, field by field.
        public init(name: String?, firstResponseMinutes: Int64?, resolutionMinutes: Int64?) {
            self.name = name
            self.firstResponseMinutes = firstResponseMinutes
            self.resolutionMinutes = resolutionMinutes
        }
    }
}
