import ParleyEvents
import ParleyProjections
import ParleyReport

/// The answer of ``LogQueries/weeklyReport(week:timeZone:scope:)``.
public struct WeeklyReportAnswer: Sendable {
    /// The report, ready for ``WeeklyReportHTML/render(_:)``.
    public var report: WeeklyReport
    /// What the replay that built it read.
    public var summary: Replay.Summary
    /// What became of the checkpoint.
    public var checkpoint: CheckpointReport
}

extension LogQueries {
    /// The weekly report of ISO week `week` (docs/REPORT.md) from one replay: the KPI report by day over
    /// that week and the one before (volume by channel, FRT and resolution p50/p90, backlog, SLA), the KPI
    /// report by ISO week for the headline figures, the handling figures of the week's episodes per agent,
    /// and the targets of the SLA policy in force.
    /// - Parameters:
    ///   - week: `2026-W10` (also `2026-W1`; see ``ISOWeek``).
    ///   - timeZone: the IANA zone the days and weeks are cut in (`nil` or `UTC` for UTC). The categories
    ///     and recurring questions sections count UTC days (`insights` and `questions` take UTC dates).
    ///   - scope: how much of the log counts (`--as-of`, `--until-seq`).
    /// - Throws: ``ServiceError``: ``ServiceError/Code/invalidDate`` for a week that does not exist or a
    ///   time zone this system does not know (field `time_zone`, the reason names it); reading the log.
    public func weeklyReport(week: String, timeZone: String?, scope: QueryScope) throws(ServiceError)
        -> WeeklyReportAnswer
    {
        guard let iso = ISOWeek(week), let previous = iso.previous else {
            throw ServiceError(.invalidDate, reason: "week \"\(week)\": expected an ISO week such as 2026-W10")
        }
        // Days and weeks are cut in the zone (`kpi --tz`); checked before the replay, like the KPI report.
        let zone = timeZone ?? "UTC"
        let tz: String? = zone == "UTC" ? nil : zone
        if case .unknownTimeZone = KPIReport.check(KPIReport.Query(size: .day, timeZone: tz)) {
            var error = ServiceError(.invalidDate, reason: "unknown time zone \"\(zone)\"")
            error.field = "time_zone"
            throw error
        }
        var (state, checkpoint) = try stateWithHandling(scope)
        do {
            try state.loadSection(of: InsightsProjection.self)
            try state.loadSection(of: CustomerDirectory.self)
        } catch {
            // Loading every section finds the damage again, refuses the checkpoint and replays the log.
            (state, checkpoint) = try self.state(scope, needsConversations: true)
        }
        let from = CivilDate.iso(previous.monday)
        let to = CivilDate.iso(iso.monday + 6)
        let moment = scope.at ?? scope.limit.asOf
        let insights = InsightsReport.make(
            from: state, query: InsightsQuery(from: CivilDate.iso(iso.monday), to: to, moment: moment))
        let insightsBefore = InsightsReport.make(
            from: state,
            query: InsightsQuery(from: from, to: CivilDate.iso(previous.monday + 6), moment: moment))
        // The recurring questions of the week (first messages of its episodes), against the week before.
        let questions = try self.questions(
            QuestionsQuery(from: CivilDate.iso(iso.monday), to: CivilDate.iso(iso.monday + 7), minimum: 5),
            scope: scope)
        // The dates are made here, so the reports exist (`nil` only for a date that is not YYYY-MM-DD).
        guard
            let daily = KPIReport.make(
                from: state, query: KPIReport.Query(size: .day, from: from, to: to, timeZone: tz, moment: moment)),
            let weekly = KPIReport.make(
                from: state, query: KPIReport.Query(size: .week, from: from, to: to, timeZone: tz, moment: moment)),
            let handling = HandlingReport.make(
                from: state, query: KPIReport.Query(size: .week, from: CivilDate.iso(iso.monday), to: to, timeZone: tz))
        else { preconditionFailure("no KPI or handling report for the dates of an ISO week") }

        let byLabel = Dictionary(daily.buckets.map { ($0.label, $0) }) { first, _ in first }
        let days = iso.days.map { day -> WeeklyReport.Day in
            let date = CivilDate.iso(day)
            guard let bucket = byLabel[date] else {
                // Only an empty log has no buckets.
                return WeeklyReport.Day(
                    date: date, label: CivilDate.short(day),
                    messagesByChannel: [Int](repeating: 0, count: Channel.allCases.count), episodes: 0)
            }
            return WeeklyReport.Day(
                date: date, label: CivilDate.short(day), messagesByChannel: bucket.messagesByChannel,
                episodes: bucket.newEpisodes, firstResponseP50: bucket.firstResponse.p50,
                firstResponseP90: bucket.firstResponse.p90, resolutionP50: bucket.resolution.p50,
                resolutionP90: bucket.resolution.p90, backlogEnd: bucket.backlogEnd,
                slaFirstResponse: bucket.slaFirstResponse.map(Self.count),
                slaResolution: bucket.slaResolution.map(Self.count))
        }
        let weeks = Dictionary(weekly.buckets.map { ($0.label, $0) }) { first, _ in first }
        let report = WeeklyReport(
            week: iso.description, timeZone: zone, channels: Channel.allCases.map(\.name), days: days,
            headline: Self.headline(
                weeks[iso.description], weeks[previous.description], csat: insights?.totals.csatMean,
                csatBefore: insightsBefore?.totals.csatMean),
            // The policy in force (by event time) at the week's last instant.
            slaTarget: Self.target(
                state.conversations,
                at: (byLabel[CivilDate.iso(iso.monday + 6)]?.end ?? Int64(iso.monday + 7) * 86_400_000_000_000) - 1),
            categories: insights.map(Self.categories), questions: questions.clusters.map(Self.question),
            agents: handling.agents.map { agent in
                WeeklyReport.AgentLoadRow(
                    agent: agent.agent, resolved: agent.resolvedOwned, firstResponses: agent.firstResponses.count,
                    firstResponseP50: agent.firstResponses.p50, firstResponseP90: agent.firstResponses.p90)
            }.filter { $0.resolved > 0 || $0.firstResponses > 0 },
            source: Self.source(path: path, summary: state.summary, scope: scope))
        return WeeklyReportAnswer(report: report, summary: state.summary, checkpoint: checkpoint)
    }

