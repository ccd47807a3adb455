import Foundation
import Testing

@testable import ParleyLog

@Suite(.dedicatedThread) struct LogReaderTests {
    @Test func readsBackEveryFrameWritten() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let clock = ManualClock(start: TestLog.createdAt, step: 1_000)
            let writer = try LogWriter.create(at: path, options: TestLog.options(clock: clock))
            let batches = [
                ["one"], ["two", "", "four"], ["five " + String(repeating: "5", count: 500)], ["six", "seven"],
            ]
            let commits = try batches.map { try writer.appendRecords($0) }
            writer.close()

            let reader = try LogReader(path: path)
            #expect(reader.header == TestLog.header)
            #expect(reader.path == path)
            #expect(reader.position == Int64(LogFormat.fileHeaderBytes))
            #expect(reader.nextSeq == 1)
            for (records, commit) in zip(batches, commits) {
                let frame = try #require(try reader.nextFrame())
                #expect(frame.records.map { String(decoding: $0, as: UTF8.self) } == records)
                #expect(frame.offset == commit.offset)
                #expect(frame.length == commit.frameBytes)
                #expect(frame.firstSeq...frame.lastSeq == commit.seqs)
                #expect(frame.commitTime == commit.commitTime)
                #expect(reader.position == frame.endOffset)
                #expect(reader.nextSeq == commit.seqs.upperBound + 1)
                #expect(reader.stop == nil)
            }
            #expect(try reader.nextFrame() == nil)
            #expect(reader.stop == .endOfFile)
            #expect(try reader.fileSize() == (try Files.size(path)))
        }
    }

    @Test func headerOnlyLogHasNoFrames() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try LogImage().write(to: path)
            let (frames, stop) = try readLog(at: path)
            #expect(frames.isEmpty)
            #expect(stop == .endOfFile)
        }
    }

    @Test func openingSomethingThatIsNotALogThrows() throws {
        try withTemporaryDirectory { dir in
            let missing = #expect(throws: LogError.self) { try LogReader(path: dir.file("missing.log")) }
            #expect(missing?.code == .notFound)

            let path = dir.file("a.log")
            for (content, code) in [
                (
                    Array("not a log, but long enough to hold a whole header of sixty-four bytes".utf8),
                    LogError.Code.notALog
                ),
                ([], .corruptHeader),
                (Array(TestLog.header.encoded().prefix(63)), .corruptHeader),
            ] as [([UInt8], LogError.Code)] {
                try Files.write(content, to: path)
                let error = #expect(throws: LogError.self) { try LogReader(path: path) }
                #expect(error?.code == code)
            }
        }
    }

    @Test(arguments: [0, 64, 100, 1000, 4096])
    func streamsALogMuchLargerThanItsBuffer(bufferBytes: Int) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            var batches: [[String]] = []
            for index in 0..<400 {
                let records = (0...(index % 3)).map {
                    "\(index).\($0) " + String(repeating: "r", count: (index * 7) % 120)
                }
                batches.append(records)
                image.appendFrame(records)
            }
            try image.write(to: path)
            #expect(image.bytes.count > 10 * max(bufferBytes, 64))

            let (frames, stop) = try readLog(at: path, bufferBytes: bufferBytes)
            #expect(stop == .endOfFile)
            #expect(frames.map(\.text) == batches)
            #expect(frames.map(\.offset) == image.frames.map(\.offset))
            #expect(frames.map(\.seqs) == image.frames.map(\.seqs))
        }
    }

    @Test func readsAFrameLargerThanItsBuffer() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var random = SplitMix64(seed: 7)
            let big = random.bytes(100_000)
            var image = LogImage()
            image.appendFrame(["small"])
            let commitTime = image.commitTime
            var batch = LogBatch()
            batch.appendRecord(bytes: big)
            batch.appendRecord(bytes: [1, 2, 3])
            batch.seal(salt: TestLog.salt, firstSeq: 2, commitTime: commitTime)
            image.appendRaw(batch.frame)
            image.appendRaw(TestLog.frame(["after"], firstSeq: 4, commitTime: commitTime))
            try image.write(to: path)

            let reader = try LogReader(path: path, bufferBytes: 128)
            #expect(try reader.nextFrame()?.records.map(Array.init) == [Array("small".utf8)])
            let frame = try #require(try reader.nextFrame())
            #expect(frame.length == batch.frameBytes)
            #expect(frame.records.map(Array.init) == [big, [1, 2, 3]])
            // After the big frame the reader goes back to small reads and still finds the next frame.
            #expect(try reader.nextFrame()?.records.map(Array.init) == [Array("after".utf8)])
            #expect(try reader.nextFrame() == nil)
            #expect(reader.stop == .endOfFile)
        }
    }

    @Test func followsAppendsAfterReachingTheEnd() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            defer { writer.close() }
            let reader = try LogReader(path: path, bufferBytes: 64)
            #expect(try reader.nextFrame() == nil)
            #expect(reader.stop == .endOfFile)

            try writer.appendRecords(["one"])
            #expect(try reader.nextFrame()?.firstSeq == 1)
            #expect(try reader.nextFrame() == nil)
            #expect(reader.stop == .endOfFile)

            try writer.appendRecords(["two", "three"])
            try writer.appendRecords(["four " + String(repeating: "4", count: 300)])
            let second = try #require(try reader.nextFrame())
            #expect(second.firstSeq == 2)
            #expect(second.records.map { String(decoding: $0, as: UTF8.self) } == ["two", "three"])
            #expect(try reader.nextFrame()?.firstSeq == 4)
            #expect(try reader.nextFrame() == nil)
            #expect(reader.stop == .endOfFile)
        }
    }

    @Test(arguments: [1, 7, 8, 20, 35, 36, 37, 50, 59])
    func frameArrivingInPiecesIsIncompleteUntilItsLastByte(firstPiece: Int) throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            try image.write(to: path)
            let frame = TestLog.frame(["two", "three", "four"], firstSeq: 2)
            #expect(frame.count == 60)
            let reader = try LogReader(path: path)
            #expect(try reader.nextFrame()?.firstSeq == 1)

            try Files.append(Array(frame[..<firstPiece]), to: path)
            #expect(try reader.nextFrame() == nil)
            #expect(reader.stop == .incomplete(offset: image.frames[0].end, available: firstPiece))
            #expect(reader.position == image.frames[0].end)
            if firstPiece < frame.count - 1 {
                try Files.append(Array(frame[firstPiece..<(frame.count - 1)]), to: path)
                #expect(try reader.nextFrame() == nil)
                #expect(reader.stop == .incomplete(offset: image.frames[0].end, available: frame.count - 1))
            }
            try Files.append([frame[frame.count - 1]], to: path)
            let whole = try #require(try reader.nextFrame())
            #expect(whole.firstSeq == 2)
            #expect(whole.records.map { String(decoding: $0, as: UTF8.self) } == ["two", "three", "four"])
        }
    }

    @Test func damagedFrameEndsTheFramesWithoutThrowing() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            let second = image.appendFrame(["two"])
            image.appendFrame(["three"])
            image.flipBit(at: second.end - 1, bit: 3)
            try image.write(to: path)

            let reader = try LogReader(path: path)
            #expect(try reader.nextFrame()?.firstSeq == 1)
            #expect(try reader.nextFrame() == nil)
            guard case .invalid(let offset, .checksumMismatch) = reader.stop else {
                Issue.record("stop: \(String(describing: reader.stop))")
                return
            }
            #expect(offset == second.offset)
            #expect(reader.position == second.offset)
            #expect(reader.stop?.offset(fileEnd: 9999) == second.offset)
            // Calling again does not skip the damage.
            #expect(try reader.nextFrame() == nil)
            #expect(reader.position == second.offset)

            // With checksums off, the header chain is all that is checked.
            let trusting = try LogReader(path: path)
            trusting.verifyChecksums = false
            var seqs: [UInt64] = []
            while let frame = try trusting.nextFrame() { seqs.append(frame.firstSeq) }
            #expect(seqs == [1, 2, 3])
        }
    }

    @Test func seekResumesAtARecordedPosition() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            for index in 0..<5 { image.appendFrame(["frame \(index)", "more"]) }
            try image.write(to: path)

            let first = try LogReader(path: path)
            _ = try first.nextFrame()
            _ = try first.nextFrame()
            let (position, nextSeq) = (first.position, first.nextSeq)
            #expect(position == image.frames[2].offset)
            #expect(nextSeq == 5)

            let resumed = try LogReader(path: path, bufferBytes: 64)
            resumed.seek(toFrameAt: position, nextSeq: nextSeq)
            var texts: [[String]] = []
            while let frame = try resumed.nextFrame() { texts.append(StoredFrame(frame).text) }
            #expect(texts == [["frame 2", "more"], ["frame 3", "more"], ["frame 4", "more"]])
            #expect(resumed.stop == .endOfFile)
        }
    }

    /// A follower that met the torn frame a crashed writer left must see the frame the next writer
    /// appends in its place: `nextFrame()` called again "looks again".
    @Test func followerSeesTheFrameWrittenWhereAGarbledTornTailWas() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            // A whole-length frame whose last page never made it to disk: it fails its checksum.
            var torn = TestLog.frame(["lost " + String(repeating: "l", count: 40)], firstSeq: 2)
            torn.replaceSubrange((torn.count - 20)..., with: [UInt8](repeating: 0, count: 20))
            image.appendRaw(torn)
            try image.write(to: path)

            let reader = try LogReader(path: path)
            #expect(try reader.nextFrame()?.firstSeq == 1)
            #expect(try reader.nextFrame() == nil)
            guard case .invalid(_, .checksumMismatch) = reader.stop else {
                Issue.record("stop: \(String(describing: reader.stop))")
                return
            }

            let writer = try LogWriter.open(at: path, options: TestLog.options())
            #expect(writer.recoveredTornTail?.offset == image.frames[0].end)
            try writer.appendRecords(["two"])
            writer.close()

            let frame = try reader.nextFrame()
            #expect(frame?.firstSeq == 2, "stop: \(String(describing: reader.stop))")
            #expect(frame.map { StoredFrame($0).text } == ["two"])
        }
    }

    /// The same with a torn tail cut short: the next call after the new frame is complete returns it.
    @Test func followerSeesTheFrameWrittenWhereAShortTornTailWas() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            image.appendRaw(
                Array(TestLog.frame(["lost " + String(repeating: "l", count: 400)], firstSeq: 2).prefix(200))
            )
            try image.write(to: path)

            let reader = try LogReader(path: path)
            #expect(try reader.nextFrame()?.firstSeq == 1)
            #expect(try reader.nextFrame() == nil)
            #expect(reader.stop == .incomplete(offset: image.frames[0].end, available: 200))

            let writer = try LogWriter.open(at: path, options: TestLog.options())
            try writer.appendRecords(["two"])
            writer.close()

            let frame = try reader.nextFrame()
            #expect(frame?.firstSeq == 2, "stop: \(String(describing: reader.stop))")
        }
    }

    /// The records of the follower test's batch `index`: sizes that cross page and buffer boundaries.
    static func followedRecords(_ index: Int) -> [String] {
        (0...(index % 3)).map {
            "batch \(index) record \($0) " + String(repeating: "f", count: (index * 977 + $0 * 131) % 3000)
        }
    }

    @Test func readerOnAnotherThreadDuringAppendsSeesOnlyWholeFramesInOrder() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(
                at: path,
                options: TestLog.options(clock: ManualClock(start: TestLog.createdAt, step: 1))
            )
            let total = 300
            let problems = Shared([String]())
            let framesRead = Shared(0)
            let finished = DispatchSemaphore(value: 0)
            Thread {
                defer { finished.signal() }
                do {
                    let reader = try LogReader(path: path, bufferBytes: 4096)
                    var nextSeq: UInt64 = 1
                    var index = 0
                    let deadline = monotonicSeconds() + 30
                    while index < total {
                        if let frame = try reader.nextFrame() {
                            let text = StoredFrame(frame).text
                            if frame.firstSeq != nextSeq || text != Self.followedRecords(index) {
                                problems.withLock {
                                    $0.append("frame \(index): seq \(frame.firstSeq), \(text.count) records")
                                }
                                return
                            }
                            nextSeq = frame.lastSeq + 1
                            index += 1
                            framesRead.withLock { $0 += 1 }
                        } else if case .invalid(let offset, let fault) = reader.stop {
                            problems.withLock { $0.append("invalid frame at \(offset): \(fault)") }
                            return
                        } else if monotonicSeconds() > deadline {
                            problems.withLock { $0.append("timed out after \(index) frames") }
                            return
                        } else {
                            usleep(20)
                        }
                    }
                } catch {
                    problems.withLock { $0.append("\(error)") }
                }
            }.start()

            for index in 0..<total { try writer.appendRecords(Self.followedRecords(index)) }
            finished.wait()
            writer.close()
            #expect(problems.value == [])
            #expect(framesRead.value == total)
        }
    }
}
