import Foundation
import Testing

/// `parley explain CONV`: the changes of a conversation's handling with who decided and why, in text that
/// fits 100 columns and in JSON that keeps every text whole; `--until-seq`; unknown ids exit 67.
@Suite(.dedicatedThread) struct ExplainCommandTests {
    /// What the bot understood: longer than a line, so that the text wraps and clips it.
    static let understood = String(repeating: "the customer asks where order 123 is and when it comes; ", count: 10)

    static let lines = [
        #"{"type":"agent_status","at":"2026-03-02T08:01:00Z","agent":"agent:ana","status":"online","teams":["support"],"capacity":2}"#,
        #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"cust-1","channel":"email","subject":"My order","body":"where is my order"}"#,
        // 4 routed (automation), 5 assigned to bot:faq
        #"{"type":"escalated","at":"2026-03-02T09:05:00Z","conversation":"c1","by":"bot:faq","reason":"low_confidence","understood":""#
            + understood + #"","tried":"sent the tracking link"}"#,
        // 7 routed (human), 8 assigned to agent:ana
        #"{"type":"assigned","at":"2026-03-02T09:10:00Z","conversation":"c1","assignee":"agent:bo"}"#,  // 9
    ]

    /// A log with the test rules set at seq 1 and ``lines`` appended with their routing decisions.
    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try RoutedCommandLog.write(lines, to: sandbox)
        return sandbox
    }

    @Test func textShowsTheBotThenTheHumanWithWhoDecidedAndWhyWithin100Columns() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["explain", "c1", "--log", sandbox.log])
        #expect(run.code == 0, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "conversation c1: 7 change(s)", "\(run)")
        #expect(
            lines.contains {
                $0.hasPrefix("#3 ") && $0.hasSuffix("episode 1 starts: email from cust-1, subject \"My order\"")
            })
        #expect(lines.contains { $0.hasPrefix("#5 ") && $0.hasSuffix("owner none → bot:faq, by strategy:bot") })
        #expect(
            lines.contains { $0.hasPrefix("#6 ") && $0.hasSuffix("escalated to humans by bot:faq: low_confidence") })
        #expect(lines.contains { $0.hasPrefix("#7 ") && $0.hasSuffix("routed by default: mode automation → human") })
        #expect(
            lines.contains {
                $0.hasPrefix("#8 ") && $0.hasSuffix("owner bot:faq → agent:ana, by strategy:least_loaded")
            })
        #expect(lines.contains { $0.hasPrefix("#9 ") && $0.hasSuffix("owner agent:ana → agent:bo, by hand") })
        #expect(lines.contains("      tried: sent the tracking link"))
        #expect(lines.contains { $0.hasPrefix("      reason: ") })
        // Every line fits; the long text the bot gave is wrapped, then cut.
        for line in lines { #expect(line.count <= 100, "\(line.count) columns: \(line)") }
        #expect(lines.contains { $0.hasPrefix("      understood: the customer asks") })
        #expect(run.stdout.contains("…"))
        #expect(lines.contains("  owner      agent:bo"))
        #expect(lines.contains("  mode       human"))
        #expect(lines.contains("  status     open"))
        #expect(lines.contains("  queue      not waiting"))
    }

    @Test func jsonParsesAndCarriesEveryFieldWhole() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["explain", "c1", "--format", "json", "--log", sandbox.log])
        #expect(run.code == 0, "\(run)")
        let json = try TestJSON.parse(run.stdout)
        #expect(json["conversation"]?.stringValue == "c1")
        guard case .array(let changes)? = json["changes"] else {
            Issue.record("no changes: \(run.stdout)")
            return
        }
        #expect(changes.map { $0["seq"]?.intValue } == [3, 4, 5, 6, 7, 8, 9])
        #expect(
            changes.map { $0["event"]?.stringValue } == [
                "message_received", "routed", "assigned", "escalated", "routed", "assigned", "assigned",
            ])
        #expect(changes[0]["kind"]?.stringValue == "episode" && changes[0]["episode"]?.intValue == 1)
        #expect(changes[0]["body"] == nil && changes[0]["subject"]?.stringValue == "My order")
        #expect(changes[1]["by"]?.stringValue == "default" && changes[1]["mode"]?.stringValue == "automation")
        #expect(changes[1]["reason"]?.stringValue?.isEmpty == false)
        #expect(changes[3]["understood"]?.stringValue == Self.understood)
        #expect(changes[3]["reason"]?.stringValue == "low_confidence")
        #expect(changes[4]["changed"]?["mode"]?["from"]?.stringValue == "automation")
        #expect(changes[4]["changed"]?["mode"]?["to"]?.stringValue == "human")
        #expect(changes[5]["by"]?.stringValue == "strategy:least_loaded")
        #expect(changes[5]["changed"]?["owner"]?["from"]?.stringValue == "bot:faq")
        #expect(changes[6]["by_hand"]?.boolValue == true && changes[6]["by"] == nil)
        #expect(changes[6]["changed"]?["owner"]?["to"]?.stringValue == "agent:bo")
        #expect(changes[2]["by_hand"] == nil)
        let now = json["now"]
        #expect(now?["owner"]?.stringValue == "agent:bo")
        #expect(now?["team"]?.stringValue == "support")
        #expect(now?["mode"]?.stringValue == "human")
        #expect(now?["status"]?.stringValue == "open")
        #expect(now?["waiting"]?.boolValue == false)
        #expect(now?["at"]?.stringValue == "2026-06-01T00:00:00Z")
    }

    @Test func untilSeqShowsThePast() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["explain", "c1", "--until-seq", "6", "--format", "json", "--log", sandbox.log])
        #expect(run.code == 0, "\(run)")
        let json = try TestJSON.parse(run.stdout)
        guard case .array(let changes)? = json["changes"] else {
            Issue.record("no changes: \(run.stdout)")
            return
        }
        #expect(changes.map { $0["seq"]?.intValue } == [3, 4, 5, 6])
        #expect(json["now"]?["owner"]?.stringValue == "bot:faq")
        #expect(json["now"]?["mode"]?.stringValue == "automation")
        #expect(json["now"]?["at"]?.stringValue == "2026-03-02T09:05:00Z")
    }

    @Test func unknownConversationsExit67AndBadOptionsExit64() throws {
        let sandbox = try Self.sandbox()
        let unknown = InProcess.run(["explain", "c9", "--log", sandbox.log])
        #expect(unknown.code == 67, "\(unknown)")
        #expect(unknown.stderr.contains("no conversation \"c9\""), "\(unknown)")
        #expect(unknown.stdout.isEmpty)
        let pastLimit = InProcess.run(["explain", "c1", "--until-seq", "2", "--log", sandbox.log])
        #expect(pastLimit.code == 67, "\(pastLimit)")
        let format = InProcess.run(["explain", "c1", "--format", "csv", "--log", sandbox.log])
        #expect(format.code == 64, "\(format)")
        let noID = InProcess.run(["explain", "--log", sandbox.log])
        #expect(noID.code == 64, "\(noID)")
    }
}

