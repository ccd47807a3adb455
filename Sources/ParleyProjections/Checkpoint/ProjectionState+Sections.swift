import ParleyEvents
import ParleyLog

/// The checkpoint's sections of a ``ProjectionState``: the engine's two, then one per registered projection
/// (docs/PROJECTIONS.md, "Checkpoints"). Each is checked (CRC-32C, version) and decoded on its own; every
/// reference from one to another is checked once both are read, so a damaged section is refused, never
/// trusted.
extension ProjectionState {
    /// Every section's identity and bytes, in file order: first those `kpi` reads (the engine's, the KPI
    /// projection's), then the other projections', then the conversations (the largest, read last).
    func encodeSections() -> [(section: CheckpointSection, bytes: [UInt8])] {
        precondition(deferred.isEmpty, "a state with sections not loaded cannot be saved")
        var sections = [(Checkpoint.engineSection, encodeEngine())]
        var kpi = StateWriter()
        engine.kpi.encode(to: &kpi)
        sections.append((KPIProjection.section, kpi.bytes))
        var router = StateWriter()
        engine.router.encode(to: &router)
        sections.append((Router.section, router.bytes))
        for projection in engine.projections {
            var out = StateWriter()
            projection.encode(to: &out)
            sections.append((type(of: projection).section, out.bytes))
        }
        sections.append((Checkpoint.conversationsSection, Self.encodeConversations(engine.conversations)))
        return sections
    }

    /// The section `id` names, if this build knows it.
    static func known(_ id: UInt32) -> CheckpointSection? {
        if id == Checkpoint.engineSection.id { return Checkpoint.engineSection }
        if id == Checkpoint.conversationsSection.id { return Checkpoint.conversationsSection }
        if id == KPIProjection.section.id { return KPIProjection.section }
        if id == Router.section.id { return Router.section }
        return registered.first { $0.section.id == id }?.section
    }

    /// Builds the state a checkpoint's checked table describes: the engine's and the KPI sections read
    /// now (the engine's first, whatever the order in the file: the others' checks use it), the others
    /// deferred.
    static func decode(
        position: LogPosition, sections entries: [Checkpoint.Entry],
        read: @escaping @Sendable (Int64, Int) throws(Checkpoint.Problem) -> ArraySlice<UInt8>
    ) throws(Checkpoint.Problem) -> ProjectionState {
        for entry in entries {
            guard let section = known(entry.id) else {
                throw Checkpoint.Problem(reason: "checkpoint section \(entry.id) is unknown to this build")
            }
            guard entry.version == section.version else {
                throw Checkpoint.Problem(
                    reason: "checkpoint section \(section.name) version \(entry.version), "
                        + "this build reads version \(section.version)")
            }
        }
        let expected =
            [
                Checkpoint.engineSection.id, Checkpoint.conversationsSection.id, KPIProjection.section.id,
                Router.section.id,
            ]
            + registered.map { $0.section.id }
        for id in expected where !entries.contains(where: { $0.id == id }) {
            throw Checkpoint.Problem(reason: "checkpoint has no \(known(id)!.name) section")
        }
        var state = ProjectionState()
        state.position = position
        var deferred: [Deferred] = []
        var kpi: Deferred?
        for entry in entries {
            let keep = Deferred(
                entry: entry,
                read: { () throws(Checkpoint.Problem) in
                    try read(entry.offset, entry.length)
                })
            switch entry.id {
            case Checkpoint.engineSection.id:
                let bytes = try keep.checkedBytes()
                do {
                    try state.decodeEngine(bytes)
                } catch {
                    throw Checkpoint.Problem(reason: "checkpoint engine section is malformed (\(error.reason))")
                }
            case KPIProjection.section.id:
                kpi = keep
            default:
                deferred.append(keep)
            }
        }
        if let kpi { try Self.decode(kpi, into: &state.engine, summary: state.summary) }
        state.deferred = deferred
        return state
    }

    /// Checks and decodes every section kept for later.
    /// - Throws: ``Checkpoint/Problem`` when one is damaged or malformed.
    mutating func loadDeferredSections() throws(Checkpoint.Problem) {
        guard !deferred.isEmpty else { return }
        try Self.load(deferred, into: &engine, summary: summary)
        deferred = []
    }

    /// Decodes `sections` into a copy of `engine`, checks every projection against the conversations, and
    /// only then replaces `engine`.
    static func load(_ sections: [Deferred], into engine: inout ProjectionEngine, summary: Replay.Summary)
        throws(Checkpoint.Problem)
    {
        var loaded = engine
        for section in sections { try decode(section, into: &loaded, summary: summary) }
        for projection in [loaded.kpi, loaded.router] + loaded.projections {
            do {
                try projection.check(against: loaded.conversations)
            } catch {
                throw Checkpoint.Problem(
                    reason: "checkpoint \(type(of: projection).section.name) section does not match the "
                        + "conversations (\(error.reason))")
            }
        }
        engine = loaded
    }

