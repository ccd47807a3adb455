extension WeeklyReport {
    /// One headline figure this week and the week before.
    public struct Headline: Equatable, Sendable {
        /// Which figure.
        public var metric: HeadlineMetric
        /// This week's value (a count, seconds, a ratio or a mean score); `nil` when there is none.
        public var current: Double?
        /// The previous week's value; `nil` when there is none.
        public var previous: Double?

        /// A headline figure, field by field.
        public init(metric: HeadlineMetric, current: Double?, previous: Double?) {
            self.metric = metric
            self.current = current
            self.previous = previous
        }
    }

    /// One category's figures over the week (from `parley insights`).
    public struct CategoryRow: Equatable, Sendable {
        /// The category; `nil` for episodes without one.
        public var category: String?
        /// Episodes started in the week.
        public var episodes: Int
        /// Their share of the week's episodes (0–1).
        public var share: Double
        /// First response time p50 (seconds).
        public var firstResponseP50: Double?
        /// Resolution time p50 (seconds).
        public var resolutionP50: Double?
        /// Mean CSAT score (1–5) of the answers recorded; `nil` when none.
        public var csatMean: Double?
        /// CSAT answers recorded.
        public var csatResponses: Int
        /// Compensations given.
        public var compensations: Int
        /// Amounts compensated per currency, in minor units, sorted by currency code.
        public var amounts: [Money]

        /// A category row, field by field.
        public init(
            category: String?, episodes: Int, share: Double, firstResponseP50: Double? = nil,
            resolutionP50: Double? = nil, csatMean: Double? = nil, csatResponses: Int = 0, compensations: Int = 0,
            amounts: [Money] = []
        ) {
            self.category = category
            self.episodes = episodes
            self.share = share
            self.firstResponseP50 = firstResponseP50
            self.resolutionP50 = resolutionP50
            self.csatMean = csatMean
            self.csatResponses = csatResponses
            self.compensations = compensations
            self.amounts = amounts
        }
    }

    /// An amount in integer minor units of an ISO 4217 currency.
    public struct Money: Equatable, Sendable {
        /// The amount in minor units (cents).
        public var minorUnits: Int64
        /// The currency code, e.g. `EUR`.
        public var currency: String
        /// Decimals of the currency's minor unit, when the caller knows them (the insights report's table);
        /// otherwise ``ReportFormat`` decides from its own short list.
        public var digits: Int?

        /// An amount, field by field.
        public init(minorUnits: Int64, currency: String, digits: Int? = nil) {
            self.minorUnits = minorUnits
            self.currency = currency
            self.digits = digits
        }
    }

    /// One recurring question (a cluster from `parley questions`).
    public struct QuestionRow: Equatable, Sendable {
        /// The cluster's label (its most typical words).
        public var label: String
        /// First messages in the cluster this week.
        public var count: Int
        /// In the previous week; `nil` when unknown.
        public var previousCount: Int?
        /// Categories seen in the cluster.
        public var categories: [String]
        /// Channels seen in the cluster.
        public var channels: [String]
        /// A few example conversation ids.
        public var examples: [String]
        /// Whether the first replies in the cluster reuse a template; `nil` when unknown.
        public var reusesTemplate: Bool?

        /// A question row, field by field.
        public init(
            label: String, count: Int, previousCount: Int? = nil, categories: [String] = [], channels: [String] = [],
            examples: [String] = [], reusesTemplate: Bool? = nil
        ) {
            self.label = label
            self.count = count
            self.previousCount = previousCount
            self.categories = categories
            self.channels = channels
            self.examples = examples
            self.reusesTemplate = reusesTemplate
        }
    }

    /// One agent's (or bot's) load over the week.
    public struct AgentLoadRow: Equatable, Sendable {
        /// The agent's id, e.g. `agent:ana`.
        public var agent: String
        /// Episodes of the week they owned when resolved.
        public var resolved: Int
        /// First responses they gave in the week's episodes.
        public var firstResponses: Int
        /// Their first response time, p50 (seconds).
        public var firstResponseP50: Double?
        /// Their first response time, p90 (seconds).
        public var firstResponseP90: Double?

        /// An agent row, field by field.
        public init(
            agent: String, resolved: Int, firstResponses: Int, firstResponseP50: Double? = nil,
            firstResponseP90: Double? = nil
        ) {
            self.agent = agent
            self.resolved = resolved
            self.firstResponses = firstResponses
            self.firstResponseP50 = firstResponseP50
            self.firstResponseP90 = firstResponseP90
        }
    }
}
