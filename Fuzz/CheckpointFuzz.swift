// libFuzzer target: the projections' checkpoint loader (`Checkpoint.decode` for the header, the section
// table and the sections `kpi` reads, `ProjectionState.loadDeferredSections` for the others), on any file
// image, as a damaged disk, a foreign file or a faulty writer could leave beside a log.
//
// Built together with the sources of ParleyLog, ParleyEvents and ParleyProjections as ONE module named
// ParleyLog. tools/fuzz.sh strips the `import ParleyEvents` / `import ParleyLog` lines from its snapshot
// copy of the ParleyProjections sources (never from Sources/), since in one module there is no
// ParleyEvents to import (see Fuzz/README.md).
//
// Input: byte 0 chooses the mode (its low 2 bits), the rest is:
//   0  a whole checkpoint file image, read for a fixed log id (so it is refused at the log-id check at
//      best, unless the fuzzer writes that id);
//   1  a whole checkpoint file image, read for the log id its own header names;
//   2  a whole checkpoint file image whose CRC-32Cs (each section's, over the bytes its table entry
//      names, then the header's) the target recomputes first, read for its own log id: the table, length,
//      position and section checks are reached whatever the fuzzer does to the header;
//   3  a u16 (little-endian) length per section but the last (E, K, C with this build's sections), then
//      a body: its first E bytes (at most all) give the engine section, the next K the KPI section, the
//      next C the customers section (then any other projection's), the rest the conversations section,
//      wrapped in a valid header and section table (fixed log id and position,
//      right offsets, lengths and CRCs), so that every run reaches the section decoders past the
//      checksums. In the body, each byte F0 ... FE stands for the varint of an extreme value
//      (`extremes`: 2^64 - 1, 2^63, 2^40, 10,000,001, ...) and FF b for the byte b: one changed byte turns
//      a one-byte field into such a value, which mutations of varint bytes rarely reach without breaking
//      the fields that follow. (Byte 0's other bits are free: 0x03 and 0x07 are the same mode.)
//
// Checks, beyond "no crash, no hang, bounded memory":
//   - decoding throws `Checkpoint.Problem` or returns a state whose deferred sections are not yet loaded;
//     loading them throws `Checkpoint.Problem` or succeeds;
//   - an accepted image is refused for another log id, cut by one byte, or with one byte added;
//   - the KPI report (`kpi`: from the engine and KPI sections alone) is made, and is the same once the
//     other sections are loaded (its text renderings live in the CLI, outside this module);
//   - the SLA state of every open episode (`queue`, `sla`) at the latest event time and at a fixed moment;
//   - every customer id's person (`CustomerDirectory.ids(of:)`) ends (the links form no cycle);
//   - a tail of seven events (messages, a reply, a category, pending, resolved, a reopen, a new
//     conversation) applied after the checkpoint, as commands do with the events that follow it; then the
//     KPI report and the SLA states again;
//   - the round trip: `Checkpoint.encode` of the loaded state is no longer than the input, keeps its log
//     id and position, decodes and loads again, and encodes to the same bytes; the tail applied to that
//     reloaded state gives the same state as applied to the first one.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

private let fuzzLogID: [UInt8] = Array(0xA0...0xAF)
private let otherLogID: [UInt8] = Array(0x50...0x5F)
/// The sections mode 3 writes, in the file order `Checkpoint.encode` uses: the engine's, the KPI
/// projection's, every registered projection's, the conversations. (A projection added later adds its
/// section here by itself; the seeds' bodies then cut differently, but stay valid inputs.)
private let wrappedSections: [CheckpointSection] =
    [Checkpoint.engineSection, KPIProjection.section] + ProjectionState.registered.map { $0.section }
    + [Checkpoint.conversationsSection]
/// Position written by mode 3: a frame of seq 1 ... 2^40 at offset 64, so that any summary seq up to 2^40
/// is admitted.
private let fixedPosition: (lastSeq: UInt64, firstSeq: UInt64, offset: UInt64, end: UInt64, crc: UInt32, time: Int64) =
    (1 << 40, 1, 64, 64 + 4096, 0x1234_5678, 1_772_445_600_000_000_000)
/// 2026-03-02T12:00:00Z, the other moment the SLA clocks are read at.
private let fixedMoment: Int64 = 1_772_452_800_000_000_000
/// The values mode 3 writes for the bytes F0 ... FE (raw varints: as zig-zag, 2^64 - 1 is Int64.min and
/// 2^64 - 2 is Int64.max).
private let extremes: [UInt64] = [
    .max, .max - 1, 1 << 63, (1 << 63) - 1, 1 << 62, 1 << 53, 1 << 40, 1 << 32, (1 << 32) - 1, 1 << 31,
    20_000_002, 20_000_001, 10_000_001, 86_401, 172_800_000_000_000_000,
]

