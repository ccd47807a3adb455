/// What a pass over a log found: its extent and how it ends.
public struct LogSurvey: Sendable {
    /// The file header.
    public var header: LogHeader
    /// File size when the pass ended.
    public var fileSize: Int64
    /// Number of valid frames read.
    public var frames = 0
    /// Number of events in those frames.
    public var events: UInt64 = 0
    /// Last valid sequence number (0 when there are no events).
    public var lastSeq: UInt64 = 0
    /// Offset just after the last valid frame: where the next frame goes.
    public var validEnd = Int64(LogFormat.fileHeaderBytes)
    /// Commit times of the first and last valid frames (ns since the epoch).
    public var commitTimes: ClosedRange<Int64>?
    /// How the log ends after its valid frames.
    public var ending: LogEnding = .clean

    /// Bytes after the valid frames.
    public var bytesAfterValidEnd: Int64 { fileSize - validEnd }

    /// Extends this survey with one that continued from its ``validEnd`` (e.g. a second look after a
    /// torn tail, in case a live writer has completed the frame in the meantime).
    public mutating func extend(with later: LogSurvey) {
        frames += later.frames
        events += later.events
        if later.frames > 0 {
            lastSeq = later.lastSeq
            validEnd = later.validEnd
        }
        if let times = later.commitTimes {
            commitTimes =
                min(
                    commitTimes?.lowerBound ?? times.lowerBound, times.lowerBound)...max(
                    commitTimes?.upperBound ?? times.upperBound, times.upperBound)
        }
        fileSize = later.fileSize
        ending = later.ending
    }
}

/// How a log ends after its last valid frame.
public enum LogEnding: Sendable {
    /// Nothing follows the last valid frame.
    case clean
    /// An incomplete or checksum-invalid frame, with no valid frame after it: what a crash in the middle
    /// of an append leaves. Opening for writing cuts it off.
    case tornTail(TornTail)
    /// Anything else: the writer refuses to open; `parley repair` truncates at ``LogDamage/offset``.
    case damaged(LogDamage)
}

/// A torn tail: the bytes of an append that never completed.
public struct TornTail: Sendable, Equatable {
    /// Where the incomplete frame starts (= where the log will be cut).
    public var offset: Int64
    /// How many bytes follow that offset.
    public var byteCount: Int64
    /// The sequence number the torn frame would have started at.
    public var firstSeq: UInt64
    /// The sequence numbers the torn frame claimed, when its header could be read.
    public var claimedSeqs: ClosedRange<UInt64>?
}

/// Damage that a crash cannot explain.
public struct LogDamage: Sendable, Equatable {
    /// Where the first unacceptable frame starts.
    public var offset: Int64
    /// The sequence number that frame should have started at.
    public var expectedSeq: UInt64
    /// What is wrong with it (`nil` when it is cut short by valid frames after it).
    public var fault: FrameFault?
    /// The first valid frame of this log found after the damage, if any: (offset, first seq).
    public var nextValidFrame: (offset: Int64, firstSeq: UInt64)?
    /// The sequence numbers held by the valid frames that follow the damage (walked until the next damage).
    public var seqsAfterDamage: ClosedRange<UInt64>?
    /// Bytes from ``offset`` to the end of the file.
    public var byteCount: Int64
    /// Whether the search for a valid frame after the bad one stopped at its limit on bytes checksummed
    /// (``LogSurveyor/damageScanChecksumLimit(tailBytes:)``) before reaching the end of the file. Only a file
    /// crafted to look like many frames gets there; it is treated as damage, the safe side.
    public var scanLimitReached = false

    public static func == (a: LogDamage, b: LogDamage) -> Bool {
        a.offset == b.offset && a.expectedSeq == b.expectedSeq && a.fault == b.fault
            && a.nextValidFrame?.offset == b.nextValidFrame?.offset
            && a.nextValidFrame?.firstSeq == b.nextValidFrame?.firstSeq && a.seqsAfterDamage == b.seqsAfterDamage
            && a.byteCount == b.byteCount && a.scanLimitReached == b.scanLimitReached
    }

    /// One sentence: where, what, and what to do.
    public var explanation: String {
        var text = "damaged frame at offset \(offset) (should start at seq \(expectedSeq))"
        if let fault { text += ": \(fault)" } else { text += ": frame is incomplete" }
        if let next = nextValidFrame {
            text += "; valid frames follow at offset \(next.offset)"
            if let seqs = seqsAfterDamage { text += " (seq \(seqs.lowerBound)–\(seqs.upperBound))" }
        }
        if scanLimitReached {
            text +=
                "; the search for valid frames after it stopped at its limit (the bytes after it look like "
                + "many frames of this log), so it counts as damage"
        }
        return text
    }

