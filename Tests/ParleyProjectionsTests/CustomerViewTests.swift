import Foundation
import ParleyEvents
import ParleyLog
import ParleyProjections
import Testing

/// Events for the person views: ann writes under three linked ids, also in a conversation bob started;
/// dan only writes in carl's conversation; eve is only linked; nobody else is known.
enum People {
    static func message(_ conversation: String, from customer: String, _ time: String, _ channel: Channel) -> Event {
        Event(
            at: Make.time(time),
            payload: .messageReceived(
                MessageReceived(
                    conversation: conversation, customer: customer, channel: channel, body: "\(customer) here")))
    }

    static func link(_ customer: String, _ sameAs: String, _ time: String) -> Event {
        Event(at: Make.time(time), payload: .customerLinked(CustomerLinked(customer: customer, sameAs: sameAs)))
    }

    static let events: [Event] = [
        message("c1", from: "ann", "2026-03-02T09:00:00Z", .email),  // seq 1
        message("c2", from: "bob", "2026-03-02T10:00:00Z", .chat),  // 2
        message("c2", from: "ann-alt", "2026-03-02T10:05:00Z", .chat),  // 3: ann in bob's conversation
        Make.reply("c2", Make.time("2026-03-02T10:10:00Z")),  // 4
        link("ann-alt", "ann", "2026-03-02T11:00:00Z"),  // 5: root "ann"
        link("ann@work", "ann-alt", "2026-03-02T11:30:00Z"),  // 6: through ann-alt
        message("c3", from: "ann@work", "2026-03-02T12:00:00Z", .sms),  // 7
        message("c4", from: "carl", "2026-03-02T13:00:00Z", .form),  // 8
        Make.status("c1", Make.time("2026-03-02T14:00:00Z"), .resolved),  // 9
        message("c4", from: "dan", "2026-03-02T14:30:00Z", .form),  // 10: dan only in carl's conversation
        message("c1", from: "ann", "2026-03-03T09:00:00Z", .whatsapp),  // 11: reopens c1
        Make.reply("c1", Make.time("2026-03-03T09:30:00Z")),  // 12
        link("eve", "eve2", "2026-03-03T10:00:00Z"),  // 13
    ]

    static let annIDs = ["ann", "ann-alt", "ann@work"]
}

@Suite struct CustomerDirectoryTests {
    /// The root of a set (its smallest id) is one of its ids: asked for any of them, the list is the same.
    @Test func everyLinkedIdGivesTheSameIdsRootIncluded() {
        var directory = CustomerDirectory()
        directory.link("ann-alt", "ann")
        directory.link("ann@work", "ann-alt")
        directory.link("zed", "yan")
        for id in People.annIDs {
            #expect(directory.ids(of: id) == People.annIDs, "asked for \(id)")
            #expect(directory.root(of: id) == "ann")
        }
        #expect(directory.ids(of: "yan") == ["yan", "zed"])
        #expect(directory.ids(of: "zed") == ["yan", "zed"])
        #expect(directory.ids(of: "nobody") == ["nobody"])
    }

    /// Linking is symmetric and transitive, and its order does not matter.
    @Test func linkOrderAndDirectionDoNotMatter() {
        let links = [("a3", "a1"), ("a2", "a4"), ("a4", "a3"), ("b1", "b2")]
        for rotation in 0..<links.count {
            for flipped in [false, true] {
                var directory = CustomerDirectory()
                for (a, b) in links[rotation...] + links[..<rotation] {
                    if flipped { directory.link(b, a) } else { directory.link(a, b) }
                }
                for id in ["a1", "a2", "a3", "a4"] {
                    #expect(directory.ids(of: id) == ["a1", "a2", "a3", "a4"], "rotation \(rotation), \(flipped)")
                }
                #expect(directory.ids(of: "b2") == ["b1", "b2"])
            }
        }
    }
}

