/// Generated traffic for the routing property tests: a seeded, reproducible stream of JSON Lines events
/// (docs/EVENTS.md) with rules, agents coming and going, customers with profiles and links, messages across
/// channels and topics, human and bot replies, escalations, categorizations, resolves and reopens, event
/// times always advancing.
///
/// It knows nothing of the router: it writes what people and bots do, never a decision. It depends on no
/// module of the package (so any test target can use it); the random numbers come from the caller.
public struct RoutingTraffic: Sendable {
    /// How much of what happens.
    public struct Options: Sendable {
        /// Lines to write after the set-up (rules, policy, agents, profiles).
        public var events = 1_000
        /// Agents (`agent:a0`, …), each in one or two teams.
        public var agents = 6
        /// Customers (`cust-0`, …).
        public var customers = 40
        /// Agents change status and capacity over time (otherwise all stay online with ample capacity).
        public var agentChurn = true
        /// Some assignments are made by hand (an `assigned` without `by`).
        public var handMade = true
        /// Conversations get resolved (otherwise they stay open, unless `reopens` alone would close them).
        public var resolves = true
        /// The teams agents work in.
        public var teams = ["accounts", "escalations", "finance", "operations", "sales", "support"]

        /// The defaults.
        public init() {}
    }

    /// The routing rules each variation of the tests sets.
    public enum Rules: String, CaseIterable, Sendable {
        case roundRobin, leastLoaded, accountManager, skills, automation, timers
    }

    /// 2026-03-02T08:00:00Z (a Monday), in seconds since the epoch: when every stream starts.
    public static let start: Int64 = 1_772_438_400

    /// The SLA policy every stream sets first (business hours in Paris; first-response targets).
    public static let policy =
        #"{"name":"Paris standard","time_zone":"Europe/Paris","business_hours":{"monday":["09:00-12:30","13:30-18:00"],"#
        + #""tuesday":["09:00-12:30","13:30-18:00"],"wednesday":["09:00-12:30","13:30-18:00"],"#
        + #""thursday":["09:00-12:30","13:30-18:00"],"friday":["09:00-12:30","13:30-18:00"]},"holidays":["2026-04-06"],"#
        + #""targets":{"urgent":{"first_response":30,"resolution":240},"high":{"first_response":60,"resolution":480},"#
        + #""normal":{"first_response":240,"resolution":960},"low":{"first_response":480,"resolution":1920}}}"#

    /// Texts of the messages: each names a topic of the rules (or none), some with accents and capitals.
    public static let bodies = [
        "What is the price of the blue one?", "Do you ship to Belgium?", "Is it IN STOCK?",
        "Where is my order?", "No tracking number yet", "The parcel has not arrived", "Delivery was late",
        "I was charged twice", "Please send the invoice", "I want a refund", "Où est ma facture ?",
        "This is unacceptable", "I am very disappointed", "Je suis très déçu", "Formal complaint",
        "hello", "thanks", "Can you help me?", "My password does not work", "ok",
    ]

