import Testing

@testable import ParleyLog

@Suite struct LogHeaderTests {
    static let header = LogHeader(
        logID: Array(0..<16),
        salt: 0x0123_4567_89AB_CDEF,
        createdAt: 0x1122_3344_5566_7788
    )

    /// Expects `decode` to throw a ``LogError`` with `code`; returns the error.
    @discardableResult
    func expectDecodeFails(
        _ bytes: ArraySlice<UInt8>,
        _ code: LogError.Code,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        -> LogError?
    {
        let error = #expect(throws: LogError.self, sourceLocation: sourceLocation) {
            try LogHeader.decode(bytes, path: "/logs/a.log")
        }
        #expect(error?.code == code, sourceLocation: sourceLocation)
        #expect(error?.path == "/logs/a.log", sourceLocation: sourceLocation)
        return error
    }

    /// The header bytes with the CRC recomputed after `change`.
    func resealed(_ change: (inout [UInt8]) -> Void) -> [UInt8] {
        var bytes = Self.header.encoded()
        change(&bytes)
        bytes.storeLittleEndian(referenceCRC32C(bytes[0..<60]), at: 60)
        return bytes
    }

    @Test func encodingHasTheDocumentedLayout() {
        var expected: [UInt8] = Array("PARLEYLG".utf8)
        expected += [0x01, 0x00]  // version 1
        expected += [0x40, 0x00]  // header size 64
        expected += [0x00, 0x00, 0x00, 0x00]  // flags
        expected += Array(0..<16)  // log id
        expected += [0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01]  // salt
        expected += [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]  // created at
        expected += [UInt8](repeating: 0, count: 12)  // reserved
        let crc = referenceCRC32C(expected)
        expected += [UInt8(crc & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8((crc >> 16) & 0xFF), UInt8(crc >> 24)]
        #expect(Self.header.encoded() == expected)
        #expect(expected.count == LogFormat.fileHeaderBytes)
    }

    @Test func decodeRoundTripsAndIgnoresWhatFollows() throws {
        let encoded = Self.header.encoded()
        #expect(try LogHeader.decode(encoded[...]) == Self.header)
        // From a slice that does not start at index 0, with frame bytes after the header.
        let padded = [0xAA, 0xBB] + encoded + [1, 2, 3]
        #expect(try LogHeader.decode(padded[2...]) == Self.header)
        // Negative creation times survive (i64).
        let early = LogHeader(logID: [UInt8](repeating: 0xFF, count: 16), salt: 0, createdAt: -1)
        #expect(try LogHeader.decode(early.encoded()[...]) == early)
    }

    @Test func logIDHexIsLowercaseAndPadded() {
        #expect(Self.header.logIDHex == "000102030405060708090a0b0c0d0e0f")
        let id = LogHeader(logID: [0xAB] + [UInt8](repeating: 0, count: 14) + [0xF0], salt: 1, createdAt: 0)
        #expect(id.logIDHex == "ab0000000000000000000000000000f0")
    }

    @Test(arguments: 0..<LogFormat.fileHeaderBytes)
    func everySingleBitFlipIsRejected(byte: Int) {
        for bit in 0..<8 {
            var bytes = Self.header.encoded()
            bytes[byte] ^= 1 << UInt8(bit)
            // A flip in the magic is "not a log"; anywhere else the checksum catches it.
            expectDecodeFails(bytes[...], byte < 8 ? .notALog : .corruptHeader)
        }
    }

    @Test(arguments: [
        Array("PARLEYLH".utf8), Array("parleylg".utf8), Array("SQLite f".utf8), [UInt8](repeating: 0, count: 8),
    ])
    func wrongMagicIsNotALog(magic: [UInt8]) {
        let bytes = resealed { $0.replaceSubrange(0..<8, with: magic) }
        let error = expectDecodeFails(bytes[...], .notALog)
        #expect(error?.offset == 0)
    }

    @Test func shortFileThatIsNotALogIsNotALog() {
        expectDecodeFails(Array("hello\n".utf8)[...], .notALog)
    }

    @Test(arguments: 0..<LogFormat.fileHeaderBytes)
    func truncatedHeaderIsCorruptHeader(length: Int) {
        let bytes = Self.header.encoded()
        expectDecodeFails(bytes[..<length], .corruptHeader)
    }

    @Test(arguments: [0, 2, 0x0100, 0xFFFF] as [UInt16])
    func otherVersionWithValidChecksumIsUnsupported(version: UInt16) {
        let bytes = resealed { $0.replaceSubrange(8..<10, with: [UInt8(version & 0xFF), UInt8(version >> 8)]) }
        let error = expectDecodeFails(bytes[...], .unsupportedVersion)
        #expect(error?.offset == 8)
        #expect(error?.reason.contains("\(version)") == true)
    }

    @Test func otherHeaderSizeOrFlagsWithValidChecksumIsCorrupt() {
        expectDecodeFails(resealed { $0[10] = 128 }[...], .corruptHeader)
        expectDecodeFails(resealed { $0[12] = 1 }[...], .corruptHeader)
        expectDecodeFails(resealed { $0[15] = 0x80 }[...], .corruptHeader)
    }

    @Test func checksumMismatchNamesTheChecksumOffset() {
        var bytes = Self.header.encoded()
        bytes[20] ^= 0x10
        let error = expectDecodeFails(bytes[...], .corruptHeader)
        #expect(error?.offset == 60)
        #expect(error?.reason.contains("checksum") == true)
    }
}