/// The finding of this target (Fixtures/fuzz/crashes/README.md): the loader used to accept, under valid
/// checksums, values no replay can produce, and the report and the SLA clocks then trapped on overflow.
/// Fixed: the loader now refuses them, so every state is checked in full. CHECKPOINT_FUZZ_TOLERANT=1
/// skips the report and the clocks for such states again (to fuzz a build from before the fix).
private let tolerateValuesNoReplayProduces = getenv("CHECKPOINT_FUZZ_TOLERANT") != nil

/// CHECKPOINT_FUZZ_VERBOSE=1 prints how far each input got (refused and why, or accepted): to check that
/// the seeds reach the decoders.
private let verbose = getenv("CHECKPOINT_FUZZ_VERBOSE") != nil

/// Why `state` holds values that no replay of a log produces and that the open finding traps on (the three
/// kinds its proposed fix would refuse); `nil` if it holds none.
private func valuesNoReplayProduces(_ state: ProjectionState) -> String? {
    let book = state.conversations
    let kpi = state.kpi
    // Targets: they are 1 ... 10,000,000 business minutes (`policy set` refuses others).
    for calendar in book.policies {
        for targets in calendar.policy.targets.values {
            for minutes in [targets.firstResponse, targets.resolution].compactMap({ $0 })
            where !(1...10_000_000).contains(minutes) {
                return "a target of \(minutes) minutes"
            }
        }
    }
    // Counts: every count is at most the number of events replayed (so far below 2^62).
    let events = state.summary.events
    guard events <= 1 << 62 else { return "\(events) events replayed" }
    func within(_ values: [Int]) -> Bool {
        var sum: UInt64 = 0
        for value in values {
            guard value >= 0 else { return false }
            sum += UInt64(value)
            if sum > events { return false }
        }
        return true
    }
    let anomalies = book.anomalies
    guard within(kpi.messagesPerDay.values.flatMap { $0 }) else { return "message counts beyond the events" }
    guard within(kpi.episodes.map(\.touches)) else { return "touches beyond the events" }
    guard within(book.all.compactMap { $0.openEpisode?.touches }) else { return "touches beyond the events" }
    guard within(book.all.map(\.episodes)) else { return "episodes beyond the events" }
    guard
        within([
            anomalies.negativeDurations, anomalies.repliesOutsideEpisodes, anomalies.resolvesOutsideEpisodes,
            anomalies.invalidPolicies,
        ])
    else { return "anomalies beyond the events" }
    // Clocks: business time counted by a clock is never negative, and stays far below 2^63 ns.
    let clocks = kpi.episodes.compactMap(\.sla) + book.all.compactMap { $0.openEpisode?.sla }
    for clock in clocks {
        for counted in [clock.resolutionAccrued, clock.responseElapsed ?? 0] where !(0...(1 << 62)).contains(counted) {
            return "a clock that counted \(counted) ns"
        }
    }
    return nil
}

/// Seven events after the checkpoint: to its first conversation (or a new one) and to a new one.
private func tail(after state: ProjectionState) -> [(event: Event, seq: UInt64)] {
    let base = state.latestEventTime ?? state.position.commitTime
    let conversation = state.conversations.all.first?.id ?? "fuzz-c1"
    let payloads: [EventPayload] = [
        .messageReceived(MessageReceived(conversation: conversation, customer: "fuzz-u1", channel: .chat, body: "a")),
        .replySent(ReplySent(conversation: conversation, author: "agent:fuzz", body: "b")),
        .categorized(Categorized(conversation: conversation, category: "fuzz", priority: .high)),
        .statusChanged(StatusChanged(conversation: conversation, status: .pending)),
        .statusChanged(StatusChanged(conversation: conversation, status: .resolved)),
        .messageReceived(MessageReceived(conversation: conversation, customer: "fuzz-u1", channel: .email, body: "c")),
        .messageReceived(MessageReceived(conversation: "fuzz-new", customer: "fuzz-u2", channel: .sms, body: "d")),
    ]
    return payloads.enumerated().map { step, payload in
        let (at, overflow) = base.addingReportingOverflow(Int64(step + 1) * 60_000_000_000)
        return (
            Event(at: Timestamp(nanoseconds: overflow ? base : at), payload: payload),
            state.position.lastSeq &+ UInt64(step + 1)
        )
    }
}

