import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

/// The insights figures (docs/PROJECTIONS.md, "Insights") on a small hand-built log whose numbers are worked
/// out in the comments, and the insights section of a checkpoint.
@Suite struct InsightsProjectionTests {
    /// Five episodes, six orders, three attributed compensations, one unattributed score and compensation.
    /// - c4 (u6, form, no category): bo owns it from 09:00, replies 09:10, resolved 09:20 on 02-01: FRT 600 s,
    ///   resolution 1200 s, handled 1200 s, one touch and no next episode: first-contact resolution.
    /// - c1 (u1, email, billing): ana owns it from 09:00, replies 09:30 (FRT 1800 s), a refund of 12.50 EUR,
    ///   pending 09:45–09:55, resolved 10:00 (3600 s): handled 45 + 5 min = 3000 s; score 5 after the resolve.
    /// - c2 (u2, chat, billing): the bot owns it and replies after 60 s; resolved 10:10 (600 s); a credit of
    ///   5.00 EUR and a discount of 300 JPY after the resolve go to that episode, and a score of 2. Reopened
    ///   03-05 09:00 (within 7 days: no FCR): ana takes it, replies 09:20 and 09:40, pending at 09:45:
    ///   FRT 1200 s, 2 touches, handled 2700 s, still open.
    /// - c3 (u3, email, shipping): no reply, no owner, resolved after 3600 s.
    /// - c9 has no episode: its score and its 1.00 EUR compensation are unattributed.
    /// Orders: u1 03-01 and 03-20; u4 03-02 and 03-10; u6 03-10; u5 03-25 12:00 (the last event: the moment).
    static let lines = [
        #"{"type":"message_received","at":"2026-02-01T09:00:00Z","conversation":"c4","customer":"u6","channel":"form","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-02-01T09:00:00Z","conversation":"c4","assignee":"agent:bo"}"#,
        #"{"type":"reply_sent","at":"2026-02-01T09:10:00Z","conversation":"c4","author":"agent:bo","body":"a"}"#,
        #"{"type":"status_changed","at":"2026-02-01T09:20:00Z","conversation":"c4","status":"resolved"}"#,
        #"{"type":"order_placed","at":"2026-03-01T08:00:00Z","customer":"u1","order_id":"o1","amount":5000,"currency":"EUR"}"#,
        #"{"type":"message_received","at":"2026-03-02T09:00:00Z","conversation":"c1","customer":"u1","channel":"email","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-02T09:00:00Z","conversation":"c1","assignee":"agent:ana"}"#,
        #"{"type":"categorized","at":"2026-03-02T09:01:00Z","conversation":"c1","category":"billing"}"#,
        #"{"type":"reply_sent","at":"2026-03-02T09:30:00Z","conversation":"c1","author":"agent:ana","body":"b"}"#,
        #"{"type":"compensation_given","at":"2026-03-02T09:40:00Z","conversation":"c1","kind":"refund","amount":1250,"currency":"EUR"}"#,
        #"{"type":"status_changed","at":"2026-03-02T09:45:00Z","conversation":"c1","status":"pending"}"#,
        #"{"type":"status_changed","at":"2026-03-02T09:55:00Z","conversation":"c1","status":"open"}"#,
        #"{"type":"status_changed","at":"2026-03-02T10:00:00Z","conversation":"c1","status":"resolved"}"#,
        #"{"type":"csat_recorded","at":"2026-03-02T11:00:00Z","conversation":"c1","score":5,"comment":"great","channel":"email"}"#,
        #"{"type":"order_placed","at":"2026-03-02T12:00:00Z","customer":"u4","order_id":"o2","amount":700,"currency":"EUR"}"#,
        #"{"type":"message_received","at":"2026-03-03T10:00:00Z","conversation":"c2","customer":"u2","channel":"chat","body":"hi"}"#,
        #"{"type":"assigned","at":"2026-03-03T10:00:00Z","conversation":"c2","assignee":"bot:faq"}"#,
        #"{"type":"categorized","at":"2026-03-03T10:00:30Z","conversation":"c2","category":"billing"}"#,
        #"{"type":"reply_sent","at":"2026-03-03T10:01:00Z","conversation":"c2","author":"bot:faq","body":"c"}"#,
        #"{"type":"status_changed","at":"2026-03-03T10:10:00Z","conversation":"c2","status":"resolved"}"#,
        #"{"type":"compensation_given","at":"2026-03-03T10:15:00Z","conversation":"c2","kind":"credit","amount":500,"currency":"EUR"}"#,
        #"{"type":"compensation_given","at":"2026-03-03T10:16:00Z","conversation":"c2","kind":"discount","amount":300,"currency":"JPY"}"#,
        #"{"type":"csat_recorded","at":"2026-03-03T10:20:00Z","conversation":"c2","score":2,"channel":"sms"}"#,
        #"{"type":"csat_recorded","at":"2026-03-03T10:30:00Z","conversation":"c9","score":4,"channel":"sms"}"#,
        #"{"type":"compensation_given","at":"2026-03-03T10:31:00Z","conversation":"c9","kind":"replacement","amount":100,"currency":"EUR"}"#,
        #"{"type":"message_received","at":"2026-03-04T12:00:00Z","conversation":"c3","customer":"u3","channel":"email","body":"hi"}"#,
        #"{"type":"categorized","at":"2026-03-04T12:01:00Z","conversation":"c3","category":"shipping"}"#,
        #"{"type":"status_changed","at":"2026-03-04T13:00:00Z","conversation":"c3","status":"resolved"}"#,
        #"{"type":"message_received","at":"2026-03-05T09:00:00Z","conversation":"c2","customer":"u2","channel":"chat","body":"again"}"#,
        #"{"type":"assigned","at":"2026-03-05T09:00:00Z","conversation":"c2","assignee":"agent:ana"}"#,
        #"{"type":"reply_sent","at":"2026-03-05T09:20:00Z","conversation":"c2","author":"agent:ana","body":"d"}"#,
        #"{"type":"reply_sent","at":"2026-03-05T09:40:00Z","conversation":"c2","author":"agent:ana","body":"e"}"#,
        #"{"type":"status_changed","at":"2026-03-05T09:45:00Z","conversation":"c2","status":"pending"}"#,
        #"{"type":"order_placed","at":"2026-03-10T08:00:00Z","customer":"u4","order_id":"o3","amount":700,"currency":"EUR"}"#,
        #"{"type":"order_placed","at":"2026-03-10T09:00:00Z","customer":"u6","order_id":"o4","amount":900,"currency":"EUR"}"#,
        #"{"type":"order_placed","at":"2026-03-20T08:00:00Z","customer":"u1","order_id":"o5","amount":5000,"currency":"EUR"}"#,
        #"{"type":"order_placed","at":"2026-03-25T12:00:00Z","customer":"u5","order_id":"o6","amount":100,"currency":"EUR"}"#,
    ]

