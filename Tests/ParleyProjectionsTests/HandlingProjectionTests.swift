import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

/// The handling figures (docs/PROJECTIONS.md, "Handling figures") on a small hand-built log whose numbers
/// are worked out in the comments: containment, escalation rate, time to human, reassignments, per agent and
/// per team.
@Suite struct HandlingProjectionTests {
    /// Six episodes on 2026-03-02 (no rules: every assignment is by hand).
    /// - c1: a bot owns it and answers; resolved with no human reply: contained.
    /// - c2: the bot answers, escalates at 09:12; ana takes it (bot → ana: 1 reassignment) and replies at
    ///   09:15: 180 s to a human.
    /// - c3: the bot escalates at 10:01; bo takes it, then ana (2 reassignments, one away from bo); ana
    ///   replies at 10:11: 600 s to a human, and that is c3's first response (660 s after its start).
    /// - c4: bo (team sales) replies after 240 s; no bot.
    /// - c5: the bot escalates at 12:01; nobody has replied yet; still open.
    /// - c6: only an automatic reply, resolved: no owner, no team, no bot.
    static let lines = [
        #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"u1","channel":"chat","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:00:00Z","conversation":"c1","assignee":"bot:faq","team":"support"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:01:00Z","conversation":"c1","author":"bot:faq","auto":false,"body":"a"}"#,
        #"{"type":"status_changed","at":"2026-03-02T09:05:00Z","conversation":"c1","status":"resolved"}"#,
        #"{"type":"message_received","at":"2026-03-02T09:10:00Z","conversation":"c2","customer":"u2","channel":"chat","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:10:00Z","conversation":"c2","assignee":"bot:faq","team":"support"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:11:00Z","conversation":"c2","author":"bot:faq","auto":false,"body":"a"}"#,
        #"{"type":"escalated","at":"2026-03-02T09:12:00Z","conversation":"c2","by":"bot:faq","reason":"customer_asked"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:12:00Z","conversation":"c2","assignee":"agent:ana"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:15:00Z","conversation":"c2","author":"agent:ana","auto":false,"body":"b"}"#,
        #"{"type":"status_changed","at":"2026-03-02T09:30:00Z","conversation":"c2","status":"resolved"}"#,
        #"{"type":"message_received","at":"2026-03-02T10:00:00Z","conversation":"c3","customer":"u3","channel":"email","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-02T10:00:00Z","conversation":"c3","assignee":"bot:faq","team":"support"}"#,
        #"{"type":"escalated","at":"2026-03-02T10:01:00Z","conversation":"c3","by":"bot:faq","reason":"negative"}"#,
        #"{"type":"assigned","at":"2026-03-02T10:01:00Z","conversation":"c3","assignee":"agent:bo"}"#,
        #"{"type":"assigned","at":"2026-03-02T10:02:00Z","conversation":"c3","assignee":"agent:ana"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T10:11:00Z","conversation":"c3","author":"agent:ana","auto":false,"body":"b"}"#,
        #"{"type":"status_changed","at":"2026-03-02T10:20:00Z","conversation":"c3","status":"resolved"}"#,
        #"{"type":"message_received","at":"2026-03-02T11:00:00Z","conversation":"c4","customer":"u4","channel":"email","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-02T11:00:00Z","conversation":"c4","assignee":"agent:bo","team":"sales"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T11:04:00Z","conversation":"c4","author":"agent:bo","auto":false,"body":"b"}"#,
        #"{"type":"status_changed","at":"2026-03-02T11:30:00Z","conversation":"c4","status":"resolved"}"#,
        #"{"type":"message_received","at":"2026-03-02T12:00:00Z","conversation":"c5","customer":"u5","channel":"chat","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-02T12:00:00Z","conversation":"c5","assignee":"bot:faq","team":"support"}"#,
        #"{"type":"escalated","at":"2026-03-02T12:01:00Z","conversation":"c5","by":"bot:faq","reason":"low_confidence"}"#,
        #"{"type":"message_received","at":"2026-03-02T12:30:00Z","conversation":"c6","customer":"u6","channel":"form","body":"hi"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T12:31:00Z","conversation":"c6","author":"system","auto":true,"body":"ack"}"#,
        #"{"type":"status_changed","at":"2026-03-02T12:40:00Z","conversation":"c6","status":"resolved"}"#,
    ]

    static func state(_ lines: [String] = lines) throws -> ProjectionState {
        var state = ProjectionState()
        for (index, event) in try TestLog.decode(lines.joined(separator: "\n")).enumerated() {
            state.apply(event, seq: UInt64(index + 1))
        }
        return state
    }

    static func report(_ lines: [String] = lines, query: KPIReport.Query? = nil) throws -> HandlingReport {
        try #require(HandlingReport.make(from: try state(lines), query: query))
    }

