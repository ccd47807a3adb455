import ParleyEvents
import ParleyLog
import ParleyProjections

/// Random event streams for SLA and checkpoint properties: several conversations, every event type,
/// `policy_set` with valid and invalid policies, pending / open / resolved, categorized with and without
/// priorities, late events (up to a day before the previous one), linked customers; event times cross the
/// daylight-saving change of 2026-03-29 in Paris.
enum SLAStream {
    /// Valid policies, in the JSON a `policy_set` carries.
    static let validPolicies = [
        #"{"name":"Paris standard","time_zone":"Europe/Paris","business_hours":{"monday":["09:00-12:30","13:30-18:00"],"tuesday":["09:00-12:30","13:30-18:00"],"wednesday":["09:00-12:30","13:30-18:00"],"thursday":["09:00-12:30","13:30-18:00"],"friday":["09:00-12:30","13:30-18:00"]},"holidays":["2026-04-06"],"targets":{"urgent":{"first_response":30,"resolution":240},"high":{"first_response":60,"resolution":480},"normal":{"first_response":240,"resolution":960}}}"#,
        #"{"name":"Night desk","time_zone":"Europe/Paris","business_hours":{"monday":["01:00-05:00"],"tuesday":["01:00-05:00"],"wednesday":["01:00-05:00"],"thursday":["01:00-05:00"],"friday":["01:00-05:00"],"saturday":["01:00-05:00"],"sunday":["00:00-24:00"]},"targets":{"normal":{"first_response":120},"low":{"resolution":600}}}"#,
        #"{"time_zone":"America/New_York","business_hours":{"monday":["08:00-12:00","13:00-17:00"],"wednesday":["08:00-24:00"],"saturday":["10:00-14:00"]},"holidays":["2026-03-23","2026-04-01"],"targets":{"urgent":{"first_response":15,"resolution":120},"normal":{"first_response":60,"resolution":480},"low":{"first_response":600,"resolution":6000}}}"#,
    ]

    /// Policies a replay must ignore (and count in `anomalies.invalid_policies`).
    static let invalidPolicies = [
        #"{"time_zone":"Mars/Olympus","business_hours":{},"targets":{"normal":{"first_response":10}}}"#,
        #"{"time_zone":"Europe/Paris","business_hours":{"monday":["12:00-09:00"]},"targets":{"normal":{}}}"#,
        #"{"time_zone":"Europe/Paris","business_hours":{},"targets":{"normal":{"first_response":1.5}}}"#,
        #"{"first_response_minutes":30}"#,
    ]

    static func policy(_ text: String) -> JSONValue {
        // The texts above are fixed and valid JSON.
        try! JSONParser.parse(ArraySlice(Array(text.utf8)))
    }

    static func events(count: Int, using random: inout SplitMix64) -> [Event] {
        let hour: Int64 = 3_600_000_000_000
        let day = 24 * hour
        let channels: [Channel] = [.email, .chat, .sms, .form]
        let categories = ["billing", "shipping", "returns"]
        let start = Timestamp(rfc3339: "2026-03-16T07:00:00Z")!.nanoseconds
        var now = start
        var events: [Event] = []
        // A valid policy early on, so most episodes are measured; others come and go.
        let first = Event(
            at: Timestamp(nanoseconds: now), payload: .policySet(PolicySet(policy: policy(validPolicies[0]))))
        events.append(first)
        for _ in 1..<count {
            now += Int64.random(in: 0...(3 * hour), using: &random)
            var at = now
            if Int.random(in: 0..<8, using: &random) == 0 { at -= Int64.random(in: 1...day, using: &random) }
            let offset = [0, 60, 120, -300].randomElement(using: &random)!
            let time = Timestamp(nanoseconds: at, offsetMinutes: Int16(offset))
            let conversation = "c\((now - start) / day + Int64.random(in: 0..<5, using: &random))"
            let roll = Int.random(in: 0..<100, using: &random)
            var event: Event
            switch roll {
            case 0..<25:
                let message = MessageReceived(
                    conversation: conversation, customer: "u-\(conversation)-\(Int.random(in: 0..<2, using: &random))",
                    channel: channels.randomElement(using: &random)!, body: "hello")
                event = Event(at: time, payload: .messageReceived(message))
            case 25..<43:
                let reply = ReplySent(
                    conversation: conversation, author: "agent:ana",
                    isAutomatic: Int.random(in: 0..<4, using: &random) == 0, body: "answer")
                event = Event(at: time, payload: .replySent(reply))
            case 43..<70:
                let status: ConversationStatus = [.open, .pending, .pending, .resolved, .resolved, .resolved]
                    .randomElement(using: &random)!
                event = Event(
                    at: time, payload: .statusChanged(StatusChanged(conversation: conversation, status: status)))
            case 70..<75:
                let assignee = ["agent:ana", "agent:bo", nil].randomElement(using: &random)!
                let team = ["billing", "support", nil].randomElement(using: &random)!
                event = Event(
                    at: time, payload: .assigned(Assigned(conversation: conversation, assignee: assignee, team: team)))
            case 75..<86:
                let priority = [Priority.low, .normal, .high, .urgent, nil].randomElement(using: &random)!
                let categorized = Categorized(
                    conversation: conversation, category: categories.randomElement(using: &random)!, priority: priority)
                event = Event(at: time, payload: .categorized(categorized))
            case 86..<89:
                event = Event(
                    at: time, payload: .noteAdded(NoteAdded(conversation: conversation, author: "agent:bo", body: "n")))
            case 89..<93:
                let linked = CustomerLinked(customer: "u-\(conversation)-0", sameAs: "u-\(conversation)-1")
                event = Event(at: time, payload: .customerLinked(linked))
            default:
                let valid = Int.random(in: 0..<3, using: &random) > 0
                let text =
                    valid
                    ? validPolicies.randomElement(using: &random)! : invalidPolicies.randomElement(using: &random)!
                event = Event(at: time, payload: .policySet(PolicySet(policy: policy(text))))
            }
            events.append(event)
        }
        return events
    }
}
