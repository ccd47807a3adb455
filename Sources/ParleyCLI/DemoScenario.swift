import ParleyEvents
import ParleyLog

/// A small, deterministic week of support traffic, as JSON Lines: the built-in demo's input.
/// (The realistic year-long workload generator for benchmarks lives in `tools/`.)
struct DemoScenario {
    /// Deterministic, good enough to vary a demo.
    private struct Random {
        var generator: SplitMix64
        init(state: UInt64) { generator = SplitMix64(seed: state) }
        mutating func below(_ n: Int) -> Int { generator.below(n) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    let conversations: Int
    let seed: UInt64

    /// The scenario's events, one JSON object per line, in log order.
    func jsonLines() -> [UInt8] {
        var random = Random(state: seed)
        // Satisfaction, money and orders draw from their own generator, so the traffic stays as it was.
        var business = Random(state: seed &+ 1)
        var customers: [String] = []
        let start: Int64 = 1_772_442_000 * 1_000_000_000  // 2026-03-02T09:00:00Z, a Monday
        let minute: Int64 = 60_000_000_000
        let agents = ["agent:ana", "agent:bo", "agent:chen", "agent:dara", "agent:eli"]
        let channels = ["email", "chat", "form", "marketplace", "social", "review", "sms", "whatsapp", "messenger"]
        let categories = ["billing", "delivery", "returns", "account", "product"]
        let priorities = ["low", "normal", "normal", "high", "urgent"]
        let subjects = [
            "Where is my order?", "Refund not received", "Cannot log in", "Wrong size delivered", "Invoice copy",
        ]
        let bodies = [
            "Hello, my parcel was due on Friday and has not arrived. Can you check?",
            "I returned the shoes two weeks ago and still have no refund. 😕",
            "The password reset link says it has expired.",
            "Bonjour, la taille reçue n'est pas celle commandée.",
            "Could you send me a copy of invoice 2026-0142? Thanks!",
        ]
        var events: [(at: Int64, line: String)] = []
        func add(_ at: Int64, _ fields: String) {
            let time = Timestamp(nanoseconds: at, offsetMinutes: 60).rfc3339
            events.append(
                (
                    at,
                    "{\"type\":" + fields.prefix(while: { $0 != "," }) + ",\"at\":\"\(time)\""
                        + fields.drop(while: { $0 != "," }) + "}"
                ))
        }
        add(
            start - 60 * minute,
            """
            "policy_set","policy":{"name":"standard","time_zone":"Europe/Paris","business_hours":{"monday":["09:00-12:30","13:30-17:00"],"tuesday":["09:00-12:30","13:30-17:00"],"wednesday":["09:00-12:30","13:30-17:00"],"thursday":["09:00-12:30","13:30-17:00"],"friday":["09:00-12:30","13:30-17:00"]},"holidays":["2026-04-06"],"targets":{"urgent":{"first_response":30,"resolution":240},"high":{"first_response":60,"resolution":480},"normal":{"first_response":240,"resolution":1440},"low":{"first_response":480,"resolution":2880}}}
            """)
        /// Every seventh customer also writes from another address, which the log links to them.
        func linkIfDue(_ index: Int, _ customer: String, at: Int64) {
            guard index % 7 == 3 else { return }
            add(at, "\"customer_linked\",\"customer\":\"\(customer)\",\"same_as\":\"\(customer)-alt@example.com\"")
        }
        /// About half of the resolved conversations answer the satisfaction survey (sent by email).
        func survey(_ conversation: String, at: Int64) {
            guard business.below(2) == 0 else { return }
            let score = business.pick([5, 5, 5, 4, 4, 3, 2, 1])
            add(at, #""csat_recorded","conversation":"\#(conversation)","score":\#(score),"channel":"email""#)
        }
        // Routing (docs/ROUTING.md): the rules, the agents and one key account, before the traffic.
        add(
            start - 90 * minute,
            """
            "rules_set","rules":{"name":"demo routing","bot":"bot:faq","offline_grace_minutes":15,"value":{"tiers":{"key":5,"standard":1}},"topics":{"order_status":["parcel","not arrived","where is my order","taille"],"billing":["refund","invoice"],"account":["password","log in"]},"rules":[{"name":"key_accounts","when":{"tier":["key"]},"then":{"team":"accounts","strategy":"account_manager","mode":"human","priority":"high"}},{"name":"bot_first","when":{"channel":["chat","messenger","whatsapp"]},"then":{"team":"support","mode":"automation"}},{"name":"billing","when":{"topic":["billing"]},"then":{"team":"finance"}},{"name":"order_status","when":{"topic":["order_status"]},"then":{"team":"operations","strategy":"round_robin"}}],"default":{"team":"support","strategy":"least_loaded"},"timers":[{"name":"frt_risk","first_response_due_within_minutes":15,"then":{"priority":"urgent"}}]}
            """)
        let teams = [
            "agent:ana": #"support","operations"#, "agent:bo": #"support","finance"#,
            "agent:chen": #"finance","operations"#, "agent:dara": #"support","operations"#,
            "agent:eli": #"accounts","support"#,
        ]
        for agent in agents {
            add(
                start - 80 * minute,
                #""agent_status","agent":"\#(agent)","status":"online","teams":["\#(teams[agent]!)"],"capacity":6"#)
        }
        add(
            start - 75 * minute,
            #""customer_profile","customer":"cust-100","tier":"key","lifetime_value":1250000,"currency":"EUR","account_manager":"agent:eli""#
        )
        // Bo is away for a day mid-week: their conversations go back to routing after the grace period.
        add(start + 2 * 24 * 60 * minute, #""agent_status","agent":"agent:bo","status":"offline""#)
        add(start + 3 * 24 * 60 * minute, #""agent_status","agent":"agent:bo","status":"online""#)
        for index in 0..<conversations {
            let conversation = "conv-\(1001 + index)"
            let customer = "cust-\(100 + random.below(max(1, conversations * 2 / 3)))"
            if !customers.contains(customer) { customers.append(customer) }
            let channel = random.pick(channels)
            var t = start + Int64(random.below(5 * 24 * 60)) * minute
            let subject =
                channel == "email" || channel == "form" ? ",\"subject\":\(Format.json(random.pick(subjects)))" : ""
            add(
                t,
                "\"message_received\",\"conversation\":\"\(conversation)\",\"customer\":\"\(customer)\",\"channel\":\"\(channel)\",\"message_id\":\"m-\(index)\"\(subject),\"body\":\(Format.json(random.pick(bodies)))"
            )
            if channel == "email" {
                add(
                    t + minute / 2,
                    "\"reply_sent\",\"conversation\":\"\(conversation)\",\"author\":\"bot:autoreply\",\"auto\":true,\"body\":\"We got your message and will answer within one business day.\""
                )
            } else if ["chat", "messenger", "whatsapp"].contains(channel) {
                // The bot answers first (the rules give it these channels); it solves some conversations and
                // hands the others to a human, saying what it understood and tried.
                add(
                    t + minute / 4,
                    #""reply_sent","conversation":"\#(conversation)","author":"bot:faq","body":"Here are some articles that may help.""#
                )
                if random.below(2) == 0 {
                    add(t + 5 * minute, #""status_changed","conversation":"\#(conversation)","status":"resolved""#)
                    survey(conversation, at: t + 65 * minute)
                    linkIfDue(index, customer, at: t + 6 * minute)
                    continue
                }
                let reason = random.pick(["customer_asked", "low_confidence", "negative"])
                add(
                    t + 3 * minute,
                    #""escalated","conversation":"\#(conversation)","by":"bot:faq","reason":"\#(reason)","understood":"The customer asks about an order.","tried":"Sent the delivery and returns articles.""#
                )
            }
            t += Int64(4 + random.below(90)) * minute
            let agent = random.pick(agents)
            let category = random.pick(categories)
            add(
                t + minute,
                "\"categorized\",\"conversation\":\"\(conversation)\",\"category\":\"\(category)\",\"priority\":\"\(random.pick(priorities))\""
            )
            t += Int64(5 + random.below(240)) * minute
            add(
                t,
                "\"reply_sent\",\"conversation\":\"\(conversation)\",\"author\":\"\(agent)\",\"body\":\"Thanks for reaching out, I am looking into it now.\""
            )
            if random.below(3) == 0 {
                add(
                    t + minute,
                    "\"note_added\",\"conversation\":\"\(conversation)\",\"author\":\"\(agent)\",\"body\":\"Checked with the carrier; waiting on their answer.\""
                )
                add(t + 2 * minute, "\"status_changed\",\"conversation\":\"\(conversation)\",\"status\":\"pending\"")
                t += Int64(60 + random.below(1440)) * minute
                add(
                    t,
                    "\"message_received\",\"conversation\":\"\(conversation)\",\"customer\":\"\(customer)\",\"channel\":\"\(channel)\",\"body\":\"Any news?\""
                )
                add(
                    t + 10 * minute,
                    "\"reply_sent\",\"conversation\":\"\(conversation)\",\"author\":\"\(agent)\",\"body\":\"Yes: it is sorted, you will hear from the carrier today.\""
                )
            }
            t += Int64(10 + random.below(600)) * minute
            if random.below(8) != 0 {
                // Late deliveries and returns are sometimes made good: a refund or a discount, in cents.
                if ["delivery", "returns"].contains(category), business.below(3) == 0 {
                    let kind = business.pick(["refund", "refund", "discount", "credit"])
                    let amount = 500 + business.below(40) * 100
                    add(
                        t - minute,
                        #""compensation_given","conversation":"\#(conversation)","kind":"\#(kind)","amount":\#(amount),"currency":"EUR""#
                    )
                }
                add(t, "\"status_changed\",\"conversation\":\"\(conversation)\",\"status\":\"resolved\"")
                survey(conversation, at: t + 60 * minute)
                if random.below(6) == 0 {
                    t += Int64(60 + random.below(2880)) * minute
                    add(
                        t,
                        "\"message_received\",\"conversation\":\"\(conversation)\",\"customer\":\"\(customer)\",\"channel\":\"\(channel)\",\"body\":\"Sorry, the problem is back.\""
                    )
                }
            }
            linkIfDue(index, customer, at: t + minute)
        }
        // Orders: the customers who wrote, and as many who never did (the baseline for repeat purchases),
        // over the four weeks before the traffic and its week (repeat purchases after it are not known yet).
        let shoppers = customers + (0..<max(1, customers.count)).map { "cust-\(900 + $0)" }
        for (number, shopper) in shoppers.enumerated() {
            for order in 0..<(1 + business.below(3)) {
                let placed = start + Int64(business.below(34 * 24 * 60) - 28 * 24 * 60) * minute
                add(
                    placed,
                    #""order_placed","customer":"\#(shopper)","order_id":"o-\#(number)-\#(order)","amount":\#(1999 + business.below(140) * 100),"currency":"EUR""#
                )
            }
        }
        // Log order follows arrival, which is event time here (late-arriving email is a benchmark concern).
        let ordered = events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
        var out: [UInt8] = []
        for entry in ordered {
            out.append(contentsOf: entry.element.line.utf8)
            out.append(0x0A)
        }
        return out
    }
}
