import Foundation
import Testing

/// Cases a review of the router found wrong (issue #12), each appended as a user would, in one or several
/// appends: every one must end, decide as documented, and leave `route --check` clean.
@Suite(.dedicatedThread) struct RoutingReviewFindingsTests {
    static func run(_ appends: [[String]], rebuildBetween: Bool = false) throws -> (Sandbox, String) {
        let sandbox = try Sandbox()
        #expect(InProcess.run(["init", "--log", sandbox.log]).code == 0)
        for lines in appends {
            let append = InProcess.run(
                ["append", "--log", sandbox.log], stdin: Array(lines.map { $0 + "\n" }.joined().utf8))
            #expect(append.code == 0, "\(append)")
            if rebuildBetween { #expect(InProcess.run(["rebuild", "--log", sandbox.log]).code == 0) }
        }
        let check = InProcess.run(["route", "--check", "--log", sandbox.log])
        #expect(check.code == 0, "\(check)")
        return (sandbox, InProcess.run(["dump", "--format", "text", "--log", sandbox.log]).stdout)
    }

    static let message =
        #"{"type":"message_received","at":"2026-03-02T08:01:00Z","conversation":"conv-1","customer":"cust-p","channel":"email","body":"hello"}"#

    @Test func anOfflineBotKeepsItsConversationsAndAppendEnds() throws {
        let (_, dump) = try Self.run([
            [
                #"{"type":"rules_set","at":"2026-03-02T08:00:00Z","rules":{"bot":"bot:faq","default":{"team":"support","mode":"automation"}}}"#,
                #"{"type":"agent_status","at":"2026-03-02T08:00:00Z","agent":"bot:faq","status":"offline"}"#,
                Self.message,
                #"{"type":"note_added","at":"2026-03-02T08:30:00Z","conversation":"conv-1","author":"agent:x","body":"n"}"#,
            ]
        ])
        #expect(dump.contains("assigned [conv-1] to bot:faq"), "\(dump)")
        #expect(!dump.contains("handback"), "\(dump)")
    }

    @Test func aBotInATeamIsNeverPickedForPeople() throws {
        let (_, dump) = try Self.run([
            [
                #"{"type":"rules_set","at":"2026-03-02T08:00:00Z","rules":{"bot":"bot:faq","default":{"team":"support","mode":"automation"}}}"#,
                #"{"type":"agent_status","at":"2026-03-02T08:00:00Z","agent":"bot:faq","status":"online","teams":["support"]}"#,
                Self.message,
                #"{"type":"escalated","at":"2026-03-02T08:02:00Z","conversation":"conv-1","by":"bot:faq","reason":"negative"}"#,
            ]
        ])
        #expect(!dump.contains("to bot:faq team support by strategy:least_loaded"), "\(dump)")
    }

    @Test func aTimerFiresOnceEvenWhenTheSameRulesAreSetAgain() throws {
        let rules =
            #"{"default":{"team":"support"},"timers":[{"name":"t","unanswered_minutes":1,"then":{"team":"esc"}}]}"#
        let (_, dump) = try Self.run([
            [
                #"{"type":"rules_set","at":"2026-03-02T08:00:00Z","rules":\#(rules)}"#, Self.message,
                #"{"type":"note_added","at":"2026-03-02T08:05:00Z","conversation":"conv-1","author":"agent:x","body":"n"}"#,
                #"{"type":"rules_set","at":"2026-03-02T08:06:00Z","rules":\#(rules)}"#,
                #"{"type":"note_added","at":"2026-03-02T08:07:00Z","conversation":"conv-1","author":"agent:x","body":"n"}"#,
            ]
        ])
        #expect(dump.components(separatedBy: "by timer:t").count == 2, "\(dump)")
    }

    @Test func aTimerNeverHandsAnEscalatedConversationBackToTheBot() throws {
        let (_, dump) = try Self.run([
            [
                #"{"type":"rules_set","at":"2026-03-02T08:00:00Z","rules":{"bot":"bot:faq","default":{"team":"support","mode":"automation"},"timers":[{"name":"t","unanswered_minutes":5,"then":{"mode":"automation"}}]}}"#,
                #"{"type":"agent_status","at":"2026-03-02T08:00:00Z","agent":"agent:h","status":"online","teams":["support"]}"#,
                Self.message,
                #"{"type":"escalated","at":"2026-03-02T08:02:00Z","conversation":"conv-1","by":"bot:faq","reason":"customer_asked"}"#,
                #"{"type":"note_added","at":"2026-03-02T08:10:00Z","conversation":"conv-1","author":"agent:x","body":"n"}"#,
            ]
        ])
        #expect(dump.contains("assigned [conv-1] to agent:h"), "\(dump)")
        #expect(!dump.contains("routed [conv-1] by timer:t team support automation"), "\(dump)")
    }

    @Test func theGracePeriodInForceDecidesAHandBackWhateverTheAppendsAndCheckpoints() throws {
        for rebuild in [false, true] {
            let (_, dump) = try Self.run(
                [
                    [
                        #"{"type":"rules_set","at":"2026-03-02T08:00:00Z","rules":{"offline_grace_minutes":10,"default":{"team":"support"}}}"#,
                        #"{"type":"agent_status","at":"2026-03-02T08:00:00Z","agent":"agent:a","status":"offline","teams":["support"]}"#,
                    ],
                    [
                        #"{"type":"rules_set","at":"2026-03-02T08:11:00Z","rules":{"offline_grace_minutes":60,"default":{"team":"support"}}}"#,
                        #"{"type":"message_received","at":"2026-03-02T08:12:00Z","conversation":"conv-1","customer":"cust-p","channel":"email","body":"hello"}"#,
                        #"{"type":"assigned","at":"2026-03-02T08:13:00Z","conversation":"conv-1","assignee":"agent:a"}"#,
                    ],
                    [
                        #"{"type":"note_added","at":"2026-03-02T08:20:00Z","conversation":"conv-1","author":"agent:x","body":"n"}"#
                    ],
                ], rebuildBetween: rebuild)
            #expect(!dump.contains("offline since"), "rebuild \(rebuild): \(dump)")
        }
    }
}