    /// Checks and decodes one section other than the engine's into `engine`.
    private static func decode(_ section: Deferred, into engine: inout ProjectionEngine, summary: Replay.Summary)
        throws(Checkpoint.Problem)
    {
        let bytes = try section.checkedBytes()
        let name = known(section.entry.id)?.name ?? String(section.entry.id)
        do throws(StateReader.Malformed) {
            var input = StateReader(bytes)
            let context = CheckpointContext(summary: summary, policies: engine.conversations.policies.count)
            if section.entry.id == Checkpoint.conversationsSection.id {
                try decodeConversations(&input, into: &engine.conversations)
            } else if section.entry.id == KPIProjection.section.id {
                engine.kpi = try KPIProjection(from: &input, context: context)
            } else if section.entry.id == Router.section.id {
                engine.router = try Router(from: &input, context: context)
            } else if let index = registered.firstIndex(where: { $0.section.id == section.entry.id }) {
                engine.projections[index] = try registered[index].init(from: &input, context: context)
            }
            guard input.isAtEnd else { throw StateReader.Malformed(reason: "bytes after the section") }
        } catch {
            throw Checkpoint.Problem(reason: "checkpoint \(name) section is malformed (\(error.reason))")
        }
    }

    // MARK: The engine's sections

    /// Policies, anomalies, event times and the summary.
    func encodeEngine() -> [UInt8] {
        var out = StateWriter()
        let book = engine.conversations
        // Policies first: everything else refers to them.
        out.unsigned(book.policies.count)
        for calendar in book.policies { StateParts.encode(calendar.policy, &out) }
        out.optional(book.currentPolicy) { $0.unsigned($1) }
        // Version 2: when each policy takes effect and what it measures, then the range of episode starts.
        let timeline = book.policyTimeline
        for (index, effect) in timeline.effectTimes.enumerated() {
            out.signed(effect)
            out.unsigned(timeline.coverage[index].episodes)
            out.optional(timeline.coverage[index].starts) { Self.encode($1, &$0) }
        }
        out.optional(timeline.episodeStarts) { Self.encode($1, &$0) }
        out.unsigned(timeline.unmeasured.episodes)
        out.optional(timeline.unmeasured.starts) { Self.encode($1, &$0) }
        out.unsigned(book.anomalies.negativeDurations)
        out.unsigned(book.anomalies.repliesOutsideEpisodes)
        out.unsigned(book.anomalies.resolvesOutsideEpisodes)
        out.unsigned(book.anomalies.invalidPolicies)
        out.optional(engine.eventTimes) { out, times in
            out.signed(times.lowerBound)
            out.signed(times.upperBound)
        }
        out.optional(engine.latestConversationEventTime) { $0.signed($1) }
        out.unsigned(summary.events)
        out.unsigned(summary.lastSeq)
        out.unsigned(summary.unknown)
        return out.bytes
    }

    /// Writes a range of times (ns): lower, then upper bound.
    private static func encode(_ range: ClosedRange<Int64>, _ out: inout StateWriter) {
        out.signed(range.lowerBound)
        out.signed(range.upperBound)
    }

    /// Reads a range written by ``encode(_:_:)``.
    private static func decodeRange(_ input: inout StateReader) throws(StateReader.Malformed) -> ClosedRange<Int64> {
        let lower = try input.signed()
        let upper = try input.signed()
        guard lower <= upper else { throw StateReader.Malformed(reason: "time range reversed") }
        return lower...upper
    }