    /// The rules document of a variation (a JSON object), for `rules_set`.
    public static func document(_ rules: Rules) -> String {
        let topics =
            #""topics":{"pre_purchase":["price","do you ship","in stock"],"order_status":["where is my order","#
            + #""tracking","not arrived","delivery"],"billing":["invoice","refund","charged twice","facture"],"#
            + #""complaint":["unacceptable","disappointed","très déçu","complaint"]}"#
        switch rules {
        case .roundRobin:
            return #"{"name":"round robin","sticky":false,\#(topics),"rules":["#
                + #"{"name":"sales","when":{"topic":["pre_purchase"]},"then":{"team":"sales","strategy":"round_robin"}}],"#
                + #""default":{"team":"support","strategy":"round_robin","mode":"human"}}"#
        case .leastLoaded:
            return #"{"name":"least loaded","offline_grace_minutes":5,\#(topics),"rules":["#
                + #"{"name":"billing","when":{"category":["billing"]},"then":{"team":"finance"}},"#
                + #"{"name":"billing_words","when":{"topic":["billing"]},"then":{"team":"finance"}},"#
                + #"{"name":"orders","when":{"topic":["order_status"],"channel":["email","chat"]},"then":{"team":"operations"}},"#
                + #"{"name":"returning","when":{"resolved_within_days":7},"then":{"priority":"high"}}],"#
                + #""default":{"team":"support","strategy":"least_loaded","mode":"human"}}"#
        case .accountManager:
            return
                #"{"name":"accounts","bot":"bot:faq","human_from":4,"value":{"tiers":{"key":5,"standard":1},"default":1},\#(topics),"#
                + #""rules":[{"name":"key_complaints","when":{"tier":["key"],"topic":["complaint"]},"#
                + #""then":{"team":"accounts","strategy":"account_manager","mode":"human","priority":"high"}},"#
                + #"{"name":"big_spenders","when":{"lifetime_value_at_least":{"amount":500000,"currency":"EUR"}},"#
                + #""then":{"team":"accounts","strategy":"account_manager"}},"#
                + #"{"name":"sales","when":{"topic":["pre_purchase"]},"then":{"team":"sales","strategy":"round_robin"}}],"#
                + #""default":{"team":"support","strategy":"least_loaded"}}"#
        case .skills:
            return #"{"name":"skills",\#(topics),"rules":["#
                + #"{"name":"french","when":{"keywords":["facture","très","où"]},"then":{"team":"support","skills":["fr"],"mode":"human"}},"#
                + #"{"name":"refunds","when":{"topic":["billing"]},"then":{"team":"finance","skills":["refunds"],"mode":"human"}},"#
                + #"{"name":"after_hours","when":{"business_hours":false},"then":{"team":"support","strategy":"queue","mode":"human"}}],"#
                + #""default":{"team":"support","strategy":"least_loaded","mode":"human"}}"#
        case .automation:
            return #"{"name":"automation","bot":"bot:faq","human_from":6,\#(topics),"#
                + #""criticality":{"low":1,"normal":2,"high":3,"urgent":4},"value":{"tiers":{"key":5,"standard":1},"default":1},"#
                + #""rules":[{"name":"orders","when":{"topic":["order_status"]},"then":{"team":"operations","mode":"automation","bot":"bot:orders"}},"#
                + #"{"name":"complaints","when":{"topic":["complaint"]},"then":{"team":"support","mode":"human","priority":"high"}}],"#
                + #""default":{"team":"support","strategy":"least_loaded"}}"#
        case .timers:
            return #"{"name":"timers","offline_grace_minutes":15,\#(topics),"rules":["#
                + #"{"name":"sales","when":{"topic":["pre_purchase"]},"then":{"team":"sales","strategy":"round_robin","mode":"human"}},"#
                + #"{"name":"billing","when":{"topic":["billing"]},"then":{"team":"finance","mode":"human","policy":"finance"}}],"#
                + #""default":{"team":"support","strategy":"least_loaded","mode":"human"},"#
                + #""timers":[{"name":"frt_risk","first_response_due_within_minutes":15,"then":{"priority":"urgent"}},"#
                + #"{"name":"stale","unanswered_minutes":45,"then":{"team":"escalations","strategy":"least_loaded"}}]}"#
        }
    }

    /// A `rules_set` line setting `document` at `seconds` (since the epoch).
    public static func rulesLine(_ document: String, at seconds: Int64) -> String {
        #"{"type":"rules_set","at":"\#(timestamp(seconds))","rules":\#(document)}"#
    }

    /// `seconds` since the epoch as RFC 3339 in UTC (`2026-03-02T08:00:00Z`).
    public static func timestamp(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (proleptic Gregorian calendar).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(inDay / 3_600)):\(two(inDay / 60 % 60)):\(two(inDay % 60))Z"
    }

    /// The lines of a stream: the SLA policy, the rules `document`, the agents coming online and some
    /// customer profiles, then `options.events` lines of traffic.
    public static func generate<Random: RandomNumberGenerator>(
        rules document: String, options: Options = Options(), using random: inout Random
    ) -> [String] {
        var traffic = Generator(options: options)
        return traffic.run(document: document, random: &random)
    }
}

/// The state a stream is generated from: who exists, which conversations are open, the clock.
private struct Generator {
    let options: RoutingTraffic.Options
    var now = RoutingTraffic.start
    var lines: [String] = []
    var agents: [String] = []
    var open: [String] = []
    var resolved: [String] = []
    var conversations = 0
    var customerOf: [String: String] = [:]

