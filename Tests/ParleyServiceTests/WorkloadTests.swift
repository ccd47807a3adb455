import Foundation
import ParleyEvents
import ParleyProjections
import ParleyService
import ParleyTestSupport
import Testing

/// `LogQueries.workload`: agents, bots and team queues as routing sees them, judged at a pinned clock of
/// 2026-03-02T10:00:00Z (or, with a sequence number, at the latest event time replayed).
@Suite(.dedicatedThread) struct WorkloadTests {
    /// Finance has nobody: c2 and c3 wait there. Support has agent:ana (capacity 1) and agent:bo (away):
    /// ana takes c1 when the bot escalates it, so c5, escalated next, waits; c6 stays with the bot.
    static let lines = [
        ExplainTestLog.rules(at: "2026-03-02T08:00:00Z"),  // 1
        #"{"type":"agent_status","at":"2026-03-02T08:01:00Z","agent":"agent:ana","status":"online","teams":["support"],"capacity":1}"#,
        #"{"type":"agent_status","at":"2026-03-02T08:02:00Z","agent":"agent:bo","status":"away","teams":["support"],"skills":["fr"]}"#,
        #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"cust-1","channel":"email","body":"hello"}"#,
        // 5 routed, 6 assigned to bot:faq
        #"{"type":"message_received","at":"2026-03-02T09:30:00Z","conversation":"c2","customer":"cust-2","channel":"chat","body":"refund my invoice please"}"#,
        // 8 routed to finance
        #"{"type":"message_received","at":"2026-03-02T09:40:00Z","conversation":"c3","customer":"cust-3","channel":"chat","body":"invoice wrong"}"#,
        // 10 routed to finance
        #"{"type":"escalated","at":"2026-03-02T09:45:00Z","conversation":"c1","by":"bot:faq","reason":"customer_asked"}"#,
        // 12 routed (human), 13 assigned to agent:ana
        #"{"type":"message_received","at":"2026-03-02T09:50:00Z","conversation":"c5","customer":"cust-5","channel":"chat","body":"hi"}"#,
        // 15 routed, 16 assigned to bot:faq
        #"{"type":"escalated","at":"2026-03-02T09:55:00Z","conversation":"c5","by":"bot:faq","reason":"negative"}"#,
        // 18 routed (human): nobody can take it
        #"{"type":"message_received","at":"2026-03-02T09:58:00Z","conversation":"c6","customer":"cust-6","channel":"chat","body":"hi there"}"#,
    ]

    @Test func agentsShowStatusLoadCapacityAndSkills() throws {
        let (log, queries) = try ExplainTestLog.write(Self.lines)
        let answer = try queries.workload(scope: QueryScope())
        #expect(answer.now == ExplainTestLog.ten)
        #expect(answer.hasRules)
        #expect(
            answer.agents == [
                WorkloadAnswer.AgentRow(
                    id: "agent:ana", status: .online, since: ExplainTestLog.time("2026-03-02T08:01:00Z"),
                    teams: ["support"], open: ["c1"], capacity: 1, skills: []),
                WorkloadAnswer.AgentRow(
                    id: "agent:bo", status: .away, since: ExplainTestLog.time("2026-03-02T08:02:00Z"),
                    teams: ["support"], open: [], capacity: nil, skills: ["fr"]),
            ])
        // The bot keeps c5 until someone can take it: one owner at any time.
        #expect(answer.bots == [WorkloadAnswer.BotRow(id: "bot:faq", open: ["c5", "c6"])])
        _ = log
    }

    @Test func teamsCountWhoCanTakeConversationsAndHowLongTheQueueHasWaited() throws {
        let (log, queries) = try ExplainTestLog.write(Self.lines)
        let answer = try queries.workload(scope: QueryScope())
        #expect(answer.teams.map(\.team) == ["finance", "support"])
        let finance = answer.teams[0]
        #expect(finance.members == 0 && finance.online == 0 && finance.withRoom == 0)
        #expect(finance.waiting == ["c2", "c3"])
        #expect(finance.oldest == "c2")
        #expect(finance.oldestSince == ExplainTestLog.time("2026-03-02T09:30:00Z"))
        #expect(finance.oldestWaitSeconds == Double(30 * 60))
        let support = answer.teams[1]
        #expect(support.members == 2 && support.online == 1 && support.withRoom == 0)
        #expect(support.waiting == ["c5"])
        #expect(support.oldestWaitSeconds == Double(10 * 60))
        _ = log
    }

    @Test func untilSeqShowsTheWorkloadAsItStoodThen() throws {
        let (log, queries) = try ExplainTestLog.write(Self.lines)
        let answer = try queries.workload(scope: QueryScope(untilSeq: 10))
        #expect(answer.now == ExplainTestLog.time("2026-03-02T09:40:00Z"))
        #expect(answer.agents.map(\.open) == [[], []])
        #expect(answer.bots == [WorkloadAnswer.BotRow(id: "bot:faq", open: ["c1"])])
        #expect(answer.teams.map(\.waiting) == [["c2", "c3"], []])
        #expect(answer.teams[0].oldestWaitSeconds == Double(10 * 60))
        #expect(answer.teams[1].withRoom == 1)
        _ = log
    }

    @Test func aLogWithoutRulesOrAgentsHasNothingToShow() throws {
        let (log, queries) = try ExplainTestLog.write([
            #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"ann","channel":"email","body":"hello"}"#,
            #"{"type":"assigned","at":"2026-03-02T09:01:00Z","conversation":"c1","assignee":"agent:ana","team":"support"}"#,
        ])
        let answer = try queries.workload(scope: QueryScope())
        #expect(!answer.hasRules)
        #expect(answer.bots.isEmpty)
        // An agent only a hand assignment named: status unknown, with the conversation it owns.
        #expect(
            answer.agents == [
                WorkloadAnswer.AgentRow(
                    id: "agent:ana", status: nil, since: nil, teams: [], open: ["c1"], capacity: nil, skills: [])
            ])
        #expect(answer.teams.isEmpty)
        let empty = try queries.workload(scope: QueryScope(untilSeq: 1))
        #expect(empty.agents.isEmpty && empty.bots.isEmpty && empty.teams.isEmpty && !empty.hasRules)
        _ = log
    }
}
