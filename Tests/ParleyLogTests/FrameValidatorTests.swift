import Testing

@testable import ParleyLog

@Suite struct FrameValidatorTests {
    static let salt = TestLog.salt

    /// Checks `bytes` as a frame at offset 1000 that should start at seq 5.
    func check(_ bytes: [UInt8], expectedSeq: UInt64? = 5, verifyChecksum: Bool = true) -> FrameCheck {
        FrameValidator.check(
            bytes[...],
            offset: 1000,
            salt: Self.salt,
            expectedSeq: expectedSeq,
            verifyChecksum: verifyChecksum
        )
    }

    func fault(_ check: FrameCheck) -> FrameFault? {
        if case .invalid(let fault) = check { return fault }
        return nil
    }

    /// A frame edited after sealing, with its checksum recomputed so only the edit is wrong.
    func resealed(_ records: [String], firstSeq: UInt64 = 5, _ edit: (inout [UInt8]) -> Void) -> [UInt8] {
        var frame = TestLog.frame(records, firstSeq: firstSeq)
        edit(&frame)
        frame.storeLittleEndian(referenceCRC32C(frame[4...]), at: 0)
        return frame
    }

    @Test func validFrameGivesItsFieldsAndRecords() throws {
        let frame = TestLog.frame(["alpha", "", "gamma"], firstSeq: 5, commitTime: 42)
        guard case .valid(let found) = check(frame + [0xEE, 0xEE]) else {
            Issue.record("not valid: \(check(frame))")
            return
        }
        #expect(found.offset == 1000)
        #expect(found.length == frame.count)
        #expect(found.endOffset == 1000 + Int64(frame.count))
        #expect(found.firstSeq == 5)
        #expect(found.lastSeq == 7)
        #expect(found.count == 3)
        #expect(found.commitTime == 42)
        #expect(found.records.map { String(decoding: $0, as: UTF8.self) } == ["alpha", "", "gamma"])
    }

    @Test func missingBytesAreIncomplete() {
        let frame = TestLog.frame(["alpha", "beta"], firstSeq: 5)
        for length in 0..<frame.count {
            guard case .incomplete(let needed) = check(Array(frame[..<length])) else {
                Issue.record("\(length) bytes: not incomplete")
                continue
            }
            // Once the length field is there, the validator says how many bytes the frame needs.
            #expect(needed == (length < 8 ? nil : frame.count), "\(length) bytes")
        }
    }

    @Test(arguments: [0, 1, 35, 36, 39, LogFormat.maxFrameBytes + 1, Int(UInt32.max)])
    func implausibleLengthIsBadLength(length: Int) {
        var frame = TestLog.frame(["x"], firstSeq: 5)
        frame.storeLittleEndian(UInt32(length), at: 4)
        #expect(fault(check(frame)) == .badLength(UInt32(length)))
    }

    @Test func smallestFrameHasOneEmptyRecord() {
        let frame = TestLog.frame([""], firstSeq: 5)
        #expect(frame.count == 40)
        guard case .valid(let found) = check(frame) else {
            Issue.record("the smallest frame is not valid")
            return
        }
        #expect(found.records.map(Array.init) == [[]])
    }

    @Test func checksumMismatchIsReportedWithBothValues() {
        var frame = TestLog.frame(["alpha"], firstSeq: 5)
        let stored = frame[...].loadLittleEndianUInt32(at: 0)
        frame[frame.count - 1] ^= 0x01
        #expect(fault(check(frame)) == .checksumMismatch(stored: stored, computed: referenceCRC32C(frame[4...])))
        // Without checksums the damage goes unnoticed: that is what the switch is for.
        guard case .valid = check(frame, verifyChecksum: false) else {
            Issue.record("verifyChecksum: false still checked the checksum")
            return
        }
    }

    @Test func frameOfAnotherLogIsSaltMismatch() {
        let frame = TestLog.frame(["alpha"], salt: TestLog.otherSalt, firstSeq: 5)
        #expect(fault(check(frame)) == .saltMismatch(found: TestLog.otherSalt))
    }

    @Test func wrongSequenceNumberIsSequenceMismatchUnlessAnyIsAccepted() {
        let frame = TestLog.frame(["alpha"], firstSeq: 9)
        #expect(fault(check(frame, expectedSeq: 5)) == .sequenceMismatch(expected: 5, found: 9))
        #expect(fault(check(frame, expectedSeq: 10)) == .sequenceMismatch(expected: 10, found: 9))
        guard case .valid(let found) = check(frame, expectedSeq: nil) else {
            Issue.record("expectedSeq: nil did not accept the frame")
            return
        }
        #expect(found.firstSeq == 9)
    }

    @Test func countThatDisagreesWithTheRecordsIsBadRecords() {
        for count: UInt32 in [0, 1, 3, 1000, UInt32.max] {
            let frame = resealed(["a", "b"]) { $0.storeLittleEndian(count, at: 24) }
            guard case .badRecords = fault(check(frame)) else {
                Issue.record("count \(count): \(check(frame))")
                continue
            }
        }
    }

    @Test func recordsThatDoNotTileThePayloadAreBadRecords() {
        // The last record's length runs past the end of the frame.
        let runsPast = resealed(["abc"]) { $0.storeLittleEndian(4, at: 36) }
        // The frame ends in the middle of a length prefix.
        let cutPrefix = resealed(["abc"]) { frame in
            frame += [0, 0]
            frame.storeLittleEndian(UInt32(frame.count), at: 4)
        }
        for frame in [runsPast, cutPrefix] {
            guard case .badRecords = fault(check(frame)) else {
                Issue.record("\(check(frame))")
                continue
            }
        }
    }

    @Test func sequenceNumbersOutOfRangeAreBadRecords() {
        let zero = resealed(["a"], firstSeq: 0) { _ in }
        let overflowing = resealed(["a", "b"], firstSeq: UInt64.max) { _ in }
        for frame in [zero, overflowing] {
            guard case .badRecords = fault(check(frame, expectedSeq: nil)) else {
                Issue.record("\(check(frame, expectedSeq: nil))")
                continue
            }
        }
        // The largest first seq that leaves room for the count is fine.
        guard case .valid = check(resealed(["a", "b"], firstSeq: UInt64.max - 2) { _ in }, expectedSeq: nil) else {
            Issue.record("first seq UInt64.max - 2 with 2 events rejected")
            return
        }
    }
}
