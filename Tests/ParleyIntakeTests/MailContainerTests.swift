import Foundation
import ParleyIntake
import ParleyLog
import ParleyTestSupport
import Testing

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Reads every message and error from an in-memory mbox.
private func readAll(_ text: String, escaping: MboxReader.Escaping = .mboxrd, maximum: Int = 64 << 20)
    -> (messages: [MailboxMessage], errors: [MailError])
{
    var reader = MboxReader(bytes: bytes(text), file: "in.mbox", escaping: escaping, maximumMessageBytes: maximum)
    var messages: [MailboxMessage] = []
    var errors: [MailError] = []
    for _ in 0..<10_000 {
        do {
            guard let message = try reader.next() else { break }
            messages.append(message)
        } catch {
            errors.append(error)
        }
    }
    return (messages, errors)
}

/// The mboxrd writer: one `>` before every `>*From ` line, a From_ line before and an empty line after.
private func mboxrd(_ messages: [String]) -> String {
    messages.map { message in
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.drop(while: { $0 == ">" }).hasPrefix("From ") ? ">" + line : String(line)
        }
        return "From sender@example.com Thu Dec  3 10:00:00 2026\n" + lines.joined(separator: "\n") + "\n"
    }.joined()
}

@Suite struct MailContainerTests {
    @Test func mboxrdEscapingRoundTrips() {
        let originals = [
            "Subject: a\n\nFrom here\n>From there\n>>From everywhere\nFrom\n",
            "Subject: b\n\n\n\nFrom \n",
            "Subject: c\r\n\r\nbody\r\n",
        ]
        let (messages, errors) = readAll(mboxrd(originals))
        #expect(errors.isEmpty)
        #expect(messages.map { String(decoding: $0.bytes, as: UTF8.self) } == originals)
        #expect(messages.map(\.location.line) == [1, 9, 16])
        #expect(messages.first?.envelope == "sender@example.com Thu Dec  3 10:00:00 2026")
        #expect(messages.first?.location.file == "in.mbox")
        #expect(messages.first?.location.offset == 0)
    }

    @Test func mboxoRemovesOnlyASingleQuote() {
        let text = "From a@b Thu Dec  3 10:00:00 2026\nS: x\n\n>From one\n>>From two\n"
        #expect(readAll(text, escaping: .mboxo).messages.first?.bytes == bytes("S: x\n\nFrom one\n>>From two\n"))
        #expect(readAll(text, escaping: .none).messages.first?.bytes == bytes("S: x\n\n>From one\n>>From two\n"))
    }

    @Test func offsetsAndLinesPointAtEachFromLine() {
        let text = "From a@b Thu Dec  3 10:00:00 2026\nS: 1\n\nx\n\nFrom c@d Thu Dec  3 11:00:00 2026\nS: 2\n"
        let (messages, _) = readAll(text)
        #expect(messages.count == 2)
        #expect(messages.last?.location == InputLocation(file: "in.mbox", offset: 43, line: 6, column: 1))
        #expect(messages.last.map { Array(bytes(text)[$0.location.offset...].prefix(5)) } == bytes("From "))
    }

    @Test func fromLineWithoutBlankLineSplitsOnlyWhenItLooksLikeAnEnvelope() {
        let text =
            "From a@b Thu Dec  3 10:00:00 2026\nS: 1\n\nbody\nFrom the desk of Bob\n"
            + "From c@d Thu Dec  3 11:00:00 2026\nS: 2\n"
        let (messages, errors) = readAll(text)
        #expect(errors.isEmpty)
        #expect(messages.count == 2)
        #expect(messages.first?.bytes == bytes("S: 1\n\nbody\nFrom the desk of Bob\n"))
        let unescaped = "From a@b Thu Dec  3 10:00:00 2026\nS: 1\n\nbody\nFrom me, with love\nend\n"
        #expect(readAll(unescaped).messages.map(\.bytes) == [bytes("S: 1\n\nbody\nFrom me, with love\nend\n")])
    }

    @Test func blankLineThenFromAlwaysSplits() {
        let text = "From a@b Thu Dec  3 10:00:00 2026\nS: 1\n\nFrom x\nS: 2\n"
        let (messages, _) = readAll(text)
        #expect(messages.map(\.envelope) == ["a@b Thu Dec  3 10:00:00 2026", "x"])
    }

    @Test func fileThatDoesNotStartWithFromIsReportedThenSkipped() {
        let text = "\nSubject: not mbox\n\nhello\n\nFrom a@b Thu Dec  3 10:00:00 2026\nS: 1\n"
        let (messages, errors) = readAll(text)
        #expect(errors.count == 1)
        #expect(errors.first?.code == .malformedContainer)
        #expect(errors.first?.location == InputLocation(file: "in.mbox", offset: 1, line: 2, column: 1))
        #expect(messages.count == 1)
    }

