import Foundation
import ParleyTestSupport
import Testing

/// Every view judges a historical log at the same moment, whatever configuration was appended after the
/// import (review findings of issue #13): `conversation` and `customer` as `queue`; a policy set today
/// does not make the history "live"; a retroactive policy measures a customer's episodes as it measures
/// the conversation's; `policy show` takes no `--at`.
@Suite(.dedicatedThread) struct JudgementConsistencyTests {
    /// The same history as ``TimeViewCommandTests``, imported on 2026-06-01 (``InProcess/defaultNow``).
    static let later = TimeViewCommandTests.later

    static func sandbox() throws -> Sandbox {
        let sandbox = try TimeViewCommandTests.sandbox()
        try Data(TimeViewCommandTests.policy.utf8).write(to: URL(fileURLWithPath: sandbox.path("policy.json")))
        return sandbox
    }

    static let historicalNote =
        "note: judged at 2025-11-10T09:00:00Z, the latest event time: the log holds history imported later; "
        + "--at TIME to choose\n"

    @Test func conversationAndCustomerAreJudgedLikeTheQueueOnAHistoricalLog() throws {
        let sandbox = try Self.sandbox()
        let policy = InProcess.run(
            ["policy", "set", sandbox.path("policy.json"), "--at", "2025-01-01T00:00:00Z", "--log", sandbox.log],
            now: Self.later)
        #expect(policy.code == 0, "\(policy)")
        // Read a day after the policy's commit (a clock at the last commit is taken as the moment asked for).
        let now = Self.later + 86_400 * 1_000_000_000
        let queue = InProcess.run(["queue", "--format", "json", "--log", sandbox.log], now: now)
        let conversation = InProcess.run(
            ["conversation", "c2", "--format", "json", "--log", sandbox.log], now: now)
        let customer = InProcess.run(["customer", "u2", "--format", "json", "--log", sandbox.log], now: now)
        for run in [queue, conversation, customer] {
            #expect(run.code == 0, "\(run)")
            #expect(run.stderr == Self.historicalNote, "\(run)")
            #expect(run.stdout.contains("\"at\":\"2025-11-10T09:00:00Z\""), "\(run)")
        }
        // The retroactive policy measures c2's episode in both views: first response due an hour after it
        // started, judged at its start, so still running (not 7 months late, not unmeasured).
        for run in [conversation, customer] {
            #expect(run.stdout.contains("\"target_minutes\":60"), "\(run)")
            #expect(run.stdout.contains("\"state\":\"running\""), "\(run)")
        }
    }

    @Test func aPolicySetTodayDoesNotMakeTheHistoryLive() throws {
        let sandbox = try Self.sandbox()
        // Dated by the clock (no --at): its event time is today, its episodes none.
        let policy = InProcess.run(
            ["policy", "set", sandbox.path("policy.json"), "--log", sandbox.log], now: Self.later)
        #expect(policy.code == 0, "\(policy)")
        let evenLater = Self.later + 86_400 * 1_000_000_000
        let queue = InProcess.run(["queue", "--log", sandbox.log], now: evenLater)
        #expect(queue.code == 0, "\(queue)")
        #expect(queue.stderr == Self.historicalNote, "\(queue)")
        #expect(queue.stdout.hasPrefix("1 open episode(s) at 2025-11-10T09:00:00Z"), "\(queue)")
    }

    @Test func policyShowRefusesAt() throws {
        let sandbox = try Self.sandbox()
        let run = InProcess.run(["policy", "show", "--at", "2025-01-01T00:00:00Z", "--log", sandbox.log])
        #expect(run.code == 64, "\(run)")
        #expect(run.stderr.contains("--at is for policy set"), "\(run)")
    }

    @Test func timelinesWrapAt100ColumnsAndKeepEveryWord() throws {
        let sandbox = try Self.sandbox()
        let long =
            #"{"type":"reply_sent","at":"2025-11-10T10:00:00Z","conversation":"c2","author":"agent:a-very-long-agent-name","#
            + #""body":"We have looked at your order and the carrier says the parcel left the depot this morning"}"#
        #expect(InProcess.run(["append", "--log", sandbox.log], stdin: EventLines.input([long])).code == 0)
        for command in [["conversation", "c2"], ["customer", "u2"]] {
            let run = InProcess.run(command + ["--log", sandbox.log], now: Self.later)
            #expect(run.code == 0, "\(run)")
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.allSatisfy { $0.count <= 100 }, "\(run)")
            // Wrapped, not cut: the words of the line are all there, in order.
            let joined = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            #expect(joined.contains("by agent:a-very-long-agent-name \"We have looked at your order"), "\(run)")
        }
    }
}
