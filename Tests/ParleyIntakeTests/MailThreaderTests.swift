import ParleyIntake
import ParleyLog
import Testing

private let day: Int64 = 86_400 * 1_000_000_000
private let customer: Set<String> = ["ann@example.com", "help@shop.test"]

private func message(
    _ id: String, replyTo: String? = nil, references: [String] = [], subject: String = "Printer broken",
    participants: Set<String> = customer, day number: Int64 = 0
) -> MailThreader.Message {
    MailThreader.Message(
        messageID: id, inReplyTo: replyTo, references: references, subject: subject, participants: participants,
        date: number * day)
}

@Suite struct MailThreaderTests {
    let threader = MailThreader()

    @Test func replyChainSharesTheRootsConversation() {
        let ids = threader.conversationIDs(for: [
            message("a@x"), message("b@x", replyTo: "a@x", references: ["a@x"], subject: "Re: Printer broken"),
            message("c@x", replyTo: "b@x", references: ["a@x", "b@x"], subject: "Other subject"),
            message("d@x", references: ["a@x", "c@x"]),
        ])
        #expect(Set(ids) == [MailThreader.conversationID(root: "a@x")])
    }

    @Test func replyWithAMissingParentThreadsUnderAPlaceholder() {
        let ids = threader.conversationIDs(for: [
            message("b@x", replyTo: "a@x", references: ["a@x"]),
            message("c@x", references: ["a@x", "b@x"]),
            message("z@x", replyTo: "y@x", subject: "Unrelated"),
        ])
        #expect(ids[0] == MailThreader.conversationID(root: "a@x"))
        #expect(ids[1] == ids[0])
        #expect(ids[2] == MailThreader.conversationID(root: "y@x"))
    }

    @Test func sameSubjectWithDifferentParticipantsStaysApart() {
        let ids = threader.conversationIDs(for: [
            message("a@x"), message("b@x", subject: "Re: printer  BROKEN", day: 1),
            message("c@x", subject: "Re: Printer broken", participants: ["bob@example.com", "help@shop.test"], day: 1),
        ])
        #expect(ids[0] == ids[1])
        #expect(ids[2] != ids[0])
        #expect(ids[2] == MailThreader.conversationID(root: "c@x"))
    }

    @Test func lateReplyBeyondTheWindowStartsANewConversation() {
        let ids = threader.conversationIDs(for: [
            message("a@x"), message("b@x", subject: "Re: Printer broken", day: 29),
            message("c@x", subject: "Re: Printer broken", day: 90),
        ])
        #expect(ids[0] == ids[1])
        #expect(ids[2] != ids[0])
        let narrow = MailThreader(window: day).conversationIDs(for: [
            message("a@x"), message("b@x", subject: "Re: Printer broken", day: 2),
        ])
        #expect(narrow[0] != narrow[1])
    }

    @Test func subjectFallbackJoinsAnIdLinkedThread() {
        let ids = threader.conversationIDs(for: [
            message("a@x"), message("b@x", replyTo: "a@x", day: 1),
            message("c@x", subject: "AW: Printer broken", day: 2),
        ])
        #expect(Set(ids).count == 1)
    }

    @Test(arguments: [
        ("Re: Printer broken", "printer broken"), ("RE: RE: Printer broken", "printer broken"),
        ("Fwd: FW: Printer broken", "printer broken"), ("AW: WG: Printer broken", "printer broken"),
        ("SV: VS: Printer broken", "printer broken"), ("Antw: Printer broken", "printer broken"),
        ("[ticket #123] Re: Printer broken", "printer broken"),
        ("Re: [ticket #123]  Printer   broken ", "printer broken"),
        ("Re[2]: Printer broken", "printer broken"), ("Re (3): Printer broken", "printer broken"),
        ("TR: RV: Printer broken", "printer broken"), ("回复：Printer broken", "printer broken"),
        ("Odp: YNT: Printer broken", "printer broken"), ("Re:", ""), ("Return policy", "return policy"),
        ("Re: Re [x]", "re [x]"), ("[unclosed Re: x", "[unclosed re: x"),
    ])
    func subjectPrefixesInSeveralLanguagesAreRemoved(_ subject: String, _ expected: String) {
        #expect(MailThreader.normalizedSubject(subject) == expected)
    }

