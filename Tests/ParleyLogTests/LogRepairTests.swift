import Testing

@testable import ParleyLog

@Suite struct LogRepairTests {
    /// Four frames (seq 1, 2–3, 4, 5–6) with a flipped payload bit in the second.
    static func damagedLog() -> (image: LogImage, damaged: FrameSpan) {
        var image = LogImage()
        image.appendFrame(["one"])
        let damaged = image.appendFrame(["two-a", "two-b"])
        image.appendFrame(["three"])
        image.appendFrame(["four-a", "four-b"])
        image.flipBit(at: damaged.offset + 38, bit: 1)
        return (image, damaged)
    }

    @Test func repairOfASoundLogReturnsNilAndChangesNothing() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            image.appendFrame(["two", "three"])
            try image.write(to: path)
            #expect(try LogRepair.repair(path: path) == nil)
            #expect(try Files.read(path) == image.bytes)
            #expect(try dir.entries() == ["a.log"])
        }
    }

    @Test func repairOfMidFileDamageCutsThereAndSavesTheHeaderAndExactlyTheCutBytes() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let (image, damaged) = Self.damagedLog()
            try image.write(to: path)

            let outcome = try #require(try LogRepair.repair(path: path))
            #expect(outcome.cutOffset == damaged.offset)
            #expect(outcome.cutBytes == Int64(image.bytes.count) - damaged.offset)
            #expect(outcome.eventsKept == 1)
            #expect(outcome.savedCopyPath == path + ".cut-\(damaged.offset)")
            #expect(outcome.ending.damage?.offset == damaged.offset)

            #expect(try Files.read(path) == Array(image.bytes[..<Int(damaged.offset)]))
            #expect(
                try Files.read(outcome.savedCopyPath) == Array(image.bytes[..<64] + image.bytes[Int(damaged.offset)...])
            )
            #expect(try Files.mode(outcome.savedCopyPath) == 0o600)
            #expect(try dir.entries() == ["a.log", "a.log.cut-\(damaged.offset)"])

            // The log opens for writing, continues after the kept events and verifies clean.
            let writer = try LogWriter.open(at: path, options: TestLog.options())
            #expect(writer.recoveredTornTail == nil)
            #expect(writer.lastSeq == 1)
            #expect(try writer.appendRecords(["two again"]).seqs == 2...2)
            writer.close()
            let survey = try surveyLog(at: path, verifyChecksums: true)
            #expect(survey.ending.isClean)
            #expect(survey.frames == 2)
            #expect(try LogRepair.repair(path: path) == nil)
        }
    }

    @Test func repairOfATornTailCutsItOff() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            let end = Int64(image.bytes.count)
            let torn = Array(TestLog.frame(["torn"], firstSeq: 2).prefix(30))
            image.appendRaw(torn)
            try image.write(to: path)

            let outcome = try #require(try LogRepair.repair(path: path))
            #expect(outcome.ending.tornTail == TornTail(offset: end, byteCount: 30, firstSeq: 2, claimedSeqs: nil))
            #expect(outcome.cutOffset == end)
            #expect(outcome.cutBytes == 30)
            #expect(outcome.eventsKept == 1)
            #expect(try Files.read(path) == Array(image.bytes[..<Int(end)]))
            #expect(try Files.read(outcome.savedCopyPath) == Array(image.bytes[..<64]) + torn)
            #expect(outcome.salvage == nil)
            #expect(outcome.recoveredPath == nil)
        }
    }

    @Test func secondCutAtTheSameOffsetKeepsTheFirstCopy() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let (image, damaged) = Self.damagedLog()
            try image.write(to: path)
            let first = try #require(try LogRepair.repair(path: path))

            // The same damage again, with different bytes.
            var again = LogImage()
            again.appendFrame(["one"])
            let second = again.appendFrame(["other", "bytes"])
            again.appendFrame(["three"])
            again.flipBit(at: second.offset + 40, bit: 0)
            try again.write(to: path)
            let outcome = try #require(try LogRepair.repair(path: path))
            #expect(outcome.cutOffset == damaged.offset)
            #expect(outcome.savedCopyPath == path + ".cut-\(damaged.offset)-1")
            #expect(
                try Files.read(first.savedCopyPath) == Array(image.bytes[..<64] + image.bytes[Int(damaged.offset)...]))
            #expect(
                try Files.read(outcome.savedCopyPath) == Array(again.bytes[..<64] + again.bytes[Int(damaged.offset)...])
            )
        }
    }

    @Test func repairRefusesWhileAWriterHoldsTheLock() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let writer = try LogWriter.create(at: path, options: TestLog.options())
            defer { writer.close() }
            try writer.appendRecords(["one"])
            // Damage the writer cannot see: garbage after its committed end.
            try Files.append([UInt8](repeating: 0xEE, count: 50), to: path)
            let before = try Files.read(path)

            let error = #expect(throws: LogError.self) { try LogRepair.repair(path: path) }
            #expect(error?.code == .locked)
            #expect(error?.path == path)
            #expect(try Files.read(path) == before)
            #expect(try dir.entries() == ["a.log", "a.log.commit"])
            // The writer still holds its lock and works.
            #expect(try LogWriter.hasActiveWriter(at: path))
        }
    }

    @Test func repairCannotFixAFileHeader() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            image.flipBit(at: 20, bit: 0)
            try image.write(to: path)
            let error = #expect(throws: LogError.self) { try LogRepair.repair(path: path) }
            #expect(error?.code == .corruptHeader)
            #expect(try Files.read(path) == image.bytes)

            let missing = #expect(throws: LogError.self) { try LogRepair.repair(path: dir.file("missing.log")) }
            #expect(missing?.code == .notFound)
        }
    }
}
