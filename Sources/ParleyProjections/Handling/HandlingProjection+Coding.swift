import ParleyEvents

/// The handling section of a checkpoint (id 19; docs/PROJECTIONS.md, "Checkpoints"): the names, per name the
/// human replies and episodes taken away, the records in order of start, the open record of each
/// conversation, and the two event counts.
extension HandlingProjection {
    public func encode(to out: inout StateWriter) {
        out.unsigned(names.count)
        for (index, name) in names.enumerated() {
            out.string(name)
            out.unsigned(humanReplies[index])
            out.unsigned(reassignedAway[index])
        }
        out.unsigned(records.count)
        for record in records { Self.encode(record, &out) }
        out.unsigned(open.count)
        for index in open { out.signed(Int64(index)) }
        out.unsigned(assignedEvents)
        out.unsigned(escalatedEvents)
    }

    private static func encode(_ record: Record, _ out: inout StateWriter) {
        out.unsigned(record.conversation)
        out.signed(record.start)
        out.optional(record.channel) { $0.byte($1.rawValue) }
        for name in [record.category, record.team, record.owner, record.lastOwner, record.firstResponder] {
            out.signed(Int64(name))
        }
        out.optional(record.firstResponse) { $0.signed($1) }
        out.optional(record.resolved) { $0.signed($1) }
        out.bool(record.botHandled)
        out.unsigned(record.humanReplies)
        out.optional(record.escalated) { $0.signed($1) }
        out.optional(record.firstHumanAfterEscalation) { $0.signed($1) }
        out.unsigned(record.reassignments)
    }

    /// Reads the section, checking every name index, count and reference: names once each, indices of names
    /// and records in range, each record open for at most one conversation (its own) and then not resolved,
    /// and no count above the events replayed.
    public init(from input: inout StateReader, context: CheckpointContext) throws(StateReader.Malformed) {
        self.init()
        let events = context.summary.events
        for _ in 0..<(try input.count()) {
            let name = try input.string()
            guard nameIDs[name] == nil else { throw StateReader.Malformed(reason: "name \"\(name)\" twice") }
            _ = intern(name)
            humanReplies[humanReplies.count - 1] = try input.count(atMost: events, "human replies")
            reassignedAway[reassignedAway.count - 1] = try input.count(atMost: events, "reassignments")
        }
        let recordCount = try input.count(atMost: events, "episodes")
        records.reserveCapacity(recordCount)
        for _ in 0..<recordCount { records.append(try decodeRecord(&input, events: events)) }
        var openRecords = Set<Int>()
        for ordinal in 0..<(try input.count()) {
            let index = try input.signed()
            guard index >= -1, index < Int64(records.count) else {
                throw StateReader.Malformed(reason: "open record \(index) out of range")
            }
            if index >= 0 {
                let record = records[Int(index)]
                guard record.conversation == ordinal, record.resolved == nil, openRecords.insert(Int(index)).inserted
                else { throw StateReader.Malformed(reason: "open record \(index) is not conversation \(ordinal)'s") }
            }
            open.append(Int(index))
        }
        assignedEvents = try input.count(atMost: events, "assigned events")
        escalatedEvents = try input.count(atMost: events, "escalated events")
    }

    private func decodeRecord(_ input: inout StateReader, events: UInt64) throws(StateReader.Malformed) -> Record {
        let conversation = try input.count()
        let start = try input.signed()
        let channel = try input.optional { (input) throws(StateReader.Malformed) in
            let byte = try input.byte()
            guard let channel = Channel(rawValue: byte) else {
                throw StateReader.Malformed(reason: "channel byte \(byte)")
            }
            return channel
        }
        var record = Record(conversation: conversation, start: start, channel: channel)
        record.category = try name(&input)
        record.team = try name(&input)
        record.owner = try name(&input)
        record.lastOwner = try name(&input)
        record.firstResponder = try name(&input)
        record.firstResponse = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        record.resolved = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        record.botHandled = try input.bool()
        record.humanReplies = try input.count(atMost: events, "human replies")
        record.escalated = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        record.firstHumanAfterEscalation = try input.optional { (input) throws(StateReader.Malformed) in
            try input.signed()
        }
        guard record.escalated != nil || record.firstHumanAfterEscalation == nil else {
            throw StateReader.Malformed(reason: "a human reply after an escalation that did not happen")
        }
        guard (record.firstResponse == nil) == (record.firstResponder == Self.none) else {
            throw StateReader.Malformed(reason: "a first response without its author, or the reverse")
        }
        record.reassignments = try input.count(atMost: events, "reassignments")
        return record
    }

    /// A name index: −1 or below the number of names.
    private func name(_ input: inout StateReader) throws(StateReader.Malformed) -> Int32 {
        let index = try input.signed()
        guard index >= -1, index < Int64(names.count) else {
            throw StateReader.Malformed(reason: "name index \(index) out of range")
        }
        return Int32(index)
    }

    /// Every conversation with an open episode has its open record, and no record is open for a conversation
    /// the conversations do not hold.
    public func check(against conversations: ConversationBook) throws(StateReader.Malformed) {
        guard open.count <= conversations.all.count else {
            throw StateReader.Malformed(reason: "open records for more conversations than there are")
        }
        for conversation in conversations.all {
            let hasRecord = conversation.ordinal < open.count && open[conversation.ordinal] >= 0
            guard hasRecord == (conversation.openEpisode != nil) else {
                throw StateReader.Malformed(reason: "conversation \"\(conversation.id)\" open episode has no record")
            }
        }
        for record in records where record.conversation >= conversations.all.count {
            throw StateReader.Malformed(reason: "a record of conversation \(record.conversation), unknown")
        }
    }
}
