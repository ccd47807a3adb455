import Foundation
import ParleyEvents
import ParleyLog
import Testing

@testable import ParleyProjections

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Checkpoints never change an answer: a checkpoint at any frame boundary plus the events after it gives
/// what a full replay gives, and a checkpoint that does not match its log (damaged, cut short, of another
/// log, of bytes the log no longer holds, of another format version) is refused and the log replayed.
@Suite struct CheckpointTests {
    static let logID = [UInt8](0..<16)

    /// Everything a command can read from a state, to compare two of them.
    struct Answer: Equatable {
        var reports: [KPIReport]
        var conversations: [ConversationBook.Conversation]
        var index: [String: Int]
        var anomalies: ConversationBook.Anomalies
        var policies: [SLAPolicy]
        var currentPolicy: Int?
        /// The SLA clocks of every open episode at several moments.
        var clocks: [SLAState?]
        var summary: Replay.Summary
        var position: LogPosition
        var latestEventTime: Int64?
        /// The checkpoint body: every stored part, in a fixed order.
        var body: [UInt8]

        static let fixedMoment = Timestamp(rfc3339: "2026-04-20T12:00:00Z")!.nanoseconds

        init(_ state: ProjectionState) {
            let queries = [
                KPIReport.Query(size: .day), KPIReport.Query(size: .week),
                KPIReport.Query(size: .day, channel: .chat), KPIReport.Query(size: .week, category: "billing"),
                KPIReport.Query(size: .day, category: "shipping", moment: Self.fixedMoment),
            ]
            reports = queries.map { KPIReport.make(from: state, query: $0)! }
            var book = state.conversations
            conversations = book.all
            index = Dictionary(uniqueKeysWithValues: book.all.enumerated().map { ($1.id, $0) })
            anomalies = book.anomalies
            policies = book.policies.map(\.policy)
            currentPolicy = book.currentPolicy
            let latest = state.latestEventTime ?? Self.fixedMoment
            let hour: Int64 = 3_600_000_000_000
            clocks = []
            for conversation in book.all {
                guard let episode = conversation.openEpisode else { continue }
                for moment in [latest, latest + 5 * hour, latest + 72 * hour, Self.fixedMoment] {
                    clocks.append(book.slaState(of: episode, at: moment))
                }
            }
            summary = state.summary
            position = state.position
            latestEventTime = state.latestEventTime
            body = state.encodeSections().flatMap(\.bytes)
        }
    }

    static func build(_ path: String, limit: ReplayLimit = ReplayLimit(), checkpoint: Bool = true) throws -> (
        answer: Answer, use: ProjectionState.CheckpointUse, state: ProjectionState
    ) {
        let built = try ProjectionState.build(path: path, limit: limit, useCheckpoint: checkpoint)
        return (Answer(built.state), built.checkpoint, built.state)
    }

    /// The reason of an ignored checkpoint, or nil.
    static func reason(_ use: ProjectionState.CheckpointUse) -> String? {
        if case .ignored(let reason) = use { return reason }
        return nil
    }

    static func writeLog(_ events: [Event], to path: String, using random: inout SplitMix64) throws
        -> [LogWriter.Commit]
    {
        let sizes = (0..<events.count).map { _ in Int.random(in: 1...6, using: &random) }
        return try TestLog.write(events, to: path, batchSizes: sizes)
    }

    // MARK: Continuing from a checkpoint

