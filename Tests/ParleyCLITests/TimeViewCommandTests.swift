import Foundation
import ParleyTestSupport
import Testing

/// `--at` (business view) beside `--as-of` (audit view) on the command line, the notes on stderr, "now"
/// for a log of history imported later, and `policy set` dated before that history.
@Suite(.dedicatedThread) struct TimeViewCommandTests {
    /// November 2025, appended on 2026-06-01 (``InProcess/defaultNow``).
    static let lines = [
        #"{"type":"message_received","at":"2025-11-03T09:00:00Z","conversation":"c1","customer":"u1","channel":"email","body":"a"}"#,
        #"{"type":"reply_sent","at":"2025-11-03T09:30:00Z","conversation":"c1","author":"agent:ana","body":"b"}"#,
        #"{"type":"status_changed","at":"2025-11-05T09:00:00Z","conversation":"c1","status":"resolved"}"#,
        #"{"type":"message_received","at":"2025-11-10T09:00:00Z","conversation":"c2","customer":"u2","channel":"chat","body":"c"}"#,
    ]
    static let policy = """
        {"name":"All day","time_zone":"UTC","business_hours":{"monday":["00:00-24:00"],"tuesday":["00:00-24:00"],
         "wednesday":["00:00-24:00"],"thursday":["00:00-24:00"],"friday":["00:00-24:00"],"saturday":["00:00-24:00"],
         "sunday":["00:00-24:00"]},"targets":{"normal":{"first_response":60,"resolution":1440}}}
        """
    /// A day after the import: the clock reads past the last commit.
    static let later = InProcess.defaultNow + 86_400 * 1_000_000_000

    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        #expect(InProcess.run(["init", "--log", sandbox.log]).code == 0)
        let appended = InProcess.run(["append", "--log", sandbox.log], stdin: EventLines.input(lines))
        #expect(appended.code == 0, "\(appended)")
        return sandbox
    }

    @Test func queueOnAHistoricalLogIsJudgedAtItsLatestEventAndSaysSo() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["queue", "--log", sandbox.log], now: Self.later)
        #expect(run.code == 0, "\(run)")
        #expect(
            run.stderr
                == "note: judged at 2025-11-10T09:00:00Z, the latest event time: the log holds history imported "
                + "later; --at TIME to choose\n", "\(run)")
        #expect(run.stdout.contains("c2"), "\(run)")
        #expect(!run.stdout.contains("c1"), "\(run)")
    }

    @Test func queueAtAnEventTimeShowsTheBacklogThen() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["queue", "--at", "2025-11-04T00:00:00Z", "--log", sandbox.log], now: Self.later)
        #expect(run.code == 0, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
        #expect(run.stdout.contains("c1") && !run.stdout.contains("c2"), "\(run)")
    }

    @Test func auditViewBeforeTheImportIsEmptyAndSaysWhyOnStderr() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["queue", "--as-of", "2025-11-04T00:00:00Z", "--log", sandbox.log], now: Self.later)
        #expect(run.code == 0, "\(run)")
        #expect(
            run.stderr
                == "note: nothing had been committed by 2025-11-04T00:00:00Z (the first commit is "
                + "2026-06-01T00:00:00Z); for what had happened by then use --at\n", "\(run)")
        let before = InProcess.run(["kpi", "--by", "day", "--at", "2025-01-01T00:00:00Z", "--log", sandbox.log])
        #expect(before.code == 0, "\(before)")
        #expect(before.stderr.contains("note: nothing had happened by 2025-01-01T00:00:00Z"), "\(before)")
    }

    @Test func slaAtIsTheBusinessViewAndCombinesWithAsOf() throws {
        let sandbox = try Self.sandbox()
        try Self.policy.write(toFile: sandbox.path("policy.json"), atomically: true, encoding: .utf8)
        let set = InProcess.run(
            ["policy", "set", sandbox.path("policy.json"), "--at", "2025-01-01T00:00:00Z", "--log", sandbox.log],
            now: Self.later)
        #expect(set.code == 0, "\(set)")
        // Set after the import, dated before it: it measures both imported episodes.
        #expect(
            set.stdout.contains(
                "covers 2 episodes: first start 2025-11-03T09:00:00Z, last start 2025-11-10T09:00:00Z"), "\(set)")
        let sla = InProcess.run(
            ["sla", "--at", "2025-11-10T10:30:00Z", "--format", "json", "--log", sandbox.log], now: Self.later)
        #expect(sla.code == 0, "\(sla)")
        #expect(sla.stdout.contains(#""at":"2025-11-10T10:30:00Z""#), "\(sla)")
        #expect(sla.stdout.contains(#""conversation":"c2""#), "\(sla)")
        // The policy was committed a day after the import: as committed then, there is none.
        let audit = InProcess.run(
            ["sla", "--at", "2025-11-10T10:30:00Z", "--as-of", "2026-06-01T12:00:00Z", "--log", sandbox.log],
            now: Self.later)
        #expect(audit.code == 0, "\(audit)")
        #expect(!audit.stdout.contains("c2"), "\(audit)")
    }

    @Test(arguments: ["queue", "sla", "kpi", "workload", "explain", "conversation", "customer"])
    func helpTellsTheTwoViewsApart(command: String) {
        let help = InProcess.run([command, "--help"])
        #expect(help.code == 0)
        #expect(help.stdout.contains("Business view: only events that happened by TIME"), "\(help)")
        #expect(help.stdout.contains("Audit view: only what had been committed by TIME"), "\(help)")
    }
}
