import Foundation
import ParleyLog
import Testing

/// `parley questions` at the ends of the Int64 nanosecond clock (1677-09-21 .. 2262-04-11), where window
/// bounds once overflowed and trapped, and with first messages that have no word to compare.
@Suite(.dedicatedThread) struct QuestionsEdgeCaseTests {
    static func message(_ conversation: String, _ at: String, _ body: String) -> String {
        #"{"type":"message_received","at":"\#(at)","conversation":"\#(conversation)","customer":"u","#
            + #""channel":"email","body":"\#(body)"}"#
    }

    static func logged(_ lines: [String]) throws -> Sandbox {
        let sandbox = try Sandbox()
        try RecordedLog.write(RecordedLog.decode(lines.joined(separator: "\n")), to: sandbox.log)
        return sandbox
    }

    static func run(_ sandbox: Sandbox, _ arguments: [String]) -> InProcess.Result {
        InProcess.run(["questions"] + arguments + ["--log", sandbox.log, "--format", "json"])
    }

    static func object(_ result: InProcess.Result) throws -> TestJSON {
        try TestJSON.parse(result.stdout.trimmingCharacters(in: .newlines))
    }

    static let ordinary = [message("c1", "2026-03-02T10:00:00Z", "Where is my parcel")]

    @Test func aWindowFromTheLastDaysEndsAtTheLastTime() throws {
        let result = Self.run(try Self.logged(Self.ordinary), ["--from", "2262-04-10"])
        #expect(result.code == 0, "\(result)")
        let object = try Self.object(result)
        #expect(object["from"]?.stringValue == "2262-04-10T00:00:00Z")
        #expect(object["to"]?.stringValue == "2262-04-11T23:47:16.854775807Z")
    }

    @Test func aWindowUpToTheFirstDaysStartsAtTheFirstTime() throws {
        let result = Self.run(try Self.logged(Self.ordinary), ["--to", "1677-09-22"])
        #expect(result.code == 0, "\(result)")
        let object = try Self.object(result)
        #expect(object["from"]?.stringValue == "1677-09-21T00:12:43.145224192Z")
        #expect(object["to"]?.stringValue == "1677-09-23T00:00:00Z")
        #expect(object["previous_from"]?.stringValue == "1677-09-21T00:12:43.145224192Z")
    }

    @Test func theLastDayCanEndTheWindow() throws {
        let lines = [Self.message("late", "2262-04-11T12:00:00Z", "Where is my parcel")]
        let result = Self.run(try Self.logged(lines), ["--from", "1677-09-22", "--to", "2262-04-11", "--min", "1"])
        #expect(result.code == 0, "\(result)")
        let object = try Self.object(result)
        #expect(object["to"]?.stringValue == "2262-04-11T23:47:16.854775807Z")
        #expect(object["episodes"]?.intValue == 1 && object["clusters_total"]?.intValue == 1)
    }

    @Test func aLatestEventInTheLastSecondEndsTheDefaultWindowAtTheLastTime() throws {
        let lines = [Self.message("late", "2262-04-11T23:47:16Z", "Where is my parcel")]
        let result = Self.run(try Self.logged(lines), ["--min", "1"])
        #expect(result.code == 0, "\(result)")
        let object = try Self.object(result)
        #expect(object["to"]?.stringValue == "2262-04-11T23:47:16.854775807Z")
        #expect(object["from"]?.stringValue == "2262-03-14T23:47:16.854775807Z")
        #expect(object["episodes"]?.intValue == 1 && object["clusters_total"]?.intValue == 1)
    }

    @Test func aLatestEventInTheFirstSecondsKeepsTheWindowInRange() throws {
        let lines = [Self.message("early", "1677-09-21T00:12:44Z", "Where is my parcel")]
        let result = Self.run(try Self.logged(lines), ["--min", "1"])
        #expect(result.code == 0, "\(result)")
        let object = try Self.object(result)
        #expect(object["from"]?.stringValue == "1677-09-21T00:12:43.145224192Z")
        #expect(object["to"]?.stringValue == "1677-09-21T00:12:45Z")
        #expect(object["episodes"]?.intValue == 1)
    }

    @Test func messagesWithoutWordsAreCountedApartNotClustered() throws {
        var lines: [String] = []
        for (index, body) in ["???", "😡😡", "!!!", "🙏", "...", "👍", "@acme"].enumerated() {
            lines.append(Self.message("n\(index)", "2026-03-02T1\(index):00:00Z", body))
        }
        lines.append(Self.message("w", "2026-03-03T10:00:00Z", "Where is my parcel"))
        let sandbox = try Self.logged(lines)
        let json = Self.run(sandbox, ["--from", "2026-03-02", "--min", "2"])
        #expect(json.code == 0, "\(json)")
        let object = try Self.object(json)
        #expect(object["episodes"]?.intValue == 8 && object["without_words"]?.intValue == 7, "\(json)")
        #expect(object["clusters_total"]?.intValue == 0, "\(json)")
        let table = InProcess.run(["questions", "--from", "2026-03-02", "--min", "2", "--log", sandbox.log])
        #expect(table.code == 0, "\(table)")
        let header = table.stdout.split(separator: "\n").prefix(4).map(String.init)
        #expect(header.last?.hasPrefix("  of which 7 without words") == true, "\(table)")
        #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 }, "\(table)")
    }
}
