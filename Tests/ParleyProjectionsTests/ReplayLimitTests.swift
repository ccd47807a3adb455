import Foundation
import ParleyEvents
import ParleyLog
import Synchronization
import Testing

@testable import ParleyProjections

/// `--until-seq N` and `--as-of TIME` must reproduce exactly the report the log would have given then.
@Suite struct ReplayLimitTests {
    /// The report variants every comparison runs: the two bucket sizes, and both filters.
    static let queries = [
        KPIReport.Query(size: .day),
        KPIReport.Query(size: .week),
        KPIReport.Query(size: .day, channel: .chat),
        KPIReport.Query(size: .week, category: "billing"),
    ]

    // MARK: Properties over random streams

    /// (a) For many N, the report over the whole log with `ReplayLimit(untilSeq: N)` is the report over a
    /// second log holding only the first N events, and the report over those N events fed to a collector.
    @Test(arguments: RandomStream.seeds.prefix(4))
    func untilSeqEqualsTheReportOfALogTruncatedThere(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let events = RandomStream.events(count: 300, using: &random)
        let batchSizes = (0..<300).map { _ in Int.random(in: 1...8, using: &random) }
        try withTemporaryPath { directory in
            let full = directory + "/full.log"
            let commits = try TestLog.write(events, to: full, batchSizes: batchSizes)
            #expect(commits.last?.seqs.upperBound == UInt64(events.count))
            // Every 7th N, both sides of every 10th frame boundary, and past the end.
            var cuts = Set(stride(from: 0, through: events.count + 3, by: 7))
            for commit in commits.enumerated() where commit.offset % 10 == 0 {
                cuts.formUnion([Int(commit.element.seqs.lowerBound) - 1, Int(commit.element.seqs.upperBound)])
            }
            cuts.formUnion([1, events.count - 1, events.count, events.count + 1])
            for cut in cuts.sorted() {
                let kept = Array(events.prefix(cut))
                let truncated = directory + "/first-\(cut).log"
                try TestLog.write(kept, to: truncated, batchSizes: [max(1, kept.count)])
                for query in Self.queries {
                    let limited = try KPIRun.run(path: full, limit: ReplayLimit(untilSeq: UInt64(cut)), query: query)
                    let whole = try KPIRun.run(path: truncated, query: query)
                    #expect(limited.report == whole.report, "seed \(seed), until-seq \(cut), \(query.size)")
                    #expect(limited.json == whole.json, "seed \(seed), until-seq \(cut)")
                    #expect(limited.summary.events == UInt64(kept.count))
                    #expect(limited.summary.lastSeq == UInt64(kept.count))
                    #expect(KPIRun.report(kept, query: query) == limited.report)
                }
                try FileManager.default.removeItem(atPath: truncated)
            }
        }
    }

    /// (b) `ReplayLimit(asOf: T)` equals `ReplayLimit(untilSeq: S)` where S is the last seq committed at or
    /// before T: at each commit time, just before it, and between commits. The clock steps one second
    /// per reading, sometimes stands still and sometimes goes back (the writer keeps commit times from
    /// decreasing, so several frames can share a commit time).
    @Test(arguments: RandomStream.seeds.suffix(3))
    func asOfEqualsUntilSeqOfTheLastEventCommittedThen(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let events = RandomStream.events(count: 240, using: &random)
        let batchSizes = (0..<240).map { _ in Int.random(in: 1...6, using: &random) }
        let steps = (0..<400).map { _ -> Int64 in
            switch Int.random(in: 0..<10, using: &random) {
            case 0: 0
            case 1: -3_000_000_000
            default: 1_000_000_000
            }
        }
        let clock = ScriptedClock(start: 1_772_445_600 * 1_000_000_000, steps: steps)
        try withTemporaryPath { directory in
            let path = directory + "/log"
            let commits = try TestLog.write(events, to: path, batchSizes: batchSizes, clock: clock.reader)
            #expect(zip(commits, commits.dropFirst()).allSatisfy { $0.commitTime <= $1.commitTime })
            /// The last seq of the frames committed at or before `time` (0 for none).
            func lastSeq(committedBy time: Int64) -> UInt64 {
                commits.filter { $0.commitTime <= time }.map(\.seqs.upperBound).max() ?? 0
            }
            var times = Set<Int64>()
            for commit in commits {
                times.formUnion([commit.commitTime, commit.commitTime - 1, commit.commitTime + 500_000_000])
            }
            for time in times.sorted() {
                let until = lastSeq(committedBy: time)
                for query in Self.queries {
                    let asOf = try KPIRun.run(path: path, limit: ReplayLimit(asOf: time), query: query)
                    let untilSeq = try KPIRun.run(path: path, limit: ReplayLimit(untilSeq: until), query: query)
                    #expect(asOf.report == untilSeq.report, "seed \(seed), as-of \(time), until-seq \(until)")
                    #expect(asOf.summary == untilSeq.summary)
                    #expect(asOf.summary.lastSeq == until)
                }
            }
        }
    }