/// The KPI report, every open episode's SLA state and every customer's person (must not crash).
private func answer(_ state: ProjectionState, latest: Int64) -> KPIReport {
    let report = kpiReport(state)
    // `queue` and `sla`: the clocks of every open episode.
    var book = state.conversations
    for conversation in book.all {
        guard let episode = conversation.openEpisode else { continue }
        require(episode.conversation == conversation.id, "an open episode of another conversation")
        for now in [latest, fixedMoment] {
            let sla = book.slaState(of: episode, at: now)
            require((sla == nil) == (episode.sla == nil), "SLA state without clocks, or clocks without state")
        }
    }
    // `customer`: every linked id's person, which holds it.
    if var directory = state.projection(CustomerDirectory.self) {
        for id in Array(directory.parent.keys).prefix(64) {
            require(directory.ids(of: id).contains(id), "a customer's person without the customer")
        }
    }
    return report
}

/// Expands the bytes F0 ... FE of mode 3 into extreme varints, and FF b into b.
private func expand(_ section: ArraySlice<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(section.count)
    var index = section.startIndex
    while index < section.endIndex {
        let byte = section[index]
        index += 1
        if byte == 0xFF {
            if index < section.endIndex { out.append(section[index]) }
            index += 1
        } else if byte >= 0xF0 {
            out.appendVarint(extremes[Int(byte - 0xF0)])
        } else {
            out.append(byte)
        }
    }
    return out
}

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fputs("fuzz invariant violated: \(message())\n", stderr)
        abort()
    }
}

private func store64(_ value: UInt64, at index: Int, in bytes: inout [UInt8]) {
    for shift in 0..<8 { bytes[index + shift] = UInt8(truncatingIfNeeded: value >> UInt64(8 * shift)) }
}

private func load64(_ bytes: [UInt8], at index: Int) -> UInt64 {
    (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[index + $1]) << UInt64(8 * $1) }
}

/// A checkpoint image of `sections` (in the order of `wrappedSections`), built from the layout in
/// docs/PROJECTIONS.md (not by `Checkpoint.encode`).
private func wrap(_ sections: [[UInt8]]) -> [UInt8] {
    let count = sections.count
    let start = 88 + 32 * count
    var bytes = [UInt8](repeating: 0, count: start)
    bytes.replaceSubrange(0..<8, with: Array("PARLEYCP".utf8))
    bytes.storeLittleEndian(3, at: 8)
    bytes.storeLittleEndian(UInt32(count), at: 12)
    bytes.replaceSubrange(16..<32, with: fuzzLogID)
    store64(fixedPosition.lastSeq, at: 32, in: &bytes)
    store64(fixedPosition.firstSeq, at: 40, in: &bytes)
    store64(fixedPosition.offset, at: 48, in: &bytes)
    store64(fixedPosition.end, at: 56, in: &bytes)
    bytes.storeLittleEndian(fixedPosition.crc, at: 64)
    store64(UInt64(bitPattern: fixedPosition.time), at: 72, in: &bytes)
    var offset = start
    for (index, section) in sections.enumerated() {
        let entry = 80 + 32 * index
        bytes.storeLittleEndian(wrappedSections[index].id, at: entry)
        bytes.storeLittleEndian(wrappedSections[index].version, at: entry + 4)
        store64(UInt64(offset), at: entry + 8, in: &bytes)
        store64(UInt64(section.count), at: entry + 16, in: &bytes)
        bytes.storeLittleEndian(CRC32C.checksum(section), at: entry + 24)
        offset += section.count
    }
    bytes.storeLittleEndian(CRC32C.checksum(bytes[0..<start - 4]), at: start - 4)
    return bytes + sections.joined()
}

/// `image` with each section's CRC recomputed over the bytes its table entry names (cut to the image),
/// then the header's.
private func fixChecksums(_ image: [UInt8]) -> [UInt8] {
    guard image.count >= 16 else { return image }
    var bytes = image
    let count = Int(min(bytes[12...].loadLittleEndianUInt32(at: 12), 64))
    let start = 88 + 32 * count
    guard bytes.count >= start else { return image }
    for index in 0..<count {
        let entry = 80 + 32 * index
        let offset = Int(min(load64(bytes, at: entry + 8), UInt64(bytes.count)))
        let length = Int(min(load64(bytes, at: entry + 16), UInt64(bytes.count - offset)))
        bytes.storeLittleEndian(CRC32C.checksum(bytes[offset..<offset + length]), at: entry + 24)
    }
    bytes.storeLittleEndian(CRC32C.checksum(bytes[0..<start - 4]), at: start - 4)
    return bytes
}

private func decode(_ image: [UInt8], _ logID: [UInt8]) -> ProjectionState? {
    switch Result(catching: { () throws(Checkpoint.Problem) in try Checkpoint.decode(image[...], logID: logID) }) {
    case .success(let state):
        require(!state.hasConversations, "a decoded checkpoint has its deferred sections loaded already")
        return state
    case .failure(let problem):
        require(!problem.reason.isEmpty, "a refusal without a reason")
        if verbose, logID != otherLogID, image.count > 0 { fputs("refused: \(problem.reason)\n", stderr) }
        return nil
    }
}

