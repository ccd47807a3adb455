import Foundation
import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyCLI
@testable import ParleyProjections

/// Hand-worked scenarios: each folder of `Fixtures/projections` holds an `events.jsonl` and the report
/// `parley kpi` must print for it, worked out by hand from the rules of issue #3 (the reasoning is in
/// `Fixtures/projections/README.md`; no expected file was produced by running the code).
///
/// Each events file goes through the JSON Lines decoder into a real log (one frame per event, a stepping
/// clock), is replayed with ``Replay``, and the JSON report is compared field by field with the fixture.
@Suite struct ScenarioTests {
    /// One fixture and the `parley kpi` options it was worked out for.
    struct Scenario: Sendable, CustomTestStringConvertible {
        var folder: String
        var by: Bucketing.Size = .day
        var channel: Channel? = nil
        var category: String? = nil
        var timeZone: String? = nil
        var expected = "expected.json"

        var query: KPIReport.Query {
            KPIReport.Query(size: by, channel: channel, category: category, timeZone: timeZone)
        }

        var testDescription: String {
            var options = ["--by", by.rawValue]
            if let channel { options += ["--channel", channel.name] }
            if let category { options += ["--category", category] }
            if let timeZone { options += ["--tz", timeZone] }
            return "\(folder)/\(expected) (kpi \(options.joined(separator: " ")))"
        }
    }

    static let scenarios: [Scenario] = [
        Scenario(folder: "reopen-fcr-7-days"),
        Scenario(folder: "auto-acknowledgement"),
        Scenario(folder: "resolve-without-reply"),
        Scenario(folder: "resolve-outside-episode"),
        Scenario(folder: "reply-outside-episode"),
        Scenario(folder: "pending-backlog-across-days"),
        Scenario(folder: "late-email"),
        Scenario(folder: "reassignment"),
        Scenario(folder: "empty-buckets"),
        Scenario(folder: "iso-week-year-boundary", by: .week),
        Scenario(folder: "percentiles"),
        Scenario(folder: "channel-filter", channel: .chat),
        Scenario(folder: "channel-filter", expected: "expected-unfiltered.json"),
        Scenario(folder: "category-filter", category: "billing"),
        Scenario(folder: "fcr-seven-day-boundary"),
        Scenario(folder: "dst-time-zone", timeZone: "Europe/Paris"),
        Scenario(folder: "dst-time-zone", expected: "expected-utc.json"),
        Scenario(folder: "month-buckets", by: .month),
        Scenario(folder: "quiet-ends-trimmed"),
    ]

    @Test(arguments: scenarios)
    func reportMatchesTheHandWorkedFixture(_ scenario: Scenario) throws {
        let events = try TestLog.decode(ProjectionFixtures.text(scenario.folder, "events.jsonl"))
        let expected = try JSONSubset.parse(ProjectionFixtures.text(scenario.folder, scenario.expected))
        try withTemporaryPath { directory in
            let path = directory + "/kpi.log"
            try TestLog.write(events, to: path)
            let result = try KPIRun.run(path: path, query: scenario.query)
            let differences = JSONSubset.differences(expected: expected, actual: try JSONSubset.parse(result.json))
            let report = differences.joined(separator: "\n")
            #expect(differences.isEmpty, "\(scenario.folder)/\(scenario.expected):\n\(report)\nactual: \(result.json)")
            // The replay (texts left out) and the events fed straight to a collector agree.
            #expect(KPIRun.report(events, query: scenario.query) == result.report)
        }
    }

