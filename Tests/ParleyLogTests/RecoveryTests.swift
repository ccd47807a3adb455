import Testing

@testable import ParleyLog

/// How a writer's open, and a survey, tell a torn tail (cut off silently) from damage (refused).
@Suite struct RecoveryTests {
    /// The records of the frame the torn-tail tests tear.
    static let lastRecords = ["torn-1", "torn-two", "torn-three!"]
    static let lastFrameLength = TestLog.frameLength(lastRecords)

    /// A log of three frames (seq 1, 2–3, 4–6), the last one being ``lastRecords``.
    static func threeFrameLog() -> LogImage {
        var image = LogImage()
        image.appendFrame(["first"])
        image.appendFrame(["second-a", "second-b"])
        image.appendFrame(lastRecords)
        return image
    }

    /// Opens the log for writing, expects that it recovered `tail`, then checks that appending goes on at
    /// the cut with the right sequence number and that the log then reads back whole and verifies clean.
    func expectRecovery(
        _ path: String,
        from tail: TornTail,
        keeping kept: [[String]],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let writer = try LogWriter.open(at: path, options: TestLog.options())
        #expect(writer.recoveredTornTail == tail, sourceLocation: sourceLocation)
        #expect(try Files.size(path) == tail.offset, sourceLocation: sourceLocation)
        #expect(writer.committedEnd == tail.offset, sourceLocation: sourceLocation)
        #expect(writer.lastSeq == tail.firstSeq - 1, sourceLocation: sourceLocation)
        let commit = try writer.appendRecords(["after recovery"])
        writer.close()
        #expect(commit.seqs == tail.firstSeq...tail.firstSeq, sourceLocation: sourceLocation)
        #expect(commit.offset == tail.offset, sourceLocation: sourceLocation)
        let (frames, stop) = try readLog(at: path)
        #expect(stop == .endOfFile, sourceLocation: sourceLocation)
        #expect(frames.map(\.text) == kept + [["after recovery"]], sourceLocation: sourceLocation)
        #expect(try surveyLog(at: path).ending.isClean, sourceLocation: sourceLocation)
    }

