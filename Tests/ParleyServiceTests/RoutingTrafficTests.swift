import Foundation
import ParleyEvents
import ParleyLog
import ParleyService
import ParleyTestSupport
import Testing

@testable import ParleyProjections

/// The generated traffic the routing property tests run on: reproducible from its seed, every line
/// accepted by `append`, and busy enough that routing has something to decide.
@Suite(.dedicatedThread) struct RoutingTrafficTests {
    @Test func theSameSeedGivesTheSameLinesAndAnotherSeedOthers() {
        var one = SplitMix64(seed: 7)
        var again = SplitMix64(seed: 7)
        var other = SplitMix64(seed: 8)
        let document = RoutingTraffic.document(.leastLoaded)
        let lines = RoutingTraffic.generate(rules: document, using: &one)
        #expect(lines == RoutingTraffic.generate(rules: document, using: &again))
        #expect(lines != RoutingTraffic.generate(rules: document, using: &other))
    }

    @Test func timestampsAreRFC3339InUTC() {
        #expect(RoutingTraffic.timestamp(RoutingTraffic.start) == "2026-03-02T08:00:00Z")
        #expect(RoutingTraffic.timestamp(0) == "1970-01-01T00:00:00Z")
        #expect(RoutingTraffic.timestamp(951_827_696) == "2000-02-29T12:34:56Z")
        #expect(RoutingTraffic.timestamp(-1) == "1969-12-31T23:59:59Z")
    }

    @Test(arguments: RoutingTraffic.Rules.allCases)
    func everyVariationIsAcceptedAndDecidesSomething(_ rules: RoutingTraffic.Rules) throws {
        var random = SplitMix64(seed: 11)
        var options = RoutingTraffic.Options()
        options.events = 300
        let run = try RoutedTraffic(
            RoutingTraffic.generate(rules: RoutingTraffic.document(rules), options: options, using: &random))
        #expect(run.summary.decisions > 0)
        let kinds = Set(try run.events().map { $0.event.kind.name })
        for kind in ["rules_set", "agent_status", "customer_profile", "escalated", "routed", "assigned"] {
            #expect(kinds.contains(kind), "no \(kind) in the \(rules) traffic")
        }
    }
}

/// A log written from generated traffic by `append` with routing on (as `parley append` does).
struct RoutedTraffic {
    let log: TemporaryLog
    let summary: AppendSummary

    /// Appends `lines` to a new log, routing, in batches of `batchSize` (`nil`: one batch).
    init(_ lines: [String], batchSize: Int? = nil) throws {
        try Self.checkNoLivelock(lines)
        log = try TemporaryLog()
        summary = try Self.append(lines, to: log, batchSize: batchSize, route: true)
    }

    /// Appends `lines` to `log`, routing from the state of the log when `route` (`append --no-route`
    /// otherwise).
    @discardableResult
    static func append(_ lines: [String], to log: TemporaryLog, batchSize: Int? = nil, route: Bool) throws
        -> AppendSummary
    {
        let writer = try log.writer()
        defer { writer.close() }
        var appender = EventAppender(writer: writer, batchSize: batchSize)
        if route { appender.routing = try RoutingSession.load(path: log.path, writer: writer) }
        return try appender.append(jsonLines: MemorySource(jsonLines(lines)))
    }

    /// Writes `events` as they are to a new log: no routing (a log edited by hand).
    static func unrouted(_ events: [Event]) throws -> TemporaryLog {
        let log = try TemporaryLog()
        let writer = try log.writer()
        defer { writer.close() }
        _ = try EventAppender(writer: writer, batchSize: 500).append(events)
        return log
    }

    /// Every event of the log, texts included, with its seq.
    func events() throws -> [SequencedEvent] { try Self.events(of: log) }

    static func events(of log: TemporaryLog) throws -> [SequencedEvent] {
        var events: [SequencedEvent] = []
        _ = try Replay.run(path: log.path, wants: { _ in true }, { events.append($0) })
        return events
    }

    /// `route --check` of the log.
    func audit() throws -> RoutingAudit { try LogQueries(path: log.path, useCheckpoint: false).auditRouting() }

    /// The seed rules of `Fixtures/rules/seed-rules.json`.
    static func seedRules() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Fixtures/rules/seed-rules.json"), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// A router that keeps owing the same decision makes `append` loop forever: this steps the routing of
    /// `lines` in memory first, with a bound, so that a test fails instead of hanging.
    /// - Throws: ``Livelock`` when more than 1,000 decisions are owed at one moment.
    static func checkNoLivelock(_ lines: [String]) throws {
        let scratch = try TemporaryLog()
        try append(lines, to: scratch, route: false)
        var state = ProjectionState()
        var seq: UInt64 = 1
        func drain(_ now: Int64) throws(Livelock) {
            var count = 0
            while let decision = state.nextRoutingDecision(now: now) {
                state.apply(decision, seq: seq)
                seq += 1
                count += 1
                if count > 1_000 { throw Livelock(seq: seq, decision: decision) }
            }
        }
        for sequenced in try events(of: scratch) {
            try drain(sequenced.event.at.nanoseconds)
            state.apply(sequenced.event, seq: seq)
            seq += 1
            try drain(sequenced.event.at.nanoseconds)
        }
    }

    /// The router owes the same decision again and again.
    struct Livelock: Error, CustomStringConvertible {
        var seq: UInt64
        var decision: Event
        var description: String { "the router owes \(decision.payload) forever (seq \(seq))" }
    }

    /// Whether `event` is a routing decision.
    static func isDecision(_ event: Event) -> Bool { LogQueries.isDecision(event) }
}
