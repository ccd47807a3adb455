import ParleyEvents
import ParleyProjections
import Testing

/// A customer's message on a pending conversation sets it open again and resumes the SLA resolution
/// clock at that message, as a `status_changed` → open does.
@Suite struct ReopenByMessageTests {
    static let minute: Int64 = 60_000_000_000
    static let hour = 60 * minute

    static func book(_ events: [Event]) -> ConversationBook {
        var book = ConversationBook()
        for (index, event) in events.enumerated() { book.apply(event, seq: UInt64(index + 1)) }
        return book
    }

    static let pendingThenMessage: [Event] = [
        SLAClockTests.policySet("2026-03-02T00:00:00Z"),
        Make.message("c1", Make.time("2026-03-02T09:00:00Z")),
        Make.status("c1", Make.time("2026-03-02T09:30:00Z"), .pending),
        Make.message("c1", Make.time("2026-03-02T10:30:00Z")),
    ]

    @Test func aCustomersMessageSetsAPendingConversationOpen() {
        var book = ConversationBook()
        for (index, event) in Self.pendingThenMessage.dropLast().enumerated() {
            book.apply(event, seq: UInt64(index + 1))
        }
        #expect(book["c1"]?.status == .pending)
        let change = book.apply(Self.pendingThenMessage.last!, seq: 4)
        guard case .changed(let episode) = change else {
            Issue.record("expected the open episode to change, got \(change)")
            return
        }
        #expect(book["c1"]?.status == .open)
        #expect(episode.number == 1)
        #expect(book["c1"]?.episodes == 1)
    }

    @Test func theResolutionClockResumesAtTheMessage() throws {
        var book = Self.book(Self.pendingThenMessage)
        let episode = try #require(book["c1"]?.openEpisode)
        let measured = book.slaState(of: episode, at: Make.time("2026-03-02T12:00:00Z").nanoseconds)
        let state = try #require(measured)
        // 09:00–09:30 before the pause, 10:30–12:00 after the message: two hours.
        #expect(state.resolution?.phase == .running)
        #expect(state.resolution?.elapsed == 2 * Self.hour)
        #expect(state.resolution?.deadline == Make.time("2026-03-02T12:00:00Z").nanoseconds)
    }

    @Test func aLateMessageDatedBeforeThePauseCountsNoStretchTwice() throws {
        var book = Self.book([
            SLAClockTests.policySet("2026-03-02T00:00:00Z"),
            Make.message("c1", Make.time("2026-03-02T09:00:00Z")),
            Make.status("c1", Make.time("2026-03-02T10:00:00Z"), .pending),
            Make.message("c1", Make.time("2026-03-02T09:45:00Z")),
        ])
        let episode = try #require(book["c1"]?.openEpisode)
        let measured = book.slaState(of: episode, at: Make.time("2026-03-02T10:30:00Z").nanoseconds)
        let state = try #require(measured)
        // 09:00–10:00, then from the pause (10:00), not from the message (09:45): 1 h 30.
        #expect(state.resolution?.elapsed == 90 * Self.minute)
    }

    @Test func aMessageOnAnOpenConversationChangesNothing() {
        var book = Self.book(Array(Self.pendingThenMessage.prefix(2)))
        let before = book["c1"]
        #expect(book.apply(Make.message("c1", Make.time("2026-03-02T09:10:00Z")), seq: 3) == .none)
        #expect(book["c1"] == before)
    }
}
