import Foundation
import ParleyLog
import Testing

/// `parley questions`: the table, JSON and CSV of a hand-built log, the window options, usage errors (exit
/// 64) and the same answer on every run.
@Suite(.dedicatedThread) struct QuestionsCommandTests {
    /// The week from 2026-03-02: six "where is my parcel" messages (four answered from a template, one in
    /// other words), five password resets, one lone question; the week before, the parcel question twice.
    static var lines: [String] {
        var lines: [String] = []
        func message(_ conversation: String, _ at: String, _ body: String, _ channel: String = "email") {
            lines.append(
                #"{"type":"message_received","at":"\#(at)","conversation":"\#(conversation)","customer":"u","#
                    + #""channel":"\#(channel)","body":"\#(body)"}"#)
        }
        func reply(_ conversation: String, _ at: String, _ body: String) {
            lines.append(
                #"{"type":"reply_sent","at":"\#(at)","conversation":"\#(conversation)","author":"agent:ana","#
                    + #""auto":false,"body":"\#(body)"}"#)
        }
        message("p1", "2026-02-24T10:00:00Z", "Where is my parcel? Order #11 has not arrived")
        message("p2", "2026-02-25T10:00:00Z", "Where is my parcel? Order #12 has not arrived")
        for number in 1...6 {
            let day = "2026-03-0\(number + 1)"
            message(
                "c\(number)", day + "T09:00:00Z", "Where is my parcel? Order #\(number)\(number) has not arrived yet",
                number == 6 ? "chat" : "email")
            lines.append(
                #"{"type":"categorized","at":"\#(day)T09:01:00Z","conversation":"c\#(number)","category":"shipping"}"#)
            if number <= 4 {
                reply(
                    "c\(number)", day + "T10:00:00Z",
                    "Sorry for the delay: parcel \(number)0\(number) ships within two days")
            } else if number == 5 {
                reply("c\(number)", day + "T10:00:00Z", "I called the courier myself, it comes tomorrow morning")
            }
            message("w\(number)", day + "T15:00:00Z", "I forgot my password, how do I reset it? (\(number))", "form")
        }
        message("lone", "2026-03-05T16:00:00Z", "Do you sell gift cards in Belgium")
        return lines
    }

    static func run(_ sandbox: Sandbox, _ arguments: [String]) -> InProcess.Result {
        InProcess.run(["questions"] + arguments + ["--log", sandbox.log])
    }

    static func logged() throws -> Sandbox {
        let sandbox = try Sandbox()
        try RecordedLog.write(RecordedLog.decode(lines.joined(separator: "\n")), to: sandbox.log)
        return sandbox
    }

    @Test func tableListsTheClustersWithinOneHundredColumns() throws {
        let sandbox = try Self.logged()
        let result = Self.run(sandbox, ["--from", "2026-03-02", "--to", "2026-03-08"])
        #expect(result.code == 0 && result.stderr.isEmpty, "\(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 100 }, "\(result)")
        #expect(lines[0] == "recurring questions, window 2026-03-02T00:00:00Z .. 2026-03-09T00:00:00Z")
        #expect(lines[1] == "previous window from 2026-02-23T00:00:00Z: 2 episodes started by a message")
        #expect(lines[2] == "this window: 13 episodes started by a message; 12 in 2 clusters of 5+ (similarity >= 0.6)")
        #expect(
            lines[4].hasPrefix("  1. ") && lines[4].hasSuffix("6 (prev 2, +4)  reuse 80% of 5 replies"), "\(lines[4])")
        #expect(lines[5] == "     channels: email 5, chat 1; categories: shipping 6")
        #expect(
            lines[6].hasPrefix("     e.g. c1, c2, c3, c4, c5: \"Where is my parcel? Order #11 has not arrived yet\""))
        #expect(lines[8].hasPrefix("  2. ") && lines[8].hasSuffix("6 (prev 0, +6)  no replies"), "\(lines[8])")
    }

    @Test func jsonIsOneDocumentWithStableKeys() throws {
        let sandbox = try Self.logged()
        let result = Self.run(sandbox, ["--from", "2026-03-02", "--to", "2026-03-08", "--format", "json", "--members"])
        #expect(result.code == 0, "\(result)")
        let object = try TestJSON.parse(result.stdout.trimmingCharacters(in: .newlines))
        #expect(
            object.keys == [
                "events", "last_seq", "from", "to", "previous_from", "episodes", "without_words", "previous_episodes",
                "minimum", "threshold", "clusters_total", "clusters",
            ])
        #expect(object["episodes"]?.intValue == 13 && object["previous_episodes"]?.intValue == 2)
        #expect(object["without_words"]?.intValue == 0)
        guard case .array(let clusters)? = object["clusters"] else {
            Issue.record("no clusters array: \(result)")
            return
        }
        #expect(clusters.count == 2)
        #expect(
            clusters[0].keys == [
                "label", "count", "previous_count", "change", "categories", "channels", "examples", "snippet",
                "replies", "template_reuse", "members",
            ])
        #expect(clusters[0]["count"]?.intValue == 6 && clusters[0]["change"]?.intValue == 4)
        #expect(clusters[0]["template_reuse"]?.numberText == "0.8")
        #expect(clusters[1]["template_reuse"] == .null)
        #expect(clusters[1]["members"]?.description == #"["w1","w2","w3","w4","w5","w6"]"#)
    }

    @Test func csvHasOneRowPerClusterAndLimitCutsTheList() throws {
        let sandbox = try Self.logged()
        let result = Self.run(
            sandbox, ["--from", "2026-03-02", "--to", "2026-03-08", "--format", "csv", "--limit", "1"])
        #expect(result.code == 0, "\(result)")
        let rows = result.stdout.split(separator: "\n")
        #expect(rows.count == 2)
        #expect(
            rows[0]
                == "rank,label,count,previous_count,change,replies,template_reuse,channels,categories,examples,snippet")
        #expect(rows[1].contains(",6,2,4,5,0.8,email:5;chat:1,shipping:6,c1;c2;c3;c4;c5,"), "\(rows[1])")
    }

    @Test func theDefaultWindowEndsAtTheLatestEventAndAnswersAreRepeatable() throws {
        let sandbox = try Self.logged()
        let first = Self.run(sandbox, ["--format", "json"])
        #expect(first.code == 0, "\(first)")
        let object = try TestJSON.parse(first.stdout.trimmingCharacters(in: .newlines))
        #expect(object["to"]?.stringValue == "2026-03-07T15:00:01Z")
        #expect(object["from"]?.stringValue == "2026-02-07T15:00:01Z")
        #expect(Self.run(sandbox, ["--format", "json"]).stdout == first.stdout)
    }

    @Test func minimumAboveEveryClusterSaysSo() throws {
        let sandbox = try Self.logged()
        let result = Self.run(sandbox, ["--from", "2026-03-02", "--to", "2026-03-08", "--min", "7"])
        #expect(result.code == 0 && result.stdout.contains("no question came back 7 times or more"), "\(result)")
    }

    @Test func anEmptyWindowWarns() throws {
        let sandbox = try Self.logged()
        let result = Self.run(sandbox, ["--from", "2027-01-01"])
        #expect(
            result.code == 0 && result.stderr.contains("no episode started by a message in the window"), "\(result)")
    }

    @Test func anEmptyLogSaysSo() throws {
        let sandbox = try Sandbox()
        try RecordedLog.write([], to: sandbox.log)
        let result = Self.run(sandbox, [])
        #expect(result.code == 0 && result.stdout == "recurring questions: the log has no event\n", "\(result)")
    }

    @Test(arguments: [
        (["--min", "0"], "--min"), (["--min", "x"], "--min"), (["--limit", "0"], "--limit"),
        (["--from", "2026-13-01"], "--from"), (["--to", "tomorrow"], "--to"),
        // Days the Int64 ns clock cannot hold: 2262-04-11 is its last day, 1677-09-22 its first whole one.
        (["--from", "2262-04-12"], "--from"), (["--to", "1677-09-21"], "--to"),
        (["--from", "2026-03-09", "--to", "2026-03-02"], "--from 2026-03-09 is after --to 2026-03-02"),
        (["--similarity", "1.5"], "--similarity"), (["--members"], "--members"), (["--format", "xml"], "--format"),
        (["--as-of", "2026-03-01T00:00:00Z", "--until-seq", "3"], "--until-seq"),
    ])
    func usageErrorsExit64NamingTheOption(arguments: [String], named: String) throws {
        let sandbox = try Self.logged()
        let result = Self.run(sandbox, arguments)
        #expect(result.code == 64 && result.stderr.contains(named) && result.stdout.isEmpty, "\(result)")
    }
}