/// Logs written through `parley rules set` and `parley append`, so that routing decides as it does for users.
enum RoutedCommandLog {
    /// bot:faq handles scores under 6 (every message here); invoices and refunds go to finance, by humans;
    /// everything else to support, least loaded first.
    static let rules = """
        {"name":"test","bot":"bot:faq","human_from":6,"topics":{"billing":["invoice","refund"]},
         "rules":[{"name":"billing","when":{"topic":["billing"]},"then":{"team":"finance","mode":"human"}}],
         "default":{"team":"support","strategy":"least_loaded"}}
        """

    /// Creates the sandbox's log, sets ``rules`` at 08:00 (seq 1) and appends `lines`.
    static func write(_ lines: [String], to sandbox: Sandbox) throws {
        try rules.write(toFile: sandbox.path("rules.json"), atomically: true, encoding: .utf8)
        for arguments in [
            ["init", "--log", sandbox.log],
            ["rules", "set", sandbox.path("rules.json"), "--at", "2026-03-02T08:00:00Z", "--log", sandbox.log],
        ] {
            let run = InProcess.run(arguments)
            #expect(run.code == 0, "\(run)")
        }
        let append = InProcess.run(
            ["append", "--log", sandbox.log], stdin: Array(lines.map { $0 + "\n" }.joined().utf8))
        #expect(append.code == 0, "\(append)")
    }
}