    @Test func emptyMboxHasNoMessages() {
        #expect(readAll("").messages.isEmpty)
        #expect(readAll("").errors.isEmpty)
        #expect(readAll("From a\n").messages.map(\.bytes) == [[]])
    }

    @Test func oversizedMessageIsReportedAndTheNextOneStillRead() {
        let text = mboxrd(["S: 1\n\n" + String(repeating: "x", count: 500) + "\n", "S: 2\n"])
        let (messages, errors) = readAll(text, maximum: 100)
        #expect(errors.map(\.code) == [.messageTooLarge])
        #expect(errors.first?.location.line == 1)
        #expect(messages.map(\.bytes) == [bytes("S: 2\n")])
    }

    @Test func mboxFileIsStreamedFromDisk() throws {
        let directory = try TemporaryDirectory.make()
        defer { directory.remove() }
        let originals = (0..<300).map { "Subject: \($0)\n\n" + String(repeating: "From line \($0)\n", count: $0 % 7) }
        let path = directory.file("big.mbox")
        try Data(mboxrd(originals).utf8).write(to: URL(fileURLWithPath: path))
        var reader = try MboxReader(path: path)
        var read: [String] = []
        while let message = try reader.next() { read.append(String(decoding: message.bytes, as: UTF8.self)) }
        #expect(read == originals)
        #expect(throws: MailError.self) { try MboxReader(path: directory.file("missing")) }
    }

    @Test func maildirReadsCurAndNewInNameOrderAndIgnoresTmp() throws {
        let directory = try TemporaryDirectory.make()
        defer { directory.remove() }
        let manager = FileManager.default
        for folder in ["cur", "new", "tmp"] {
            try manager.createDirectory(atPath: directory.file(folder), withIntermediateDirectories: true)
        }
        let files = [
            "new/1733300000.M2.host", "cur/1733200000.M1.host:2,S", "cur/1733400000.M3.host:2,",
            "tmp/1733100000.M0.host", "cur/.hidden",
        ]
        for name in files { try Data("Subject: \(name)\n".utf8).write(to: URL(fileURLWithPath: directory.file(name))) }
        var reader = try MaildirReader(path: directory.path)
        var subjects: [String] = []
        while let message = try reader.next() {
            subjects.append(String(decoding: message.bytes, as: UTF8.self))
            #expect(message.location.offset == 0)
        }
        #expect(
            subjects == [
                "Subject: cur/1733200000.M1.host:2,S\n", "Subject: new/1733300000.M2.host\n",
                "Subject: cur/1733400000.M3.host:2,\n",
            ])
        #expect(throws: MailError.self) { try MaildirReader(path: directory.file("cur")) }
    }

    @Test func emlDropsALeadingEnvelopeLine() throws {
        let message = EmlReader.message(bytes: bytes("From a@b Thu Dec  3 10:00:00 2026\r\nFrom: a@b\r\n\r\nhi\r\n"))
        #expect(message.bytes == bytes("From: a@b\r\n\r\nhi\r\n"))
        #expect(message.envelope == "a@b Thu Dec  3 10:00:00 2026")
        #expect(EmlReader.message(bytes: bytes("From: a@b\n\nhi\n")).envelope == nil)
        let directory = try TemporaryDirectory.make()
        defer { directory.remove() }
        try Data("From: a@b\n\nhi\n".utf8).write(to: URL(fileURLWithPath: directory.file("m.eml")))
        #expect(try EmlReader.read(path: directory.file("m.eml")).bytes == bytes("From: a@b\n\nhi\n"))
        #expect(throws: MailError.self) { try EmlReader.read(path: directory.file("m.eml"), maximumBytes: 3) }
    }

    @Test func randomMboxesNeverCrashAndRoundTrip() {
        var generator = SplitMix64(seed: 0x6D62_6F78)
        let pieces = [
            "From ", ">From ", ">>From ", "From a@b Thu Dec  3 10:00:00 2026", "\n", "\r\n", "x", " ", ">", "",
        ]
        for _ in 0..<300 {
            var originals: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                var body = "S: x\n"
                for _ in 0..<Int.random(in: 0...20, using: &generator) {
                    body += pieces.randomElement(using: &generator) ?? ""
                }
                if !body.hasSuffix("\n") { body += "\n" }
                originals.append(body.replacingOccurrences(of: "\r", with: ""))
            }
            let result = readAll(mboxrd(originals))
            #expect(result.errors.isEmpty)
            #expect(result.messages.map { String(decoding: $0.bytes, as: UTF8.self) } == originals)
            var garbage: [UInt8] = []
            for _ in 0..<Int.random(in: 0...300, using: &generator) {
                garbage.append(
                    Bool.random(using: &generator)
                        ? UInt8.random(in: 0...255, using: &generator)
                        : bytes("From \n>").randomElement(using: &generator) ?? 0)
            }
            _ = readAll(String(decoding: garbage, as: UTF8.self))
        }
    }
}