    @Test(arguments: [5, 6, 7] as [UInt64])
    func checkpointAtAnyFrameBoundaryGivesTheFullReplay(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let events = SLAStream.events(count: 260, using: &random)
        try withTemporaryPath { directory in
            let path = directory + "/log"
            let commits = try Self.writeLog(events, to: path, using: &random)
            let full = try Self.build(path, checkpoint: false)
            #expect(full.use == .none)
            Self.expectNotVacuous(full.state)
            var splits = Set((0..<10).map { _ in Int.random(in: 0..<commits.count, using: &random) })
            splits.formUnion([0, commits.count - 1])
            var ends = splits.map { commits[$0].seqs.upperBound }
            ends.append(0)  // before the first frame
            for end in ends.sorted() {
                let partial = try ProjectionState.build(
                    path: path, limit: ReplayLimit(untilSeq: end), useCheckpoint: false)
                #expect(partial.state.position.lastSeq == end)
                try Checkpoint.save(partial.state, logPath: path, logID: Self.logID)
                let resumed = try Self.build(path)
                #expect(resumed.use == .loaded(partial.state.position), "seed \(seed), split at seq \(end)")
                #expect(resumed.answer == full.answer, "seed \(seed), split at seq \(end)")
                // A limit past the checkpoint (anywhere, inside a frame too) starts from it as well.
                let until = UInt64.random(in: end...UInt64(events.count + 2), using: &random)
                let limited = try Self.build(path, limit: ReplayLimit(untilSeq: until))
                #expect(limited.use == .loaded(partial.state.position))
                #expect(
                    limited.answer
                        == (try Self.build(path, limit: ReplayLimit(untilSeq: until), checkpoint: false)).answer,
                    "seed \(seed), split at seq \(end), until-seq \(until)")
            }
        }
    }

    /// The random streams exercise what a checkpoint must carry: valid and invalid policies, measured open
    /// episodes running, paused and with priorities, resolved episodes, reopens.
    static func expectNotVacuous(_ state: ProjectionState, sourceLocation: SourceLocation = #_sourceLocation) {
        let book = state.conversations
        let open = book.all.compactMap(\.openEpisode)
        #expect(book.policies.count >= 2, sourceLocation: sourceLocation)
        #expect(book.anomalies.invalidPolicies > 0, sourceLocation: sourceLocation)
        #expect(open.contains { $0.sla?.runningSince != nil }, sourceLocation: sourceLocation)
        #expect(open.contains { $0.sla != nil && $0.sla?.runningSince == nil }, sourceLocation: sourceLocation)
        #expect(open.contains { $0.priority != nil && $0.sla != nil }, sourceLocation: sourceLocation)
        #expect(state.kpi.episodes.contains { $0.resolved != nil && $0.sla?.responded == true })
        #expect(book.all.contains { $0.episodes > 1 }, sourceLocation: sourceLocation)
        #expect(book.anomalies.repliesOutsideEpisodes > 0 && book.anomalies.resolvesOutsideEpisodes > 0)
    }

    @Test(arguments: [5, 8] as [UInt64])
    func encodingIsStableAcrossADecode(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let events = SLAStream.events(count: 200, using: &random)
        try withTemporaryPath { directory in
            let path = directory + "/log"
            let commits = try Self.writeLog(events, to: path, using: &random)
            for commit in [commits[commits.count / 3], commits[commits.count - 1]] {
                let state = try ProjectionState.build(
                    path: path, limit: ReplayLimit(untilSeq: commit.seqs.upperBound), useCheckpoint: false
                ).state
                let bytes = Checkpoint.encode(state, logID: Self.logID)
                var decoded = try Checkpoint.decode(bytes[...], logID: Self.logID)
                #expect(!decoded.hasConversations, "the conversations section is read only on demand")
                try decoded.loadDeferredSections()
                #expect(Checkpoint.encode(decoded, logID: Self.logID) == bytes)
                #expect(Answer(decoded) == Answer(state))
                // What `save` writes is exactly that.
                try Checkpoint.save(state, logPath: path, logID: Self.logID)
                #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: Checkpoint.path(for: path)))) == bytes)
            }
        }
    }

    // MARK: Checkpoints that must be refused

    /// A small log (16 events, a policy, open and paused episodes) and its checkpoint's bytes.
    static func smallLog(in directory: String) throws -> (path: String, checkpoint: [UInt8], full: Answer) {
        var random = SplitMix64(seed: 5)
        let events = SLAStream.events(count: 16, using: &random)
        let path = directory + "/small.log"
        try TestLog.write(events, to: path, batchSizes: [3, 1, 5, 2])
        let full = try build(path, checkpoint: false)
        try Checkpoint.save(full.state, logPath: path, logID: logID)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Checkpoint.path(for: path))))
        // It holds something to lose: the policy and a measured episode.
        #expect(!full.state.conversations.policies.isEmpty)
        #expect(full.state.conversations.all.contains { $0.openEpisode?.sla != nil })
        return (path, bytes, full.answer)
    }

    /// Overwrites the checkpoint beside `path` in place, without `fsync` (Foundation's `Data.write` syncs,
    /// which makes a thousand rewrites slow on a busy disk).
    static func replaceCheckpoint(of path: String, with bytes: [UInt8]) throws {
        let fd = open(Checkpoint.path(for: path), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw TestSupportError("open: errno \(errno)") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw TestSupportError("write: errno \(errno)") }
    }

    @Test func checkpointWithAnyByteFlippedIsRefused() throws {
        try withTemporaryPath { directory in
            let (path, bytes, full) = try Self.smallLog(in: directory)
            #expect(try Self.build(path).use == .loaded(full.position))
            var accepted: [Int] = []
            for offset in bytes.indices {
                for mask in [UInt8(1) << (offset % 8), 0xFF] {
                    var damaged = bytes
                    damaged[offset] ^= mask
                    try Self.replaceCheckpoint(of: path, with: damaged)
                    let built = try Self.build(path)
                    if Self.reason(built.use) == nil { accepted.append(offset) }
                    #expect(built.answer == full, "byte \(offset) ^ \(mask)")
                }
            }
            #expect(accepted.isEmpty, "flips accepted at offsets \(accepted)")
        }
    }

    @Test func truncatedCheckpointIsRefused() throws {
        try withTemporaryPath { directory in
            let (path, bytes, full) = try Self.smallLog(in: directory)
            for length in 0..<bytes.count {
                try Self.replaceCheckpoint(of: path, with: Array(bytes.prefix(length)))
                let built = try Self.build(path)
                #expect(Self.reason(built.use) != nil, "cut to \(length) bytes")
                #expect(built.answer == full, "cut to \(length) bytes")
            }
            // And with bytes added after it.
            try Self.replaceCheckpoint(of: path, with: bytes + [0])
            #expect(Self.reason(try Self.build(path).use) != nil)
        }
    }

    @Test func checkpointOfAnotherLogIsRefused() throws {
        try withTemporaryPath { directory in
            let (path, bytes, full) = try Self.smallLog(in: directory)
            // Saved for another log id.
            let state = try ProjectionState.build(path: path, useCheckpoint: false).state
            try Checkpoint.save(state, logPath: path, logID: [UInt8](repeating: 0xAB, count: 16))
            let other = try Self.build(path)
            #expect(Self.reason(other.use)?.contains("another log") == true, "\(other.use)")
            #expect(other.answer == full)
            // Copied beside another log with the same events but its own id.
            let second = directory + "/second.log"
            var options = LogWriter.Options()
            options.logID = [UInt8](repeating: 7, count: 16)
            options.salt = 0x0123_4567_89AB_CDEF
            options.clock = SteppingClock().reader
            let writer = try LogWriter.create(at: second, options: options)
            writer.close()
            try Self.replaceCheckpoint(of: second, with: bytes)
            let copied = try Self.build(second)
            #expect(Self.reason(copied.use)?.contains("another log") == true, "\(copied.use)")
            #expect(copied.answer.summary.events == 0)
        }
    }

    @Test func checkpointPastTheEndOfACutLogIsRefused() throws {
        try withTemporaryPath { directory in
            var random = SplitMix64(seed: 9)
            let events = SLAStream.events(count: 60, using: &random)
            let path = directory + "/log"
            let commits = try Self.writeLog(events, to: path, using: &random)
            try Checkpoint.save(try ProjectionState.build(path: path).state, logPath: path, logID: Self.logID)
            // Cut at a frame boundary (as `repair` does), then inside the last frame (a torn tail).
            let last = commits[commits.count - 1]
            for size in [commits[commits.count / 2].offset, last.offset + Int64(last.frameBytes) - 1] {
                #expect(truncate(path, off_t(size)) == 0)
                let built = try Self.build(path)
                #expect(Self.reason(built.use)?.contains("beyond the end of the log") == true, "\(built.use)")
                #expect(built.answer == (try Self.build(path, checkpoint: false)).answer)
            }
        }
    }

    @Test func checkpointOfBytesTheLogNoLongerHoldsIsRefused() throws {
        try withTemporaryPath { directory in
            var random = SplitMix64(seed: 10)
            let events = SLAStream.events(count: 80, using: &random)
            let path = directory + "/log"
            let commits = try Self.writeLog(events, to: path, using: &random)
            let checkpointFrame = commits[commits.count * 2 / 3]
            let partial = try ProjectionState.build(
                path: path, limit: ReplayLimit(untilSeq: checkpointFrame.seqs.upperBound), useCheckpoint: false)
            try Checkpoint.save(partial.state, logPath: path, logID: Self.logID)
            // Cut before the checkpoint's frame and append other events, one per frame, at the same seqs.
            let cut = commits[commits.count / 3]
            #expect(truncate(path, off_t(cut.offset + Int64(cut.frameBytes))) == 0)
            var options = LogWriter.Options()
            options.clock = SteppingClock(start: 1_800_000_000 * 1_000_000_000).reader
            let writer = try LogWriter.open(at: path, options: options)
            var batch = LogBatch()
            var replacement = SplitMix64(seed: 99)
            for event in SLAStream.events(count: 80, using: &replacement) {
                batch.appendRecord { (out: inout [UInt8]) in EventCodec.encode(event, into: &out) }
                _ = try writer.append(&batch)
                batch.removeAll()
            }
            writer.close()
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(Int64(size) > checkpointFrame.offset + Int64(checkpointFrame.frameBytes))
            let built = try Self.build(path)
            #expect(Self.reason(built.use)?.contains("other bytes") == true, "\(built.use)")
            #expect(built.answer == (try Self.build(path, checkpoint: false)).answer)
        }
    }

    @Test func checkpointOfAnotherFormatVersionIsRefused() throws {
        try withTemporaryPath { directory in
            let (path, bytes, full) = try Self.smallLog(in: directory)
            // The version before (a checkpoint an older build wrote) and the one after.
            for version in [Checkpoint.version - 1, Checkpoint.version + 1] {
                var other = bytes
                other.replaceSubrange(8..<12, with: (0..<4).map { UInt8(truncatingIfNeeded: version >> (8 * $0)) })
                let crc = CRC32C.checksum(other[0..<other.count - 4])
                other.replaceSubrange(
                    other.count - 4..<other.count, with: (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) })
                try Self.replaceCheckpoint(of: path, with: other)
                let built = try Self.build(path)
                #expect(Self.reason(built.use)?.contains("format version \(version)") == true, "\(built.use)")
                #expect(built.answer == full)
            }
        }
    }

    @Test func limitBeforeTheCheckpointReplaysTheWholeLog() throws {
        try withTemporaryPath { directory in
            var random = SplitMix64(seed: 11)
            let events = SLAStream.events(count: 60, using: &random)
            let path = directory + "/log"
            let commits = try Self.writeLog(events, to: path, using: &random)
            let checkpoint = try ProjectionState.build(path: path).state
            try Checkpoint.save(checkpoint, logPath: path, logID: Self.logID)
            let middle = commits[commits.count / 2]
            for limit in [
                ReplayLimit(untilSeq: middle.seqs.upperBound), ReplayLimit(untilSeq: middle.seqs.lowerBound),
                ReplayLimit(untilSeq: 0), ReplayLimit(asOf: middle.commitTime),
                ReplayLimit(asOf: checkpoint.position.commitTime - 1),
            ] {
                let built = try Self.build(path, limit: limit)
                #expect(built.use == .none, "\(limit)")
                #expect(built.answer == (try Self.build(path, limit: limit, checkpoint: false)).answer, "\(limit)")
            }
            // At or after the checkpoint's commit, it is used.
            #expect(try Self.build(path, limit: ReplayLimit(asOf: checkpoint.position.commitTime)).use != .none)
        }
    }

    /// Only the checkpoint's last frame is compared with the log. A log cut before it and rewritten with
    /// other events of the same sizes, whose last frame comes out byte for byte the same (same seq, same
    /// records, same commit time), passes that check, and the answer keeps the events that were cut away.
    /// Contrived (it takes an equal commit time to the nanosecond, here from a pinned clock), but then the
    /// checkpoint does change the answer. ProjectionState.swift, `LogPosition.check(against:)`.
    @Test func rewrittenLogWithTheSameLastFrameIsNotDetected() throws {
        try withTemporaryPath { directory in
            let path = directory + "/log"
            let at = Timestamp(rfc3339: "2026-03-02T09:00:00Z")!
            let first = [Make.message("c1", at), Make.message("c2", at), Make.message("c3", at)]
            let clock: @Sendable () -> Int64 = { 1_772_445_600 * 1_000_000_000 }
            let commits = try TestLog.write(first, to: path, clock: clock)
            try Checkpoint.save(try ProjectionState.build(path: path).state, logPath: path, logID: Self.logID)
            #expect(truncate(path, off_t(commits[0].offset + Int64(commits[0].frameBytes))) == 0)
            var options = LogWriter.Options()
            options.clock = clock
            let writer = try LogWriter.open(at: path, options: options)
            for event in [Make.message("c9", at), Make.message("c3", at)] {
                var batch = LogBatch()
                batch.appendRecord { (out: inout [UInt8]) in EventCodec.encode(event, into: &out) }
                _ = try writer.append(&batch)
            }
            writer.close()
            let withCheckpoint = try Self.build(path)
            let replayed = try Self.build(path, checkpoint: false)
            withKnownIssue("a checkpoint is checked against its last frame only") {
                #expect(withCheckpoint.answer.index.keys.sorted() == replayed.answer.index.keys.sorted())
                #expect(Self.reason(withCheckpoint.use) != nil)
            }
        }
    }
}
