import ParleyEvents

/// What the business learns, per category and per channel (docs/PROJECTIONS.md, "Insights"): volume,
/// speed, reopens, touches, first-contact resolution, satisfaction, compensations, cost to serve, contacts
/// per 100 orders and repeat purchases after a resolved episode against customers without a contact.
public struct InsightsReport: Equatable, Sendable {
    /// One row per category, sorted by name (episodes of no category last).
    public var byCategory: [InsightsRow]
    /// One row per channel, in channel order (episodes started by a status change last).
    public var byChannel: [InsightsRow]
    /// Every episode of the window.
    public var totals: InsightsRow
    /// Orders placed in the window.
    public var orders: Int
    /// Customers without a contact: repeat purchases within 30 and 90 days of their first order in the window.
    public var baseline30: RepeatPurchase
    public var baseline90: RepeatPurchase
    /// Scores and compensations for conversations that had no episode yet (all of the replay, not only the
    /// window), and the compensations' amounts per currency.
    public var unattributedScores: Int
    public var unattributedCompensations: Int
    public var unattributedAmounts: [CurrencyAmount]
    /// The window (ns, start inclusive, end exclusive); `nil` bounds are open.
    public var from: Int64?
    public var to: Int64?
    /// The moment the report stands at (ns): open episodes' handling and repeat-purchase windows run to it.
    public var moment: Int64?
    /// The currency of the costs, when the query gives costs.
    public var costCurrency: String?

    /// What to report.
    public struct Query: Sendable, Equatable {
        /// First and last UTC dates (`YYYY-MM-DD`, both included) of the episodes and orders counted.
        public var from: String?
        public var to: String?
        /// Cost per non-automatic reply and per hour of handling, in minor units of ``currency``.
        public var costPerTouch: Int?
        public var costPerHour: Int?
        /// The ISO 4217 code of the costs.
        public var currency: String?
        /// The moment (ns) the report stands at: `--as-of`; `nil` means the latest event time replayed.
        public var moment: Int64?

        /// A query.
        public init(
            from: String? = nil, to: String? = nil, costPerTouch: Int? = nil, costPerHour: Int? = nil,
            currency: String? = nil, moment: Int64? = nil
        ) {
            self.from = from
            self.to = to
            self.costPerTouch = costPerTouch
            self.costPerHour = costPerHour
            self.currency = currency
            self.moment = moment
        }
    }

    /// The report of `query` from a state with the insights section loaded (and the customers section, for
    /// linked ids); `nil` when a date of the query is not `YYYY-MM-DD` or a section is not loaded.
    public static func make(from state: ProjectionState, query: Query) -> InsightsReport? {
        guard let insights = state.projection(InsightsProjection.self),
            let customers = state.projection(CustomerDirectory.self)
        else { return nil }
        let day = Bucketing(.day)
        var from: Int64?
        var to: Int64?
        if let text = query.from {
            guard let index = day.index(ofDate: text) else { return nil }
            from = day.start(of: index)
        }
        if let text = query.to {
            guard let index = day.index(ofDate: text) else { return nil }
            to = day.start(of: index + 1)
        }
        let horizon = state.latestEventTime ?? 0
        let moment = query.moment ?? horizon
        var builder = InsightsBuilder(
            insights: insights, customers: customers, from: from, to: to, horizon: horizon, moment: moment)
        return builder.report(query: query)
    }

    /// Whether `at` lies in the window.
    static func contains(_ at: Int64, from: Int64?, to: Int64?) -> Bool {
        (from.map { at >= $0 } ?? true) && (to.map { at < $0 } ?? true)
    }
}
