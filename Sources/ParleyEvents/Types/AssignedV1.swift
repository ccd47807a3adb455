/// The version 1 layout of `assigned` (before `by` and `reason`), read by its upcaster.
struct AssignedV1 {
    var conversation: String
    var assignee: String?
    var team: String?

    init(reading fields: inout some EventFieldReader) throws(EventError) {
        conversation = try fields.identifier("conversation", shown: .bracketed)
        assignee = try fields.nullableIdentifier(
            "assignee", nullMeans: "unassign", shown: .label("to", absent: "unassigned"))
        team = try fields.optionalIdentifier("team", shown: .label("team"))
    }

    /// Reads a version 1 record as today's ``Assigned``. An extra `by` that is an identifier, or `reason`
    /// that is a string within ``Assigned/maxReasonBytes``, becomes the field of that name (as the line
    /// it was appended from would be read today); any other is renamed by the decoder.
    static let upcaster = EventUpcaster(
        kind: .assigned, version: 1,
        read: { (fields) throws(EventError) in
            let old = try AssignedV1(reading: &fields)
            return .assigned(Assigned(conversation: old.conversation, assignee: old.assignee, team: old.team))
        },
        addedKeys: ["by", "reason"],
        promote: { payload, extra, texts in
            guard case .assigned(var event) = payload, case .string(let value) = extra.value else { return false }
            switch extra.key {
            case "by" where event.by == nil && EventLimits.isIdentifier(value):
                event.by = value
            case "reason" where event.reason == nil && value.utf8.count <= Assigned.maxReasonBytes:
                event.reason = texts ? value : ""
            default:
                return false
            }
            payload = .assigned(event)
            return true
        })
}