    // MARK: Hand-worked limits

    /// c1 is resolved after one touch on 03-02; c2's message on 03-10 moves the latest event time past
    /// the 7 days. Up to seq 3 the first-contact resolution is pending; with seq 4 it counts.
    @Test func firstContactHorizonIsTheLatestEventOfTheReplay() throws {
        let events = [
            Make.message("c1", Make.time("2026-03-02T09:00:00Z")),
            Make.reply("c1", Make.time("2026-03-02T09:10:00Z")),
            Make.status("c1", Make.time("2026-03-02T10:00:00Z"), .resolved),
            Make.message("c2", Make.time("2026-03-10T09:00:00Z")),
        ]
        try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(events, to: path)
            let then = try KPIRun.run(path: path, limit: ReplayLimit(untilSeq: 3), query: KPIReport.Query(size: .day))
            #expect(then.report.buckets.map(\.label) == ["2026-03-02"])
            #expect(then.report.totals.firstContactResolutions == 0)
            #expect(then.report.totals.firstContactPending == 1)
            let now = try KPIRun.run(path: path, query: KPIReport.Query(size: .day))
            #expect(now.report.buckets.count == 9)
            #expect(now.report.totals.firstContactResolutions == 1)
            #expect(now.report.totals.firstContactPending == 0)
        }
    }

    /// Ten events in one frame: `untilSeq` 4 stops inside it.
    @Test func untilSeqStopsInsideAFrame() throws {
        let events = (0..<10).map { Make.message("c\($0 % 3)", Make.at(Int64($0) * Make.hour)) }
        try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(events, to: path, batchSizes: [10])
            let result = try KPIRun.run(path: path, limit: ReplayLimit(untilSeq: 4), query: KPIReport.Query(size: .day))
            #expect(result.summary.events == 4)
            #expect(result.summary.lastSeq == 4)
            #expect(result.report.totals.messages == 4)
            #expect(result.report.totals.newEpisodes == 3)
            #expect(result.report == KPIRun.report(Array(events.prefix(4)), query: KPIReport.Query(size: .day)))
        }
    }

    /// Nothing committed yet (as-of before the first commit, or until-seq 0): an empty report.
    @Test func beforeTheFirstEventTheReportIsEmpty() throws {
        let events = [Make.message("c1", Make.at(0)), Make.reply("c1", Make.at(Make.hour))]
        let clock = SteppingClock(start: 1_000_000_000_000, step: 1_000_000_000)
        try withTemporaryPath { directory in
            let path = directory + "/log"
            let commits = try TestLog.write(events, to: path, clock: clock.reader)
            let query = KPIReport.Query(size: .day)
            for limit in [ReplayLimit(untilSeq: 0), ReplayLimit(asOf: commits[0].commitTime - 1)] {
                let result = try KPIRun.run(path: path, limit: limit, query: query)
                #expect(result.summary.events == 0)
                #expect(result.report.buckets.isEmpty)
                #expect(result.report.totals.messages == 0)
            }
            let first = try KPIRun.run(path: path, limit: ReplayLimit(asOf: commits[0].commitTime), query: query)
            #expect(first.summary.events == 1)
            #expect(first.report.totals.firstResponse.count == 0)
            #expect(first.report.totals.backlogEnd == 1)
        }
    }
}