    /// Reads the engine's section (into a state whose position is set).
    private mutating func decodeEngine(_ bytes: ArraySlice<UInt8>) throws(StateReader.Malformed) {
        var input = StateReader(bytes)
        var book = ConversationBook()
        for _ in 0..<(try input.count()) {
            let policy = try StateParts.decodePolicy(&input)
            guard let calendar = BusinessCalendar(policy) else {
                throw StateReader.Malformed(reason: "time zone \"\(policy.timeZone)\" unknown to this system")
            }
            book.policies.append(calendar)
        }
        let policyCount = book.policies.count
        book.currentPolicy = try input.optional { (input) throws(StateReader.Malformed) in
            try StateParts.index(&input, below: policyCount, "policy")
        }
        var effectTimes: [Int64] = []
        var coverage: [PolicyTimeline.Coverage] = []
        for _ in 0..<policyCount {
            effectTimes.append(try input.signed())
            var covered = PolicyTimeline.Coverage()
            covered.episodes = try input.int()
            covered.starts = try input.optional { (input) throws(StateReader.Malformed) in
                try Self.decodeRange(&input)
            }
            coverage.append(covered)
        }
        let starts = try input.optional { (input) throws(StateReader.Malformed) in try Self.decodeRange(&input) }
        var unmeasured = PolicyTimeline.Coverage()
        unmeasured.episodes = try input.int()
        unmeasured.starts = try input.optional { (input) throws(StateReader.Malformed) in try Self.decodeRange(&input) }
        book.policyTimeline = PolicyTimeline(
            effectTimes: effectTimes, coverage: coverage, episodeStarts: starts, unmeasured: unmeasured)
        book.anomalies.negativeDurations = try input.int()
        book.anomalies.repliesOutsideEpisodes = try input.int()
        book.anomalies.resolvesOutsideEpisodes = try input.int()
        book.anomalies.invalidPolicies = try input.int()
        let eventTimes = try input.optional { (input) throws(StateReader.Malformed) in
            let lower = try input.signed()
            let upper = try input.signed()
            guard lower <= upper else { throw StateReader.Malformed(reason: "event time range reversed") }
            return lower...upper
        }
        let latestConversationEventTime = try input.optional { (input) throws(StateReader.Malformed) in
            try input.signed()
        }
        if let latest = latestConversationEventTime, !(eventTimes?.contains(latest) ?? false) {
            throw StateReader.Malformed(reason: "latest conversation event time outside the event times")
        }
        var summary = Replay.Summary()
        summary.events = try input.unsigned()
        summary.lastSeq = try input.unsigned()
        summary.unknown = try input.unsigned()
        summary.lastCommitTime = position.lastSeq > 0 ? position.commitTime : 0
        guard input.isAtEnd else { throw StateReader.Malformed(reason: "bytes after the state") }
        // The state was replayed up to the header's frame, whole: its last event is that frame's last event,
        // unless records of unknown types, which the summary's last seq does not count, came after it: then
        // no more of them than were skipped.
        guard
            summary.lastSeq == position.lastSeq
                || (summary.lastSeq < position.lastSeq && position.lastSeq - summary.lastSeq <= summary.unknown)
        else {
            throw StateReader.Malformed(
                reason: "state ends at seq \(summary.lastSeq), its position at seq \(position.lastSeq)")
        }
        // Every record up to the position was replayed, as an event or as a record of an unknown type: so
        // the two counts add up to its seq (and neither can overflow a replay that goes on from here).
        let (records, overflow) = summary.events.addingReportingOverflow(summary.unknown)
        guard !overflow, records == position.lastSeq else {
            throw StateReader.Malformed(
                reason: "state counts \(summary.events) events and \(summary.unknown) unknown records, "
                    + "its position is at seq \(position.lastSeq)")
        }
        guard summary.events <= summary.lastSeq else {
            throw StateReader.Malformed(reason: "state goes beyond its position")
        }
        // Each anomaly is one event set apart (negative durations are counted by reports, not stored).
        let anomalies = book.anomalies
        for count in [
            anomalies.negativeDurations, anomalies.repliesOutsideEpisodes, anomalies.resolvesOutsideEpisodes,
            anomalies.invalidPolicies,
        ] where UInt64(count) > summary.events {
            throw StateReader.Malformed(reason: "more anomalies than events replayed")
        }
        engine.conversations = book
        engine.eventTimes = eventTimes
        engine.latestConversationEventTime = latestConversationEventTime
        self.summary = summary
    }

    /// The conversations, in order of first appearance.
    static func encodeConversations(_ book: ConversationBook) -> [UInt8] {
        var out = StateWriter()
        out.bytes.reserveCapacity(64 + book.all.count * 48)
        out.unsigned(book.all.count)
        for conversation in book.all { StateParts.encode(conversation, &out) }
        return out.bytes
    }

    /// Reads the conversations into `book` (whose policies are loaded).
    static func decodeConversations(_ input: inout StateReader, into book: inout ConversationBook)
        throws(StateReader.Malformed)
    {
        let policyCount = book.policies.count
        let conversationCount = try input.count()
        book.all.reserveCapacity(conversationCount)
        book.index.reserveCapacity(conversationCount)
        for position in 0..<conversationCount {
            let conversation = try StateParts.decodeConversation(&input, ordinal: position, policies: policyCount)
            guard book.index.position(inserting: conversation.id) == position else {
                throw StateReader.Malformed(reason: "conversation \"\(conversation.id)\" twice")
            }
            book.all.append(conversation)
        }
    }
}

extension ProjectionState.Deferred {
    /// The section's bytes, checked against the table's length and CRC-32C.
    func checkedBytes() throws(Checkpoint.Problem) -> ArraySlice<UInt8> {
        let bytes = try read()
        let name = ProjectionState.known(entry.id)?.name ?? String(entry.id)
        guard bytes.count == entry.length else { throw Checkpoint.Problem(reason: "checkpoint cut short") }
        guard CRC32C.checksum(bytes) == entry.checksum else {
            throw Checkpoint.Problem(reason: "checkpoint checksum mismatch in the \(name) section (damaged)")
        }
        return bytes
    }
}
