import Foundation
import Testing

/// `parley workload`: agents, bots and team queues in text and JSON, `--until-seq`, and a log with nothing
/// to show.
@Suite(.dedicatedThread) struct WorkloadCommandTests {
    /// Finance has nobody: c2 waits there from 09:30. Support: agent:ana (capacity 1) takes c1 when the bot
    /// escalates it; agent:bo is away.
    static let lines = [
        #"{"type":"agent_status","at":"2026-03-02T08:01:00Z","agent":"agent:ana","status":"online","teams":["support"],"capacity":1}"#,
        #"{"type":"agent_status","at":"2026-03-02T08:02:00Z","agent":"agent:bo","status":"away","teams":["support"],"skills":["fr"]}"#,
        #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"cust-1","channel":"email","body":"hello"}"#,
        #"{"type":"message_received","at":"2026-03-02T09:30:00Z","conversation":"c2","customer":"cust-2","channel":"chat","body":"refund my invoice please"}"#,
        #"{"type":"escalated","at":"2026-03-02T09:45:00Z","conversation":"c1","by":"bot:faq","reason":"customer_asked"}"#,
        #"{"type":"message_received","at":"2026-03-02T09:50:00Z","conversation":"c3","customer":"cust-3","channel":"chat","body":"hi"}"#,
    ]

    /// 2026-03-02T10:00:00Z.
    static let ten: Int64 = 1_772_445_600 * 1_000_000_000

    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try RoutedCommandLog.write(lines, to: sandbox)
        return sandbox
    }

    @Test func textListsAgentsBotsAndTeamQueues() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["workload", "--log", sandbox.log], now: Self.ten)
        #expect(run.code == 0, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
        let lines = ParleyRun.lines(run.stdout)
        #expect(lines.first == "workload at 2026-03-02T10:00:00Z", "\(run)")
        #expect(lines.contains("agents (2)"))
        #expect(lines.contains("agent:ana  online  2026-03-02T08:01:00Z  support  1     1         -"), "\(run)")
        #expect(lines.contains("agent:bo   away    2026-03-02T08:02:00Z  support  0     -         fr"), "\(run)")
        #expect(lines.contains("bot:faq  1     c3"), "\(run)")
        #expect(
            lines.contains("finance  0        0       0          1        c2              2026-03-02T09:30:00Z  30m"),
            "\(run)")
        #expect(
            lines.contains("support  2        1       0          0        -               -                     -"),
            "\(run)")
    }

    @Test func jsonParsesAndCarriesCountsAndWaits() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["workload", "--format", "json", "--log", sandbox.log], now: Self.ten)
        #expect(run.code == 0, "\(run)")
        let json = try TestJSON.parse(run.stdout)
        #expect(json["at"]?.stringValue == "2026-03-02T10:00:00Z")
        #expect(json["rules"]?.boolValue == true)
        guard case .array(let agents)? = json["agents"], case .array(let teams)? = json["teams"],
            case .array(let bots)? = json["bots"]
        else {
            Issue.record("missing lists: \(run.stdout)")
            return
        }
        #expect(agents.map { $0["agent"]?.stringValue } == ["agent:ana", "agent:bo"])
        #expect(agents[0]["open"]?.intValue == 1 && agents[0]["capacity"]?.intValue == 1)
        #expect(agents[0]["conversations"] == .array([.string("c1")]))
        #expect(agents[1]["status"]?.stringValue == "away" && agents[1]["capacity"] == .null)
        #expect(bots.map { $0["bot"]?.stringValue } == ["bot:faq"])
        #expect(bots[0]["conversations"] == .array([.string("c3")]))
        #expect(teams.map { $0["team"]?.stringValue } == ["finance", "support"])
        #expect(teams[0]["waiting"]?.intValue == 1 && teams[0]["queue"] == .array([.string("c2")]))
        #expect(teams[0]["oldest_waiting"]?.stringValue == "c2")
        #expect(teams[0]["oldest_wait_seconds"]?.intValue == 1800)
        #expect(teams[1]["members"]?.intValue == 2 && teams[1]["online"]?.intValue == 1)
        #expect(teams[1]["with_room"]?.intValue == 0 && teams[1]["oldest_waiting"] == .null)
    }

    @Test func untilSeqShowsTheWorkloadThen() throws {
        let sandbox = try Self.sandbox()
        // Up to c2's decision (seq 8): c1 is still the bot's; ana has room.
        let run = InProcess.run(["workload", "--until-seq", "8", "--format", "json", "--log", sandbox.log])
        #expect(run.code == 0, "\(run)")
        let json = try TestJSON.parse(run.stdout)
        #expect(json["at"]?.stringValue == "2026-03-02T09:30:00Z")
        guard case .array(let teams)? = json["teams"], case .array(let bots)? = json["bots"] else {
            Issue.record("missing lists: \(run.stdout)")
            return
        }
        #expect(bots[0]["conversations"] == .array([.string("c1")]))
        #expect(teams[0]["oldest_wait_seconds"]?.intValue == 0)
        #expect(teams[1]["with_room"]?.intValue == 1)
    }

    @Test func aLogWithoutRulesOrAgentsSaysSo() throws {
        let sandbox = try Sandbox()
        #expect(InProcess.run(["init", "--log", sandbox.log]).code == 0)
        let run = InProcess.run(["workload", "--log", sandbox.log], now: Self.ten)
        #expect(run.code == 0, "\(run)")
        #expect(
            run.stdout
                == "workload at 2026-03-02T10:00:00Z (no routing rules in force)\n"
                + "no routing rules and no agents in the log: nothing to show\n", "\(run)")
    }
}