@Suite struct CustomerViewTests {
    static func replay(_ id: String, limit: ReplayLimit = ReplayLimit()) throws -> (CustomerView, Replay.Summary) {
        try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(People.events, to: path)
            let (view, summary) = try CustomerView.replay(id: id, path: path, limit: limit)
            return (view, summary)
        }
    }

    /// What a view shows, to compare two of them.
    struct Shown: Equatable {
        var ids: [String]
        var conversations: [String]
        var states: [ConversationBook.Conversation?]
        var episodes: [[Episode]]
        var timelines: [[SequencedEvent]]
        var timeline: [SequencedEvent]
        var channels: [Channel]

        init(_ view: CustomerView) {
            ids = view.ids
            conversations = view.conversations.map(\.id)
            states = view.conversations.map(\.state)
            episodes = view.conversations.map(\.episodes)
            timelines = view.conversations.map(\.timeline)
            timeline = view.timeline
            channels = view.channels
        }
    }

    @Test func everyLinkedIdGivesTheSameView() throws {
        let views = try People.annIDs.map { try Self.replay($0).0 }
        let first = Shown(views[0])
        #expect(first.ids == People.annIDs)
        #expect(first.conversations == ["c1", "c2", "c3"])
        for (id, view) in zip(People.annIDs, views) {
            #expect(view.id == id)
            #expect(view.isFound)
            #expect(Shown(view) == first, "asked for \(id)")
        }
    }

    /// Every conversation the person wrote in, started by them or not; its whole timeline; the channels of
    /// their own messages only.
    @Test func thePersonViewHoldsEveryConversationThePersonWroteIn() throws {
        let (view, summary) = try Self.replay("ann@work")
        #expect(summary.events == UInt64(People.events.count))
        // c2 was started by bob: ann's alt id wrote in it.
        #expect(view.conversations.map(\.state?.customer) == ["ann", "bob", "ann@work"])
        #expect(view.conversations.map(\.episodes.count) == [2, 1, 1])
        // Messages and replies of those conversations, bob's included; not carl's conversation.
        #expect(view.timeline.map(\.seq) == [1, 2, 3, 4, 7, 11, 12])
        #expect(view.timeline.first?.event.payload == People.events[0].payload)  // with its text
        #expect(view.channels == [.email, .chat, .sms, .whatsapp])
        // Each conversation view is the one `conversation` shows.
        let c2 = try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(People.events, to: path)
            return try ConversationView.replay(id: "c2", path: path).view
        }
        #expect(view.conversations[1].timeline == c2.timeline && view.conversations[1].episodes == c2.episodes)
    }

    @Test func aCustomerWhoOnlyWroteInSomeoneElsesConversationIsFound() throws {
        let (dan, _) = try Self.replay("dan")
        #expect(dan.isFound)
        #expect(dan.ids == ["dan"])
        #expect(dan.conversations.map(\.id) == ["c4"])
        #expect(dan.conversations.first?.state?.customer == "carl")
        #expect(dan.timeline.map(\.seq) == [8, 10])
        #expect(dan.channels == [.form])
        // carl, who started it, sees the same conversation.
        #expect(try Self.replay("carl").0.conversations.map(\.id) == ["c4"])
    }

    @Test func aLinkedIdWithoutMessagesIsFoundAndAnUnknownIdIsNot() throws {
        let (eve, _) = try Self.replay("eve2")
        #expect(eve.isFound && eve.ids == ["eve", "eve2"] && eve.conversations.isEmpty && eve.timeline.isEmpty)
        let (nobody, summary) = try Self.replay("nobody")
        #expect(!nobody.isFound)
        #expect(nobody.ids == ["nobody"])
        #expect(summary.lastSeq == UInt64(People.events.count))
    }

    /// Within a limit the person is what the log said then: before the links, ann's alt id is another person.
    @Test func aLimitShowsThePersonAsTheyStoodThen() throws {
        let (early, summary) = try Self.replay("ann-alt", limit: ReplayLimit(untilSeq: 4))
        #expect(summary.lastSeq == 4)
        #expect(early.ids == ["ann-alt"])
        #expect(early.conversations.map(\.id) == ["c2"])
        #expect(early.timeline.map(\.seq) == [2, 3, 4])
        let (later, _) = try Self.replay("ann", limit: ReplayLimit(untilSeq: 7))
        #expect(later.ids == People.annIDs)
        #expect(later.timeline.map(\.seq) == [1, 2, 3, 4, 7])
    }
}

@Suite struct ConversationViewTests {
    static func replay(_ id: String, limit: ReplayLimit = ReplayLimit()) throws -> ConversationView {
        try withTemporaryPath { directory in
            let path = directory + "/log"
            try TestLog.write(People.events, to: path)
            return try ConversationView.replay(id: id, path: path, limit: limit).view
        }
    }

    @Test func theViewHoldsItsTimelineStateAndEpisodes() throws {
        let c1 = try Self.replay("c1")
        #expect(c1.isFound)
        #expect(c1.timeline.map(\.seq) == [1, 9, 11, 12])
        #expect(c1.timeline.map(\.event) == [1, 9, 11, 12].map { People.events[$0 - 1] })
        #expect(c1.channels == [.email, .whatsapp])
        #expect(c1.state?.customer == "ann")
        #expect(c1.state?.status == .open)
        #expect(c1.episodes.map(\.number) == [1, 2])
        #expect(c1.episodes.map(\.isReopen) == [false, true])
        #expect(c1.episodes[0].resolved == Make.time("2026-03-02T14:00:00Z").nanoseconds)
        #expect(c1.episodes[1].firstResponse == Make.time("2026-03-03T09:30:00Z").nanoseconds)
        #expect(c1.episodes[1].touches == 1 && c1.episodes[1].isOpen)
        // The messages of other customers in the conversation are in its timeline too.
        #expect(try Self.replay("c2").timeline.map(\.seq) == [2, 3, 4])
    }

    @Test func wantsOnlyItsOwnEventsAndPolicies() {
        let view = ConversationView(id: "c2")
        #expect(People.events.filter(view.wants).count == 3)
        let policy = Event(
            at: Make.time("2026-03-01T00:00:00Z"), payload: .policySet(PolicySet(policy: .object([]))))
        #expect(view.wants(policy))
    }

    @Test func anUnknownIdOrOneAfterTheLimitIsNotFound() throws {
        #expect(try !Self.replay("c9").isFound)
        #expect(try !Self.replay("c4", limit: ReplayLimit(untilSeq: 7)).isFound)
        let c1 = try Self.replay("c1", limit: ReplayLimit(untilSeq: 9))
        #expect(c1.isFound && c1.episodes.count == 1 && c1.state?.status == .resolved)
    }
}
