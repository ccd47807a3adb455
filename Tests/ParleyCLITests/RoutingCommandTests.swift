import Foundation
import Testing

/// `parley rules set/show` and `parley route --check/--tick` as a user meets them: refusals that name the
/// field and write nothing, decisions counted by `append`, a decision edited by hand caught with exit 1, and a
/// timer's decision written by `--tick`.
@Suite(.dedicatedThread) struct RoutingCommandTests {
    /// Two agents in support, a bot for chat, and a timer that raises the priority of a conversation nobody
    /// answered within 30 minutes.
    static let rules = """
        {"name":"cli","bot":"bot:faq",
         "rules":[{"name":"chat_bot","when":{"channel":["chat"]},"then":{"mode":"automation"}}],
         "default":{"team":"support","strategy":"round_robin"},
         "timers":[{"name":"stale","unanswered_minutes":30,"then":{"priority":"high"}}]}
        """

    static let traffic = [
        #"{"type":"agent_status","at":"2026-03-02T08:01:00Z","agent":"agent:ana","status":"online","teams":["support"],"capacity":3}"#,
        #"{"type":"agent_status","at":"2026-03-02T08:01:00Z","agent":"agent:bo","status":"online","teams":["support"],"capacity":3}"#,
        #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"cust-1","channel":"email","body":"my parcel"}"#,
        #"{"type":"message_received","at":"2026-03-02T09:01:00Z","conversation":"c2","customer":"cust-2","channel":"email","body":"my invoice"}"#,
        #"{"type":"message_received","at":"2026-03-02T09:02:00Z","conversation":"c3","customer":"cust-3","channel":"chat","body":"hi"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:05:00Z","conversation":"c1","author":"agent:ana","body":"on it"}"#,
    ]

    static func input(_ lines: [String]) -> [UInt8] { Array(lines.map { $0 + "\n" }.joined().utf8) }

    /// A log with the rules at 08:00 (seq 1) and ``traffic`` appended.
    static func routedLog() throws -> (Sandbox, InProcess.Result) {
        let sandbox = try Sandbox()
        try rules.write(toFile: sandbox.path("rules.json"), atomically: true, encoding: .utf8)
        #expect(InProcess.run(["init", "--log", sandbox.log]).code == 0)
        let set = InProcess.run([
            "rules", "set", sandbox.path("rules.json"), "--at", "2026-03-02T08:00:00Z", "--log", sandbox.log,
        ])
        #expect(set.code == 0 && set.stdout == "rules set at seq 1\n", "\(set)")
        let append = InProcess.run(["append", "--log", sandbox.log], stdin: input(traffic))
        return (sandbox, append)
    }

    @Test func rulesThatDoNotCheckAreRefusedWithTheFieldAndNothingIsWritten() throws {
        let sandbox = try Sandbox()
        #expect(InProcess.run(["init", "--log", sandbox.log]).code == 0)
        let bad = #"{"rules":[{"name":"x","when":{"channel":["fax"]},"then":{}}],"default":{"team":"support"}}"#
        try bad.write(toFile: sandbox.path("bad.json"), atomically: true, encoding: .utf8)
        let run = InProcess.run(["rules", "set", sandbox.path("bad.json"), "--log", sandbox.log])
        #expect(run.code == 65, "\(run)")
        #expect(run.stderr.contains(#"rules field "rules[0].when.channel[0]""#), "\(run)")
        #expect(run.stderr.contains(#"unknown channel "fax""#), "\(run)")
        #expect(InProcess.run(["dump", "--log", sandbox.log]).stdout.isEmpty)
        // Appended as an event, it is stored with a warning: routing ignores it.
        let line = #"{"type":"rules_set","at":"2026-03-02T08:00:00Z","rules":\#(bad)}"#
        let append = InProcess.run(["append", "--log", sandbox.log], stdin: Self.input([line]))
        #expect(append.code == 0, "\(append)")
        #expect(append.stderr.contains("rules_set stored, but routing will ignore it"), "\(append)")
        #expect(InProcess.run(["rules", "show", "--log", sandbox.log]).stdout.hasPrefix("no routing rules in force"))
    }