    /// The error a writer throws when it refuses to open over this damage.
    public func error(path: String) -> LogError {
        LogError(
            .corruption,
            reason: explanation
                + ". Refusing to write: this is not a torn tail. `parley verify` shows the details; "
                + "`parley repair` truncates the log at offset \(offset) and keeps a copy of what it cuts.",
            path: path, offset: offset,
            sequenceRange: expectedSeq...max(expectedSeq, seqsAfterDamage?.upperBound ?? expectedSeq))
    }
}

/// Walks a log and classifies how it ends. Shared by the writer's recovery, `verify` and `repair`.
public enum LogSurveyor {
    /// Reads every frame of `reader` from its current position and classifies the end.
    /// - Parameters:
    ///   - reader: a reader positioned at a frame boundary (the first frame, or where a survey ended).
    ///   - verifyChecksums: false checks only the chain of frame headers plus the last frame's checksum
    ///     (the writer's open path); true checks every frame's checksum.
    ///   - onFrame: called for each valid frame in order.
    /// - Throws: ``LogError`` `.io`.
    public static func survey(
        _ reader: LogReader, verifyChecksums: Bool = true, onFrame: (Frame) -> Void = { _ in }
    ) throws(LogError) -> LogSurvey {
        reader.verifyChecksums = verifyChecksums
        var survey = LogSurvey(header: reader.header, fileSize: 0)
        survey.lastSeq = reader.nextSeq - 1
        survey.validEnd = reader.position
        var previous = survey
        var lastFrameOffset: Int64?
        while let frame = try reader.nextFrame() {
            previous = survey
            lastFrameOffset = frame.offset
            survey.frames += 1
            survey.events += UInt64(frame.count)
            survey.lastSeq = frame.lastSeq
            survey.validEnd = frame.endOffset
            let first = survey.commitTimes?.lowerBound ?? frame.commitTime
            survey.commitTimes =
                min(first, frame.commitTime)...max(survey.commitTimes?.upperBound ?? frame.commitTime, frame.commitTime)
            onFrame(frame)
        }
        survey.fileSize = try reader.fileSize()
        var stopOffset = survey.validEnd
        if case .endOfFile = reader.stop {
            // Without per-frame checksums, the last frame still gets one: it is the one a crash tears.
            guard !verifyChecksums, let last = lastFrameOffset else { return survey }
            if case .valid = try reader.frame(at: last) { return survey }
            survey = previous
            survey.fileSize = try reader.fileSize()
            stopOffset = last
        } else if let stop = reader.stop {
            stopOffset = stop.offset(fileEnd: survey.fileSize)
        }
        survey.ending = try classify(reader, at: stopOffset, expectedSeq: survey.lastSeq + 1, fileSize: survey.fileSize)
        return survey
    }

    /// Classifies the bytes from `offset` to the end of the file, where no acceptable frame starts.
    static func classify(_ reader: LogReader, at offset: Int64, expectedSeq: UInt64, fileSize: Int64) throws(LogError)
        -> LogEnding
    {
        let byteCount = fileSize - offset
        var fault: FrameFault?
        var claimed: ClosedRange<UInt64>?
        switch try reader.frame(at: offset) {
        case .valid(let frame):
            // Checksum and salt are right, so this is a whole frame of this log in the wrong place.
            fault = .sequenceMismatch(expected: expectedSeq, found: frame.firstSeq)
        case .invalid(let found):
            fault = found
        case .incomplete:
            fault = nil
        }
        switch fault {
        case .sequenceMismatch, .saltMismatch, .badRecords:
            // A checksum-valid frame: written whole by someone, never a crash's leftovers.
            return .damaged(
                try damage(reader, offset: offset, expectedSeq: expectedSeq, fault: fault, byteCount: byteCount))
        case .checksumMismatch, .badLength, nil:
            let header = try reader.rawBytes(at: offset, count: LogFormat.frameHeaderBytes)
            if header.count == LogFormat.frameHeaderBytes {
                let first = header.loadLittleEndianUInt64(at: header.startIndex + 16)
                let count = UInt64(header.loadLittleEndianUInt32(at: header.startIndex + 24))
                if first == expectedSeq, count >= 1, count <= UInt64(LogFormat.maxEventsPerFrame) {
                    claimed = first...(first + count - 1)
                }
            }
        }
        let scan = try scanForValidFrame(reader, after: offset, fileSize: fileSize)
        if scan.found != nil || scan.limitReached {
            return .damaged(
                try damage(
                    reader, offset: offset, expectedSeq: expectedSeq, fault: fault, byteCount: byteCount, scan: scan))
        }
        return .tornTail(TornTail(offset: offset, byteCount: byteCount, firstSeq: expectedSeq, claimedSeqs: claimed))
    }

