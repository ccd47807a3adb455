import ParleyEvents

/// The figures of one category or channel (or of every episode: the totals) over the episodes that started
/// in the report's window (docs/PROJECTIONS.md, "Insights", defines each one).
public struct InsightsRow: Equatable, Sendable {
    /// The category or channel name; `nil` for episodes of none (and for the totals).
    public var key: String?
    /// Episodes that started in the window.
    public var episodes = 0
    /// ``episodes`` over every episode of the window; `nil` when there is none.
    public var share: Double?
    /// Distinct conversations of those episodes.
    public var conversations = 0
    /// Of the episodes, those on a conversation that had one before, and their share.
    public var reopens = 0
    public var reopenRate: Double?
    /// First response and resolution times (seconds): count, mean, nearest-rank p50 and p90.
    public var firstResponse = DurationStats([])
    public var resolution = DurationStats([])
    /// Resolved episodes (at the report's moment).
    public var resolved = 0
    /// Non-automatic replies, and their mean per episode.
    public var touches = 0
    public var touchesMean: Double?
    /// First-contact resolutions as the KPI report counts them, those still pending (7 days not over), and
    /// the rate: resolutions / (resolved − pending).
    public var firstContactResolutions = 0
    public var firstContactPending = 0
    public var firstContactRate: Double?
    /// Satisfaction: the episodes with a score, the mean score, those scored 4 or 5 and their share, and the
    /// response rate: resolved episodes with a score / resolved episodes.
    public var csatResponses = 0
    public var csatMean: Double?
    public var csatSatisfied = 0
    public var csatSatisfiedShare: Double?
    public var csatResolvedResponses = 0
    public var csatResponseRate: Double?
    /// Compensations attributed to the episodes, their amounts per currency (sorted by code), and the count
    /// per conversation.
    public var compensations = 0
    public var amounts: [CurrencyAmount] = []
    public var compensationsPerConversation: Double?
    /// Handling time (ns): open, not pending, owned by a person; running stretches up to the moment.
    public var handled: Int64 = 0
    /// Cost to serve in minor units of the query's currency (touches × cost per touch + hours of handling ×
    /// cost per hour, rounded half up to a minor unit), when the query gives costs; and per episode.
    public var cost: Int?
    public var costPerEpisode: Int?
    /// Episodes per 100 orders placed in the window; `nil` without orders.
    public var contactsPer100Orders: Double?
    /// Customers whose resolved episode was followed by an order within 30 and 90 days.
    public var repeat30 = RepeatPurchase()
    public var repeat90 = RepeatPurchase()

    /// An empty row for `key`.
    public init(key: String?) { self.key = key }
}

/// An amount in minor units of a currency.
public struct CurrencyAmount: Equatable, Sendable {
    /// The ISO 4217 code.
    public var currency: String
    /// Minor units (saturating at the largest integer).
    public var amount: Int

    /// `amount` minor units of `currency`.
    public init(currency: String, amount: Int) {
        self.currency = currency
        self.amount = amount
    }
}

/// Repeat purchases within N days of an anchor (a resolved episode, or a first order for the baseline).
public struct RepeatPurchase: Equatable, Sendable {
    /// Customers with an anchor.
    public var customers = 0
    /// Of them, those who ordered within N days after it (the instant anchor + N days included).
    public var repeated = 0
    /// Of them, those without such an order whose N days are not over at the report's moment: counted apart.
    public var pending = 0

    /// repeated / (customers − pending); `nil` when nothing is decided.
    public var rate: Double? {
        let decided = customers - pending
        return decided > 0 ? Double(repeated) / Double(decided) : nil
    }

    /// No customer yet.
    public init() {}

    /// Counts given.
    public init(customers: Int, repeated: Int, pending: Int) {
        self.customers = customers
        self.repeated = repeated
        self.pending = pending
    }
}
