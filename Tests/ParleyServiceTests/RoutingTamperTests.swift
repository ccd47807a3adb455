import ParleyEvents
import ParleyLog
import ParleyProjections
import ParleyService
import ParleyTestSupport
import Testing

/// A routed log edited by hand is caught by `route --check` at the edit: a decision's assignee, team, `by`
/// or reason changed, a decision dropped, a hand-made assignment given a `by`. The edited events are
/// written as they are (`append --no-route`), to a new log.
@Suite(.dedicatedThread) struct RoutingTamperTests {
    /// A routed log of the seed rules and its events.
    static func routed(seed: UInt64) throws -> [Event] {
        var random = SplitMix64(seed: seed)
        var options = RoutingTraffic.Options()
        options.events = 300
        let run = try RoutedTraffic(
            RoutingTraffic.generate(rules: RoutedTraffic.seedRules(), options: options, using: &random))
        #expect(try run.audit().isClean)
        return try run.events().map(\.event)
    }

    /// Indices of the decisions of `events` for which `matches` holds: a few, spread over the log.
    static func decisions(_ events: [Event], where matches: (EventPayload) -> Bool) -> [Int] {
        let all = events.indices.filter { RoutedTraffic.isDecision(events[$0]) && matches(events[$0].payload) }
        guard all.count > 4 else { return all }
        return [all[0], all[all.count / 3], all[all.count / 2], all[all.count - 1]]
    }

    /// Writes `events` unrouted and expects `route --check` to report first at `seq`.
    static func expectCaught(_ events: [Event], at seq: UInt64?, _ what: String) throws {
        let log = try RoutedTraffic.unrouted(events)
        let audit = try LogQueries(path: log.path, useCheckpoint: false).auditRouting()
        let place = seq.map { "at seq \($0)" } ?? "at the end"
        #expect(!audit.isClean, "\(what) \(place) not caught")
        #expect(
            audit.findings.first?.seq == seq,
            "\(what) \(place): first finding \(String(describing: audit.findings.first))")
    }

    static func isAssignment(_ payload: EventPayload) -> Bool {
        if case .assigned(let assigned) = payload { assigned.assignee != nil } else { false }
    }

    static func isRouting(_ payload: EventPayload) -> Bool {
        if case .routed = payload { true } else { false }
    }

    @Test(arguments: [1, 2] as [UInt64])
    func aChangedAssigneeTeamByOrReasonIsCaughtAtItsSeq(_ seed: UInt64) throws {
        let events = try Self.routed(seed: seed)
        let assignments = Self.decisions(events, where: Self.isAssignment)
        let routings = Self.decisions(events, where: Self.isRouting)
        #expect(!assignments.isEmpty && !routings.isEmpty)
        for index in assignments {
            guard case .assigned(let original) = events[index].payload else { continue }
            let edits: [(String, (inout Assigned) -> Void)] = [
                ("assignee", { $0.assignee = $0.assignee == "agent:a0" ? "agent:a1" : "agent:a0" }),
                ("team", { $0.team = "forged" }),
                ("by", { $0.by = $0.by == "strategy:least_loaded" ? "strategy:round_robin" : "strategy:least_loaded" }),
                ("reason", { $0.reason = ($0.reason ?? "") + " (edited)" }),
            ]
            for (field, edit) in edits {
                var edited = original
                edit(&edited)
                var copy = events
                copy[index] = Event(at: events[index].at, payload: .assigned(edited), extras: events[index].extras)
                try Self.expectCaught(copy, at: UInt64(index + 1), "assigned's \(field) changed")
            }
        }
        for index in routings {
            guard case .routed(let original) = events[index].payload else { continue }
            let edits: [(String, (inout Routed) -> Void)] = [
                ("team", { $0.team = "forged" }),
                ("by", { $0.by = "rule:forged" }),
                ("mode", { $0.mode = $0.mode == .human ? .automation : .human }),
                ("reason", { $0.reason = ($0.reason ?? "") + " (edited)" }),
            ]
            for (field, edit) in edits {
                var edited = original
                edit(&edited)
                var copy = events
                copy[index] = Event(at: events[index].at, payload: .routed(edited), extras: events[index].extras)
                try Self.expectCaught(copy, at: UInt64(index + 1), "routed's \(field) changed")
            }
        }
    }

    @Test(arguments: [12, 13] as [UInt64])
    func aDroppedDecisionIsCaughtWhereItWas(_ seed: UInt64) throws {
        let events = try Self.routed(seed: seed)
        let chosen = Self.decisions(events) { _ in true }
        #expect(!chosen.isEmpty)
        for index in chosen {
            var copy = events
            copy.remove(at: index)
            // Missing before the event now in its place, or at the end of the log.
            try Self.expectCaught(
                copy, at: index < copy.count ? UInt64(index + 1) : nil, "\(events[index].kind.name) dropped")
        }
    }

    @Test(arguments: [5, 6] as [UInt64])
    func aHandMadeAssignmentGivenAByIsCaught(_ seed: UInt64) throws {
        let events = try Self.routed(seed: seed)
        // Before events that are no decision, in the middle of the traffic.
        let places = stride(from: events.count / 4, to: events.count, by: events.count / 4).map { start in
            (start..<events.count).first {
                !RoutedTraffic.isDecision(events[$0]) && events[$0].payload.conversation != nil
            }!
        }
        for index in places {
            let conversation = events[index].payload.conversation!
            var copy = events
            copy.insert(
                Event(
                    at: events[index].at,
                    payload: .assigned(
                        Assigned(
                            conversation: conversation, assignee: "agent:a2", team: "support",
                            by: "strategy:least_loaded"))
                ), at: index)
            try Self.expectCaught(copy, at: UInt64(index + 1), "a hand-made assigned with a by")
        }
    }

    @Test func theSameLogWrittenUnroutedIsClean() throws {
        let events = try Self.routed(seed: 7)
        let log = try RoutedTraffic.unrouted(events)
        #expect(try LogQueries(path: log.path, useCheckpoint: false).auditRouting().isClean)
    }
}