/// A commit clock that follows a script of steps (and then steps one second per reading).
final class ScriptedClock: Sendable {
    private let state: Mutex<(now: Int64, steps: [Int64], index: Int)>

    init(start: Int64, steps: [Int64]) { state = Mutex((start, steps, 0)) }

    func read() -> Int64 {
        state.withLock { state in
            let now = state.now
            state.now += state.index < state.steps.count ? state.steps[state.index] : 1_000_000_000
            state.index += 1
            return now
        }
    }

    /// ``read()`` as the closure `LogWriter.Options.clock` takes.
    var reader: @Sendable () -> Int64 { { self.read() } }
}

/// Random event streams: several conversations, every type, some events late (event time up to two
/// days before the previous one's), some written with a UTC offset.
enum RandomStream {
    /// Seeds whose 400-event streams give every rule something to act on (reopens, open episodes, replies
    /// and resolves outside episodes, negative durations, first-contact resolutions counted and pending,
    /// a backlog, buckets without new episodes): ``ScenarioTests`` checks it.
    static let seeds: [UInt64] = [3, 8, 11, 12, 13, 16]

    static func events(count: Int, using random: inout SplitMix64) -> [Event] {
        let channels: [Channel] = [.email, .chat, .sms, .form]
        let categories = ["billing", "shipping", "returns"]
        var now = Make.at(0).nanoseconds
        var events: [Event] = []
        for _ in 0..<count {
            now += Int64.random(in: 0...(5 * Make.hour), using: &random)
            var at = now
            if Int.random(in: 0..<6, using: &random) == 0 { at -= Int64.random(in: 1...(2 * Make.day), using: &random) }
            let offset = [0, 60, -300, 330].randomElement(using: &random)!
            let time = Timestamp(nanoseconds: at, offsetMinutes: Int16(offset))
            // Four conversations are active at a time and the set moves on every day, so conversations
            // reopen for a few days and then go quiet for good (their first-contact windows close).
            let conversation = "c\((now - Make.at(0).nanoseconds) / Make.day + Int64.random(in: 0..<4, using: &random))"
            let roll = Int.random(in: 0..<100, using: &random)
            var event: Event
            switch roll {
            case 0..<30:
                // Texts, subject and message id: the replay skips them, the KPIs must not notice.
                let message = MessageReceived(
                    conversation: conversation, customer: "u-" + conversation,
                    channel: channels.randomElement(using: &random)!,
                    messageID: Bool.random(using: &random) ? "m-\(events.count)" : nil,
                    subject: Bool.random(using: &random) ? "Re: order \(events.count)" : nil,
                    body: String(repeating: "é", count: Int.random(in: 0...40, using: &random)))
                event = Event(at: time, payload: .messageReceived(message))
            case 30..<52:
                event = Make.reply(conversation, time, automatic: Int.random(in: 0..<5, using: &random) == 0)
            case 52..<80:
                let status: ConversationStatus = [.open, .pending, .resolved, .resolved, .resolved, .resolved]
                    .randomElement(using: &random)!
                event = Make.status(conversation, time, status)
            case 80..<86:
                let assignee = ["agent:ana", "agent:bo", nil].randomElement(using: &random)!
                event = Event(at: time, payload: .assigned(Assigned(conversation: conversation, assignee: assignee)))
            case 86..<93:
                event = Make.categorized(conversation, time, categories.randomElement(using: &random)!)
            case 93..<97:
                event = Event(
                    at: time, payload: .noteAdded(NoteAdded(conversation: conversation, author: "agent:bo", body: "n")))
            case 97..<99:
                event = Event(at: time, payload: .customerLinked(CustomerLinked(customer: "u-c1", sameAs: "u-c2")))
            default:
                let policy = JSONValue.object([JSONMember(key: "first_response_minutes", value: .number("30"))])
                event = Event(at: time, payload: .policySet(PolicySet(policy: policy)))
            }
            if Int.random(in: 0..<10, using: &random) == 0 {
                event.extras = [
                    JSONMember(key: "source", value: .string("bridge")), JSONMember(key: "n", value: .null),
                ]
            }
            events.append(event)
        }
        return events
    }
}
