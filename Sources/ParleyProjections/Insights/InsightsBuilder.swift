import ParleyEvents

/// Computes an ``InsightsReport`` from the insights projection: one pass over the records of the window
/// into one accumulator per category, per channel and for the totals, then the compensations and orders.
struct InsightsBuilder {
    let insights: InsightsProjection
    var customers: CustomerDirectory
    let from: Int64?
    let to: Int64?
    /// The latest event time replayed: first-contact resolution's 7 days are judged there, as in `kpi`.
    let horizon: Int64
    /// The report's moment: running handling stretches and repeat-purchase windows end there.
    let moment: Int64

    static let day: Int64 = 86_400 * 1_000_000_000
    static let nanosecondsPerHour: Int64 = 3_600 * 1_000_000_000

    /// A row being gathered.
    struct Accumulator {
        var row: InsightsRow
        var frt: [Double] = []
        var resolution: [Double] = []
        var conversations = Set<Int>()
        var csatSum = 0
        var amounts: [Int32: Int] = [:]
        /// Per customer (root id): the earliest resolve of their episodes here.
        var anchors: [String: Int64] = [:]
    }

    /// Customer roots by name index, cached.
    private var roots: [Int32: String] = [:]

    init(
        insights: InsightsProjection, customers: CustomerDirectory, from: Int64?, to: Int64?, horizon: Int64,
        moment: Int64
    ) {
        self.insights = insights
        self.customers = customers
        self.from = from
        self.to = to
        self.horizon = horizon
        self.moment = moment
    }

    /// The person (root id) of the customer named at `index`.
    mutating func root(_ index: Int32) -> String? {
        guard let name = insights.name(index) else { return nil }
        if let cached = roots[index] { return cached }
        let root = customers.root(of: name)
        roots[index] = root
        return root
    }

    mutating func report(query: InsightsReport.Query) -> InsightsReport {
        var byCategory: [Int32: Accumulator] = [:]
        var byChannel: [Int: Accumulator] = [:]
        var totals = Accumulator(row: InsightsRow(key: nil))
        var contacted = Set<String>()
        for (index, record) in insights.records.enumerated() {
            let customer = root(record.customer)
            if let customer { contacted.insert(customer) }
            guard InsightsReport.contains(record.start, from: from, to: to) else { continue }
            let channel = record.channel.map { Int($0.rawValue) } ?? -1
            add(
                record, index, customer: customer,
                to: &byCategory[record.category, default: empty(category: record.category)])
            add(record, index, customer: customer, to: &byChannel[channel, default: Self.empty(channel: channel)])
            add(record, index, customer: customer, to: &totals)
        }
        var unattributed = 0
        var unattributedAmounts: [Int32: Int] = [:]
        for compensation in insights.compensations {
            guard compensation.record >= 0 else {
                unattributed += 1
                unattributedAmounts[compensation.currency] = Self.adding(
                    unattributedAmounts[compensation.currency] ?? 0, compensation.amount)
                continue
            }
            let record = insights.records[compensation.record]
            guard InsightsReport.contains(record.start, from: from, to: to) else { continue }
            let channel = record.channel.map { Int($0.rawValue) } ?? -1
            byCategory[record.category]?.count(compensation)
            byChannel[channel]?.count(compensation)
            totals.count(compensation)
        }
        // Orders per person, in time order; the window's count; the baseline's anchors.
        var orders: [String: [Int64]] = [:]
        var ordersInWindow = 0
        var firstOrders: [String: Int64] = [:]
        for order in insights.orders {
            guard let customer = root(order.customer) else { continue }
            orders[customer, default: []].append(order.at)
            guard InsightsReport.contains(order.at, from: from, to: to) else { continue }
            ordersInWindow += 1
            if !contacted.contains(customer) { firstOrders[customer] = min(firstOrders[customer] ?? .max, order.at) }
        }
        for key in orders.keys { orders[key]!.sort() }
        func finish(_ accumulator: Accumulator) -> InsightsRow {
            finished(accumulator, total: totals.row.episodes, orders: ordersInWindow, ordersOf: orders, query: query)
        }
        let categoryRows = byCategory.sorted { a, b in
            guard a.key >= 0, b.key >= 0 else { return a.key > b.key }
            return insights.names[Int(a.key)].utf8.lexicographicallyPrecedes(insights.names[Int(b.key)].utf8)
        }.map { finish($0.value) }
        let channelRows = byChannel.sorted { a, b in (a.key < 0) != (b.key < 0) ? b.key < 0 : a.key < b.key }
            .map { finish($0.value) }
        var report = InsightsReport(
            byCategory: categoryRows, byChannel: channelRows, totals: finish(totals), orders: ordersInWindow,
            baseline30: RepeatPurchase(), baseline90: RepeatPurchase(),
            unattributedScores: insights.unattributedScores, unattributedCompensations: unattributed,
            unattributedAmounts: amounts(unattributedAmounts), from: from, to: to, moment: moment,
            costCurrency: query.costPerTouch != nil || query.costPerHour != nil ? query.currency : nil)
        report.baseline30 = repeatPurchases(anchors: firstOrders, days: 30, orders: orders)
        report.baseline90 = repeatPurchases(anchors: firstOrders, days: 90, orders: orders)
        return report
    }

