import Foundation
import Testing

/// `parley queue` and `parley sla` as a support lead reads them: business-time lateness in business days,
/// `--limit`, `--format json|csv`, tables that fit 100 columns (`--wide` for all), and filters that match
/// nothing saying so.
@Suite(.dedicatedThread) struct QueueViewTests {
    /// Business hours 09:00–17:00 UTC Monday to Friday (8-hour business days); normal: first response
    /// 60 min, resolution 480 min. Judged at Thursday 2026-03-05 12:00Z:
    /// - c1 (Mon 09:00, agent:maria, support, no reply): 27h business counted (8+8+8+3): first response
    ///   late 26h = 3 business days 2h, resolution late 19h = 2 business days 3h; waiting 3d03h.
    /// - c2 (Mon 10:00, agent:li, sales, replied 10:30): first response met; resolution 26h counted, late
    ///   18h = 2 business days 2h.
    /// - a long id (Wed 16:00, no owner): 1h + 3h = 4h counted: first response late 3h; resolution due.
    /// - c4 (billing, agent:bo) is resolved: billing has nothing open.
    static let lines = [
        #"{"type":"policy_set","at":"2026-03-01T00:00:00Z","policy":{"time_zone":"UTC","business_hours":{"monday":["09:00-17:00"],"tuesday":["09:00-17:00"],"wednesday":["09:00-17:00"],"thursday":["09:00-17:00"],"friday":["09:00-17:00"]},"targets":{"normal":{"first_response":60,"resolution":480}}}}"#,
        #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"ann","channel":"email","body":"Where is my parcel?"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:10:00Z","conversation":"c1","assignee":"agent:maria","team":"support"}"#,
        #"{"type":"message_received","at":"2026-03-02T10:00:00Z","conversation":"c2","customer":"bob","channel":"chat","body":"Invoice, please"}"#,
        #"{"type":"assigned","at":"2026-03-02T10:05:00Z","conversation":"c2","assignee":"agent:li","team":"sales"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T10:30:00Z","conversation":"c2","author":"agent:li","auto":false,"body":"On it"}"#,
        #"{"type":"message_received","at":"2026-03-02T11:00:00Z","conversation":"c4","customer":"cy","channel":"sms","body":"Refund?"}"#,
        #"{"type":"assigned","at":"2026-03-02T11:05:00Z","conversation":"c4","assignee":"agent:bo","team":"billing"}"#,
        #"{"type":"status_changed","at":"2026-03-02T11:30:00Z","conversation":"c4","status":"resolved"}"#,
        #"{"type":"message_received","at":"2026-03-04T16:00:00Z","conversation":"conversation-with-a-very-long-id","customer":"dee","channel":"email","body":"Hello, \"quoted\", with commas"}"#,
    ]

