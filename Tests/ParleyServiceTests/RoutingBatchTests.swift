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
        let document = try rules.map { RoutingTraffic.document(RoutingTraffic.Rules(rawValue: $0)!) }
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
            let first = zip(events, expected).firstIndex { $0 != $1 }
            #expect(first == nil, "batches of \(size) differ from seq \(first.map { $0 + 1 } ?? 0)")
            // A batch never ends between an event and its decisions.
            let all = try run.events()
            for frame in try run.log.frames().dropFirst() {
                let event = all[Int(frame.lowerBound) - 1].event
                #expect(!RoutedTraffic.isDecision(event), "batches of \(size): a frame starts with a decision at seq \(frame.lowerBound)")
            }
        }
    }

    @Test(arguments: [(nil, 7), ("timers", 8), ("timers", 9), ("leastLoaded", 10)] as [(String?, UInt64)])
    func aTickWritesWhatTheNextAppendWouldHaveWrittenFirst(_ rules: String?, _ seed: UInt64) throws {
        let lines = try Self.lines(rules, seed: seed, events: 500)
        let times = lines.map(Self.time)
        // A cut before a long quiet spell in the middle of the traffic, so that timers fall due in it.
        let middle = lines.count / 2
        let cut = try #require(
            (middle..<lines.count).max { times[$0] - times[$0 - 1] < times[$1] - times[$1 - 1] })
        let prefix = Array(lines[..<cut])
        let suffix = Array(lines[cut...])
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
        #expect(try LogQueries(path: ticked.path, useCheckpoint: false).auditRouting().isClean)
    }

    @Test func aTickAfterTheTrafficFiresTheTimersDue() throws {
        var written: [Event] = []
        for seed: UInt64 in 20..<24 {
            let lines = try Self.lines("timers", seed: seed, events: 300)
            let log = try TemporaryLog()
            try RoutedTraffic.append(lines, to: log, route: true)
            written += try Self.tick(log, at: Self.time(lines.last!) + 6 * 3_600_000_000_000)
            #expect(try LogQueries(path: log.path, useCheckpoint: false).auditRouting().isClean)
        }
        #expect(written.contains { if case .routed(let routed) = $0.payload { routed.by == "timer:stale" } else { false } })
        #expect(written.contains { if case .routed(let routed) = $0.payload { routed.by == "timer:frt_risk" } else { false } })
    }

    /// `route --tick --at at`: the decisions due by `at`, appended as they are.
    static func tick(_ log: TemporaryLog, at: Int64) throws -> [Event] {
        let writer = try log.writer()
        defer { writer.close() }
        var session = try RoutingSession.load(path: log.path, writer: writer)
        var decisions: [Event] = []
        session.drain(now: at) { event, _ in decisions.append(event) }
        if !decisions.isEmpty {
            var appender = EventAppender(writer: writer)
            _ = try appender.append(decisions)
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
