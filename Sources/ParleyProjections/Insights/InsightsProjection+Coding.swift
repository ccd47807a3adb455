import ParleyEvents

/// The insights section of a checkpoint (id 20; docs/PROJECTIONS.md, "Checkpoints"): the names, the records
/// in order of start, the latest record of each conversation, the compensations, the orders and the
/// unattributed scores.
extension InsightsProjection {
    public func encode(to out: inout StateWriter) {
        out.unsigned(names.count)
        for name in names { out.string(name) }
        out.unsigned(records.count)
        for record in records { Self.encode(record, &out) }
        out.unsigned(latest.count)
        for index in latest { out.signed(Int64(index)) }
        out.unsigned(compensations.count)
        for compensation in compensations {
            out.signed(Int64(compensation.record))
            out.byte(compensation.kind.rawValue)
            out.unsigned(Int(compensation.currency))
            out.unsigned(compensation.amount)
        }
        out.unsigned(orders.count)
        for order in orders {
            out.unsigned(Int(order.customer))
            out.signed(order.at)
        }
        out.unsigned(unattributedScores)
    }

    private static func encode(_ record: Record, _ out: inout StateWriter) {
        out.unsigned(record.conversation)
        out.signed(Int64(record.customer))
        out.signed(record.start)
        out.bool(record.isReopen)
        out.optional(record.channel) { $0.byte($1.rawValue) }
        out.signed(Int64(record.category))
        out.optional(record.firstResponse) { $0.signed($1) }
        out.optional(record.resolved) { $0.signed($1) }
        out.unsigned(record.touches)
        out.optional(record.nextStart) { $0.signed($1) }
        out.byte(record.csat)
        out.signed(record.handled)
        out.optional(record.handlingSince) { $0.signed($1) }
    }

    /// Reads the section, checking every index and count: names once each, name and record indices in range,
    /// scores 0 … 5, kinds known, amounts and handling times not negative, and no count above the events
    /// replayed.
    public init(from input: inout StateReader, context: CheckpointContext) throws(StateReader.Malformed) {
        self.init()
        let events = context.summary.events
        for _ in 0..<(try input.count()) {
            let name = try input.string()
            guard nameIDs[name] == nil else { throw StateReader.Malformed(reason: "name \"\(name)\" twice") }
            _ = intern(name)
        }
        let recordCount = try input.count(atMost: events, "episodes")
        records.reserveCapacity(recordCount)
        for _ in 0..<recordCount { records.append(try decodeRecord(&input, events: events)) }
        var seen = Set<Int>()
        for ordinal in 0..<(try input.count()) {
            let index = try input.signed()
            guard index >= -1, index < Int64(records.count) else {
                throw StateReader.Malformed(reason: "latest record \(index) out of range")
            }
            if index >= 0 {
                guard records[Int(index)].conversation == ordinal, seen.insert(Int(index)).inserted else {
                    throw StateReader.Malformed(reason: "latest record \(index) is not conversation \(ordinal)'s")
                }
            }
            latest.append(Int(index))
        }
        let compensationCount = try input.count(atMost: events, "compensations")
        for _ in 0..<compensationCount {
            let record = try input.signed()
            guard record >= -1, record < Int64(records.count) else {
                throw StateReader.Malformed(reason: "compensation of record \(record), out of range")
            }
            let byte = try input.byte()
            guard let kind = CompensationKind(rawValue: byte) else {
                throw StateReader.Malformed(reason: "compensation kind byte \(byte)")
            }
            let currency = try name(&input, signed: false)
            let amount = try input.int()
            compensations.append(Compensation(record: Int(record), kind: kind, currency: currency, amount: amount))
        }
        let orderCount = try input.count(atMost: events, "orders")
        for _ in 0..<orderCount {
            let customer = try name(&input, signed: false)
            orders.append(Order(customer: customer, at: try input.signed()))
        }
        unattributedScores = try input.count(atMost: events, "unattributed scores")
    }

    private func decodeRecord(_ input: inout StateReader, events: UInt64) throws(StateReader.Malformed) -> Record {
        let conversation = try input.count()
        let customer = try name(&input, signed: true)
        let start = try input.signed()
        let isReopen = try input.bool()
        let channel = try input.optional { (input) throws(StateReader.Malformed) in
            let byte = try input.byte()
            guard let channel = Channel(rawValue: byte) else {
                throw StateReader.Malformed(reason: "channel byte \(byte)")
            }
            return channel
        }
        var record = Record(conversation: conversation, start: start, isReopen: isReopen, channel: channel)
        record.customer = customer
        record.category = try name(&input, signed: true)
        record.firstResponse = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        record.resolved = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        record.touches = try input.count(atMost: events, "touches")
        record.nextStart = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        record.csat = try input.byte()
        guard record.csat <= 5 else { throw StateReader.Malformed(reason: "score \(record.csat)") }
        record.handled = try input.signed()
        guard record.handled >= 0 else { throw StateReader.Malformed(reason: "negative handling time") }
        record.handlingSince = try input.optional { (input) throws(StateReader.Malformed) in try input.signed() }
        guard record.handlingSince == nil || record.resolved == nil else {
            throw StateReader.Malformed(reason: "handling time running in a resolved episode")
        }
        return record
    }

    /// A name index: below the number of names, or −1 too when `signed`.
    private func name(_ input: inout StateReader, signed: Bool) throws(StateReader.Malformed) -> Int32 {
        let index = signed ? try input.signed() : Int64(try input.int())
        guard index >= (signed ? -1 : 0), index < Int64(names.count) else {
            throw StateReader.Malformed(reason: "name index \(index) out of range")
        }
        return Int32(index)
    }

    /// No more conversations than the engine's, every record's conversation known, and a conversation's open
    /// episode is its latest record, unresolved.
    public func check(against conversations: ConversationBook) throws(StateReader.Malformed) {
        guard latest.count <= conversations.all.count else {
            throw StateReader.Malformed(reason: "records for more conversations than there are")
        }
        for record in records where record.conversation >= conversations.all.count {
            throw StateReader.Malformed(reason: "a record of conversation \(record.conversation), unknown")
        }
        for conversation in conversations.all where conversation.openEpisode != nil {
            let index = conversation.ordinal < latest.count ? latest[conversation.ordinal] : -1
            guard index >= 0, records[index].resolved == nil else {
                throw StateReader.Malformed(reason: "conversation \"\(conversation.id)\" open episode has no record")
            }
        }
    }
}
