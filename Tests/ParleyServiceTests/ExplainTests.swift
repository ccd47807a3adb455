import Foundation
import ParleyEvents
import ParleyLog
import ParleyProjections
import ParleyService
import ParleyTestSupport
import Testing

/// `LogQueries.explain`: every change of a conversation's handling, with the decision's reason, in log
/// order, on a log written with routing (decisions appended right after their causes).
@Suite(.dedicatedThread) struct ExplainTests {
    /// c1: a bot takes it, escalates it, routing gives it to agent:ana, then someone hands it to agent:bo.
    static let lines = [
        ExplainTestLog.rules(at: "2026-03-02T08:00:00Z"),  // 1
        #"{"type":"agent_status","at":"2026-03-02T08:01:00Z","agent":"agent:ana","status":"online","teams":["support"],"capacity":2}"#,
        #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"cust-1","channel":"email","subject":"My order","body":"where is my order"}"#,
        // 4 routed (automation), 5 assigned to bot:faq
        #"{"type":"escalated","at":"2026-03-02T09:05:00Z","conversation":"c1","by":"bot:faq","reason":"low_confidence","understood":"asks where order 123 is","tried":"sent the tracking link"}"#,
        // 7 routed (human), 8 assigned to agent:ana
        #"{"type":"assigned","at":"2026-03-02T09:10:00Z","conversation":"c1","assignee":"agent:bo"}"#,  // 9
        #"{"type":"categorized","at":"2026-03-02T09:11:00Z","conversation":"c1","category":"shipping","priority":"high"}"#,
        #"{"type":"status_changed","at":"2026-03-02T09:50:00Z","conversation":"c1","status":"resolved"}"#,  // 11
    ]