    @Test func appendedMailKeepsEarlierConversationIDs() {
        let first = [
            message("a@x"), message("b@x", replyTo: "a@x", day: 1), message("q@x", replyTo: "p@x", subject: "Q"),
            message("s@x", subject: "Re: Printer broken", day: 3),
            message("n@x", subject: "New", participants: ["bob@example.com"], day: 4),
        ]
        let more = [
            message("c@x", references: ["a@x", "b@x"], day: 5), message("p@x", subject: "Q", day: 0),
            message("t@x", subject: "Re: New", participants: ["bob@example.com"], day: 6),
            message("u@x", subject: "Re: Printer broken", day: 50),
        ]
        let before = threader.conversationIDs(for: first)
        let after = threader.conversationIDs(for: first + more)
        #expect(Array(after.prefix(first.count)) == before)
        #expect(after[5] == after[0])
        #expect(after[6] == before[2])
        #expect(after[7] == before[4])
        #expect(after[8] != after[0])
        #expect(threader.conversationIDs(for: (first + more).reversed()).reversed() == after)
    }

    @Test func loopsAndSelfReferencesAreIgnored() {
        let ids = threader.conversationIDs(for: [
            message("a@x", replyTo: "b@x", references: ["b@x"]), message("b@x", replyTo: "a@x", references: ["a@x"]),
            message("c@x", replyTo: "c@x", references: ["c@x", "c@x"], subject: "Loop"),
        ])
        #expect(ids[0] == ids[1])
        #expect(ids[2] == MailThreader.conversationID(root: "c@x"))
    }

    @Test func headersAreReadFromRawMessages() {
        let raw = Array(
            ("Message-ID: <Abc@Host>\r\nIn-Reply-To: <p@host> (sent by Ann)\r\nReferences: <r1@host>\r\n <p@host>\r\n"
                + "Subject: Re: AW:\r\n Printer\r\nFrom: \"Ann, A.\" <Ann@Example.COM>\r\nTo: help@shop.test (Help)\r\n"
                + "Cc: Group: x@y.z;\r\nDate: Thu, 3 Dec 2026 10:00:00 +0000\r\n\r\nBody\r\n").utf8)
        let parsed = MailThreader.Message(parsing: raw)
        #expect(parsed.messageID == "Abc@Host")
        #expect(parsed.inReplyTo == "p@host")
        #expect(parsed.references == ["r1@host", "p@host"])
        #expect(parsed.subject == "printer")
        #expect(parsed.participants == ["ann@example.com", "help@shop.test", "x@y.z"])
        let expected: Int64 = 1_796_292_000_000_000_000
        #expect(parsed.date == expected)
    }

    @Test func messagesWithoutMessageIDGetAStableSyntheticID() {
        let raw = Array("From: a@b\nSubject: hi\nDate: junk\n\nhello\n".utf8)
        let first = MailThreader.Message(parsing: raw)
        #expect(first.messageID.hasPrefix("synthetic."))
        #expect(first.messageID.hasSuffix("@parley.invalid"))
        #expect(MailThreader.Message(parsing: raw).messageID == first.messageID)
        #expect(MailThreader.Message(parsing: raw + Array("more".utf8)).messageID != first.messageID)
        #expect(first.date == nil)
        #expect(
            MailThreader.syntheticMessageID(date: "d", from: "f", subject: "s", bodyPrefix: [])
                == MailThreader.syntheticMessageID(date: "d", from: "f", subject: "s", bodyPrefix: []))
    }

    @Test func manySameSubjectMessagesChainWithinTheWindow() {
        let alerts = (0..<20_000).map { message("alert\($0)@x", subject: "Disk full", day: Int64($0 % 5_000)) }
        #expect(Set(threader.conversationIDs(for: alerts)).count == 1)
        #expect(Set(MailThreader(window: -1).conversationIDs(for: alerts)).count == 20_000)
        let extreme = [
            MailThreader.Message(messageID: "a", subject: "x", participants: [], date: .min),
            MailThreader.Message(messageID: "b", subject: "x", participants: [], date: -1),
        ]
        #expect(Set(MailThreader(window: .max).conversationIDs(for: extreme)).count == 1)
        #expect(Set(MailThreader(window: .min).conversationIDs(for: extreme)).count == 2)
    }

    @Test func randomHeadersNeverCrash() {
        var generator = SplitMix64(seed: 0x7468_7264)
        let pieces = [
            "Message-ID: ", "In-Reply-To: ", "References: ", "Subject: Re: ", "From: ", "To: ", "<a@x>", "<b@x>",
            "<", ">", "\r\n", "\n", " ", "\t", ":", "(", ")", "\"", ",", "[t #1]", "é", "\n\n",
        ]
        var messages: [MailThreader.Message] = []
        for _ in 0..<500 {
            var text = ""
            for _ in 0..<Int.random(in: 0...30, using: &generator) {
                text += pieces.randomElement(using: &generator) ?? ""
            }
            messages.append(MailThreader.Message(parsing: Array(text.utf8)))
        }
        let ids = threader.conversationIDs(for: messages)
        #expect(ids.count == messages.count)
        #expect(threader.conversationIDs(for: messages) == ids)
    }
}
