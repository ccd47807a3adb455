import Testing

@testable import ParleyLog

/// The forward scan that tells damage from a torn tail (a checksum-valid frame of this log after a bad one)
/// costs at most a fixed budget of checksummed bytes, even on a tail crafted to look like frames everywhere.
@Suite struct DamageScanTests {
    /// A salt whose upper 32 bits read 65,536: repeated, it looks like a 64 KiB frame starting every 8 bytes
    /// (the length field of each candidate is the upper half of the salt before it).
    static let craftedSalt: UInt64 = 0x0001_0000_0BAD_F00D
    static let claimedLength = 65_536

    /// One valid frame, a frame with a bad checksum, then `tailBytes` of the salt repeated.
    static func craftedLog(tailBytes: Int) -> (image: LogImage, bad: Int64) {
        var image = LogImage(header: LogHeader(logID: TestLog.logID, salt: craftedSalt, createdAt: TestLog.createdAt))
        image.appendFrame(["one"])
        let bad = Int64(image.bytes.count)
        var frame = TestLog.frame(["two"], salt: craftedSalt, firstSeq: 2)
        frame[0] ^= 0xFF
        image.appendRaw(frame)
        var salt: [UInt8] = []
        salt.appendLittleEndian(craftedSalt)
        image.appendRaw(Array(repeatElement(salt, count: tailBytes / 8).joined()))
        return (image, bad)
    }

    @Test func theLimitIsFourTimesTheBytesAfterTheDamage() {
        #expect(LogSurveyor.damageScanChecksumLimit(tailBytes: 0) == 0)
        #expect(LogSurveyor.damageScanChecksumLimit(tailBytes: 1 << 20) == 4 << 20)
        #expect(LogSurveyor.damageScanChecksumLimit(tailBytes: -5) == 0)
    }

    @Test func aCraftedOneMiBTailChecksumsNoMoreThanTheLimitThenCountsAsDamage() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let (image, bad) = Self.craftedLog(tailBytes: 1 << 20)
            try image.write(to: path)
            let reader = try LogReader(path: path)
            let fileSize = Int64(image.bytes.count)
            // Unbounded, this tail would checksum ~122,000 candidates of 64 KiB each (about 7.5 GiB).
            let limit = LogSurveyor.damageScanChecksumLimit(tailBytes: fileSize - bad)
            #expect(limit < 5 << 20)
            let scan = try LogSurveyor.scanForValidFrame(reader, after: bad, fileSize: fileSize)
            #expect(scan.limitReached)
            #expect(scan.found == nil)
            #expect(scan.checksummedBytes <= limit)
            #expect(scan.checksummedBytes > limit - Int64(Self.claimedLength))
        }
    }

    @Test func aCraftedTailIsReportedAsDamageAndTheWriterRefusesIt() throws {
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            let (image, bad) = Self.craftedLog(tailBytes: 1 << 20)
            try image.write(to: path)
            let survey = try surveyLog(at: path)
            #expect(survey.frames == 1)
            let damage = try #require(survey.ending.damage, "ending: \(survey.ending)")
            #expect(damage.offset == bad)
            #expect(damage.scanLimitReached)
            #expect(damage.nextValidFrame == nil)
            #expect(damage.explanation.contains("stopped at its limit"))
            let error = #expect(throws: LogError.self) { try LogWriter.open(at: path, options: TestLog.options()) }
            #expect(error?.code == .corruption)
            #expect(try Files.read(path) == image.bytes)
        }
    }

    @Test func aValidFrameAfterDamageIsStillFoundWhenItsChecksumFitsTheLimit() throws {
        // Real damage: a bad frame, then a whole frame of this log; found with a limit of exactly its size.
        try withTemporaryDirectory { dir in
            let path = dir.file("a.log")
            var image = LogImage()
            image.appendFrame(["one"])
            let bad = Int64(image.bytes.count)
            image.appendRaw([UInt8](repeating: 0xEE, count: 3_000))
            let next = image.appendFrame(["two " + String(repeating: "x", count: 5_000)])
            try image.write(to: path)
            let reader = try LogReader(path: path)
            let fileSize = Int64(image.bytes.count)
            let found = try LogSurveyor.scanForValidFrame(
                reader, after: bad, fileSize: fileSize, checksumLimit: Int64(next.length))
            #expect(found.found?.offset == next.offset)
            #expect(found.checksummedBytes == Int64(next.length))
            let short = try LogSurveyor.scanForValidFrame(
                reader, after: bad, fileSize: fileSize, checksumLimit: Int64(next.length - 1))
            #expect(short.found == nil)
            #expect(short.limitReached)
        }
    }
}