    @Test func totalsCountContainmentEscalationsTimeToHumanAndReassignments() throws {
        let totals = try Self.report().totals
        #expect(totals.episodes == 6)
        #expect(totals.resolved == 5)
        // c1, c2, c3 were bot-handled and resolved; only c1 without a human reply.
        #expect(totals.botHandled == 3)
        #expect(totals.contained == 1)
        #expect(totals.containment == 1.0 / 3.0)
        // c2, c3, c5 of six.
        #expect(totals.escalated == 3)
        #expect(totals.escalationRate == 0.5)
        #expect(totals.awaitingHuman == 1)
        // 180 s and 600 s: nearest-rank p50 is the first, p90 the second.
        #expect(totals.timeToHuman.count == 2)
        #expect(totals.timeToHuman.p50 == 180)
        #expect(totals.timeToHuman.p90 == 600)
        #expect(totals.timeToHuman.mean == 390)
        // c2: 1, c3: 2; over 5 resolved episodes.
        #expect(totals.reassignments == 3)
        #expect(totals.reassignmentsPerResolved == 0.6)
        #expect(try Self.report().hasHandlingEvents)
    }

    @Test func perTeamFiguresFollowTheTeamAtTheEnd() throws {
        let teams = try Self.report().teams
        #expect(teams.map(\.team) == ["sales", "support", nil])
        let support = teams[1].figures
        #expect(support.episodes == 4)
        #expect(support.resolved == 3)
        #expect(support.contained == 1 && support.botHandled == 3)
        #expect(support.escalated == 3)
        #expect(support.timeToHuman.p50 == 180 && support.timeToHuman.p90 == 600)
        #expect(support.reassignmentsPerResolved == 1)
        let sales = teams[0].figures
        #expect(sales.episodes == 1 && sales.resolved == 1 && sales.botHandled == 0 && sales.escalated == 0)
        #expect(sales.containment == nil)
        #expect(teams[2].figures.episodes == 1 && teams[2].figures.botHandled == 0)
    }

    @Test func perAgentFiguresCountOwnershipRepliesFirstResponsesAndReassignmentsAway() throws {
        let agents = try Self.report().agents
        #expect(agents.map(\.agent) == ["agent:ana", "agent:bo", "bot:faq"])
        let ana = agents[0]
        #expect(ana.resolvedOwned == 2 && ana.humanReplies == 2 && ana.reassignedAway == 0)
        #expect(ana.firstResponses.count == 1 && ana.firstResponses.p50 == 660)
        let bo = agents[1]
        #expect(bo.resolvedOwned == 1 && bo.humanReplies == 1 && bo.reassignedAway == 1)
        #expect(bo.firstResponses.count == 1 && bo.firstResponses.p50 == 240)
        let bot = agents[2]
        #expect(bot.resolvedOwned == 1 && bot.humanReplies == 0 && bot.reassignedAway == 2)
        #expect(bot.firstResponses.count == 2 && bot.firstResponses.p50 == 60)
    }

    @Test func anOwnerCarriedIntoAReopenIsTheFirstOwner() throws {
        let reopen = [
            #"{"type":"message_received","at":"2026-03-03T09:00:00Z","conversation":"c4","customer":"u4","channel":"email","body":"again"}"#,
            #"{"type":"assigned","at":"2026-03-03T09:05:00Z","conversation":"c4","assignee":"agent:bo"}"#,
            #"{"type":"assigned","at":"2026-03-03T09:06:00Z","conversation":"c4","assignee":null}"#,
            #"{"type":"assigned","at":"2026-03-03T09:07:00Z","conversation":"c4","assignee":"agent:ana"}"#,
        ]
        let report = try Self.report(Self.lines + reopen)
        // bo again (no change), unassigned (no change), then ana: one more, away from bo.
        #expect(report.totals.reassignments == 4)
        #expect(report.totals.episodes == 7)
        #expect(report.agents.first { $0.agent == "agent:bo" }?.reassignedAway == 2)
    }

    @Test func filtersKeepTheEpisodesTheKPIReportKeeps() throws {
        let chat = try Self.report(query: KPIReport.Query(size: .day, channel: .chat)).totals
        // c1, c2, c5.
        #expect(chat.episodes == 3 && chat.escalated == 2 && chat.contained == 1)
        let none = try Self.report(query: KPIReport.Query(size: .day, from: "2026-03-03")).totals
        #expect(none.episodes == 0 && none.containment == nil && none.escalationRate == nil)
        let day = try Self.report(query: KPIReport.Query(size: .day))
        #expect(day.buckets == [day.totals])
    }

    @Test func aLogWithoutAssignmentsOrEscalationsHasNoHandlingEvents() throws {
        let plain = Self.lines.filter { !$0.contains(#""type":"assigned""#) && !$0.contains(#""type":"escalated""#) }
        let report = try Self.report(plain)
        #expect(!report.hasHandlingEvents)
        #expect(report.totals.escalated == 0 && report.totals.reassignments == 0)
    }
}
