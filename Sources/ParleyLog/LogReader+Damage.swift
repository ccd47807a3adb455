/// What a reader that stopped can say about the bytes where it stopped: readers other than `verify` use
/// it so that damage is never answered with a silent partial result, while a torn tail (what a crash in
/// the middle of an append leaves, or an append in progress) stays a normal end.
extension LogReader {
    /// After ``nextFrame()`` returned `nil`: the damage where the reader stopped, or `nil` when the log ends
    /// there cleanly or with a torn tail. Classifies like ``LogSurveyor`` (and `parley verify`): an
    /// unacceptable frame with a valid frame of this log after it, or a checksum-valid frame in the wrong
    /// place, is damage.
    /// - Throws: ``LogError`` `.io`.
    public func damageWhereStopped() throws(LogError) -> LogDamage? {
        let offset: Int64
        switch stop {
        case nil, .endOfFile?: return nil
        case .incomplete(let at, _)?, .invalid(let at, _)?: offset = at
        }
        // The classification looks past any read limit (a follower's commit point): damage is about the file.
        let limit = readLimit
        readLimit = nil
        defer {
            readLimit = limit
            discardBuffer()
        }
        let ending = try LogSurveyor.classify(self, at: offset, expectedSeq: nextSeq, fileSize: try fileSize())
        guard case .damaged(let damage) = ending else { return nil }
        return damage
    }
}

extension LogReader {
    /// The commit time stored in the header of the damaged frame, when that header is believable: it has
    /// this log's salt and the expected first seq, and its time lies between `notBefore` (the commit time of
    /// the last frame read; `Int64.min`, none read, is no bound) and the commit time of the next valid frame,
    /// which must exist. Commit times never
    /// decrease, so a replay `--as-of` a moment before it is answered whole by the frames before the damage.
    /// - Returns: `nil` when the header is not believable (then nothing can be said of the damaged frame's time).
    /// - Throws: ``LogError`` `.io`.
    public func claimedCommitTime(of damage: LogDamage, notBefore: Int64) throws(LogError) -> Int64? {
        let limit = readLimit
        readLimit = nil
        defer {
            readLimit = limit
            discardBuffer()
        }
        let header = try rawBytes(at: damage.offset, count: LogFormat.frameHeaderBytes)
        guard header.count == LogFormat.frameHeaderBytes else { return nil }
        let base = header.startIndex
        guard header.loadLittleEndianUInt64(at: base + 8) == self.header.salt,
            header.loadLittleEndianUInt64(at: base + 16) == damage.expectedSeq
        else { return nil }
        let claimed = Int64(bitPattern: header.loadLittleEndianUInt64(at: base + 28))
        // Bounded on both sides, or not believed: a flipped high bit of the time itself must not make a
        // far-off time look plausible.
        guard notBefore != Int64.min, claimed >= notBefore, let next = damage.nextValidFrame else { return nil }
        let nextHeader = try rawBytes(at: next.offset, count: LogFormat.frameHeaderBytes)
        guard nextHeader.count == LogFormat.frameHeaderBytes,
            claimed <= Int64(bitPattern: nextHeader.loadLittleEndianUInt64(at: nextHeader.startIndex + 28))
        else { return nil }
        return claimed
    }
}

extension LogDamage {
    /// The error a reader (a replay, a report, a follower) throws when it meets this damage: where, what,
    /// which events it could not read, and what to do.
    public func readError(path: String) -> LogError {
        var reason = explanation + ". Events from seq \(expectedSeq) on cannot be read, so no answer is given"
        if expectedSeq > 1 { reason += " (seq 1–\(expectedSeq - 1) can be, with --until-seq \(expectedSeq - 1))" }
        reason += ". `parley verify` shows the details; `parley repair` truncates the log at offset \(offset)."
        return LogError(
            .corruption, reason: reason, path: path, offset: offset,
            sequenceRange: expectedSeq...max(expectedSeq, seqsAfterDamage?.upperBound ?? expectedSeq))
    }
}
