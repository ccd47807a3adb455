import Testing

@testable import ParleyLog

@Suite struct LogErrorTests {
    @Test func descriptionSaysWhereThenWhat() {
        let full = LogError(.corruption, reason: "bad frame", path: "/logs/a.log", offset: 1234, sequenceRange: 40...49)
        #expect(full.description == "/logs/a.log: offset 1234, seq 40–49: bad frame")
        let one = LogError(.corruption, reason: "bad frame", offset: 64, sequenceRange: 7...7)
        #expect(one.description == "offset 64, seq 7: bad frame")
        #expect(LogError(.closed, reason: "the writer is closed").description == "the writer is closed")
    }

    @Test func ioErrorNamesTheSystemCallAndErrno() {
        let error = LogError.io("fdatasync", .io, path: "/logs/a.log", offset: 64)
        #expect(error.code == .io)
        #expect(error.syscall == "fdatasync")
        #expect(error.errno == .io)
        #expect(error.description.hasPrefix("/logs/a.log: offset 64: fdatasync failed: "))
        #expect(error.description.hasSuffix("(errno \(Errno.io.rawValue))"))
    }

    @Test func everyCodeHasItsOwnDescription() {
        let codes: [LogError.Code] = [
            .notFound, .alreadyExists, .locked, .io, .notALog, .unsupportedVersion, .corruptHeader, .corruption,
            .writerFailed, .batchTooLarge, .emptyBatch, .closed,
        ]
        #expect(Set(codes).count == codes.count)
        #expect(Set(codes.map(\.description)).count == codes.count)
    }

    /// The sequence numbers in an error come from the file: describing the error must not trap,
    /// whatever they are.
    @Test func describingAnErrorWithAHugeSequenceRangeDoesNotCrash() async {
        await #expect(processExitsWith: .success) {
            let error = LogError(.corruption, reason: "damaged", offset: 64, sequenceRange: 1...UInt64.max)
            _ = error.description
        }
    }

    /// A damaged log whose later valid frame claims a huge sequence number: the writer's refusal carries
    /// the whole range, and printing it (as `parley` does) must not crash.
    @Test func refusalOfALogWithAHugeSequenceNumberAfterDamageCanBePrinted() async throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            try Self.hugeSequenceLog().write(to: path)
            // Not `#expect(throws:)`: it would describe the error, and crash this process.
            var refusal: LogError?
            do {
                _ = try LogWriter.open(at: path, options: TestLog.options())
            } catch let error as LogError {
                refusal = error
            }
            #expect(refusal?.code == .corruption)
            #expect(refusal?.offset == Self.hugeSequenceLog().frames[0].end)
            #expect(refusal?.sequenceRange == 2...(UInt64.max - 10))
        }
        await #expect(processExitsWith: .success) {
            try withTemporaryDirectory { dir in
                let path = dir.file("a.log")
                try LogErrorTests.hugeSequenceLog().write(to: path)
                do {
                    _ = try LogWriter.open(at: path, options: TestLog.options())
                } catch {
                    _ = String(describing: error)
                }
            }
        }
    }

    /// Frame 1, then a zeroed frame, then a valid frame of this log at seq 2^64 - 11.
    static func hugeSequenceLog() -> LogImage {
        var image = LogImage()
        image.appendFrame(["one"])
        image.appendRaw([UInt8](repeating: 0, count: 45))
        image.appendRaw(TestLog.frame(["far away"], firstSeq: UInt64.max - 10))
        return image
    }
}