    static let channels = ["email", "chat", "form", "marketplace", "social", "sms", "whatsapp"]
    static let categories = ["billing", "delivery", "product", "returns"]
    static let priorities = ["low", "normal", "high", "urgent"]
    static let escalationReasons = ["customer_asked", "low_confidence", "repeat_contact", "negative", "timeout"]

    init(options: RoutingTraffic.Options) {
        self.options = options
        agents = (0..<options.agents).map { "agent:a\($0)" }
    }

    mutating func emit(_ type: String, _ fields: String) {
        lines.append(#"{"type":"\#(type)","at":"\#(RoutingTraffic.timestamp(now))",\#(fields)}"#)
    }

    mutating func run<Random: RandomNumberGenerator>(document: String, random: inout Random) -> [String] {
        emit("policy_set", #""policy":\#(RoutingTraffic.policy)"#)
        lines.append(RoutingTraffic.rulesLine(document, at: now))
        for agent in agents { status(agent, "online", random: &random) }
        for index in 0..<options.customers where random.next() % 3 == 0 { profile("cust-\(index)", random: &random) }
        let target = lines.count + options.events
        while lines.count < target {
            advance(random: &random)
            step(random: &random)
        }
        return lines
    }

    /// Time moves on: mostly seconds or minutes, sometimes past a grace period or a timer.
    mutating func advance<Random: RandomNumberGenerator>(random: inout Random) {
        switch random.next() % 100 {
        case 0..<60: now += Int64(random.next() % 90)
        case 60..<95: now += Int64(60 + random.next() % 900)
        default: now += Int64(1_800 + random.next() % 14_400)
        }
    }

    mutating func step<Random: RandomNumberGenerator>(random: inout Random) {
        let roll = random.next() % 100
        switch roll {
        case 0..<22: newConversation(random: &random)
        case 22..<30: followUp(random: &random)
        case 30..<46: reply(human: true, random: &random)
        case 46..<51: reply(human: false, random: &random)
        case 51..<57: escalate(random: &random)
        case 57..<63: categorize(random: &random)
        case 63..<76: if options.resolves { changeStatus("resolved", random: &random) } else { note(random: &random) }
        case 76..<78: changeStatus("pending", random: &random)
        case 78..<88:
            if options.agentChurn {
                let agent = agents[pick(agents.count, &random)]
                let statuses = ["online", "online", "away", "offline"]
                status(agent, statuses[pick(statuses.count, &random)], random: &random)
            } else {
                note(random: &random)
            }
        case 88..<92: profile("cust-\(pick(options.customers, &random))", random: &random)
        case 92..<94:
            let one = pick(options.customers, &random)
            let other = pick(options.customers, &random)
            if one != other { emit("customer_linked", #""customer":"cust-\#(one)","same_as":"cust-\#(other)""#) }
        case 94..<96 where options.handMade && !open.isEmpty:
            let conversation = open[pick(open.count, &random)]
            let assignee = random.next() % 5 == 0 ? "null" : "\"\(agents[pick(agents.count, &random)])\""
            emit("assigned", #""conversation":"\#(conversation)","assignee":\#(assignee)"#)
        default: note(random: &random)
        }
    }

    func pick<Random: RandomNumberGenerator>(_ count: Int, _ random: inout Random) -> Int {
        Int(random.next() % UInt64(count))
    }

    mutating func message<Random: RandomNumberGenerator>(_ conversation: String, random: inout Random) {
        let customer = customerOf[conversation] ?? "cust-0"
        let channel = Self.channels[pick(Self.channels.count, &random)]
        let body = RoutingTraffic.bodies[pick(RoutingTraffic.bodies.count, &random)]
        let subject =
            random.next() % 4 == 0
            ? #","subject":"\#(RoutingTraffic.bodies[pick(RoutingTraffic.bodies.count, &random)])""# : ""
        emit(
            "message_received",
            #""conversation":"\#(conversation)","customer":"\#(customer)","channel":"\#(channel)"\#(subject),"body":"\#(body)""#
        )
    }

    mutating func newConversation<Random: RandomNumberGenerator>(random: inout Random) {
        let conversation = "c\(conversations)"
        conversations += 1
        customerOf[conversation] = "cust-\(pick(options.customers, &random))"
        open.append(conversation)
        message(conversation, random: &random)
    }

    /// Another message: in an open conversation, or one that reopens a resolved conversation.
    mutating func followUp<Random: RandomNumberGenerator>(random: inout Random) {
        if !resolved.isEmpty, random.next() % 2 == 0 {
            let conversation = resolved.remove(at: pick(resolved.count, &random))
            open.append(conversation)
            message(conversation, random: &random)
        } else if !open.isEmpty {
            message(open[pick(open.count, &random)], random: &random)
        }
    }

    mutating func reply<Random: RandomNumberGenerator>(human: Bool, random: inout Random) {
        guard !open.isEmpty else { return }
        let conversation = open[pick(open.count, &random)]
        let author = human ? agents[pick(agents.count, &random)] : (random.next() % 2 == 0 ? "bot:faq" : "bot:orders")
        let automatic = !human && random.next() % 3 == 0 ? #","auto":true"# : ""
        emit("reply_sent", #""conversation":"\#(conversation)","author":"\#(author)"\#(automatic),"body":"On it""#)
    }

    mutating func escalate<Random: RandomNumberGenerator>(random: inout Random) {
        guard !open.isEmpty else { return }
        let conversation = open[pick(open.count, &random)]
        let reason = Self.escalationReasons[pick(Self.escalationReasons.count, &random)]
        emit(
            "escalated",
            #""conversation":"\#(conversation)","by":"bot:faq","reason":"\#(reason)","understood":"order late","tried":"tracking link""#
        )
    }

    mutating func categorize<Random: RandomNumberGenerator>(random: inout Random) {
        guard !open.isEmpty else { return }
        let conversation = open[pick(open.count, &random)]
        let category = Self.categories[pick(Self.categories.count, &random)]
        let priority =
            random.next() % 2 == 0 ? #","priority":"\#(Self.priorities[pick(Self.priorities.count, &random)])""# : ""
        emit("categorized", #""conversation":"\#(conversation)","category":"\#(category)"\#(priority)"#)
    }

    mutating func changeStatus<Random: RandomNumberGenerator>(_ status: String, random: inout Random) {
        guard !open.isEmpty else { return }
        let index = pick(open.count, &random)
        let conversation = open[index]
        if status == "resolved" {
            open.remove(at: index)
            resolved.append(conversation)
        }
        emit("status_changed", #""conversation":"\#(conversation)","status":"\#(status)""#)
    }

    mutating func note<Random: RandomNumberGenerator>(random: inout Random) {
        guard !open.isEmpty else { return }
        let conversation = open[pick(open.count, &random)]
        emit("note_added", #""conversation":"\#(conversation)","author":"agent:a0","body":"see order""#)
    }

    mutating func status<Random: RandomNumberGenerator>(_ agent: String, _ status: String, random: inout Random) {
        let index = agents.firstIndex(of: agent) ?? 0
        let teams = options.teams
        var mine = [teams[index % teams.count]]
        if random.next() % 2 == 0 { mine.append(teams[pick(teams.count, &random)]) }
        if !options.agentChurn { mine = teams }
        let list = Set(mine).sorted().map { "\"\($0)\"" }.joined(separator: ",")
        let capacity = options.agentChurn ? 1 + pick(4, &random) : 10_000
        let skills = index % 2 == 0 ? #","skills":["fr","refunds"]"# : (index % 3 == 0 ? #","skills":["de"]"# : "")
        emit(
            "agent_status",
            #""agent":"\#(agent)","status":"\#(status)","teams":[\#(list)],"capacity":\#(capacity)\#(skills)"#)
    }

    mutating func profile<Random: RandomNumberGenerator>(_ customer: String, random: inout Random) {
        let tier = random.next() % 3 == 0 ? "key" : "standard"
        let value = Int(random.next() % 1_000_000)
        let manager =
            random.next() % 2 == 0 ? #","account_manager":"\#(agents[pick(agents.count, &random)])""# : ""
        emit(
            "customer_profile",
            #""customer":"\#(customer)","tier":"\#(tier)","lifetime_value":\#(value),"currency":"EUR"\#(manager)"#)
    }
}