private func load(_ state: ProjectionState) -> ProjectionState? {
    var loaded = state
    switch Result(catching: { () throws(Checkpoint.Problem) in try loaded.loadDeferredSections() }) {
    case .success:
        require(loaded.hasConversations, "sections loaded but still deferred")
        if verbose {
            fputs(
                "accepted: \(loaded.summary.events) events, \(loaded.conversations.all.count) conversations\n", stderr)
        }
        return loaded
    case .failure(let problem):
        require(!problem.reason.isEmpty, "a refusal without a reason")
        if verbose { fputs("deferred sections refused: \(problem.reason)\n", stderr) }
        return nil
    }
}

private func kpiReport(_ state: ProjectionState) -> KPIReport {
    guard let report = KPIReport.make(from: state, query: KPIReport.Query(size: .week)) else {
        require(false, "no KPI report without dates in the query")
        abort()
    }
    return report
}

@_cdecl("LLVMFuzzerTestOneInput")
public func checkpointFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let rest = input[1...]
    let image: [UInt8]
    let logID: [UInt8]
    switch input[0] & 3 {
    case 0:
        image = Array(rest)
        logID = fuzzLogID
    case 1, 2:
        image = input[0] & 3 == 2 ? fixChecksums(Array(rest)) : Array(rest)
        logID = image.count >= 32 ? Array(image[16..<32]) : fuzzLogID
    default:
        let lengths = wrappedSections.count - 1
        guard rest.count >= 2 * lengths else { return 0 }
        var body = rest.dropFirst(2 * lengths)
        var sections: [[UInt8]] = []
        for index in 0..<lengths {
            let at = rest.startIndex + 2 * index
            let length = min(Int(rest[at]) | Int(rest[at + 1]) << 8, body.count)
            sections.append(expand(body.prefix(length)))
            body = body.dropFirst(length)
        }
        sections.append(expand(body))
        image = wrap(sections)
        logID = fuzzLogID
    }

    guard let state = decode(image, logID) else { return 0 }
    // Accepted: then only for this log, and only whole.
    if logID != otherLogID { require(decode(image, otherLogID) == nil, "accepted for another log id") }
    require(decode(Array(image.dropLast()), logID) == nil, "accepted cut by one byte")
    require(decode(image + [0], logID) == nil, "accepted with a byte added")

    let reportsSkipped = tolerateValuesNoReplayProduces && valuesNoReplayProduces(state) != nil

    // `kpi` answers from the engine and KPI sections alone.
    let reportsOnly = reportsSkipped ? nil : kpiReport(state)

    guard let loaded = load(state) else { return 0 }
    let latest = loaded.latestEventTime ?? loaded.position.commitTime
    let skipped = tolerateValuesNoReplayProduces && valuesNoReplayProduces(loaded) != nil
    if !skipped {
        let report = answer(loaded, latest: latest)
        if let reportsOnly {
            require(report == reportsOnly, "the KPI report changed when the other sections were loaded")
        }
    }

    // Round trip: what a rebuild would write.
    let encoded = Checkpoint.encode(loaded, logID: logID)
    require(encoded.count <= image.count, "re-encoding grew the checkpoint: \(encoded.count) > \(image.count)")
    // (Reserved bytes are not checked when reading, so they may differ.)
    for range in [0..<12, 16..<68, 72..<80] {
        require(encoded[range] == image[range], "re-encoding changed header bytes \(range)")
    }
    guard let again = decode(encoded, logID) else {
        require(false, "a re-encoded checkpoint is refused")
        return 0
    }
    guard let reloaded = load(again) else {
        require(false, "the conversations of a re-encoded checkpoint are refused")
        return 0
    }
    require(Checkpoint.encode(reloaded, logID: logID) == encoded, "encoding is not a fixed point")
    if !skipped {
        require(
            kpiReport(reloaded) == kpiReport(loaded), "the KPI report changed across a re-encoding")
    }

    // The events after the checkpoint, on the loaded and on the reloaded state.
    var continued = loaded
    var recontinued = reloaded
    if !skipped {
        for (event, seq) in tail(after: loaded) {
            continued.apply(event, seq: seq)
            recontinued.apply(event, seq: seq)
        }
        require(
            Checkpoint.encode(continued, logID: logID) == Checkpoint.encode(recontinued, logID: logID),
            "the same events after a re-encoded checkpoint give another state")
        // (Seven events more cannot take a count that passed the filter above to an overflow.)
        _ = answer(continued, latest: continued.latestEventTime ?? latest)
    }
    return 0
}