    /// A folder added to `Fixtures/projections` without an entry above would never run.
    @Test func everyFixtureFolderIsATestCaseAndIsExplainedInTheReadme() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: ProjectionFixtures.folder.path)
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }
        #expect(Set(folders) == Set(Self.scenarios.map(\.folder)))
        let readme = try String(
            contentsOf: ProjectionFixtures.folder.appendingPathComponent("README.md"), encoding: .utf8)
        for folder in folders { #expect(readme.contains("## \(folder)"), "README.md does not explain \(folder)") }
    }

    // MARK: Random streams against a second statement of the rules

    /// Random streams (several conversations, every type, late events, offsets) give the report that
    /// ``ReferenceModel``, a deliberately naive second implementation of the rules, gives: bucket by
    /// bucket, for both sizes and both filters.
    @Test(arguments: RandomStream.seeds)
    func randomStreamsMatchAModelOfTheRules(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let events = RandomStream.events(count: 400, using: &random)
        let model = ReferenceModel(events)
        let queries =
            ReplayLimitTests.queries + [
                KPIReport.Query(size: .day, channel: .email), KPIReport.Query(size: .day, category: "shipping"),
            ]
        // The model lists every bucket from the first event to the last: so does the report when --from/--to
        // ask for them (without, quiet buckets at the ends are left out: quietEndsAreTrimmed…).
        let times = events.map(\.at.nanoseconds)
        let from = String(Timestamp(nanoseconds: times.min() ?? 0).rfc3339.prefix(10))
        let to = String(Timestamp(nanoseconds: times.max() ?? 0).rfc3339.prefix(10))
        for var query in queries {
            (query.from, query.to) = (from, to)
            let report = try #require(KPIRun.report(events, query: query))
            let (buckets, negative) = model.buckets(query.size, channel: query.channel, category: query.category)
            let context = "seed \(seed), \(query.size) channel \(query.channel?.name ?? "-") \(query.category ?? "-")"
            #expect(report.buckets.count == buckets.count, "\(context)")
            var differences: [String] = []
            for (got, want) in zip(report.buckets, buckets) {
                differences += Self.differences(got, want).map { "\(want.label): \($0)" }
            }
            let empty = ReferenceModel.Bucket(label: "total", messagesByChannel: [Int](repeating: 0, count: 10))
            let total = buckets.reduce(into: empty) {
                $0.messagesByChannel = zip($0.messagesByChannel, $1.messagesByChannel).map { $0 + $1 }
                $0.newEpisodes += $1.newEpisodes
                $0.reopens += $1.reopens
                $0.firstResponses += $1.firstResponses
                $0.resolutions += $1.resolutions
                $0.touches += $1.touches
                $0.firstContact += $1.firstContact
                $0.firstContactPending += $1.firstContactPending
                $0.backlogEnd = $1.backlogEnd
            }
            differences += Self.differences(report.totals, total).map { "total: \($0)" }
            #expect(differences.isEmpty, "\(context): \(differences.prefix(12))")
            #expect(report.anomalies.negativeDurations == negative, "\(context)")
            #expect(report.anomalies.repliesOutsideEpisodes == model.repliesOutside)
            #expect(report.anomalies.resolvesOutsideEpisodes == model.resolvesOutside)
        }
        // The streams are not vacuous: every rule had something to act on.
        let day = model.buckets(.day)
        #expect(model.episodes.contains { $0.isReopen })
        #expect(model.episodes.contains { $0.resolved == nil })
        #expect(model.repliesOutside > 0 && model.resolvesOutside > 0 && day.negativeDurations > 0)
        #expect(day.buckets.contains { $0.firstContact > 0 } && day.buckets.contains { $0.firstContactPending > 0 })
        #expect(day.buckets.contains { $0.backlogEnd > 1 } && day.buckets.contains { $0.newEpisodes == 0 })
    }

    /// In most of the random streams, late events give some conversation two episodes open at the end of a
    /// day: the comparison above then checks that the backlog counts that conversation once.
    @Test func randomStreamsHaveConversationsWithOverlappingEpisodes() {
        let overlapping = RandomStream.seeds.filter { seed in
            var random = SplitMix64(seed: seed)
            let model = ReferenceModel(RandomStream.events(count: 400, using: &random))
            return model.buckets(.day).buckets.contains { $0.backlogEpisodes > $0.backlogEnd }
        }
        #expect(overlapping.count * 2 > RandomStream.seeds.count, "\(overlapping)")
    }

    static func differences(_ got: BucketKPIs, _ want: ReferenceModel.Bucket) -> [String] {
        var found: [String] = []
        func check<T: Equatable>(_ name: String, _ left: T, _ right: T) {
            if left != right { found.append("\(name) \(left), expected \(right)") }
        }
        func check(_ name: String, _ stats: DurationStats, _ values: [Double]) {
            let sorted = values.sorted()
            check(name + ".count", stats.count, values.count)
            check(name + ".p50", stats.p50, Percentile.nearestRank(sorted, percent: 50))
            check(name + ".p90", stats.p90, Percentile.nearestRank(sorted, percent: 90))
            let mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            if let mean, let actual = stats.mean {
                if abs(actual - mean) > 1e-6 * max(1, mean) { found.append("\(name).mean \(actual), expected \(mean)") }
            } else {
                check(name + ".mean", stats.mean, mean)
            }
        }
        check("messages", got.messagesByChannel, want.messagesByChannel)
        check("new_episodes", got.newEpisodes, want.newEpisodes)
        check("reopens", got.reopens, want.reopens)
        check("frt", got.firstResponse, want.firstResponses)
        check("resolution", got.resolution, want.resolutions)
        let touchesMean = want.newEpisodes > 0 ? Double(want.touches) / Double(want.newEpisodes) : nil
        check("touches_mean", got.touchesMean, touchesMean)
        check("fcr", got.firstContactResolutions, want.firstContact)
        check("fcr_pending", got.firstContactPending, want.firstContactPending)
        check("backlog_end", got.backlogEnd, want.backlogEnd)
        return found
    }

    // MARK: Range options

    /// `--from/--to` list exactly the buckets asked for; an episode that started before the range still
    /// counts in the backlog at the end of the buckets listed, but its FRT and resolution do not.
    /// Fixture `pending-backlog-across-days`: c1 open 03-02 15:00 → resolved 03-04 12:00, c2 started by
    /// `pending` on 03-03 09:00 and never resolved.
    @Test func fromAndToChooseTheBucketsAndCarryTheBacklogIn() throws {
        let events = try TestLog.decode(ProjectionFixtures.text("pending-backlog-across-days", "events.jsonl"))
        let oneDay = try #require(
            KPIRun.report(events, query: KPIReport.Query(size: .day, from: "2026-03-03", to: "2026-03-03")))
        #expect(oneDay.buckets.map(\.label) == ["2026-03-03"])
        #expect(oneDay.buckets[0].newEpisodes == 1)
        #expect(oneDay.buckets[0].backlogEnd == 2)
        #expect(oneDay.totals.newEpisodes == 1)
        #expect(oneDay.totals.firstResponse.count == 0)
        #expect(oneDay.totals.resolution.count == 0)
        #expect(oneDay.totals.messages == 0)
        #expect(oneDay.totals.backlogEnd == 2)

        let wider = try #require(
            KPIRun.report(events, query: KPIReport.Query(size: .day, from: "2026-03-01", to: "2026-03-05")))
        #expect(wider.buckets.map(\.label) == ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"])
        #expect(wider.buckets.map(\.backlogEnd) == [0, 1, 2, 1, 1])
        #expect(wider.buckets.map(\.messages) == [0, 1, 0, 1, 0])
        #expect(wider.totals.newEpisodes == 2)
        #expect(wider.totals.backlogEnd == 1)

        #expect(KPIRun.report(events, query: KPIReport.Query(size: .day, from: "2026-3-3")) == nil)
    }

    /// Backlog at the end of a bucket is start < end ≤ resolve: an episode resolved exactly at midnight is
    /// still in the backlog of the day before; one started exactly at midnight is not.
    @Test func backlogAtMidnightBoundaries() throws {
        let events = [
            Make.message("c1", Make.time("2026-03-02T22:00:00Z")),
            Make.status("c1", Make.time("2026-03-03T00:00:00Z"), .resolved),
            Make.message("c2", Make.time("2026-03-03T00:00:00Z")),
            Make.reply("c2", Make.time("2026-03-03T01:00:00Z")),
            Make.status("c2", Make.time("2026-03-04T00:00:00Z"), .resolved),
        ]
        let report = try #require(KPIRun.report(events, query: KPIReport.Query(size: .day)))
        #expect(report.buckets.map(\.label) == ["2026-03-02", "2026-03-03", "2026-03-04"])
        #expect(report.buckets.map(\.backlogEnd) == [1, 1, 0])
        #expect(report.buckets.map(\.newEpisodes) == [1, 1, 0])
        #expect(report.buckets.map(\.resolution.mean) == [7200, 86400, nil])
        #expect(report.buckets.map(\.firstResponse.mean) == [nil, 3600, nil])
    }

    /// `--from`/`--to` that are not dates are a usage error (`make` returns nil), whatever the log holds:
    /// today an empty log accepts them silently (KPIReport.make returns before it parses them), so
    /// `parley kpi --from 2026-3-3` exits 0 on an empty log and 64 on any other.
    @Test func badDatesAreRefusedEvenForAnEmptyLog() {
        #expect(KPIRun.report([], query: KPIReport.Query(size: .day, from: "2026-3-3")) == nil)
        #expect(KPIRun.report([], query: KPIReport.Query(size: .day, to: "yesterday")) == nil)
    }

    /// Quiet buckets at the ends (no message, no episode started or resolved) are left out, whatever the
    /// events there are: a note and a policy four days apart give no bucket. `--from`/`--to` ask for them:
    /// four empty days.
    @Test func quietEndsAreTrimmedUnlessFromAndToAskForThem() throws {
        let events = try TestLog.decode(
            """
            {"type":"note_added","at":"2026-03-02T10:00:00Z","conversation":"c1","author":"agent:ana","body":"x"}
            {"type":"policy_set","at":"2026-03-05T10:00:00Z","policy":{"first_response_minutes":30}}
            """)
        let trimmed = try #require(KPIRun.report(events, query: KPIReport.Query(size: .day)))
        #expect(trimmed.buckets.isEmpty)
        let query = KPIReport.Query(size: .day, from: "2026-03-02", to: "2026-03-05")
        let report = try #require(KPIRun.report(events, query: query))
        #expect(report.buckets.map(\.label) == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"])
        #expect(report.buckets.allSatisfy { $0.messages == 0 && $0.newEpisodes == 0 && $0.backlogEnd == 0 })
        #expect(report.totals.touchesMean == nil)
    }

    /// An empty log has no buckets and zero totals.
    @Test func emptyLogHasNoBuckets() throws {
        let report = try #require(KPIRun.report([], query: KPIReport.Query(size: .week)))
        #expect(report.buckets.isEmpty)
        #expect(report.totals.newEpisodes == 0)
        #expect(report.totals.firstResponse == DurationStats([]))
        let json = try JSONSubset.parse(report.json())
        let expected = try JSONSubset.parse(
            #"{"by":"week","buckets":[],"totals":{"messages":{"total":0},"new_episodes":0,"backlog_end":0,"#
                + #""frt":{"count":0,"mean":null,"p50":null,"p90":null},"touches_mean":null}}"#)
        #expect(JSONSubset.differences(expected: expected, actual: json) == [])
    }

    // MARK: Times at the ends of the representable range (1677-09-21 … 2262-04-11)

    /// EVENTS.md accepts years up to 2262. A one-touch episode resolved on 2262-04-09: its first-contact
    /// window (resolve + 7 days) lies past the last representable nanosecond, so it can never be over
    /// (pending), and computing it must not trap (KPIReport.swift: `resolved + sevenDays <= horizon`).
    /// Checked in a child process: a trap there fails this test instead of ending the test run.
    @Test func firstContactWindowPastTheEndOfTimeDoesNotCrash() async {
        await #expect(processExitsWith: .success) {
            let report = KPIRun.report(
                ScenarioTests.resolvedOnTheEveOfTheEndOfTime(), query: KPIReport.Query(size: .day))
            precondition(report?.totals.firstContactPending == 1 && report?.totals.firstContactResolutions == 0)
        }
    }

    /// A late message dated centuries before the resolve it follows: the gap to the next episode must not
    /// trap (KPIReport.swift: `next - resolved`).
    /// It is a reopen, within 7 days of the resolve (before it, even), so no first-contact resolution.
    @Test func reopenCenturiesBeforeTheResolveDoesNotCrash() async {
        await #expect(processExitsWith: .success) {
            let report = KPIRun.report(ScenarioTests.lateMessageCenturiesEarlier(), query: KPIReport.Query(size: .week))
            precondition(report?.totals.reopens == 1 && report?.totals.firstContactResolutions == 0)
            precondition(report?.totals.firstContactPending == 0)
        }
    }

    /// The log accepts every instant from 1677-09-21T00:12:43.145224192Z; bucketing one from the first
    /// day or week must not trap (Bucketing.swift: `start(of:)` overflows below Int64.min), and the
    /// labels are those of that Tuesday: `1677-09-21`, ISO week `1677-W38`, month `1677-09`.
    @Test(arguments: [Bucketing.Size.day, .week, .month])
    func earliestRepresentableDayDoesNotCrash(_ size: Bucketing.Size) async {
        switch size {
        case .day:
            await #expect(processExitsWith: .success) {
                let report = KPIRun.report(ScenarioTests.messageOnTheFirstDay(), query: KPIReport.Query(size: .day))
                precondition(report?.buckets.map(\.label) == ["1677-09-21"])
            }
        case .week:
            await #expect(processExitsWith: .success) {
                let report = KPIRun.report(ScenarioTests.messageOnTheFirstDay(), query: KPIReport.Query(size: .week))
                precondition(report?.buckets.map(\.label) == ["1677-W38"])
            }
        case .month:
            await #expect(processExitsWith: .success) {
                let report = KPIRun.report(ScenarioTests.messageOnTheFirstDay(), query: KPIReport.Query(size: .month))
                precondition(report?.buckets.map(\.label) == ["1677-09"])
            }
        }
    }

    /// 550 years from message to resolve: the resolution time is 550 years of seconds, not a wrapped
    /// negative number clamped to 0 (Episode.swift: `to &- from` wraps past Int64).
    @Test func resolutionAcrossCenturiesDoesNotWrap() throws {
        let start = Make.time("1700-01-01T00:00:00Z")
        let resolved = Make.time("2250-01-01T00:00:00Z")
        let events = [Make.message("c1", start), Make.status("c1", resolved, .resolved)]
        let report = try #require(KPIRun.report(events, query: KPIReport.Query(size: .week)))
        // Whole seconds on both sides: no nanosecond arithmetic that could overflow.
        let seconds = Double(resolved.nanoseconds / 1_000_000_000 - start.nanoseconds / 1_000_000_000)
        #expect(report.totals.resolution.mean == seconds)
        #expect(report.anomalies.negativeDurations == 0)
    }

    static func resolvedOnTheEveOfTheEndOfTime() -> [Event] {
        [
            Make.message("c1", Make.time("2262-04-09T00:00:00Z")),
            Make.reply("c1", Make.time("2262-04-09T00:10:00Z")),
            Make.status("c1", Make.time("2262-04-09T01:00:00Z"), .resolved),
        ]
    }

    static func lateMessageCenturiesEarlier() -> [Event] {
        [
            Make.message("c1", Make.time("2250-01-01T00:00:00Z")),
            Make.reply("c1", Make.time("2250-01-01T00:10:00Z")),
            Make.status("c1", Make.time("2250-01-01T01:00:00Z"), .resolved),
            Make.message("c1", Make.time("1700-01-01T00:00:00Z")),
        ]
    }

    static func messageOnTheFirstDay() -> [Event] {
        [Make.message("c1", Make.time("1677-09-21T00:30:00Z"))]
    }
}