    /// Expects the writer to refuse to open the log over damage at `offset`, leaving the file as it was.
    @discardableResult
    func expectRefusal(
        _ path: String,
        at offset: Int64,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws
        -> LogError?
    {
        let before = try Files.read(path)
        let error = #expect(throws: LogError.self, sourceLocation: sourceLocation) {
            try LogWriter.open(at: path, options: TestLog.options())
        }
        #expect(error?.code == .corruption, sourceLocation: sourceLocation)
        #expect(error?.offset == offset, sourceLocation: sourceLocation)
        #expect(error?.path == path, sourceLocation: sourceLocation)
        #expect(try Files.read(path) == before, sourceLocation: sourceLocation)
        #expect(
            try !LogWriter.hasActiveWriter(at: path),
            "the refused open kept the lock",
            sourceLocation: sourceLocation
        )
        return error
    }

    // MARK: torn tails

    @Test(arguments: 1..<lastFrameLength)
    func tornTailIsTruncatedOnOpen(keptBytes: Int) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = Self.threeFrameLog()
            let last = image.frames[2]
            #expect(last.length == Self.lastFrameLength)
            image.truncate(to: last.offset + Int64(keptBytes))
            try image.write(to: path)

            // A survey sees the same torn tail, with or without frame checksums.
            for verify in [true, false] {
                let survey = try surveyLog(at: path, verifyChecksums: verify)
                #expect(survey.frames == 2)
                #expect(survey.lastSeq == 3)
                #expect(survey.validEnd == last.offset)
                #expect(survey.bytesAfterValidEnd == Int64(keptBytes))
                #expect(survey.ending.tornTail?.offset == last.offset)
            }
            // Once the frame header is all there, the tail says which events it would have held.
            let claimed: ClosedRange<UInt64>? = keptBytes >= LogFormat.frameHeaderBytes ? 4...6 : nil
            try expectRecovery(
                path,
                from: TornTail(offset: last.offset, byteCount: Int64(keptBytes), firstSeq: 4, claimedSeqs: claimed),
                keeping: [["first"], ["second-a", "second-b"]]
            )
        }
    }

    @Test(arguments: [1, 7, 8, 36, 39])
    func tornFirstFrameLeavesAnEmptyLog(keptBytes: Int) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendRaw(Array(TestLog.frame(["only"], firstSeq: 1).prefix(keptBytes)))
            try image.write(to: path)
            let claimed: ClosedRange<UInt64>? = keptBytes >= LogFormat.frameHeaderBytes ? 1...1 : nil
            try expectRecovery(
                path,
                from: TornTail(
                    offset: Int64(LogFormat.fileHeaderBytes),
                    byteCount: Int64(keptBytes),
                    firstSeq: 1,
                    claimedSeqs: claimed
                ),
                keeping: []
            )
        }
    }

    /// How the bytes of the last append can look after a crash when the file size got ahead of the data.
    enum Garbling: String, CaseIterable, Sendable {
        case zeroedFrame, randomFrame, zeroedPageAfterTheFrames, randomBytesAfterTheFrames, lastPageOfFrameZeroed,
            flippedBitInLastFrame, partialCopyOfAnEarlierFrame

        /// Whether the garbled bytes come after the last frame rather than in place of it.
        var isAfterTheFrames: Bool {
            self == .zeroedPageAfterTheFrames || self == .randomBytesAfterTheFrames
                || self == .partialCopyOfAnEarlierFrame
        }

        /// The events the torn frame's header claims: only a readable header with the expected seq claims any.
        var claimedSeqs: ClosedRange<UInt64>? {
            self == .lastPageOfFrameZeroed || self == .flippedBitInLastFrame ? 4...6 : nil
        }

        /// Replaces or extends the end of `image`, whose last frame is `last`; returns the bytes after the cut.
        func apply(to image: inout LogImage, last: FrameSpan) -> Int64 {
            var random = SplitMix64(seed: 99)
            switch self {
            case .zeroedFrame:
                image.replace(at: last.offset, with: [UInt8](repeating: 0, count: last.length))
                return Int64(last.length)
            case .randomFrame:
                image.replace(at: last.offset, with: random.bytes(last.length))
                return Int64(last.length)
            case .zeroedPageAfterTheFrames:
                image.appendRaw([UInt8](repeating: 0, count: 4096))
                return 4096
            case .randomBytesAfterTheFrames:
                image.appendRaw(random.bytes(1000))
                return 1000
            case .lastPageOfFrameZeroed:
                image.replace(at: last.end - 20, with: [UInt8](repeating: 0, count: 20))
                return Int64(last.length)
            case .flippedBitInLastFrame:
                image.flipBit(at: last.end - 1, bit: 0)
                return Int64(last.length)
            case .partialCopyOfAnEarlierFrame:
                // Stale bytes of the log itself (seq 2–3), cut short: a whole header, but not the expected seq.
                let earlier = image.frames[1]
                image.appendRaw(Array(image.bytes[Int(earlier.offset)..<Int(earlier.end - 5)]))
                return Int64(earlier.length - 5)
            }
        }
    }

    @Test(arguments: Garbling.allCases)
    func garbledLastAppendIsATornTail(garbling: Garbling) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = Self.threeFrameLog()
            var last = image.frames[2]
            var kept: [[String]] = [["first"], ["second-a", "second-b"]]
            if garbling.isAfterTheFrames {
                last = FrameSpan(offset: last.end, length: 0, seqs: 7...7)
                kept.append(Self.lastRecords)
            }
            let byteCount = garbling.apply(to: &image, last: last)
            try image.write(to: path)

            let survey = try surveyLog(at: path)
            let tail = try #require(survey.ending.tornTail, "ending: \(survey.ending)")
            #expect(tail.offset == last.offset)
            #expect(tail.byteCount == byteCount)
            #expect(tail.firstSeq == last.seqs.lowerBound)
            #expect(tail.claimedSeqs == garbling.claimedSeqs)
            try expectRecovery(path, from: tail, keeping: kept)
        }
    }

    // MARK: damage

    @Test func checksumDamageInAMiddleFrameIsReportedBySurvey() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            let second = image.appendFrame(["two-a", "two-b"])
            let third = image.appendFrame(["three"])
            let fourth = image.appendFrame(["four-a", "four-b"])
            let stored = image.bytes[Int(second.offset)...].loadLittleEndianUInt32(at: Int(second.offset))
            image.flipBit(at: second.offset + 36 + 5, bit: 6)  // in the payload
            try image.write(to: path)
            let computed = referenceCRC32C(image.bytes[(Int(second.offset) + 4)..<Int(second.end)])

            let survey = try surveyLog(at: path, verifyChecksums: true)
            #expect(survey.frames == 1)
            #expect(survey.lastSeq == 1)
            #expect(survey.validEnd == second.offset)
            #expect(survey.fileSize == Int64(image.bytes.count))
            let damage = try #require(survey.ending.damage, "ending: \(survey.ending)")
            #expect(damage.offset == second.offset)
            #expect(damage.expectedSeq == 2)
            #expect(damage.fault == .checksumMismatch(stored: stored, computed: computed))
            #expect(damage.nextValidFrame?.offset == third.offset)
            #expect(damage.nextValidFrame?.firstSeq == 4)
            #expect(damage.seqsAfterDamage == 4...6)
            #expect(damage.byteCount == fourth.end - second.offset)
            #expect(damage.explanation.contains("offset \(second.offset)"))

            let error = damage.error(path: path)
            #expect(error.code == .corruption)
            #expect(error.offset == second.offset)
            #expect(error.sequenceRange == 2...6)
            #expect(error.path == path)
        }
    }

    @Test func payloadDamageInAMiddleFrameIsRefusedByTheWriter() throws {
        // The writer checks every frame's checksum on open: nothing is appended on top of damage that a
        // later repair would cut away, together with everything after it.
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = Self.threeFrameLog()
            let middle = image.frames[1]
            image.flipBit(at: middle.end - 2, bit: 7)
            try image.write(to: path)
            let error = try expectRefusal(path, at: middle.offset)
            #expect(error?.sequenceRange == 2...6)
        }
    }

    @Test(arguments: 0..<32)
    func flippedLengthBitInAMiddleFrameIsRefusedByTheWriter(bit: Int) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = Self.threeFrameLog()
            let middle = image.frames[1]
            image.flipBit(at: middle.offset + 4 + Int64(bit / 8), bit: bit % 8)
            try image.write(to: path)
            let error = try expectRefusal(path, at: middle.offset)
            #expect(error?.sequenceRange?.lowerBound == 2)
            #expect(try surveyLog(at: path).ending.damage?.nextValidFrame?.offset == image.frames[2].offset)
        }
    }

    @Test func frameOfAnotherLogAfterTheTailIsRefused() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = Self.threeFrameLog()
            let end = Int64(image.bytes.count)
            // A valid frame of another log that even has the next sequence number.
            let foreign = TestLog.frame(["foreign"], salt: TestLog.otherSalt, firstSeq: 7)
            image.appendRaw(foreign)
            try image.write(to: path)

            let survey = try surveyLog(at: path)
            #expect(survey.frames == 3)
            let damage = try #require(survey.ending.damage, "ending: \(survey.ending)")
            #expect(
                damage
                    == LogDamage(
                        offset: end,
                        expectedSeq: 7,
                        fault: .saltMismatch(found: TestLog.otherSalt),
                        byteCount: Int64(foreign.count)
                    )
            )
            try expectRefusal(path, at: end)
        }
    }

    @Test func duplicatedLastFrameIsRefused() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = Self.threeFrameLog()
            let last = image.frames[2]
            image.appendRaw(Array(image.bytes[Int(last.offset)..<Int(last.end)]))
            try image.write(to: path)

            let damage = try #require(try surveyLog(at: path).ending.damage)
            #expect(damage.offset == last.end)
            #expect(damage.expectedSeq == 7)
            #expect(damage.fault == .sequenceMismatch(expected: 7, found: 4))
            #expect(damage.nextValidFrame == nil)
            try expectRefusal(path, at: last.end)
        }
    }

    @Test func frameAfterASequenceGapIsRefused() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = Self.threeFrameLog()
            let end = Int64(image.bytes.count)
            image.appendRaw(TestLog.frame(["skipped ahead"], firstSeq: 9))
            try image.write(to: path)

            let damage = try #require(try surveyLog(at: path).ending.damage)
            #expect(damage.offset == end)
            #expect(damage.fault == .sequenceMismatch(expected: 7, found: 9))
            try expectRefusal(path, at: end)
        }
    }

    @Test func checksumValidFrameWithBadRecordsIsRefused() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = Self.threeFrameLog()
            let end = Int64(image.bytes.count)
            var frame = TestLog.frame(["a", "b"], firstSeq: 7)
            frame.storeLittleEndian(3, at: 24)  // says 3 events, holds 2
            frame.storeLittleEndian(referenceCRC32C(frame[4...]), at: 0)
            image.appendRaw(frame)
            try image.write(to: path)

            let damage = try #require(try surveyLog(at: path).ending.damage)
            guard case .badRecords = damage.fault else {
                Issue.record("fault: \(String(describing: damage.fault))")
                return
            }
            try expectRefusal(path, at: end)
        }
    }

    @Test func badFrameFollowedByAValidFrameIsDamageNotATornTail() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = Self.threeFrameLog()
            let middle = image.frames[1]
            image.replace(at: middle.offset, with: [UInt8](repeating: 0, count: middle.length))
            try image.write(to: path)

            let damage = try #require(try surveyLog(at: path, verifyChecksums: false).ending.damage)
            #expect(damage.offset == middle.offset)
            #expect(damage.fault == .badLength(0))
            #expect(damage.nextValidFrame?.offset == image.frames[2].offset)
            #expect(damage.seqsAfterDamage == 4...6)
            try expectRefusal(path, at: middle.offset)
        }
    }

    @Test func strayByteBeforeValidFramesIsDamage() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            let stray = Int64(image.bytes.count)
            image.appendRaw([0x00])
            image.appendRaw(TestLog.frame(["two"], firstSeq: 2))
            try image.write(to: path)

            let damage = try #require(try surveyLog(at: path).ending.damage)
            #expect(damage.offset == stray)
            #expect(damage.nextValidFrame?.offset == stray + 1)
            #expect(damage.nextValidFrame?.firstSeq == 2)
            #expect(damage.seqsAfterDamage == 2...2)
            try expectRefusal(path, at: stray)
        }
    }

    /// The scan for valid frames after damage reads 256 KiB at a time: a frame found on either side of a
    /// chunk boundary counts the same.
    @Test(arguments: [(256 << 10) - 16, (256 << 10) - 15, (256 << 10) - 14, (256 << 10) - 13, (256 << 10) + 20])
    func validFrameFarAfterDamageIsFoundAcrossScanChunks(gap: Int) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            let damaged = Int64(image.bytes.count)
            image.appendRaw([UInt8](repeating: 0, count: gap))
            image.appendRaw(TestLog.frame(["far"], firstSeq: 5))
            try image.write(to: path)

            let damage = try #require(try surveyLog(at: path).ending.damage)
            #expect(damage.offset == damaged)
            #expect(damage.fault == .badLength(0))
            #expect(damage.nextValidFrame?.offset == damaged + Int64(gap))
            #expect(damage.seqsAfterDamage == 5...5)
        }
    }

    // MARK: surveys

    @Test func surveyOfASoundLogCountsEverything() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let image = Self.threeFrameLog()
            try image.write(to: path)
            for verify in [true, false] {
                var seen: [UInt64] = []
                let survey = try LogSurveyor.survey(LogReader(path: path), verifyChecksums: verify) {
                    seen.append($0.firstSeq)
                }
                #expect(survey.ending.isClean)
                #expect(seen == [1, 2, 4])
                #expect(survey.header == TestLog.header)
                #expect(survey.frames == 3)
                #expect(survey.events == 6)
                #expect(survey.lastSeq == 6)
                #expect(survey.validEnd == Int64(image.bytes.count))
                #expect(survey.fileSize == Int64(image.bytes.count))
                #expect(survey.bytesAfterValidEnd == 0)
                let second: Int64 = 1_000_000_000
                #expect(survey.commitTimes == (TestLog.createdAt + second)...(TestLog.createdAt + 3 * second))
            }
        }
    }

    @Test func surveyContinuedFromWhereAnotherEndedExtendsIt() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            let second = image.appendFrame(["two", "three"])
            let whole = image.bytes
            image.truncate(to: second.offset + 10)
            try image.write(to: path)

            var survey = try surveyLog(at: path)
            #expect(survey.ending.tornTail?.offset == second.offset)
            // A live writer completes the frame; a second look from the first survey's end finds it.
            try Files.write(whole, to: path)
            let reader = try LogReader(path: path)
            reader.seek(toFrameAt: survey.validEnd, nextSeq: survey.lastSeq + 1)
            let later = try LogSurveyor.survey(reader)
            #expect(later.frames == 1)
            #expect(later.lastSeq == 3)
            survey.extend(with: later)
            #expect(survey.ending.isClean)
            #expect(survey.frames == 2)
            #expect(survey.events == 3)
            #expect(survey.lastSeq == 3)
            #expect(survey.validEnd == second.end)
            #expect(survey.fileSize == second.end)
            let oneSecond: Int64 = 1_000_000_000
            #expect(survey.commitTimes == (TestLog.createdAt + oneSecond)...(TestLog.createdAt + 2 * oneSecond))
        }
    }

    @Test func surveyContinuedAtTheEndOfACleanLogFindsNothingMore() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let image = Self.threeFrameLog()
            try image.write(to: path)
            var survey = try surveyLog(at: path)
            let reader = try LogReader(path: path)
            reader.seek(toFrameAt: survey.validEnd, nextSeq: survey.lastSeq + 1)
            let later = try LogSurveyor.survey(reader)
            #expect(later.frames == 0)
            #expect(later.lastSeq == 6)
            #expect(later.validEnd == survey.validEnd)
            #expect(later.ending.isClean)
            let before = (survey.frames, survey.lastSeq, survey.validEnd, survey.commitTimes)
            survey.extend(with: later)
            #expect(survey.frames == before.0)
            #expect(survey.lastSeq == before.1)
            #expect(survey.validEnd == before.2)
            #expect(survey.commitTimes == before.3)
        }
    }

    @Test func quickSurveyStillVerifiesTheLastFramesChecksum() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = Self.threeFrameLog()
            let last = image.frames[2]
            image.flipBit(at: last.offset + 40, bit: 2)
            try image.write(to: path)
            let survey = try surveyLog(at: path, verifyChecksums: false)
            #expect(survey.frames == 2)
            #expect(survey.lastSeq == 3)
            #expect(survey.validEnd == last.offset)
            #expect(survey.commitTimes?.upperBound == TestLog.createdAt + 2_000_000_000)
            #expect(
                survey.ending.tornTail
                    == TornTail(offset: last.offset, byteCount: Int64(last.length), firstSeq: 4, claimedSeqs: 4...6)
            )
        }
    }

    // MARK: every bit

    /// Header and three small frames: 64 + 41 + 47 + 43 bytes.
    static func smallLog() -> LogImage {
        var image = LogImage()
        image.appendFrame(["a"])
        image.appendFrame(["bc", "d"])
        image.appendFrame(["efg"])
        return image
    }

    static let smallLogBytes = 195

    @Test(arguments: 0..<smallLogBytes)
    func everySingleBitFlipIsDetectedByAFullSurvey(byte: Int) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let pristine = Self.smallLog()
            #expect(pristine.bytes.count == Self.smallLogBytes)
            // Which frame the byte is in (nil: the file header).
            let frameIndex = pristine.frames.firstIndex { Int($0.offset) <= byte && byte < Int($0.end) }
            for bit in 0..<8 {
                var image = pristine
                image.flipBit(at: Int64(byte), bit: bit)
                try image.write(to: path)
                guard let frameIndex else {
                    let error = #expect(throws: LogError.self, "bit \(bit)") { try LogReader(path: path) }
                    #expect(error?.code == (byte < 8 ? .notALog : .corruptHeader), "bit \(bit)")
                    continue
                }
                let survey = try surveyLog(at: path, verifyChecksums: true)
                let damaged = pristine.frames[frameIndex]
                // The frames before the flipped one are intact; the flipped one ends the log.
                #expect(survey.frames == frameIndex, "bit \(bit)")
                #expect(survey.validEnd == damaged.offset, "bit \(bit)")
                if frameIndex == pristine.frames.count - 1 {
                    #expect(survey.ending.tornTail?.offset == damaged.offset, "bit \(bit): \(survey.ending)")
                } else {
                    #expect(survey.ending.damage?.offset == damaged.offset, "bit \(bit): \(survey.ending)")
                    #expect(survey.ending.damage?.expectedSeq == damaged.seqs.lowerBound, "bit \(bit)")
                }
            }
        }
    }
}