    /// The headline figures of `current` against `previous` (absent weeks give absent values).
    static func headline(
        _ current: BucketKPIs?, _ previous: BucketKPIs?, csat: Double? = nil, csatBefore: Double? = nil
    ) -> [WeeklyReport.Headline] {
        func pair(_ metric: HeadlineMetric, _ value: (BucketKPIs) -> Double?) -> WeeklyReport.Headline {
            WeeklyReport.Headline(metric: metric, current: current.flatMap(value), previous: previous.flatMap(value))
        }
        return [
            pair(.messages) { Double($0.messages) },
            pair(.episodes) { Double($0.newEpisodes) },
            pair(.firstResponseP50) { $0.firstResponse.p50 },
            pair(.firstResponseP90) { $0.firstResponse.p90 },
            pair(.resolutionP50) { $0.resolution.p50 },
            pair(.resolutionP90) { $0.resolution.p90 },
            pair(.slaFirstResponse) { $0.slaFirstResponse?.attainment },
            pair(.slaResolution) { $0.slaResolution?.attainment },
            pair(.backlog) { Double($0.backlogEnd) },
            // The mean score of the surveys answered for the week's episodes (`parley insights`).
            WeeklyReport.Headline(metric: .csat, current: csat, previous: csatBefore),
        ]
    }

    /// The categories table: `parley insights` over the week's episodes.
    static func categories(_ insights: InsightsReport) -> [WeeklyReport.CategoryRow] {
        insights.byCategory.map { row in
            WeeklyReport.CategoryRow(
                category: row.key, episodes: row.episodes, share: row.share ?? 0,
                firstResponseP50: row.firstResponse.p50, resolutionP50: row.resolution.p50, csatMean: row.csatMean,
                csatResponses: row.csatResponses, compensations: row.compensations,
                amounts: row.amounts.map {
                    WeeklyReport.Money(
                        minorUnits: Int64($0.amount), currency: $0.currency, digits: MinorUnits.digits(of: $0.currency))
                })
        }
    }

    /// A recurring question (`parley questions` over the week); a cluster reuses a template when at least
    /// half its first replies are near-duplicates of another.
    static func question(_ cluster: QuestionCluster) -> WeeklyReport.QuestionRow {
        WeeklyReport.QuestionRow(
            label: cluster.label, count: cluster.count, previousCount: cluster.previousCount,
            categories: cluster.categories.map(\.name), channels: cluster.channels.map(\.name),
            examples: Array(cluster.examples.prefix(3)), reusesTemplate: cluster.templateReuse.map { $0 >= 0.5 })
    }

    static func count(_ counts: SLACounts) -> WeeklyReport.SLACount {
        WeeklyReport.SLACount(met: counts.met, breached: counts.breached, open: counts.open)
    }

    /// The normal-priority targets of the policy in force (by event time) at `time`, if any.
    static func target(_ book: ConversationBook, at time: Int64) -> WeeklyReport.SLATarget? {
        guard let current = book.policyTimeline.policy(inForceAt: time) else { return nil }
        let policy = book.policies[current].policy
        let targets = policy.targets(for: nil)
        return WeeklyReport.SLATarget(
            name: policy.name, firstResponseMinutes: targets?.firstResponse, resolutionMinutes: targets?.resolution)
    }

    /// `parley.log up to seq 412` (the file's name only: the page is the same wherever the log lies).
    static func source(path: String, summary: Replay.Summary, scope: QueryScope) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var text = name + " up to seq " + String(summary.lastSeq)
        if let at = scope.at { text += ", events up to " + Timestamp(nanoseconds: at).rfc3339 }
        if let asOf = scope.limit.asOf { text += ", as committed at " + Timestamp(nanoseconds: asOf).rfc3339 }
        return text
    }
}
