import Foundation
import ParleyReport
import ParleyService
import ParleyTestSupport
import Testing

/// `LogQueries.weeklyReport` on the fixture log, checked against figures worked out here from the fixture's
/// JSON Lines alone (each of its conversations has one episode: one message, at most one reply, at most
/// one resolve).
@Suite(.dedicatedThread) struct WeeklyReportQueryTests {
    /// One conversation of the fixture, as its events give it.
    struct Conversation {
        var start: String
        var channel: String
        var reply: String?
        var resolved: String?
    }

    static func fixtureConversations() throws -> [String: Conversation] {
        let text = try String(
            contentsOf: ReportSandbox.fixtures.appendingPathComponent("events.jsonl"), encoding: .utf8)
        var conversations: [String: Conversation] = [:]
        for line in text.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard let id = object["conversation"] as? String, let at = object["at"] as? String else { continue }
            switch object["type"] as? String {
            case "message_received":
                #expect(conversations[id] == nil, "the fixture has one message per conversation")
                conversations[id] = Conversation(start: at, channel: object["channel"] as? String ?? "")
            case "reply_sent" where conversations[id]?.reply == nil: conversations[id]?.reply = at
            case "status_changed": conversations[id]?.resolved = at
            default: break
            }
        }
        return conversations
    }

    /// Seconds between two RFC 3339 UTC times of the fixture.
    static func seconds(_ from: String, _ to: String) -> Double {
        let format = ISO8601DateFormatter()
        return format.date(from: to)!.timeIntervalSince(format.date(from: from)!)
    }

    @Test func daysAndHeadlineAgreeWithTheFixturesEvents() throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        let answer = try LogQueries(path: sandbox.log, clock: { ReportSandbox.now }).weeklyReport(
            week: "2026-W10", timeZone: nil, scope: QueryScope())
        let report = answer.report
        let conversations = try Self.fixtureConversations()
        #expect(report.week == "2026-W10" && report.timeZone == "UTC")
        #expect(report.days.map(\.date) == (2...8).map { "2026-03-0\($0)" })

        for day in report.days {
            let started = conversations.values.filter { $0.start.hasPrefix(day.date) }
            #expect(day.episodes == started.count, "\(day.date)")
            for (column, channel) in report.channels.enumerated() {
                #expect(
                    day.messagesByChannel[column] == started.filter { $0.channel == channel }.count,
                    "\(day.date) \(channel)")
            }
            // Open at the end of the day: started before midnight, not resolved by then.
            let midnight = day.date + "T24:00:00Z"
            let open = conversations.values.filter { $0.start < midnight && ($0.resolved ?? "~") >= midnight }
            #expect(day.backlogEnd == open.count, "\(day.date)")
        }

        func headline(_ metric: HeadlineMetric) -> WeeklyReport.Headline? {
            report.headline.first { $0.metric == metric }
        }
        let thisWeek = conversations.values.filter { $0.start >= "2026-03-02" && $0.start < "2026-03-09" }
        let lastWeek = conversations.values.filter { $0.start >= "2026-02-23" && $0.start < "2026-03-02" }
        #expect(headline(.messages)?.current == Double(thisWeek.count))
        #expect(headline(.messages)?.previous == Double(lastWeek.count))
        // Nearest rank: the ⌈0.5·n⌉-th and ⌈0.9·n⌉-th smallest first response times.
        var responses: [Double] = []
        for conversation in thisWeek {
            if let reply = conversation.reply { responses.append(Self.seconds(conversation.start, reply)) }
        }
        responses.sort()
        let p50: Double = responses[(responses.count + 1) / 2 - 1]
        let p90: Double = responses[(9 * responses.count + 9) / 10 - 1]
        #expect(headline(.firstResponseP50)?.current == p50)
        #expect(headline(.firstResponseP90)?.current == p90)
        #expect(headline(.backlog)?.current == Double(report.days.last?.backlogEnd ?? -1))
        #expect(headline(.csat)?.current == nil)
        #expect(
            report.slaTarget
                == WeeklyReport.SLATarget(name: "Standard", firstResponseMinutes: 120, resolutionMinutes: 1440))
        // The week's categories (`insights`: the fixture records no CSAT and no compensation) and questions.
        let categories = try #require(report.categories)
        #expect(categories.map(\.episodes).reduce(0, +) == report.days.map(\.episodes).reduce(0, +))
        #expect(categories.allSatisfy { $0.csatMean == nil && $0.compensations == 0 })
        #expect(try #require(report.questions).allSatisfy { $0.count >= 5 })
        #expect(report.agents.map(\.agent) == ["agent:ana", "agent:bo", "agent:cy", "bot:faq"])
        #expect(report.agents.map(\.firstResponses).reduce(0, +) == responses.count)
        #expect(report.source == "parley.log up to seq 520")
    }

    @Test func theScopeLimitsWhatCounts() throws {
        let sandbox = try ReportSandbox()
        try sandbox.appendFixture()
        let queries = LogQueries(path: sandbox.log, clock: { ReportSandbox.now })
        let answer = try queries.weeklyReport(week: "2026-W10", timeZone: "UTC", scope: QueryScope(untilSeq: 300))
        #expect(answer.summary.lastSeq == 300)
        #expect(answer.report.source == "parley.log up to seq 300")
        let full = try queries.weeklyReport(week: "2026-W10", timeZone: nil, scope: QueryScope())
        #expect(answer.report.days.map(\.messages).reduce(0, +) < full.report.days.map(\.messages).reduce(0, +))
    }

    @Test(arguments: ["2026-W54", "W10", "2026-10"])
    func aWeekThatDoesNotExistIsRefusedNamingIt(week: String) throws {
        let sandbox = try ReportSandbox()
        #expect {
            try LogQueries(path: sandbox.log).weeklyReport(week: week, timeZone: nil, scope: QueryScope())
        } throws: { error in
            (error as? ServiceError)?.code == .invalidDate && "\(error)".contains(week)
        }
    }

    @Test func anUnknownTimeZoneIsRefusedNamingIt() throws {
        let sandbox = try ReportSandbox()
        #expect {
            try LogQueries(path: sandbox.log).weeklyReport(
                week: "2026-W10", timeZone: "Europe/Atlantis", scope: QueryScope())
        } throws: { error in
            (error as? ServiceError)?.field == "time_zone" && "\(error)".contains("Europe/Atlantis")
        }
    }
}