    /// An empty row of the category named at `category` (−1: none).
    func empty(category: Int32) -> Accumulator { Accumulator(row: InsightsRow(key: insights.name(category))) }
    /// An empty row of the channel of raw value `channel` (−1: none).
    static func empty(channel: Int) -> Accumulator {
        Accumulator(row: InsightsRow(key: channel >= 0 ? Channel(rawValue: UInt8(channel))?.name : nil))
    }

    /// Adds the episode of record `index` to `accumulator`.
    private func add(
        _ record: InsightsProjection.Record, _ index: Int, customer: String?, to accumulator: inout Accumulator
    ) {
        accumulator.row.episodes += 1
        accumulator.conversations.insert(record.conversation)
        if record.isReopen { accumulator.row.reopens += 1 }
        accumulator.row.touches += record.touches
        if let response = record.firstResponse {
            accumulator.frt.append(Duration64.seconds(from: record.start, to: response).seconds)
        }
        accumulator.row.handled = Self.adding(
            accumulator.row.handled, InsightsProjection.handled(record, at: moment))
        if record.csat > 0 {
            accumulator.row.csatResponses += 1
            accumulator.csatSum += Int(record.csat)
            if record.csat >= 4 { accumulator.row.csatSatisfied += 1 }
        }
        guard let resolved = record.resolved else { return }
        accumulator.row.resolved += 1
        if record.csat > 0 { accumulator.row.csatResolvedResponses += 1 }
        accumulator.resolution.append(Duration64.seconds(from: record.start, to: resolved).seconds)
        if record.touches == 1 {
            let windowEnd = Self.adding(resolved, 7 * Self.day)
            if let next = record.nextStart {
                if next > windowEnd { accumulator.row.firstContactResolutions += 1 }
            } else if horizon > windowEnd {
                accumulator.row.firstContactResolutions += 1
            } else {
                accumulator.row.firstContactPending += 1
            }
        }
        if let customer { accumulator.anchors[customer] = min(accumulator.anchors[customer] ?? .max, resolved) }
    }