    private static func damage(
        _ reader: LogReader, offset: Int64, expectedSeq: UInt64, fault: FrameFault?, byteCount: Int64,
        scan known: DamageScan? = nil
    ) throws(LogError) -> LogDamage {
        var damage = LogDamage(offset: offset, expectedSeq: expectedSeq, fault: fault, byteCount: byteCount)
        let fileSize = try reader.fileSize()
        var scan: DamageScan
        if let known { scan = known } else { scan = try scanForValidFrame(reader, after: offset, fileSize: fileSize) }
        damage.scanLimitReached = scan.limitReached
        if let next = scan.found {
            damage.nextValidFrame = next
            // Walk the valid frames that follow, to say which sequence numbers the damage strands.
            let walker = try LogReader(fd: reader.fd, path: reader.path, ownsDescriptor: false)
            walker.seek(toFrameAt: next.offset, nextSeq: next.firstSeq)
            var last: UInt64?
            while let frame = try walker.nextFrame() { last = frame.lastSeq }
            if let last { damage.seqsAfterDamage = next.firstSeq...last }
        }
        return damage
    }

    /// What a search for a valid frame after damage found, and what it cost.
    struct DamageScan {
        /// The first checksum-valid frame of this log after the damage: (offset, first seq).
        var found: (offset: Int64, firstSeq: UInt64)?
        /// Whether the search stopped at its checksum limit before the end of the file.
        var limitReached = false
        /// Bytes checksummed (the work that a crafted tail could make quadratic).
        var checksummedBytes: Int64 = 0
    }

    /// The most bytes a damage scan checksums when `tailBytes` follow the bad frame: 4 × the tail. Candidates
    /// must lie inside the file, and the frames of a real log do not overlap, so real frames (even stale copies
    /// of the log's own frames) cost at most the tail once; only candidates that overlap, as in a tail crafted
    /// to claim a long frame every 8 bytes, can reach the limit, which keeps their cost linear instead of
    /// quadratic in the size of the tail.
    static func damageScanChecksumLimit(tailBytes: Int64) -> Int64 {
        4 * max(0, tailBytes)
    }

    /// Finds the first checksum-valid frame of this log (its salt) starting after `offset`, checksumming at most
    /// `checksumLimit` bytes (default: ``damageScanChecksumLimit(tailBytes:)``).
    static func scanForValidFrame(
        _ reader: LogReader, after offset: Int64, fileSize: Int64, checksumLimit: Int64? = nil
    ) throws(LogError) -> DamageScan {
        let limit = checksumLimit ?? damageScanChecksumLimit(tailBytes: fileSize - offset)
        var scan = DamageScan()
        var salt: [UInt8] = []
        salt.appendLittleEndian(reader.header.salt)
        let chunkBytes = 256 << 10
        var position = offset + 1
        while position + Int64(LogFormat.frameHeaderBytes) <= fileSize {
            let chunk = try reader.rawBytes(at: position, count: chunkBytes)
            guard chunk.count >= LogFormat.frameHeaderBytes else { return scan }
            var index = chunk.startIndex
            let last = chunk.endIndex - 16
            while index <= last {
                defer { index += 1 }
                guard chunk[index + 8] == salt[0], chunk[(index + 8)..<(index + 16)].elementsEqual(salt) else {
                    continue
                }
                let candidate = position + Int64(index - chunk.startIndex)
                // Only a candidate whose length could hold a whole frame inside the file is checksummed: a tail
                // of repeated salt bytes must not cost a read per match.
                let length = Int(chunk.loadLittleEndianUInt32(at: index + 4))
                guard length >= LogFormat.frameHeaderBytes + LogFormat.recordPrefixBytes,
                    length <= LogFormat.maxFrameBytes, candidate + Int64(length) <= fileSize
                else { continue }
                if scan.checksummedBytes + Int64(length) > limit {
                    scan.limitReached = true
                    return scan
                }
                scan.checksummedBytes += Int64(length)
                // A candidate inside the chunk is checked there; only a longer one is read again. As docs/FORMAT.md
                // says, its checksum decides: its sequence number and records are not looked at.
                let bytes =
                    index + length <= chunk.endIndex
                    ? chunk[index..<(index + length)] : try reader.rawBytes(at: candidate, count: length)
                guard bytes.count == length else { continue }
                let base = bytes.startIndex
                if bytes.loadLittleEndianUInt32(at: base) == CRC32C.checksum(bytes[(base + 4)...]) {
                    scan.found = (candidate, bytes.loadLittleEndianUInt64(at: base + 16))
                    return scan
                }
            }
            position += Int64(chunk.count - 15)
        }
        return scan
    }
}