    static let at = ["--as-of", "2026-03-05T12:00:00Z"]

    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try RecordedLog.write(RecordedLog.decode(lines.joined(separator: "\n")), to: sandbox.log)
        return sandbox
    }

    static func episodes(_ json: TestJSON?) -> [TestJSON] {
        guard case .array(let items)? = json else { return [] }
        return items
    }

    @Test func lateClocksReadInBusinessDaysAndWaitingIsNotCut() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["queue", "--wide", "--log", sandbox.log] + Self.at)
        #expect(run.code == 0 && run.stderr.isEmpty, "\(run)")
        let lines = ParleyRun.lines(run.stdout)
        #expect(lines.first == "3 open episode(s) at 2026-03-05T12:00:00Z (times UTC)", "\(run)")
        let c1 = try #require(lines.first { $0.hasPrefix("c1 ") }).split(separator: "  ").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        #expect(
            c1 == [
                "c1", "open", "agent:maria", "support", "-", "2026-03-02T09:00:00Z", "3d03h", "0",
                "late 3 business days 2h", "late 2 business days 3h",
            ], "\(run)")
        #expect(
            lines.contains {
                $0.hasPrefix("c2 ")
                    && $0.hasSuffix(" met" + String(repeating: " ", count: 22) + "late 2 business days 2h")
            }, "\(run)")
        #expect(lines.contains { $0.hasPrefix("conversation-with-a-very-long-id ") && $0.contains("late 3h business") })
        #expect(!run.stdout.contains("--wide shows all"))
    }

    @Test func narrowTableFitsOneHundredColumnsAndSaysWhatItLeftOut() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["queue", "--log", sandbox.log] + Self.at)
        let lines = ParleyRun.lines(run.stdout)
        for line in lines { #expect(line.count <= 100, "\(line.count): \(line)") }
        #expect(lines.contains { $0.hasPrefix("conversatio… ") }, "\(run)")
        #expect(lines.last?.hasSuffix("; --wide shows all)") == true, "\(run)")
        // The clocks are never the ones left out.
        #expect(lines[1].contains("first response SLA") && lines[1].contains("resolution SLA"), "\(run)")
    }

    @Test func limitShowsTheOldestAndSaysHowManyMore() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["queue", "--limit", "1", "--wide", "--log", sandbox.log] + Self.at)
        let lines = ParleyRun.lines(run.stdout)
        #expect(lines.count == 4, "\(run)")
        #expect(lines[2].hasPrefix("c1 "))
        #expect(lines.last == "… 2 more; --limit to show more")
        let json = try TestJSON.parse(
            InProcess.run(["queue", "--limit", "2", "--format", "json", "--log", sandbox.log] + Self.at).stdout)
        #expect(json["total"]?.intValue == 3 && json["shown"]?.intValue == 2)
        #expect(Self.episodes(json["episodes"]).count == 2)
        for bad in [["--limit", "0"], ["--limit", "-3"], ["--format", "text"]] {
            let result = InProcess.run(["queue"] + bad + ["--log", sandbox.log])
            #expect(result.code == 64, "\(bad): \(result)")
            #expect(result.stderr.contains("--\(bad[0].dropFirst(2))") && result.stderr.contains(bad[1]), "\(result)")
        }
    }

    @Test func jsonCarriesFullPrecisionSecondsAndBothClocks() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run([
            "queue", "--format", "json", "--log", sandbox.log, "--as-of", "2026-03-05T12:00:00.5Z",
        ])
        #expect(run.code == 0, "\(run)")
        let json = try TestJSON.parse(run.stdout.trimmingCharacters(in: .newlines))
        #expect(json.keys == ["at", "policy", "total", "shown", "episodes"])
        let c1 = try #require(Self.episodes(json["episodes"]).first)
        #expect(c1["conversation"]?.stringValue == "c1" && c1["team"]?.stringValue == "support")
        #expect(c1["waiting_seconds"]?.numberText == "270000.5")
        #expect(c1["first_response"]?["state"]?.stringValue == "breached")
        #expect(c1["first_response"]?["remaining_business_seconds"]?.numberText == "-93600.5")
        #expect(c1["resolution"]?["elapsed_business_seconds"]?.numberText == "97200.5")
    }

    @Test func csvHasAHeaderAndOneQuotedRecordPerEpisode() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["queue", "--format", "csv", "--log", sandbox.log] + Self.at)
        let lines = ParleyRun.lines(run.stdout)
        #expect(lines.count == 4, "\(run)")
        #expect(lines[0].hasPrefix("conversation,episode,status,owner,team,priority,category,started,waiting_seconds,"))
        #expect(
            lines[1] == "c1,1,open,agent:maria,support,,,2026-03-02T09:00:00Z,270000,0,breached,-93600,breached,-68400")
        let sla = InProcess.run(["sla", "--format", "csv", "--limit", "1", "--log", sandbox.log, "--at", Self.at[1]])
        #expect(ParleyRun.lines(sla.stdout).count == 2, "\(sla)")
        #expect(ParleyRun.lines(sla.stdout).last?.hasPrefix("c1,1,agent:maria,support,,") == true, "\(sla)")
    }

    @Test func slaTableUsesBusinessDaysAndLimit() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["sla", "--limit", "2", "--log", sandbox.log, "--at", Self.at[1]])
        let lines = ParleyRun.lines(run.stdout)
        #expect(lines.first == "3 episode(s) breached or due within the hour at 2026-03-05T12:00:00Z (times UTC)")
        #expect(lines[2].hasPrefix("c1 ") && lines[2].hasSuffix("late 3 business days 2h  late 2 business days 3h"))
        #expect(lines.last == "… 1 more; --limit to show more", "\(run)")
    }

    @Test(arguments: [
        (["--team", "tier9"], "warning: no team tier9 in the log (teams: billing, sales, support)\n"),
        (["--owner", "maria"], "warning: no owner maria; did you mean agent:maria?\n"),
        (["--owner", "nobody"], "warning: no owner nobody in the log (owners: agent:bo, agent:li, agent:maria)\n"),
        (["--team", "billing"], "warning: nothing open for team billing at 2026-03-05T12:00:00Z\n"),
        (
            ["--team", "sales", "--owner", "agent:maria"],
            "warning: nothing open for team sales and owner agent:maria at 2026-03-05T12:00:00Z\n"
        ),
    ])
    func filtersThatMatchNothingSaySoAndExit0(filter: [String], message: String) throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["queue"] + filter + ["--log", sandbox.log] + Self.at)
        #expect(run.code == 0, "\(run)")
        #expect(run.stderr == message)
        #expect(run.stdout == "0 open episode(s) at 2026-03-05T12:00:00Z (times UTC)\n")
        // A filter that matches says nothing.
        let matched = InProcess.run(["queue", "--owner", "agent:maria", "--log", sandbox.log] + Self.at)
        #expect(matched.stderr.isEmpty && matched.stdout.hasPrefix("1 open episode(s)"), "\(matched)")
    }
}