    /// The rates, percentiles, costs and repeat purchases of a gathered row.
    private func finished(
        _ accumulator: Accumulator, total: Int, orders: Int, ordersOf: [String: [Int64]], query: InsightsReport.Query
    ) -> InsightsRow {
        var row = accumulator.row
        func ratio(_ a: Int, _ b: Int) -> Double? { b > 0 ? Double(a) / Double(b) : nil }
        row.share = ratio(row.episodes, total)
        row.conversations = accumulator.conversations.count
        row.reopenRate = ratio(row.reopens, row.episodes)
        row.firstResponse = DurationStats(accumulator.frt)
        row.resolution = DurationStats(accumulator.resolution)
        row.touchesMean = ratio(row.touches, row.episodes)
        row.firstContactRate = ratio(row.firstContactResolutions, row.resolved - row.firstContactPending)
        row.csatMean = ratio(accumulator.csatSum, row.csatResponses)
        row.csatSatisfiedShare = ratio(row.csatSatisfied, row.csatResponses)
        row.csatResponseRate = ratio(row.csatResolvedResponses, row.resolved)
        row.amounts = amounts(accumulator.amounts)
        row.compensationsPerConversation = ratio(row.compensations, row.conversations)
        if query.costPerTouch != nil || query.costPerHour != nil {
            let cost = Self.cost(
                touches: row.touches, handled: row.handled, perTouch: query.costPerTouch ?? 0,
                perHour: query.costPerHour ?? 0)
            row.cost = cost
            row.costPerEpisode = row.episodes > 0 ? Self.divideRoundingHalfUp(cost, row.episodes) : nil
        }
        row.contactsPer100Orders = orders > 0 ? Double(row.episodes) * 100 / Double(orders) : nil
        row.repeat30 = repeatPurchases(anchors: accumulator.anchors, days: 30, orders: ordersOf)
        row.repeat90 = repeatPurchases(anchors: accumulator.anchors, days: 90, orders: ordersOf)
        return row
    }

    /// Repeat purchases: per anchor, an order after it and at most `days` days later.
    func repeatPurchases(anchors: [String: Int64], days: Int64, orders: [String: [Int64]]) -> RepeatPurchase {
        var result = RepeatPurchase()
        for (customer, anchor) in anchors {
            result.customers += 1
            let end = Self.adding(anchor, days * Self.day)
            let times = orders[customer] ?? []
            // The first order strictly after the anchor (binary search in the sorted times).
            var low = 0
            var high = times.count
            while low < high {
                let mid = (low + high) / 2
                if times[mid] <= anchor { low = mid + 1 } else { high = mid }
            }
            if low < times.count && times[low] <= end {
                result.repeated += 1
            } else if moment <= end {
                result.pending += 1
            }
        }
        return result
    }

    /// Amounts per currency index as sorted currency amounts.
    func amounts(_ byCurrency: [Int32: Int]) -> [CurrencyAmount] {
        byCurrency.map { CurrencyAmount(currency: insights.names[Int($0.key)], amount: $0.value) }
            .sorted { $0.currency < $1.currency }
    }

    /// touches × perTouch + handled (ns) × perHour / 1 h, the second rounded half up to a minor unit;
    /// saturating at the largest integer.
    static func cost(touches: Int, handled: Int64, perTouch: Int, perHour: Int) -> Int {
        let (touchCost, touchOverflow) = touches.multipliedReportingOverflow(by: perTouch)
        let product = handled.multipliedFullWidth(by: Int64(perHour))
        guard !touchOverflow, product.high < nanosecondsPerHour / 2 else { return .max }
        let (quotient, remainder) = nanosecondsPerHour.dividingFullWidth(product)
        let hourCost = remainder * 2 >= nanosecondsPerHour ? quotient + 1 : quotient
        return adding(touchCost, Int(hourCost))
    }

    /// a / b rounded half up (a ≥ 0, b > 0).
    static func divideRoundingHalfUp(_ a: Int, _ b: Int) -> Int {
        let (quotient, remainder) = a.quotientAndRemainder(dividingBy: b)
        return remainder >= b - remainder ? quotient + 1 : quotient
    }

    /// `a + b`, saturating at the largest value.
    static func adding<T: FixedWidthInteger>(_ a: T, _ b: T) -> T {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}

extension InsightsBuilder.Accumulator {
    /// Counts a compensation attributed to one of the row's episodes.
    mutating func count(_ compensation: InsightsProjection.Compensation) {
        row.compensations += 1
        amounts[compensation.currency] = InsightsBuilder.adding(
            amounts[compensation.currency] ?? 0, compensation.amount)
    }
}
