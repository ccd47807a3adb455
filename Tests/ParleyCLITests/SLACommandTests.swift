import Foundation
import Testing

/// `parley sla` around the hand-worked fixtures: no policy, nothing due, `--until-seq`, usage errors.
@Suite(.dedicatedThread) struct SLACommandTests {
    static func fixtureLog(_ sandbox: Sandbox, _ scenario: String) throws {
        try RecordedLog.write(RecordedLog.decode(SLAFixtures.text(scenario, "events.jsonl")), to: sandbox.log)
    }

    @Test func withoutAnyPolicyItSaysSoAndExits0() throws {
        let sandbox = try Sandbox()
        let events = try RecordedLog.decode(SLAFixtures.text("auto-acknowledgement", "events.jsonl"))
        // The same conversations without the policy_set.
        try RecordedLog.write(Array(events.dropFirst()), to: sandbox.log)
        let table = InProcess.run(["sla", "--log", sandbox.log])
        #expect(table.code == 0, "\(table)")
        #expect(table.stdout == "no SLA policy in the log (see `parley policy set --help`)\n")
        #expect(table.stderr.isEmpty)
        let json = InProcess.run(["sla", "--at", "2026-03-05T12:15:00Z", "--format", "json", "--log", sandbox.log])
        #expect(json.code == 0, "\(json)")
        #expect(
            json.stdout == #"{"at":"2026-03-05T12:15:00Z","policy":false,"total":0,"shown":0,"episodes":[]}"# + "\n")
        // An invalid policy is no policy either.
        let invalid = #"{"type":"policy_set","at":"2026-03-01T00:00:00Z","policy":{"time_zone":"Mars/Olympus"}}"#
        let withInvalid = try RecordedLog.decode(invalid) + events.dropFirst()
        try FileManager.default.removeItem(atPath: sandbox.log)
        try RecordedLog.write(withInvalid, to: sandbox.log)
        #expect(InProcess.run(["sla", "--log", sandbox.log]).stdout == table.stdout)
        // kpi has no SLA figures then, and counts the invalid policy.
        let kpi = InProcess.run(["kpi", "--by", "day", "--format", "json", "--log", sandbox.log])
        let report = try TestJSON.parse(kpi.stdout.trimmingCharacters(in: .newlines))
        #expect(report["totals"]?["sla"] == nil, "\(kpi)")
        #expect(report["anomalies"]?["invalid_policies"]?.intValue == 1, "\(kpi)")
        let csv = InProcess.run(["kpi", "--by", "day", "--format", "csv", "--log", sandbox.log])
        #expect(!csv.stdout.contains("sla_"), "\(csv)")
    }

    @Test func nothingBreachedOrDueListsNothing() throws {
        let sandbox = try Sandbox()
        try Self.fixtureLog(sandbox, "auto-acknowledgement")
        // Thursday 09:30 CET: c1's first response is due at 13:00 CET, more than an hour away.
        let table = InProcess.run(["sla", "--at", "2026-03-05T08:30:00Z", "--log", sandbox.log])
        #expect(
            table.stdout == "0 episode(s) breached or due within the hour at 2026-03-05T08:30:00Z (times UTC)\n",
            "\(table)")
        let json = InProcess.run(["sla", "--as-of", "2026-03-05T08:30:00Z", "--format", "json", "--log", sandbox.log])
        #expect(
            json.stdout == #"{"at":"2026-03-05T08:30:00Z","policy":true,"total":0,"shown":0,"episodes":[]}"# + "\n",
            "\(json)")
    }

    /// `--until-seq 5` of split-shifts (README `split-shifts`): up to c2's message, judged at its time,
    /// 11:50 EST. c3 (urgent since 09:00): 09:00–11:50 = 10200 s > 900, breached. c1: 1200 s of 3600,
    /// due 13:30 EST, beyond the hour; c2: just started. Only c3 is listed.
    @Test func untilSeqJudgesAtTheLatestEventReplayed() throws {
        let sandbox = try Sandbox()
        try Self.fixtureLog(sandbox, "split-shifts")
        let result = InProcess.run(["sla", "--until-seq", "5", "--format", "json", "--log", sandbox.log])
        #expect(result.code == 0, "\(result)")
        let expected = try TestJSON.parse(
            #"""
            {"at":"2026-03-02T16:50:00Z","policy":true,"episodes":[
              {"conversation":"c3","priority":"urgent",
               "first_response":{"state":"breached","elapsed_business_seconds":10200,"remaining_business_seconds":-9300},
               "resolution":{"state":"breached","elapsed_business_seconds":10200,"remaining_business_seconds":-3000}}]}
            """#)
        let differences = JSONSubsetCheck.differences(
            expected: expected, actual: try TestJSON.parse(result.stdout.trimmingCharacters(in: .newlines)))
        #expect(differences.isEmpty, "\(differences)\n\(result.stdout)")
    }

    @Test func usageErrorsExit64() throws {
        let sandbox = try Sandbox()
        try Self.fixtureLog(sandbox, "split-shifts")
        for arguments in [
            // `--at` is the business view now and combines with the audit view; those two still exclude
            // each other.
            ["sla", "--at", "noon"], ["sla", "--as-of", "2026-03-02T18:15:00Z", "--until-seq", "3"],
            ["sla", "--at", "2026-03-02T18:15:00Z", "--as-of", "noon"], ["sla", "--format", "xml"],
            ["sla", "--limit", "0"], ["sla", "--limit", "ten"],
            ["sla", "extra"], ["sla", "--until-seq", "-1"],
        ] {
            let result = InProcess.run(arguments + ["--log", sandbox.log])
            #expect(result.code == 64, "\(arguments): \(result)")
            #expect(result.stdout.isEmpty, "\(arguments): \(result)")
        }
        let missing = InProcess.run(["sla", "--log", sandbox.path("none.log")])
        #expect(missing.code == 66, "\(missing)")
    }
}
