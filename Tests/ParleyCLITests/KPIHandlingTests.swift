import Foundation
import ParleyLog
import Testing

/// `parley kpi` with handling figures: the block, key and columns the plain report gains when the log has an
/// assignment or an escalation, `--group-by agent|team` in every format, and the handling section of the
/// checkpoint.
@Suite(.dedicatedThread) struct KPIHandlingTests {
    /// Three episodes on 2026-03-02, assigned by hand.
    /// - c1: the bot owns it and answers after 60 s; resolved with no human reply: contained.
    /// - c2: the bot answers after 60 s, escalates at 09:12; ana takes it (a reassignment, away from the bot)
    ///   and replies at 09:15: 180 s to a human.
    /// - c3: bo (team sales) answers after 240 s; still open.
    static let lines = [
        #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"u1","channel":"chat","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:00:00Z","conversation":"c1","assignee":"bot:faq","team":"support"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:01:00Z","conversation":"c1","author":"bot:faq","auto":false,"body":"a"}"#,
        #"{"type":"status_changed","at":"2026-03-02T09:05:00Z","conversation":"c1","status":"resolved"}"#,
        #"{"type":"message_received","at":"2026-03-02T09:10:00Z","conversation":"c2","customer":"u2","channel":"chat","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:10:00Z","conversation":"c2","assignee":"bot:faq","team":"support"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:11:00Z","conversation":"c2","author":"bot:faq","auto":false,"body":"a"}"#,
        #"{"type":"escalated","at":"2026-03-02T09:12:00Z","conversation":"c2","by":"bot:faq","reason":"customer_asked"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:12:00Z","conversation":"c2","assignee":"agent:ana"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:15:00Z","conversation":"c2","author":"agent:ana","auto":false,"body":"b"}"#,
        #"{"type":"status_changed","at":"2026-03-02T09:30:00Z","conversation":"c2","status":"resolved"}"#,
        #"{"type":"message_received","at":"2026-03-02T11:00:00Z","conversation":"c3","customer":"u3","channel":"email","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-02T11:00:00Z","conversation":"c3","assignee":"agent:bo","team":"sales"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T11:04:00Z","conversation":"c3","author":"agent:bo","auto":false,"body":"b"}"#,
    ]

    static func log(_ sandbox: Sandbox, _ lines: [String] = lines) throws {
        try RecordedLog.write(RecordedLog.decode(lines.joined(separator: "\n")), to: sandbox.log)
    }

    static func run(_ sandbox: Sandbox, _ arguments: [String]) -> InProcess.Result {
        InProcess.run(["kpi"] + arguments + ["--log", sandbox.log])
    }

