import ParleyEvents
import ParleyProjections
import ParleyService

/// `parley explain --format json`: one object, texts whole.
///
///     {"conversation":"c1","changes":[{"seq":4,"at":"…","event":"routed","kind":"routed",
///      "changed":{"team":{"from":null,"to":"finance"}},"by":"rule:billing","team":"finance",…,"reason":"…"}],
///      "now":{"at":"…","owner":"agent:ana","team":"finance",…,"waiting":false}}
///
/// Each change carries the fields of its event as the log's JSON Lines name them (but not the conversation,
/// and not a message's body), `kind` (`episode`, `routed`, `assigned`, `escalated`, `categorized`,
/// `status`), `changed` (each value that changed, `from` → `to`), `episode` for an episode's start, and
/// `by_hand` for an assignment made by hand.
extension ExplainAnswer {
    func json() -> String {
        let document = JSONValue.object([
            JSONMember(key: "conversation", value: .string(conversation)),
            JSONMember(key: "changes", value: .array(changes.map(Self.json))),
            JSONMember(key: "now", value: nowJSON),
        ])
        return Format.json(document)
    }

    /// The fields of an event the JSON of a change repeats.
    private static let skipped: Set<String> = ["type", "at", "conversation", "body", "message_id"]

    static func json(_ change: ExplainChange) -> JSONValue {
        var members = [
            JSONMember(key: "seq", value: .number(String(change.seq))),
            JSONMember(key: "at", value: .string(Timestamp(nanoseconds: change.at).rfc3339)),
            JSONMember(key: "event", value: .string(change.event.kind.name)),
            JSONMember(key: "kind", value: .string(change.kind.rawValue)),
        ]
        if let episode = change.episode { members.append(JSONMember(key: "episode", value: .number(String(episode)))) }
        let changed = change.changed.map { field in
            JSONMember(
                key: field.name,
                value: .object([
                    JSONMember(key: "from", value: field.old.map(JSONValue.string) ?? .null),
                    JSONMember(key: "to", value: field.new.map(JSONValue.string) ?? .null),
                ]))
        }
        members.append(JSONMember(key: "changed", value: .object(changed)))
        if change.isByHand { members.append(JSONMember(key: "by_hand", value: .bool(true))) }
        members += eventFields(change.event).filter { !skipped.contains($0.key) }
        return .object(members)
    }

    /// The event's fields as its JSON Lines form has them.
    private static func eventFields(_ event: Event) -> [JSONMember] {
        var line: [UInt8] = []
        JSONLineEncoder().encode(event, into: &line)
        while line.last == UInt8(ascii: "\n") { line.removeLast() }
        guard case .object(let members)? = try? JSONParser.parse(line[...]) else { return [] }
        return members
    }

    /// The conversation as it stands, at the scope's moment.
    private var nowJSON: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        var members = [
            JSONMember(key: "at", value: .string(Timestamp(nanoseconds: now).rfc3339)),
            JSONMember(key: "owner", value: text(routing.map { $0.owner } ?? state.owner)),
            JSONMember(key: "previous_owner", value: text(routing?.previousOwner)),
            JSONMember(key: "team", value: text(routing?.team ?? state.team)),
            JSONMember(key: "mode", value: text(routing?.routedBy != nil || hasRules ? routing?.mode.name : nil)),
            JSONMember(key: "priority", value: text(state.priority?.name)),
            JSONMember(key: "category", value: text(state.category)),
            JSONMember(key: "status", value: text(state.status?.name)),
            JSONMember(key: "episode_open", value: .bool(state.openEpisode != nil)),
            JSONMember(key: "routed_by", value: text(routing?.routedBy)),
            JSONMember(key: "policy", value: text(routing?.policy)),
        ]
        members.append(JSONMember(key: "waiting", value: .bool(routing?.waiting ?? false)))
        return .object(members)
    }
}