    static func state(_ lines: [String] = lines) throws -> ProjectionState {
        var state = ProjectionState()
        for (index, event) in try TestLog.decode(lines.joined(separator: "\n")).enumerated() {
            state.apply(event, seq: UInt64(index + 1))
        }
        return state
    }

    static let costs = InsightsReport.Query(costPerTouch: 250, costPerHour: 3000, currency: "EUR")

    static func report(_ query: InsightsReport.Query = costs) throws -> InsightsReport {
        try #require(InsightsReport.make(from: try state(), query: query))
    }

    @Test func billingFiguresAreTheHandWorkedOnes() throws {
        let report = try Self.report()
        #expect(report.byCategory.map(\.key) == ["billing", "shipping", nil])
        let billing = report.byCategory[0]
        // c1, c2's first episode and its reopen: 3 of 5 episodes, 2 conversations.
        #expect(billing.episodes == 3 && billing.share == 0.6 && billing.conversations == 2)
        #expect(billing.reopens == 1 && billing.reopenRate == 1.0 / 3)
        // FRT 60, 1200, 1800: p50 the 2nd, p90 the 3rd. Resolution 600, 3600.
        #expect(billing.firstResponse.p50 == 1200 && billing.firstResponse.p90 == 1800)
        #expect(billing.resolution.p50 == 600 && billing.resolution.p90 == 3600)
        #expect(billing.touches == 4 && billing.touchesMean == 4.0 / 3)
        // c1 is a first-contact resolution; c2's first episode was reopened within 7 days.
        #expect(billing.firstContactResolutions == 1 && billing.firstContactPending == 0)
        #expect(billing.firstContactRate == 0.5)
        // Scores 5 and 2, both on resolved episodes.
        #expect(billing.csatResponses == 2 && billing.csatMean == 3.5 && billing.csatSatisfiedShare == 0.5)
        #expect(billing.csatResponseRate == 1)
        #expect(billing.compensations == 3 && billing.compensationsPerConversation == 1.5)
        #expect(
            billing.amounts == [
                CurrencyAmount(currency: "EUR", amount: 1750), CurrencyAmount(currency: "JPY", amount: 300),
            ])
        // Handled 3000 s (c1) + 0 (bot) + 2700 s (c2 reopened): 5700 s. Cost: 4 touches × 2.50 EUR = 1000, and
        // 5700 s × 30.00 EUR / 3600 s = 4750: 5750 minor units; per episode 5750 / 3 = 1916.67 → 1917.
        #expect(billing.handled == 5_700 * 1_000_000_000)
        #expect(billing.cost == 5750 && billing.costPerEpisode == 1917)
        // 3 episodes per 6 orders.
        #expect(billing.contactsPer100Orders == 50)
        // u1 (resolved 03-02) ordered 03-20: repeated; u2 (resolved 03-03) has not: its days are not over.
        #expect(billing.repeat30 == RepeatPurchase(customers: 2, repeated: 1, pending: 1))
        #expect(billing.repeat30.rate == 1)
    }

    @Test func totalsChannelsAndBaselineAreTheHandWorkedOnes() throws {
        let report = try Self.report()
        let totals = report.totals
        #expect(totals.episodes == 5 && totals.conversations == 4 && totals.reopenRate == 0.2)
        // FRT 60, 600, 1200, 1800 → p50 600, p90 1800; resolution 600, 1200, 3600, 3600 → p50 1200, p90 3600.
        #expect(totals.firstResponse.p50 == 600 && totals.firstResponse.p90 == 1800)
        #expect(totals.resolution.p50 == 1200 && totals.resolution.p90 == 3600)
        #expect(totals.touches == 5 && totals.touchesMean == 1)
        // c4 and c1 of 4 resolved.
        #expect(totals.firstContactResolutions == 2 && totals.firstContactRate == 0.5)
        #expect(totals.csatResponses == 2 && totals.csatResponseRate == 0.5)
        #expect(totals.compensations == 3 && totals.compensationsPerConversation == 0.75)
        // 5700 s + 1200 s (c4) = 6900 s: 5 × 250 + 5750 = 7000.
        #expect(totals.cost == 7000)
        #expect(totals.contactsPer100Orders == 500.0 / 6)
        // u6 resolved 02-01 09:20 and ordered 03-10: not within 30 days (decided: 03-03 is past), within 90.
        // u1 repeated; u2 and u3 are pending.
        #expect(totals.repeat30 == RepeatPurchase(customers: 4, repeated: 1, pending: 2))
        #expect(totals.repeat90 == RepeatPurchase(customers: 4, repeated: 2, pending: 2))
        // Without a contact: u4 (03-02, again 03-10) repeated; u5 (03-25, the moment) is pending.
        #expect(report.baseline30 == RepeatPurchase(customers: 2, repeated: 1, pending: 1))
        #expect(report.orders == 6)
        #expect(report.unattributedScores == 1 && report.unattributedCompensations == 1)
        #expect(report.unattributedAmounts == [CurrencyAmount(currency: "EUR", amount: 100)])
        #expect(report.byChannel.map(\.key) == ["email", "chat", "form"])
        #expect(report.byChannel.map(\.episodes) == [2, 2, 1])
        #expect(report.byChannel[2].firstContactResolutions == 1 && report.byChannel[2].handled == 1_200_000_000_000)
    }

    @Test func theWindowChoosesEpisodesAndOrdersByTheirStart() throws {
        let report = try Self.report(InsightsReport.Query(from: "2026-03-01", to: "2026-03-04"))
        // c1, c2's first episode and c3; orders of 03-01 and 03-02.
        #expect(report.totals.episodes == 3 && report.orders == 2)
        #expect(report.totals.contactsPer100Orders == 150)
        #expect(report.totals.cost == nil && report.costCurrency == nil)
        // u4's first order in the window (03-02) is followed by the one of 03-10, outside it.
        #expect(report.baseline30 == RepeatPurchase(customers: 1, repeated: 1, pending: 0))
        #expect(InsightsReport.make(from: try Self.state(), query: InsightsReport.Query(from: "2026-3-1")) == nil)
    }

    @Test func aRunningHandlingStretchCountsUpToTheMoment() throws {
        var lines = Array(Self.lines.prefix(9))  // c1 open, owned by ana since 09:00, replied at 09:30
        lines.append(
            #"{"type":"note_added","at":"2026-03-02T09:35:00Z","conversation":"c1","author":"agent:ana","body":"x"}"#)
        let state = try Self.state(lines)
        let report = try #require(InsightsReport.make(from: state, query: InsightsReport.Query()))
        #expect(report.byCategory[0].handled == 35 * 60 * 1_000_000_000)
        let later = try #require(
            InsightsReport.make(
                from: state, query: InsightsReport.Query(moment: Self.nanoseconds("2026-03-02T10:00:00Z"))))
        #expect(later.byCategory[0].handled == 60 * 60 * 1_000_000_000)
    }

    @Test func costsAreExactIntegerArithmetic() {
        // 1 h at 0.01 per hour is 1 minor unit; half an hour rounds half up; nothing passes through Double.
        let hour: Int64 = 3_600_000_000_000
        #expect(InsightsBuilder.cost(touches: 0, handled: hour, perTouch: 0, perHour: 1) == 1)
        #expect(InsightsBuilder.cost(touches: 0, handled: hour / 2, perTouch: 0, perHour: 1) == 1)
        #expect(InsightsBuilder.cost(touches: 0, handled: hour / 2 - 1, perTouch: 0, perHour: 1) == 0)
        #expect(InsightsBuilder.cost(touches: 3, handled: 0, perTouch: 333, perHour: 0) == 999)
        // 10^15 h × 9·10^15 per hour does not fit: saturates.
        #expect(InsightsBuilder.cost(touches: 0, handled: .max, perTouch: 0, perHour: .max) == .max)
        #expect(MinorUnits.parse("12.50", currency: "EUR") == 1250 && MinorUnits.parse("12.5", currency: "EUR") == 1250)
        #expect(MinorUnits.parse("1250", currency: "JPY") == 1250 && MinorUnits.parse("12.5", currency: "JPY") == nil)
        #expect(MinorUnits.parse("1.234", currency: "KWD") == 1234 && MinorUnits.parse("0.1", currency: "EUR") == 10)
        for bad in ["", ".5", "5.", "-1", "1e3", "1,50", " 1", "12.505", "99999999999999999999"] {
            #expect(MinorUnits.parse(bad, currency: "EUR") == nil, "\(bad)")
        }
        #expect(MinorUnits.format(1250, currency: "EUR") == "12.50" && MinorUnits.format(5, currency: "EUR") == "0.05")
        #expect(MinorUnits.format(300, currency: "JPY") == "300" && MinorUnits.format(1234, currency: "KWD") == "1.234")
    }

    /// An episode a status change opened takes the customer of the message that follows, and keeps it for
    /// the reopen: both anchor u7's repeat purchase, and the order after the second resolve is within 30 days.
    @Test func anEpisodeOpenedByAStatusChangeTakesTheCustomerOfItsFirstMessage() throws {
        let lines = [
            #"{"type":"status_changed","at":"2026-03-02T09:00:00Z","conversation":"c5","status":"open"}"#,
            #"{"type":"message_received","at":"2026-03-02T09:05:00Z","conversation":"c5","customer":"u7","channel":"sms","body":"x"}"#,
            #"{"type":"status_changed","at":"2026-03-02T10:00:00Z","conversation":"c5","status":"resolved"}"#,
            #"{"type":"message_received","at":"2026-03-03T09:00:00Z","conversation":"c5","customer":"u7","channel":"sms","body":"y"}"#,
            #"{"type":"status_changed","at":"2026-03-03T10:00:00Z","conversation":"c5","status":"resolved"}"#,
            #"{"type":"order_placed","at":"2026-04-01T09:00:00Z","customer":"u7","order_id":"o","amount":1,"currency":"EUR"}"#,
            #"{"type":"order_placed","at":"2026-06-01T09:00:00Z","customer":"u8","order_id":"p","amount":1,"currency":"EUR"}"#,
        ]
        let report = try #require(InsightsReport.make(from: try Self.state(lines), query: InsightsReport.Query()))
        // One customer, anchored at the first resolve (03-02 10:00): 04-01 09:00 is within 30 days.
        #expect(report.totals.repeat30 == RepeatPurchase(customers: 1, repeated: 1, pending: 0))
        #expect(report.byChannel.map(\.key) == ["sms", nil])
    }

    static func nanoseconds(_ text: String) -> Int64 { Timestamp(rfc3339: text)!.nanoseconds }
}