    @Test func groupByAgentInEveryFormat() throws {
        let sandbox = try Sandbox()
        try Self.log(sandbox)
        let table = Self.run(sandbox, ["--group-by", "agent"])
        #expect(table.code == 0 && table.stderr.isEmpty, "\(table)")
        #expect(
            table.stdout == """
                agent      resolved  replies  first resp  frt p50  frt p90  reassigned away
                agent:ana         1        1           0        -        -                0
                agent:bo          0        1           1       4m       4m                0
                bot:faq           1        0           2       1m       1m                1

                """, "\(table)")
        let json = Self.run(sandbox, ["--group-by", "agent", "--format", "json"])
        let object = try TestJSON.parse(json.stdout.trimmingCharacters(in: .newlines))
        #expect(object["group_by"]?.stringValue == "agent", "\(json)")
        #expect(object["events"]?.intValue == 14)
        let agents = try #require(object["agents"]?.handlingItems)
        #expect(agents.map { $0["agent"]?.stringValue } == ["agent:ana", "agent:bo", "bot:faq"])
        #expect(agents[1]["first_responses"]?["p50"]?.intValue == 240)
        #expect(agents[2]["reassigned_away"]?.intValue == 1)
        #expect(agents[0]["first_responses"]?["p50"] == .null)
        #expect(object["totals"]?["escalated"]?.intValue == 1)
        let csv = Self.run(sandbox, ["--group-by", "agent", "--format", "csv"])
        #expect(
            csv.stdout == """
                agent,resolved_owned,human_replies,first_responses,frt_mean,frt_p50,frt_p90,reassigned_away
                agent:ana,1,1,0,,,,0
                agent:bo,0,1,1,240,240,240,0
                bot:faq,1,0,2,60,60,60,1

                """, "\(csv)")
    }

    @Test func groupByTeamInEveryFormat() throws {
        let sandbox = try Sandbox()
        try Self.log(sandbox)
        let table = Self.run(sandbox, ["--group-by", "team"])
        #expect(
            table.stdout == """
                team     episodes  resolved  contained  containment  escalated  esc rate  tth p50  tth p90  reassign/res
                sales           1         0        0/0            -          0        0%        -        -             -
                support         2         2        1/2          50%          1       50%       3m       3m           0.5
                total           3         2        1/2          50%          1     33.3%       3m       3m           0.5

                """, "\(table)")
        let json = Self.run(sandbox, ["--group-by", "team", "--format", "json"])
        let object = try TestJSON.parse(json.stdout.trimmingCharacters(in: .newlines))
        let teams = try #require(object["teams"]?.handlingItems)
        #expect(teams.map { $0["team"]?.stringValue } == ["sales", "support"], "\(json)")
        #expect(teams[1]["containment"]?.handlingNumber == 0.5)
        #expect(teams[1]["time_to_human"]?["p50"]?.intValue == 180)
        #expect(object["totals"]?["reassignments_per_resolved"]?.handlingNumber == 0.5)
        let csv = Self.run(sandbox, ["--group-by", "team", "--format", "csv"])
        #expect(
            csv.stdout == """
                team,episodes,resolved,bot_handled,contained,containment,escalated,escalation_rate,awaiting_human,\
                time_to_human_count,time_to_human_p50,time_to_human_p90,reassignments,reassignments_per_resolved
                sales,1,0,0,0,,0,0,0,0,,,0,
                support,2,2,2,1,0.5,1,0.5,0,1,180,180,1,0.5
                total,3,2,2,1,0.5,1,0.333,0,1,180,180,1,0.5

                """, "\(csv)")
    }

    @Test func theReportGainsTheHandlingFiguresWhenAskedFor() throws {
        let sandbox = try Sandbox()
        try Self.log(sandbox)
        // Not asked for: the report it always was.
        #expect(!Self.run(sandbox, ["--by", "day"]).stdout.contains("handling"))
        let table = Self.run(sandbox, ["--by", "day", "--handling"])
        #expect(
            table.stdout.hasSuffix(
                """
                total          3    3       0         2  0:01:00  0:04:00  0:05:00  0:20:00    0         1        1
                FCR: resolved with one reply and no reopen within 7 days; FCR pend: same, 7 days not over yet.
                Left out to fit 100 columns (--wide shows them): touches.

                handling
                  bot containment   1 of 2 resolved bot-handled episodes (50%)
                  escalation rate   1 of 3 episodes (33.3%)
                  time to human     p50 3m, p90 3m (1 answered, 0 waiting)
                  reassignments     1 (0.5 per resolved episode)

                """), "\(table)")
        let json = Self.run(sandbox, ["--by", "day", "--format", "json", "--handling"])
        let object = try TestJSON.parse(json.stdout.trimmingCharacters(in: .newlines))
        #expect(object["handling"]?["totals"]?["contained"]?.intValue == 1, "\(json)")
        #expect(object["handling"]?["buckets"]?.handlingItems?.first?["bucket"]?.stringValue == "2026-03-02")
        #expect(object["totals"]?["new_episodes"]?.intValue == 3)
        let csv = Self.run(sandbox, ["--by", "day", "--format", "csv", "--handling"]).stdout.split(separator: "\n")
        #expect(csv.count == 3)
        #expect(csv[0].hasSuffix(",reassignments,reassignments_per_resolved"))
        #expect(csv[2].hasPrefix("total,") && csv[2].hasSuffix(",2,2,1,0.5,1,0.333,0,1,180,180,1,0.5"), "\(csv)")
        // Filters apply to the handling figures too: the email episode only.
        let email = Self.run(sandbox, ["--by", "day", "--channel", "email", "--format", "json", "--handling"])
        let filtered = try TestJSON.parse(email.stdout.trimmingCharacters(in: .newlines))
        #expect(filtered["handling"]?["totals"]?["episodes"]?.intValue == 1, "\(email)")
        #expect(filtered["handling"]?["totals"]?["escalated"]?.intValue == 0)
    }

    @Test func withoutAssignmentsOrEscalationsTheReportIsUnchanged() throws {
        let sandbox = try Sandbox()
        let plain = Self.lines.filter { !$0.contains(#""type":"assigned""#) && !$0.contains(#""type":"escalated""#) }
        try Self.log(sandbox, plain)
        for format in ["table", "json", "csv"] {
            let result = Self.run(sandbox, ["--by", "day", "--format", format])
            #expect(result.code == 0, "\(result)")
            #expect(!result.stdout.contains("handling") && !result.stdout.contains("escalat"), "\(result)")
        }
        // Asked for, the figures are there all the same.
        let teams = Self.run(sandbox, ["--group-by", "team", "--format", "csv"])
        #expect(teams.stdout.hasSuffix("\ntotal,3,2,2,1,0.5,0,0,0,0,,,0,0\n"), "\(teams)")
    }

    @Test func groupByRefusesBucketsAndFilters() throws {
        let sandbox = try Sandbox()
        try Self.log(sandbox)
        let unknown = Self.run(sandbox, ["--group-by", "channel"])
        #expect(unknown.code == 64 && unknown.stderr.contains("--group-by: expected agent or team"), "\(unknown)")
        for option in [["--channel", "chat"], ["--from", "2026-03-02"], ["--tz", "UTC"]] {
            let result = Self.run(sandbox, ["--group-by", "team"] + option)
            #expect(result.code == 64 && result.stderr.contains("exclude each other"), "\(result)")
        }
    }

    @Test func theHandlingSectionOfTheCheckpointIsUsedAndADamagedOneIsRefused() throws {
        let sandbox = try Sandbox()
        try Self.log(sandbox)
        let fresh = Self.run(sandbox, ["--group-by", "team", "--format", "json", "--no-checkpoint"])
        #expect(InProcess.run(["rebuild", "--log", sandbox.log]).code == 0)
        let loaded = Self.run(sandbox, ["--group-by", "team", "--format", "json"])
        #expect(loaded.stdout == fresh.stdout && loaded.stderr.isEmpty, "\(loaded)")
        // Flip a byte in the handling section (id 19): the checkpoint is refused, the answer the same.
        let checkpoint = sandbox.log + ".checkpoint"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: checkpoint)))
        let count = Int(LogFile.littleEndian(bytes, at: 12, size: 4))
        let entry = try #require(
            (0..<count).map { 80 + 32 * $0 }.first { LogFile.littleEndian(bytes, at: $0, size: 4) == 19 })
        let offset = Int(LogFile.littleEndian(bytes, at: entry + 8, size: 8))
        bytes[offset] ^= 0x01
        for arguments in [["--group-by", "team", "--format", "json"], ["--by", "day", "--handling"]] {
            // Each refusal saves a fresh checkpoint: damage it again.
            try Data(bytes).write(to: URL(fileURLWithPath: checkpoint))
            let damaged = Self.run(sandbox, arguments)
            #expect(damaged.code == 0, "\(damaged)")
            #expect(damaged.stderr.contains("ignored") && damaged.stderr.contains("handling"), "\(damaged)")
            #expect(damaged.stdout == Self.run(sandbox, arguments + ["--no-checkpoint"]).stdout)
        }
    }
}

extension TestJSON {
    /// The items, if this is an array.
    fileprivate var handlingItems: [TestJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The number, if this is one.
    fileprivate var handlingNumber: Double? { numberText.flatMap { Double($0) } }
}
