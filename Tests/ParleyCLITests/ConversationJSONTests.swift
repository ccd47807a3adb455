import Foundation
import Testing

/// `parley conversation ID --format json` and `parley customer ID --format json`: one document each, with
/// the state, episodes (durations in seconds at full precision, SLA clocks) and the timeline as `dump`
/// writes it; and the text forms in one time zone with durations never cut.
@Suite(.dedicatedThread) struct ConversationJSONTests {
    /// c1: ann writes Monday 09:00Z (given in +01:00), agent:ana replies 20m30.25s later, resolves at 10:00Z;
    /// ann writes again Tuesday 09:00Z on chat (episode 2, a reopen), nobody answers. ann also starts c2.
    /// Business hours 09:00–17:00 UTC on weekdays; first response within 60 min.
    static let lines = [
        #"{"type":"policy_set","at":"2026-03-01T00:00:00Z","policy":{"time_zone":"UTC","business_hours":{"monday":["09:00-17:00"],"tuesday":["09:00-17:00"],"wednesday":["09:00-17:00"],"thursday":["09:00-17:00"],"friday":["09:00-17:00"]},"targets":{"normal":{"first_response":60,"resolution":480}}}}"#,
        #"{"type":"message_received","at":"2026-03-02T10:00:00+01:00","conversation":"c1","customer":"ann","channel":"email","body":"Where is my parcel?"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:05:00Z","conversation":"c1","assignee":"agent:ana","team":"support"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:20:30.25Z","conversation":"c1","author":"agent:ana","auto":false,"body":"On it"}"#,
        #"{"type":"status_changed","at":"2026-03-02T10:00:00Z","conversation":"c1","status":"resolved"}"#,
        #"{"type":"message_received","at":"2026-03-02T12:00:00Z","conversation":"c2","customer":"ann","channel":"sms","body":"Another thing"}"#,
        #"{"type":"message_received","at":"2026-03-03T09:00:00Z","conversation":"c1","customer":"ann","channel":"chat","body":"It never came"}"#,
    ]

    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try RecordedLog.write(RecordedLog.decode(lines.joined(separator: "\n")), to: sandbox.log)
        return sandbox
    }

    static func items(_ json: TestJSON?) -> [TestJSON] {
        guard case .array(let items)? = json else { return [] }
        return items
    }

    @Test func conversationJSONHasStateEpisodesAndTheDumpedTimeline() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(
            ["conversation", "c1", "--format", "json", "--as-of", "2026-03-03T10:30:00Z", "--log", sandbox.log])
        #expect(run.code == 0 && run.stderr.isEmpty, "\(run)")
        #expect(ParleyRun.lines(run.stdout).count == 1, "one document on one line")
        let json = try TestJSON.parse(run.stdout.trimmingCharacters(in: .newlines))
        #expect(
            json.keys == [
                "conversation", "customer", "channels", "status", "owner", "team", "category", "priority", "open",
                "at", "episodes", "timeline",
            ])
        #expect(json["owner"]?.stringValue == "agent:ana" && json["team"]?.stringValue == "support")
        #expect(json["status"]?.stringValue == "open" && json["open"]?.boolValue == true)
        #expect(json["at"]?.stringValue == "2026-03-03T10:30:00Z")
        let episodes = Self.items(json["episodes"])
        #expect(episodes.count == 2)
        let first = try #require(episodes.first)
        #expect(first["started"]?.stringValue == "2026-03-02T09:00:00Z")
        #expect(first["first_response_seconds"]?.numberText == "1230.25")
        #expect(first["resolution_seconds"]?.numberText == "3600")
        #expect(first["touches"]?.intValue == 1 && first["reopen"]?.boolValue == false)
        #expect(first["sla"]?["first_response"]?["state"]?.stringValue == "met")
        let second = try #require(episodes.last)
        #expect(second["reopen"]?.boolValue == true && second["channel"]?.stringValue == "chat")
        #expect(second["first_response_seconds"] == .null && second["resolved_at"] == .null)
        // 09:00–10:30 Tuesday: 90 business minutes, 30 over the hour.
        #expect(second["sla"]?["first_response"]?["state"]?.stringValue == "breached")
        #expect(second["sla"]?["first_response"]?["remaining_business_seconds"]?.numberText == "-1800")
        // Each timeline event is what `dump` writes for its seq.
        let dump = InProcess.run(["dump", "--log", sandbox.log])
        let dumped = try ParleyRun.lines(dump.stdout).map { try TestJSON.parse($0) }
        let timeline = Self.items(json["timeline"])
        #expect(timeline.count == 5)
        for event in timeline {
            let seq = try #require(event["seq"]?.intValue)
            #expect(event == dumped[seq - 1], "seq \(seq)")
        }
    }

    @Test func conversationTextShowsDurationsWholeAndTimesInUTC() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["conversation", "c1", "--as-of", "2026-03-03T10:30:00Z", "--log", sandbox.log])
        #expect(run.code == 0, "\(run)")
        let lines = ParleyRun.lines(run.stdout)
        #expect(lines.contains("episodes (2), times UTC, SLA judged at 2026-03-03T10:30:00Z"), "\(run)")
        let first = try #require(lines.first { $0.hasPrefix("1 ") })
        #expect(first.contains("2026-03-02T09:00:00Z  20m30s") && first.contains("  1h  "), "\(run)")
        #expect(lines.contains { $0.hasPrefix("2 reopen") && $0.contains("late 30m business") }, "\(run)")
        // The message given at +01:00 is shown in UTC, like every other time on the screen.
        #expect(lines.contains { $0.hasPrefix("  #2 2026-03-02T09:00:00Z message_received") }, "\(run)")
        #expect(!run.stdout.contains("+01:00"))
        for line in lines where !line.hasPrefix("  #") { #expect(line.count <= 100, "\(line)") }
    }

    @Test func customerJSONHasEveryConversationAndTheMessagesAndReplies() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(
            ["customer", "ann", "--format", "json", "--as-of", "2026-03-03T10:30:00Z", "--log", sandbox.log])
        #expect(run.code == 0 && run.stderr.isEmpty, "\(run)")
        let json = try TestJSON.parse(run.stdout.trimmingCharacters(in: .newlines))
        #expect(json.keys == ["customer", "ids", "channels", "at", "conversations", "timeline"])
        #expect(Self.items(json["channels"]).compactMap(\.stringValue) == ["email", "sms", "chat"])
        let conversations = Self.items(json["conversations"])
        #expect(conversations.compactMap { $0["conversation"]?.stringValue } == ["c1", "c2"])
        #expect(conversations.first?["started_by"]?.stringValue == "ann")
        let c1 = Self.items(conversations.first?["episodes"])
        #expect(c1.first?["first_response_seconds"]?.numberText == "1230.25")
        #expect(c1.last?["sla"]?["first_response"]?["state"]?.stringValue == "breached")
        let c2 = Self.items(conversations.last?["episodes"])
        #expect(c2.count == 1 && c2.first?["resolved_at"] == .null)
        let types = Self.items(json["timeline"]).compactMap { $0["type"]?.stringValue }
        #expect(types == ["message_received", "reply_sent", "message_received", "message_received"])
        let bad = InProcess.run(["customer", "ann", "--format", "csv", "--log", sandbox.log])
        #expect(bad.code == 64 && bad.stderr.contains("--format"), "\(bad)")
    }
}