    @Test func rulesShowListsTheRulesInForce() throws {
        let (sandbox, _) = try Self.routedLog()
        let text = InProcess.run(["rules", "show", "--log", sandbox.log])
        #expect(text.code == 0, "\(text)")
        #expect(text.stdout.hasPrefix(#"rules in force: "cli" (bot bot:faq, offline grace 10 min, sticky)"#), "\(text)")
        #expect(text.stdout.contains("chat_bot"), "\(text)")
        #expect(text.stdout.contains(#"timer {"name":"stale""#), "\(text)")
        let json = InProcess.run(["rules", "show", "--format", "json", "--log", sandbox.log])
        #expect(json.stdout.hasPrefix(#"{"name":"cli","bot":"bot:faq","rules":[{"name":"chat_bot""#), "\(json)")
    }

    @Test func appendWritesTheDecisionsAndRouteCheckExplainsThemAll() throws {
        let (sandbox, append) = try Self.routedLog()
        #expect(append.code == 0, "\(append)")
        // c1 and c2: routed and assigned in turn (ana, then bo); c3: routed to the bot and given to it.
        #expect(append.stderr.contains("appended 12 events: seq 2–13, of which 6 routing decisions"), "\(append)")
        let dump = InProcess.run(["dump", "--format", "text", "--log", sandbox.log]).stdout
        #expect(dump.contains("assigned [c1] to agent:ana team support by strategy:round_robin"), "\(dump)")
        #expect(dump.contains("assigned [c2] to agent:bo team support by strategy:round_robin"), "\(dump)")
        #expect(dump.contains("assigned [c3] to bot:faq team support by strategy:bot"), "\(dump)")
        let check = InProcess.run(["route", "--check", "--log", sandbox.log])
        #expect(check.code == 0, "\(check)")
        #expect(check.stdout == "checked 6 routing decisions in 13 events: every one follows from the rules\n")
    }

    @Test func aDecisionEditedByHandIsCaughtWithExitOne() throws {
        let (sandbox, _) = try Self.routedLog()
        let dumped = InProcess.run(["dump", "--log", sandbox.log]).stdout
        let edited = dumped.replacingOccurrences(
            of: #""assignee":"agent:bo","team":"support","by":"strategy:round_robin""#,
            with: #""assignee":"agent:ana","team":"support","by":"strategy:round_robin""#)
        #expect(edited != dumped)
        let copy = sandbox.path("copy.log")
        #expect(InProcess.run(["init", "--log", copy]).code == 0)
        #expect(InProcess.run(["append", "--no-route", "--log", copy], stdin: Array(edited.utf8)).code == 0)
        let check = InProcess.run(["route", "--check", "--log", copy])
        #expect(check.code == 1, "\(check)")
        let lines = ParleyRun.lines(check.stdout)
        #expect(
            lines.first?.hasPrefix("seq 9: recorded: 2026-03-02T09:01:00Z assigned [c2] to agent:ana") == true,
            "\(check)")
        #expect(
            lines.dropFirst().first?.hasPrefix("  the rules give: 2026-03-02T09:01:00Z assigned [c2] to agent:bo")
                == true)
        #expect(check.stdout.contains("not explained by the rules"))
    }

    @Test func tickWritesTheTimersDueAndNothingTwice() throws {
        let (sandbox, _) = try Self.routedLog()
        // c2 (email, agent:bo) has no human reply: the timer falls due at 09:31. c1 was answered; c3 is the bot's.
        let early = InProcess.run(["route", "--tick", "--at", "2026-03-02T09:20:00Z", "--log", sandbox.log])
        #expect(early.stdout == "nothing due by 2026-03-02T09:20:00Z\n", "\(early)")
        let tick = InProcess.run(["route", "--tick", "--at", "2026-03-02T10:00:00Z", "--log", sandbox.log])
        #expect(tick.code == 0, "\(tick)")
        #expect(tick.stdout.hasPrefix("appended "), "\(tick)")
        let dump = InProcess.run(["dump", "--format", "text", "--from-seq", "14", "--log", sandbox.log]).stdout
        #expect(dump.contains("2026-03-02T09:31:00Z routed [c2] by timer:stale team support priority high"), "\(dump)")
        let again = InProcess.run(["route", "--tick", "--at", "2026-03-02T10:00:00Z", "--log", sandbox.log])
        #expect(again.stdout == "nothing due by 2026-03-02T10:00:00Z\n", "\(again)")
        #expect(InProcess.run(["route", "--check", "--log", sandbox.log]).code == 0)
    }
}
