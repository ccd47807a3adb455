import ParleyEvents
import ParleyProjections
import Testing

/// `QuestionSample` windows at the ends of the Int64 nanosecond clock, which clamp instead of
/// overflowing, and first messages without words, which are counted but never clustered.
@Suite struct QuestionsWindowTests {
    static let day: Int64 = 86_400_000_000_000

    static func message(_ conversation: String, _ at: Int64, _ body: String) -> Event {
        Event(
            at: Timestamp(nanoseconds: at),
            payload: .messageReceived(
                MessageReceived(conversation: conversation, customer: "u", channel: .email, body: body)))
    }

    static func sample(_ events: [Event], window: QuestionSample.Window) -> QuestionSample {
        var sample = QuestionSample(window: window)
        for event in events where sample.wants(event) { sample.take(event) }
        return sample
    }

    @Test func windowsStopAtTheEndsOfTheClock() {
        #expect(QuestionSample.Window.from(.max - 10, length: Self.day) == .fixed(start: .max - 10, end: .max))
        #expect(QuestionSample.Window.until(.min + 10, length: Self.day) == .fixed(start: .min, end: .min + 10))
        #expect(QuestionSample.Window.from(0, length: Self.day) == .fixed(start: 0, end: Self.day))
    }

    @Test func theEndAfterTheLatestEventIsTheNextWholeSecondWithinTheClock() {
        #expect(QuestionSample.end(after: 0) == 1_000_000_000)
        #expect(QuestionSample.end(after: -1) == 0)
        #expect(QuestionSample.end(after: -1_000_000_000) == 0)
        #expect(QuestionSample.end(after: .max) == .max)
        #expect(QuestionSample.end(after: .max - 854_775_807) == .max)
        #expect(QuestionSample.end(after: .min) == -9_223_372_036_000_000_000)
    }

    @Test func aWindowEndingAtTheLastTimeKeepsItsEvents() throws {
        let late = Self.message("late", .max - 854_775_807, "Where is my parcel")
        let sample = Self.sample([late], window: .endingAtLatest(length: 28 * Self.day))
        let bounds = try #require(sample.bounds)
        #expect(bounds.end == .max && bounds.start == .max - 28 * Self.day)
        #expect(bounds.previousStart == .max - 56 * Self.day)
        #expect(sample.report(minimum: 1, threshold: 0.6).episodes == 1)
    }

    @Test func aWindowEndingInTheFirstSecondsStartsAtTheFirstTime() throws {
        let early = Self.message("early", .min + 1_000_000_000, "Where is my parcel")
        let sample = Self.sample([early], window: .endingAtLatest(length: 28 * Self.day))
        let bounds = try #require(sample.bounds)
        #expect(bounds.start == .min && bounds.previousStart == .min && bounds.end > bounds.start)
        #expect(sample.report(minimum: 1, threshold: 0.6).episodes == 1)
    }

    @Test func aWindowAsLongAsTheClockHasNoRoomBeforeIt() throws {
        let events = [Self.message("a", .min + 5, "Where is my parcel"), Self.message("b", .max - 5, "Lost my parcel")]
        let sample = Self.sample(events, window: .fixed(start: .min + 1, end: .max))
        let bounds = try #require(sample.bounds)
        #expect(bounds.previousStart == .min)
        let report = sample.report(minimum: 1, threshold: 0.6)
        #expect(report.episodes == 2 && report.previousEpisodes == 0)
    }

    @Test func messagesWithoutWordsAreCountedButNeverClustered() {
        let start: Int64 = 1_772_409_600_000_000_000  // 2026-03-02
        var events: [Event] = []
        for (index, body) in ["???", "😡😡", "!!!", "🙏", "...", "👍", "@acme"].enumerated() {
            events.append(Self.message("n\(index)", start + Int64(index) * 3_600_000_000_000, body))
        }
        for index in 0..<3 {
            events.append(
                Self.message("p\(index)", start + Self.day + Int64(index), "Where is my parcel, order \(index)"))
        }
        // One wordless message in the previous window: counted there, never in the window's figure.
        events.insert(Self.message("old", start - Self.day, "?!"), at: 0)
        let report = Self.sample(events, window: .fixed(start: start, end: start + 7 * Self.day))
            .report(minimum: 1, threshold: 0.6)
        #expect(report.episodes == 10 && report.withoutWords == 7 && report.previousEpisodes == 1)
        #expect(report.clusters.map(\.count) == [3], "\(report.clusters)")
        #expect(report.clusters.allSatisfy { $0.members.allSatisfy { $0.hasPrefix("p") } })
    }
}
