import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

/// SLA clocks as the book runs them: edges at the target itself, and invariants over random streams
/// (late events included) that hold whatever the order of events.
@Suite struct SLAClockTests {
    static let minute: Int64 = 60_000_000_000
    static let hour = 60 * minute

    /// Open every day, all day, in Paris: business time is calendar time (away from DST days).
    static let allDay = #"""
        {"time_zone":"Europe/Paris","business_hours":{"monday":["00:00-24:00"],"tuesday":["00:00-24:00"],
         "wednesday":["00:00-24:00"],"thursday":["00:00-24:00"],"friday":["00:00-24:00"],"saturday":["00:00-24:00"],
         "sunday":["00:00-24:00"]},"targets":{"normal":{"first_response":60,"resolution":120}}}
        """#

    static func policySet(_ at: String, _ text: String = allDay) -> Event {
        Event(at: Make.time(at), payload: .policySet(PolicySet(policy: SLAStream.policy(text))))
    }

    /// Applies `events` to a book; returns it with every episode it started or ended, latest state last.
    static func book(_ events: [Event]) -> (book: ConversationBook, episodes: [Episode]) {
        var book = ConversationBook()
        var episodes: [Episode] = []
        for (index, event) in events.enumerated() {
            switch book.apply(event, seq: UInt64(index + 1)) {
            case .none: break
            case .started(let episode): episodes.append(episode)
            case .ended(let episode):
                if let last = episodes.lastIndex(where: { $0.conversation == episode.conversation }) {
                    episodes[last] = episode
                }
            case .changed: break
            }
        }
        return (book, episodes)
    }

    @Test func stoppingExactlyAtTheTargetIsMet() throws {
        var (book, episodes) = Self.book([
            Self.policySet("2026-03-02T00:00:00Z"),
            Make.message("c1", Make.time("2026-03-02T09:00:00Z")),
            Make.reply("c1", Make.time("2026-03-02T10:00:00Z")),
            Make.status("c1", Make.time("2026-03-02T11:00:00Z"), .resolved),
        ])
        let stateState = book.slaState(of: episodes[0], at: Make.time("2026-03-05T00:00:00Z").nanoseconds)
        let state = try #require(stateState)
        #expect(state.firstResponse?.phase == .met)
        #expect(state.firstResponse?.elapsed == Self.hour)
        #expect(state.firstResponse?.remaining == 0)
        #expect(state.resolution?.phase == .met)
        #expect(state.resolution?.elapsed == 2 * Self.hour)
        #expect(state.resolution?.deadline == nil)
    }

    @Test func aRunningClockAtItsTargetIsNotYetBreached() throws {
        var (book, _) = Self.book([
            Self.policySet("2026-03-02T00:00:00Z"),
            Make.message("c1", Make.time("2026-03-02T09:00:00Z")),
        ])
        let episode = try #require(book["c1"]?.openEpisode)
        let atTarget = Make.time("2026-03-02T10:00:00Z").nanoseconds
        let atState = book.slaState(of: episode, at: atTarget)
        let at = try #require(atState)
        #expect(at.firstResponse?.phase == .running)
        #expect(at.firstResponse?.deadline == atTarget)
        let afterState = book.slaState(of: episode, at: atTarget + 1)
        let after = try #require(afterState)
        #expect(after.firstResponse?.phase == .breached)
        #expect(after.firstResponse?.remaining == -1)
        // A moment before the episode started counts nothing.
        let beforeState = book.slaState(of: episode, at: atTarget - 2 * Self.hour)
        let before = try #require(beforeState)
        #expect(before.firstResponse?.elapsed == 0 && before.resolution?.elapsed == 0)
    }

    @Test func pendingPausesOnlyTheResolutionClock() throws {
        var (book, _) = Self.book([
            Self.policySet("2026-03-02T00:00:00Z"),
            Make.message("c1", Make.time("2026-03-02T09:00:00Z")),
            Make.status("c1", Make.time("2026-03-02T09:30:00Z"), .pending),
            // Pending again changes nothing. (A customer's message reopens it: ReopenByMessageTests.)
            Make.status("c1", Make.time("2026-03-02T10:00:00Z"), .pending),
        ])
        let episode = try #require(book["c1"]?.openEpisode)
        let stateState = book.slaState(of: episode, at: Make.time("2026-03-02T12:00:00Z").nanoseconds)
        let state = try #require(stateState)
        #expect(state.firstResponse?.phase == .breached)
        #expect(state.firstResponse?.elapsed == 3 * Self.hour)
        #expect(state.resolution?.phase == .paused)
        #expect(state.resolution?.elapsed == 30 * Self.minute)
        #expect(state.resolution?.deadline == nil)
    }

    /// Late events: a `status_changed` → open dated before the `pending` it ends (or before the episode
    /// itself) must not count the same stretch twice, and a `resolved` dated before the `pending` logged ahead
    /// of it must not count up to that pending: the time spent pending is clamped to 0 as every negative
    /// duration is, so the resolution clock never exceeds business(start, resolve). (Found by this test:
    /// the clock used to resume at the late `open`'s own time and keep what it counted up to the pending.)
    @Test func lateReopenOfAPendingEpisodeDoesNotCountTimeTwice() throws {
        let pendingThenEarlierOpen = Self.book([
            Self.policySet("2026-03-02T00:00:00Z"),
            Make.message("c1", Make.time("2026-03-02T09:00:00Z")),
            Make.status("c1", Make.time("2026-03-02T10:00:00Z"), .pending),
            Make.status("c1", Make.time("2026-03-02T09:30:00Z"), .open),
            Make.status("c1", Make.time("2026-03-02T11:00:00Z"), .resolved),
        ])
        let startedPendingThenEarlierOpen = Self.book([
            Self.policySet("2026-03-02T00:00:00Z"),
            Make.status("c2", Make.time("2026-03-02T10:00:00Z"), .pending),
            Make.status("c2", Make.time("2026-03-02T09:00:00Z"), .open),
            Make.status("c2", Make.time("2026-03-02T11:00:00Z"), .resolved),
        ])
        let resolvedBeforeThePending = Self.book([
            Self.policySet("2026-03-02T00:00:00Z"),
            Make.message("c3", Make.time("2026-03-02T09:00:00Z")),
            Make.status("c3", Make.time("2026-03-02T11:00:00Z"), .pending),
            Make.status("c3", Make.time("2026-03-02T10:00:00Z"), .resolved),
        ])
        do {
            var first = pendingThenEarlierOpen
            let oneState = first.book.slaState(of: first.episodes[0], at: Make.time("2026-03-03T00:00:00Z").nanoseconds)
            let one = try #require(oneState)
            // 09:00–11:00 with no time pending: 2 h (not 1 h + 1 h 30).
            #expect(one.resolution?.elapsed == 2 * Self.hour)
            var second = startedPendingThenEarlierOpen
            let twoState = second.book.slaState(
                of: second.episodes[0], at: Make.time("2026-03-03T00:00:00Z").nanoseconds)
            let two = try #require(twoState)
            // Started 10:00, resolved 11:00: at most 1 h (not 2 h, from before the episode began).
            #expect(two.resolution?.elapsed == Self.hour)
            var third = resolvedBeforeThePending
            let threeState = third.book.slaState(
                of: third.episodes[0], at: Make.time("2026-03-03T00:00:00Z").nanoseconds)
            let three = try #require(threeState)
            // 09:00 → resolved 10:00 (the pending dated 11:00 comes after the resolve): 1 h, not 2 h.
            #expect(three.resolution?.elapsed == Self.hour)
        }
    }

    /// Over random streams, for every episode a policy measures: first response ≤ business(start, response
    /// or resolve), and resolution ≤ business(start, resolve) (or to the moment, while open).
    @Test(arguments: [31, 32, 33] as [UInt64])
    func clocksNeverExceedTheBusinessTimeOfTheirSpan(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var state = ProjectionState()
        for (index, event) in SLAStream.events(count: 400, using: &random).enumerated() {
            state.apply(event, seq: UInt64(index + 1))
        }
        var book = state.conversations
        let moment = (state.latestEventTime ?? 0) + 2 * Self.hour
        var over: [String] = []
        var checked = 0
        for record in state.kpi.episodes {
            guard let clocks = record.sla else { continue }
            checked += 1
            let end = record.resolved ?? moment
            let span = book.policies[clocks.policy].businessNanos(from: record.start, to: end)
            let state = book.slaState(
                clocks: clocks, start: record.start, resolved: record.resolved, priority: record.priority, at: moment)
            if let resolution = state.resolution, resolution.elapsed > span {
                over.append("resolution \(resolution.elapsed) > \(span) (start \(record.start))")
            }
            if let response = clocks.responseElapsed {
                let stop = record.firstResponse ?? record.resolved ?? moment
                let limit = book.policies[clocks.policy].businessNanos(from: record.start, to: stop)
                if response > limit { over.append("first response \(response) > \(limit) (start \(record.start))") }
            }
        }
        #expect(checked > 50)
        #expect(over.isEmpty, "seed \(seed): \(over.prefix(5))")
    }
}
