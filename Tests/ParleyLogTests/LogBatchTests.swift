import Testing

@testable import ParleyLog

@Suite struct LogBatchTests {
    struct EncodeFailure: Error {}

    @Test func sealedFrameHasTheDocumentedLayout() {
        var batch = TestLog.batch(["Hi", "", "xyz"])
        batch.seal(salt: 0x0123_4567_89AB_CDEF, firstSeq: 0x0A0B_0C0D_0E0F_1011, commitTime: -2)

        var expected: [UInt8] = [0, 0, 0, 0]  // checksum, filled in below
        expected += [53, 0, 0, 0]  // length: 36 + (4 + 2) + (4 + 0) + (4 + 3)
        expected += [0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01]  // salt
        expected += [0x11, 0x10, 0x0F, 0x0E, 0x0D, 0x0C, 0x0B, 0x0A]  // first seq
        expected += [3, 0, 0, 0]  // count
        expected += [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // commit time -2
        expected += [2, 0, 0, 0] + Array("Hi".utf8)
        expected += [0, 0, 0, 0]
        expected += [3, 0, 0, 0] + Array("xyz".utf8)
        expected.storeLittleEndian(referenceCRC32C(expected[4...]), at: 0)

        #expect(batch.frame == expected)
        #expect(batch.frameBytes == 53)
        #expect(batch.count == 3)
    }

    @Test func recordsAreLengthPrefixedInThePayload() {
        var batch = LogBatch(reservingCapacity: 1024)
        #expect(batch.isEmpty)
        #expect(batch.frameBytes == LogFormat.frameHeaderBytes)
        batch.appendRecord(bytes: [7, 8, 9])
        batch.appendRecord { (buffer: inout [UInt8]) in buffer.appendVarint(300) }
        #expect(!batch.isEmpty)
        #expect(batch.count == 2)
        #expect(Array(batch.payload) == [3, 0, 0, 0, 7, 8, 9, 2, 0, 0, 0, 0xAC, 0x02])
        #expect(batch.frameBytes == LogFormat.frameHeaderBytes + 13)
    }

    @Test func recordWhoseEncodingThrowsLeavesTheBatchAsItWas() {
        var batch = TestLog.batch(["kept"])
        let before = batch.frame
        #expect(throws: EncodeFailure.self) {
            try batch.appendRecord { (buffer: inout [UInt8]) throws(EncodeFailure) in
                buffer.append(contentsOf: [1, 2, 3])
                throw EncodeFailure()
            }
        }
        #expect(batch.frame == before)
        #expect(batch.count == 1)
        // The record appended last is still the one that can be removed.
        #expect(batch.removeLastRecord() == Array("kept".utf8))
        #expect(batch.isEmpty)
    }

    @Test func removeLastRecordReturnsItsBytesAndRestoresTheFrame() {
        var batch = TestLog.batch(["one", "two"])
        let withOne = TestLog.batch(["one"]).frame
        #expect(batch.removeLastRecord() == Array("two".utf8))
        #expect(batch.frame == withOne)
        #expect(batch.count == 1)
    }

    @Test func removeRecordsFromAnIndexReturnsThemInOrderAndRestoresTheFrame() {
        var batch = TestLog.batch(["one", "two", "three", "four"])
        #expect(batch.removeRecords(from: 1) == ["two", "three", "four"].map { Array($0.utf8) })
        #expect(batch.frame == TestLog.batch(["one"]).frame)
        #expect(batch.count == 1)
        #expect(batch.removeRecords(from: 1).isEmpty)
        #expect(batch.removeRecords(from: 0) == [Array("one".utf8)])
        #expect(batch.isEmpty)
    }

    @Test func forEachRecordVisitsEveryRecordInOrder() {
        let batch = TestLog.batch(["a", "", "bcd"])
        var seen: [[UInt8]] = []
        batch.forEachRecord { seen.append(Array($0)) }
        #expect(seen == ["a", "", "bcd"].map { Array($0.utf8) })
    }

    @Test func removeAllKeepsOnlyTheHeaderSpace() {
        var batch = TestLog.batch(["one", "two", "three"])
        batch.removeAll()
        #expect(batch.isEmpty)
        #expect(batch.frameBytes == LogFormat.frameHeaderBytes)
        batch.appendRecord(bytes: Array("four".utf8))
        #expect(batch.frame == TestLog.batch(["four"]).frame)
    }

    @Test func sealingTwiceGivesTheSameFrameAsSealingOnce() {
        var batch = TestLog.batch(["a", "bc"])
        batch.seal(salt: 1, firstSeq: 99, commitTime: 5)
        batch.seal(salt: 2, firstSeq: 7, commitTime: 6)
        #expect(batch.frame == TestLog.frame(["a", "bc"], salt: 2, firstSeq: 7, commitTime: 6))
    }
}
