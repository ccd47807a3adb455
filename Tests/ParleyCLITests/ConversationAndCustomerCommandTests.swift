import Foundation
import Testing

/// `parley conversation ID` and `parley customer ID`: what they show, that every linked id of a person
/// gives the same answer, and "not found" (exit 67, saying how much of the log was read).
@Suite(.dedicatedThread) struct ConversationAndCustomerCommandTests {
    /// ann writes under three linked ids, also in bob's conversation c2; dan only writes in carl's c4; eve is
    /// only linked. Committed at event times (seq 1…13).
    static let lines = """
        {"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"ann","channel":"email","body":"Where is my parcel?"}
        {"type":"message_received","at":"2026-03-02T10:00:00Z","conversation":"c2","customer":"bob","channel":"chat","body":"Hi, bob here"}
        {"type":"message_received","at":"2026-03-02T10:05:00Z","conversation":"c2","customer":"ann-alt","channel":"chat","body":"ann joins bob"}
        {"type":"reply_sent","at":"2026-03-02T10:10:00Z","conversation":"c2","author":"agent:ana","body":"Hello both"}
        {"type":"customer_linked","at":"2026-03-02T11:00:00Z","customer":"ann-alt","same_as":"ann"}
        {"type":"customer_linked","at":"2026-03-02T11:30:00Z","customer":"ann@work","same_as":"ann-alt"}
        {"type":"message_received","at":"2026-03-02T12:00:00Z","conversation":"c3","customer":"ann@work","channel":"sms","body":"From work"}
        {"type":"message_received","at":"2026-03-02T13:00:00Z","conversation":"c4","customer":"carl","channel":"form","body":"carl here"}
        {"type":"status_changed","at":"2026-03-02T14:00:00Z","conversation":"c1","status":"resolved"}
        {"type":"message_received","at":"2026-03-02T14:30:00Z","conversation":"c4","customer":"dan","channel":"form","body":"dan too"}
        {"type":"message_received","at":"2026-03-03T09:00:00Z","conversation":"c1","customer":"ann","channel":"whatsapp","body":"Again"}
        {"type":"reply_sent","at":"2026-03-03T09:30:00Z","conversation":"c1","author":"agent:bo","body":"On it"}
        {"type":"customer_linked","at":"2026-03-03T10:00:00Z","customer":"eve","same_as":"eve2"}
        """

    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try RecordedLog.write(RecordedLog.decode(lines), to: sandbox.log)
        return sandbox
    }

    @Test func everyLinkedIdOfACustomerGivesTheSameAnswer() throws {
        let sandbox = try Self.sandbox()
        let runs = ["ann", "ann-alt", "ann@work"].map { InProcess.run(["customer", $0, "--log", sandbox.log]) }
        for (id, run) in zip(["ann", "ann-alt", "ann@work"], runs) {
            #expect(run.code == 0, "\(run)")
            #expect(run.stderr.isEmpty)
            #expect(run.stdout.hasPrefix("customer \(id)\n"), "\(run)")
            // Everything after the line naming the id asked for is the same.
            #expect(run.stdout.drop { $0 != "\n" } == runs[0].stdout.drop { $0 != "\n" }, "\(id):\n\(run.stdout)")
        }
        let lines = runs[0].stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1] == "  ids            ann, ann-alt, ann@work")
        #expect(lines[2] == "  channels       email, chat, sms, whatsapp")
        #expect(lines[3] == "  conversations  3")
        #expect(lines[5].hasPrefix("  c1: open, owner unassigned, 2 episode(s), open episode"))
        #expect(lines[6] == "  c2: open, owner unassigned, 1 episode(s), open episode, started by bob")
        #expect(lines[7].hasPrefix("  c3: "))
        #expect(lines[9] == "messages and replies (7), times UTC")
        #expect(runs[0].stdout.contains("Hi, bob here") && runs[0].stdout.contains("From work"))
        #expect(!runs[0].stdout.contains("carl here"))
    }

    @Test func aCustomerWhoOnlyWroteInSomeoneElsesConversationIsShown() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["customer", "dan", "--log", sandbox.log])
        #expect(run.code == 0, "\(run)")
        #expect(run.stdout.contains("  conversations  1\n"), "\(run)")
        #expect(run.stdout.contains("  c4: open, owner unassigned, 1 episode(s), open episode, started by carl\n"))
        #expect(run.stdout.contains("carl here") && run.stdout.contains("dan too"))
        // Linked without any message: shown, with no conversation.
        let eve = InProcess.run(["customer", "eve", "--log", sandbox.log])
        #expect(eve.code == 0, "\(eve)")
        #expect(eve.stdout.contains("  ids            eve, eve2\n") && eve.stdout.contains("  conversations  0\n"))
    }

    @Test func conversationShowsItsTimelineAndEpisodes() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["conversation", "c1", "--log", sandbox.log])
        #expect(run.code == 0, "\(run)")
        #expect(
            run.stdout.hasPrefix("conversation c1\n  customer   ann (channels: email, whatsapp)\n  status     open\n"),
            "\(run)")
        #expect(run.stdout.contains("episodes (2), times UTC\n"))
        #expect(run.stdout.contains("timeline (4 events)\n"))
        #expect(run.stdout.contains("Where is my parcel?") && run.stdout.contains("On it"))
        #expect(!run.stdout.contains("bob"))
    }

    @Test func unknownIdsExit67AndSayTheWholeLogWasRead() throws {
        let sandbox = try Self.sandbox()
        let conversation = InProcess.run(["conversation", "c9", "--log", sandbox.log])
        #expect(conversation.code == 67, "\(conversation)")
        #expect(conversation.stdout.isEmpty)
        #expect(conversation.stderr == "Error: no conversation \"c9\" in \(sandbox.log) (seq 1–13, the whole log)\n")
        let customer = InProcess.run(["customer", "zed", "--log", sandbox.log])
        #expect(customer.code == 67, "\(customer)")
        #expect(customer.stderr == "Error: no customer \"zed\" in \(sandbox.log) (seq 1–13, the whole log)\n")
    }

    @Test func idsPastTheLimitExit67AndSayWhereTheReadStopped() throws {
        let sandbox = try Self.sandbox()
        let until = InProcess.run(["conversation", "c4", "--until-seq", "7", "--log", sandbox.log])
        #expect(until.code == 67, "\(until)")
        #expect(
            until.stderr == "Error: no conversation \"c4\" in \(sandbox.log) up to seq 7 (--until-seq; read seq 1–7)\n")
        // Beyond the end of the log: the read range tells.
        let beyond = InProcess.run(["customer", "zed", "--until-seq", "2000", "--log", sandbox.log])
        #expect(beyond.code == 67, "\(beyond)")
        #expect(beyond.stderr.hasSuffix("up to seq 2,000 (--until-seq; read seq 1–13)\n"), "\(beyond)")
        let asOf = InProcess.run(["customer", "dan", "--as-of", "2026-03-02T14:00:00Z", "--log", sandbox.log])
        #expect(asOf.code == 67, "\(asOf)")
        #expect(
            asOf.stderr == "Error: no customer \"dan\" in \(sandbox.log) as committed by 2026-03-02T14:00:00Z "
                + "(--as-of; read seq 1–9)\n")
        let before = InProcess.run(["conversation", "c1", "--as-of", "2026-03-01T00:00:00Z", "--log", sandbox.log])
        #expect(before.code == 67, "\(before)")
        #expect(before.stderr.hasSuffix("as committed by 2026-03-01T00:00:00Z (--as-of; read no events)\n"))
        // Found within the limit: exit 0.
        #expect(InProcess.run(["customer", "dan", "--until-seq", "10", "--log", sandbox.log]).code == 0)
    }

    /// `parley demo` links `cust-N` to `cust-N-alt@example.com`: typing either shows the same person.
    @Test func theDemoLogAnswersTheSameForALinkedAltId() throws {
        let sandbox = try Sandbox()
        let demo = InProcess.run(["demo", "--log", sandbox.log])
        #expect(demo.code == 0, "\(demo)")
        let alt = InProcess.run(["customer", "cust-114-alt@example.com", "--log", sandbox.log])
        let root = InProcess.run(["customer", "cust-114", "--log", sandbox.log])
        #expect(alt.code == 0, "\(alt)")
        #expect(root.code == 0, "\(root)")
        #expect(alt.stdout.contains("  ids            cust-114, cust-114-alt@example.com\n"), "\(alt)")
        #expect(alt.stdout.drop { $0 != "\n" } == root.stdout.drop { $0 != "\n" })
        #expect(!alt.stdout.contains("  conversations  0\n"))
    }
}