    @Test func anEscalatedConversationShowsTheBotThenTheHumanWithBothReasons() throws {
        let (log, queries) = try ExplainTestLog.write(Self.lines)
        let answer = try queries.explain("c1", scope: QueryScope())
        #expect(answer.changes.map(\.seq) == [3, 4, 5, 6, 7, 8, 9, 10, 11])
        #expect(
            answer.changes.map(\.kind) == [
                .episode, .routed, .assigned, .escalated, .routed, .assigned, .assigned, .categorized, .status,
            ])
        let start = answer.changes[0]
        #expect(start.episode == 1)
        let toBot = answer.changes[2]
        #expect(toBot.changed == [ExplainChange.Field(name: "owner", old: nil, new: "bot:faq")])
        #expect(toBot.by == "strategy:bot")
        #expect(toBot.reason?.isEmpty == false)
        let escalation = answer.changes[3]
        #expect(escalation.by == "bot:faq")
        #expect(escalation.reason == "low_confidence")
        guard case .escalated(let escalated) = escalation.event.payload else {
            Issue.record("not an escalation: \(escalation.event)")
            return
        }
        #expect(escalated.understood == "asks where order 123 is")
        #expect(escalated.tried == "sent the tracking link")
        let toHuman = answer.changes[4]
        #expect(toHuman.changed == [ExplainChange.Field(name: "mode", old: "automation", new: "human")])
        #expect(toHuman.reason?.isEmpty == false)
        let toAgent = answer.changes[5]
        #expect(toAgent.changed == [ExplainChange.Field(name: "owner", old: "bot:faq", new: "agent:ana")])
        #expect(toAgent.by == "strategy:least_loaded")
        #expect(!toAgent.isByHand)
        // Reasons come whole from the log, as the decision recorded them.
        var recorded: Event?
        let keep: (SequencedEvent) -> Void = { if $0.seq == 8 { recorded = $0.event } }
        _ = try Replay.run(path: log.path, wants: { _ in true }, keep)
        guard case .assigned(let assignment)? = recorded?.payload else {
            Issue.record("seq 8 is not an assignment")
            return
        }
        #expect(toAgent.reason == assignment.reason)
        _ = log
    }

    @Test func aHandAssignmentIsByHandAndCategoryAndStatusChangesShowOldAndNew() throws {
        let (log, queries) = try ExplainTestLog.write(Self.lines)
        let answer = try queries.explain("c1", scope: QueryScope())
        let byHand = try #require(answer.changes.first { $0.seq == 9 })
        #expect(byHand.isByHand)
        #expect(byHand.by == nil)
        #expect(byHand.reason == nil)
        #expect(byHand.changed == [ExplainChange.Field(name: "owner", old: "agent:ana", new: "agent:bo")])
        let categorized = try #require(answer.changes.first { $0.seq == 10 })
        #expect(
            categorized.changed == [
                ExplainChange.Field(name: "priority", old: nil, new: "high"),
                ExplainChange.Field(name: "category", old: nil, new: "shipping"),
            ])
        let resolved = try #require(answer.changes.last)
        #expect(resolved.changed == [ExplainChange.Field(name: "status", old: "open", new: "resolved")])
        // Resolved: routing no longer gives it an owner, and remembers the last one.
        #expect(answer.routing?.owner == nil)
        #expect(answer.routing?.previousOwner == "agent:bo")
        #expect(answer.state.status == .resolved)
        #expect(answer.hasRules)
        _ = log
    }

    @Test func untilSeqShowsTheConversationAsItStoodThen() throws {
        let (log, queries) = try ExplainTestLog.write(Self.lines)
        let withBot = try queries.explain("c1", scope: QueryScope(untilSeq: 6))
        #expect(withBot.changes.map(\.seq) == [3, 4, 5, 6])
        #expect(withBot.routing?.owner == "bot:faq")
        #expect(withBot.routing?.mode == .automation)
        #expect(withBot.state.status == .open)
        // Judged at the latest event time replayed.
        #expect(withBot.now == ExplainTestLog.time("2026-03-02T09:05:00Z"))
        let withAgent = try queries.explain("c1", scope: QueryScope(untilSeq: 8))
        #expect(withAgent.routing?.owner == "agent:ana")
        #expect(withAgent.routing?.mode == .human)
        #expect(withAgent.routing?.team == "support")
        #expect(withAgent.routing?.waiting == false)
        _ = log
    }

    @Test func aHandBackAndAReopenShowWhoLetGoAndTheNewEpisode() throws {
        let (log, queries) = try ExplainTestLog.write([
            ExplainTestLog.rules(at: "2026-03-02T08:00:00Z"),  // 1
            #"{"type":"agent_status","at":"2026-03-02T08:01:00Z","agent":"agent:fi","status":"online","teams":["finance"]}"#,
            #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"cust-1","channel":"email","body":"my invoice is wrong"}"#,
            // 4 routed to finance, 5 assigned to agent:fi
            #"{"type":"agent_status","at":"2026-03-02T09:10:00Z","agent":"agent:fi","status":"offline"}"#,  // 6
            // 7 handed back when the next event comes, past the grace period
            #"{"type":"note_added","at":"2026-03-02T09:30:00Z","conversation":"c2","author":"agent:x","body":"tick"}"#,
            #"{"type":"status_changed","at":"2026-03-02T09:40:00Z","conversation":"c1","status":"resolved"}"#,  // 9
            #"{"type":"status_changed","at":"2026-03-02T10:00:00Z","conversation":"c1","status":"open"}"#,  // 10
        ])
        let answer = try queries.explain("c1", scope: QueryScope())
        #expect(answer.changes.map(\.seq) == [3, 4, 5, 7, 9, 10, 11, 12])
        let handBack = try #require(answer.changes.first { $0.seq == 7 })
        #expect(handBack.by == "handback")
        #expect(handBack.changed == [ExplainChange.Field(name: "owner", old: "agent:fi", new: nil)])
        #expect(handBack.reason?.contains("agent:fi") == true)
        let reopen = try #require(answer.changes.first { $0.seq == 10 })
        #expect(reopen.kind == .episode)
        #expect(reopen.episode == 2)
        #expect(reopen.changed == [ExplainChange.Field(name: "status", old: "resolved", new: "open")])
        #expect(answer.changes.first { $0.seq == 11 }?.kind == .routed)
        _ = log
    }

    @Test func anUnknownConversationIsNotFound() throws {
        let (log, queries) = try ExplainTestLog.write(Self.lines)
        #expect {
            _ = try queries.explain("c9", scope: QueryScope())
        } throws: { error in
            (error as? ServiceError)?.code == .notFound
        }
        // Nor is one that appears only after the limit.
        #expect {
            _ = try queries.explain("c1", scope: QueryScope(untilSeq: 2))
        } throws: { error in
            (error as? ServiceError)?.code == .notFound
        }
        _ = log
    }
}

/// Logs for the explain and workload tests, written with routing as `parley append` writes them.
enum ExplainTestLog {
    /// Rules: bot:faq handles scores under 6 (every message here: value 1 × criticality ≤ 4); messages about
    /// invoices or refunds go to finance, by humans; everything else to support, least loaded first.
    static func rules(at time: String) -> String {
        #"{"type":"rules_set","at":""# + time
            + #"","rules":{"name":"test","bot":"bot:faq","human_from":6,"topics":{"billing":["invoice","refund"]},"#
            + #""rules":[{"name":"billing","when":{"topic":["billing"]},"then":{"team":"finance","mode":"human"}}],"#
            + #""default":{"team":"support","strategy":"least_loaded"}}}"#
    }

    /// 2026-03-02T10:00:00Z, the clock the queries judge "now" at.
    static let ten = time("2026-03-02T10:00:00Z")

    /// A time in ns.
    static func time(_ text: String) -> Int64 { Timestamp(rfc3339: text)!.nanoseconds }

    /// A new log holding `lines` with their routing decisions, and queries over it judged at ``ten``.
    static func write(_ lines: [String]) throws -> (log: TemporaryLog, queries: LogQueries) {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        var appender = EventAppender(writer: writer)
        appender.routing = try RoutingSession.load(path: log.path, writer: writer)
        _ = try appender.append(jsonLines: MemorySource(jsonLines(lines)))
        return (log, LogQueries(path: log.path, clock: { ten }))
    }
}
