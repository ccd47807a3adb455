import ParleyEvents
import ParleyLog
import ParleyProjections
import ParleyService
import ParleyTestSupport
import Testing

/// Decisions depend on the log and the rules only: not on how the input is cut into batches, nor on
/// whether a timer's decisions were written by `route --tick` or by the next `append`.
@Suite(.dedicatedThread) struct RoutingBatchTests {
    static func lines(_ rules: String?, seed: UInt64, events: Int = 400) throws -> [String] {
        let document =
            try rules.map { RoutingTraffic.document(RoutingTraffic.Rules(rawValue: $0)!) }
            ?? RoutedTraffic.seedRules()
        var random = SplitMix64(seed: seed)
        var options = RoutingTraffic.Options()
        options.events = events
        return RoutingTraffic.generate(rules: document, options: options, using: &random)
    }

    /// The events of a log as `dump` shows them, without `recorded_at` (the writer's clock).
    static func logged(_ log: TemporaryLog) throws -> [Event] { try RoutedTraffic.events(of: log).map(\.event) }

    @Test(arguments: [(nil, 4), ("timers", 5), ("automation", 6)] as [(String?, UInt64)])
    func batchesOfAnySizeWriteTheSameEvents(_ rules: String?, _ seed: UInt64) throws {
        let lines = try Self.lines(rules, seed: seed)
        let whole = try RoutedTraffic(lines)
        let expected = try Self.logged(whole.log)
        #expect(whole.summary.decisions > 0)
        for size in [1, 7, 100] {
            let run = try RoutedTraffic(lines, batchSize: size)
            let events = try Self.logged(run.log)
            #expect(events.count == expected.count, "batches of \(size)")
            let first = events.indices.first { $0 < expected.count && events[$0] != expected[$0] }
            #expect(first == nil, "batches of \(size) differ from seq \(first.map { $0 + 1 } ?? 0)")
        }
    }

    @Test(arguments: [(nil, 7), ("leastLoaded", 10)] as [(String?, UInt64)])
    func aTickWritesWhatTheNextAppendWouldHaveWrittenFirst(_ rules: String?, _ seed: UInt64) throws {
        try Self.checkTick(rules, seed: seed)
    }

    // Bugs this traffic found (report of helper PT), fixed by queue tickets and `setOwner`: ("timers", 8) livelocks (see RoutingPropertyTests). With ("timers", 9),
    // ("timers", 10), ("timers", 11), ("roundRobin", 12), ("skills", 12), ("accountManager", 12), `route --check` is not clean after the second `append`, whether a tick
    // came between or not: a session loaded by replaying the log (`RoutingSession.load`) serves a team's
    // queue in another order than the session that wrote the log, or the audit, which ask the router for its
    // decisions after every event (entries are dropped from the queues as decisions are asked for). E.g.
    // timers/10: seq 854 assigns c43 to agent:a1 (escalations), the audit expects c46.
    @Test(
        arguments: [
            ("timers", 8), ("timers", 9), ("timers", 10), ("timers", 11), ("roundRobin", 12), ("skills", 12),
            ("accountManager", 12),
        ] as [(String?, UInt64)])
    func aTickOnTrafficThatFoundBugs(_ rules: String?, _ seed: UInt64) throws {
        try Self.checkTick(rules, seed: seed)
    }

    static func checkTick(_ rules: String?, seed: UInt64) throws {
        let lines = try Self.lines(rules, seed: seed, events: 500)
        try RoutedTraffic.checkNoLivelock(lines)
        let times = lines.map(Self.time)
        // A cut before a long quiet spell in the middle of the traffic, so that timers fall due in it.
        let middle = lines.count / 2
        let gaps: [(index: Int, gap: Int64)] = (middle..<lines.count).map { ($0, times[$0] - times[$0 - 1]) }
        let cut: Int = gaps.max { $0.gap < $1.gap }!.index
        let prefix = Array(lines[0..<cut])
        let suffix = Array(lines[cut..<lines.count])
        let tick = times[cut]

        let ticked = try TemporaryLog()
        try RoutedTraffic.append(prefix, to: ticked, route: true)
        let written = try Self.tick(ticked, at: tick)
        #expect(try Self.tick(ticked, at: tick).isEmpty, "a second tick at the same time writes nothing")
        try RoutedTraffic.append(suffix, to: ticked, route: true)

        let plain = try TemporaryLog()
        try RoutedTraffic.append(prefix, to: plain, route: true)
        try RoutedTraffic.append(suffix, to: plain, route: true)

        #expect(try Self.logged(ticked) == Self.logged(plain))
        for event in written {
            #expect(event.at.nanoseconds <= tick)
            switch event.payload {
            case .routed(let routed): #expect(routed.by.hasPrefix("timer:"), "\(routed)")
            case .assigned(let assigned): #expect(assigned.by != nil)
            default: Issue.record("a tick wrote \(event)")
            }
        }
        let audit = try LogQueries(path: ticked.path, useCheckpoint: false).auditRouting()
        #expect(audit.isClean, "cut at line \(cut + 1) of \(lines.count): \(audit.findings.prefix(2))")
    }

    @Test
    func aTickAfterTheTrafficFiresTheTimersDue() throws {
        var written: [Event] = []
        for seed: UInt64 in [30, 31, 32, 33] {
            let lines = try Self.lines("timers", seed: seed, events: 300)
            try RoutedTraffic.checkNoLivelock(lines)
            let log = try TemporaryLog()
            try RoutedTraffic.append(lines, to: log, route: true)
            written += try Self.tick(log, at: Self.time(lines.last!) + 6 * 3_600_000_000_000)
            #expect(try LogQueries(path: log.path, useCheckpoint: false).auditRouting().isClean)
        }
        #expect(
            written.contains { if case .routed(let routed) = $0.payload { routed.by == "timer:stale" } else { false } })
        #expect(
            written.contains {
                if case .routed(let routed) = $0.payload { routed.by == "timer:frt_risk" } else { false }
            })
    }

    /// `route --tick --at at`: the decisions due by `at`, appended as they are.
    static func tick(_ log: TemporaryLog, at: Int64) throws -> [Event] {
        let writer = try log.writer()
        defer { writer.close() }
        let session = try RoutingSession.load(path: log.path, writer: writer)
        var decisions: [Event] = []
        session.drain(now: at) { event, _ in decisions.append(event) }
        if !decisions.isEmpty {
            _ = try EventAppender(writer: writer).append(decisions)
        }
        return decisions
    }

    /// The event time of a generated line (ns).
    static func time(_ line: String) -> Int64 {
        let start = line.range(of: #""at":""#)!.upperBound
        let text = line[start...].prefix { $0 != "\"" }
        return Timestamp(rfc3339: String(text))!.nanoseconds
    }
}
