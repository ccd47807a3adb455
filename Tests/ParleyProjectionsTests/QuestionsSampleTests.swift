import ParleyEvents
import ParleyProjections
import Testing

/// `QuestionSample` fed by hand: which episodes it keeps, the trend against the previous window, and
/// template reuse among first human replies.
@Suite struct QuestionsSampleTests {
    static func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    static func message(_ conversation: String, _ time: String, _ body: String, channel: Channel = .email) -> Event {
        Event(
            at: at(time),
            payload: .messageReceived(
                MessageReceived(conversation: conversation, customer: "u-" + conversation, channel: channel, body: body)
            ))
    }

    static func reply(_ conversation: String, _ time: String, _ body: String, automatic: Bool = false) -> Event {
        Event(
            at: at(time),
            payload: .replySent(
                ReplySent(conversation: conversation, author: "agent:ana", isAutomatic: automatic, body: body)))
    }

    static func category(_ conversation: String, _ time: String, _ name: String) -> Event {
        Event(at: at(time), payload: .categorized(Categorized(conversation: conversation, category: name)))
    }

    static func resolved(_ conversation: String, _ time: String) -> Event {
        Event(at: at(time), payload: .statusChanged(StatusChanged(conversation: conversation, status: .resolved)))
    }

    /// The window is the week from 2026-03-02; the previous one the week before.
    static var events: [Event] {
        var events: [Event] = [
            // Too early for either window.
            message("old", "2026-02-10T10:00:00Z", "Where is my parcel? Order #1 has not arrived yet")
        ]
        // The previous week: the parcel question twice.
        for day in 1...2 {
            events.append(
                message("p\(day)", "2026-02-2\(day + 3)T10:00:00Z", "Where is my parcel? Order #\(day) has not arrived")
            )
        }
        // This week: six parcel questions (one the second episode of p1), five password ones, one alone.
        for number in 1...5 {
            let conversation = "c\(number)"
            events.append(
                message(
                    conversation, "2026-03-0\(number + 1)T09:00:00Z", parcelText(number),
                    channel: number == 5 ? .chat : .email))
            if number <= 4 { events.append(category(conversation, "2026-03-0\(number + 1)T09:01:00Z", "shipping")) }
        }
        events.append(resolved("p1", "2026-03-01T12:00:00Z"))
        events.append(message("p1", "2026-03-07T09:00:00Z", parcelText(6)))
        // First human replies: four from the template (with different numbers), one written anew; c3 gets an
        // automatic acknowledgement first, which does not count.
        events.append(reply("c3", "2026-03-04T09:00:30Z", "We got your message", automatic: true))
        for number in 1...4 {
            events.append(reply("c\(number)", "2026-03-0\(number + 1)T11:00:00Z", templateText(number)))
        }
        events.append(
            reply("c5", "2026-03-06T11:00:00Z", "Hi! I called the courier myself; it comes tomorrow morning."))
        events.append(reply("c1", "2026-03-02T12:00:00Z", "And another thing: a second reply is not a first reply."))
        for number in 1...5 {
            events.append(
                message(
                    "w\(number)", "2026-03-0\(number + 2)T15:00:00Z",
                    "I forgot my password, how do I reset it? (\(number))"))
        }
        events.append(message("lone", "2026-03-05T10:00:00Z", "Do you sell gift cards in Belgium"))
        // After the window.
        events.append(message("late", "2026-03-09T00:00:00Z", parcelText(9)))
        return events.sorted { $0.at.nanoseconds < $1.at.nanoseconds }
    }

    static func parcelText(_ number: Int) -> String {
        "Where is my parcel? Order #\(number)\(number) has not arrived yet"
    }
    static func templateText(_ number: Int) -> String {
        "Sorry for the delay: your parcel \(number)0\(number) ships within two days, tracking at https://t.example/\(number)"
    }

    static func report(_ events: [Event], window: QuestionSample.Window, minimum: Int = 5) -> QuestionsReport {
        var sample = QuestionSample(window: window)
        for event in events where sample.wants(event) { sample.take(event) }
        return sample.report(minimum: minimum, threshold: QuestionsQuery.defaultThreshold)
    }

    static let week = QuestionSample.Window.fixed(
        start: at("2026-03-02T00:00:00Z").nanoseconds, end: at("2026-03-09T00:00:00Z").nanoseconds)

    @Test func clustersCountTheWindowAndTheWeekBefore() throws {
        let report = Self.report(Self.events, window: Self.week)
        #expect(report.episodes == 12 && report.previousEpisodes == 2)
        #expect(report.clusters.count == 2, "\(report.clusters)")
        let parcel = try #require(report.clusters.first)
        #expect(parcel.count == 6 && parcel.previousCount == 2 && parcel.change == 4)
        #expect(parcel.examples == ["c1", "c2", "c3", "c4", "c5"])
        #expect(parcel.members == ["c1", "c2", "c3", "c4", "c5", "p1"])
        #expect(parcel.categories == [.init(name: "shipping", count: 4), .init(name: "(none)", count: 2)])
        #expect(parcel.channels == [.init(name: "email", count: 5), .init(name: "chat", count: 1)])
        #expect(parcel.label.contains("parcel") && parcel.label.contains("arrived"), "\(parcel.label)")
        let password = report.clusters[1]
        #expect(password.count == 5 && password.previousCount == 0)
        #expect(password.label.contains("password"), "\(password.label)")
    }

    @Test func templateReuseIsTheShareOfFirstRepliesThatRepeatAnother() throws {
        let report = Self.report(Self.events, window: Self.week)
        let parcel = try #require(report.clusters.first)
        // c1…c4 answered from the template, c5 in its own words; p1's second episode has no reply.
        #expect(parcel.replies == 5)
        #expect(parcel.templateReuse == 0.8)
        #expect(report.clusters[1].replies == 0 && report.clusters[1].templateReuse == nil)
    }

    @Test func theMinimumDropsSmallerClusters() {
        #expect(Self.report(Self.events, window: Self.week, minimum: 6).clusters.map(\.count) == [6])
        #expect(Self.report(Self.events, window: Self.week, minimum: 7).clusters.isEmpty)
    }

    @Test func theDefaultWindowEndsAtTheNextSecondAfterTheLatestEvent() {
        let events = Self.events.filter { $0.at.nanoseconds < Self.at("2026-03-08T00:00:00Z").nanoseconds }
        var sample = QuestionSample(window: .endingAtLatest(length: 7 * 86_400_000_000_000))
        for event in events where sample.wants(event) { sample.take(event) }
        let bounds = sample.bounds
        #expect(bounds?.end == Self.at("2026-03-07T15:00:01Z").nanoseconds)
        #expect(bounds?.start == Self.at("2026-02-28T15:00:01Z").nanoseconds)
    }

    @Test func theSameEventsGiveTheSameReport() {
        #expect(Self.report(Self.events, window: Self.week) == Self.report(Self.events, window: Self.week))
    }
}
