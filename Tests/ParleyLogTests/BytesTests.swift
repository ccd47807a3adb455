import Testing

@testable import ParleyLog

@Suite struct BytesTests {
    static let varintValues: [UInt64] = [
        0, 1, 0x7F, 0x80, 0xFF, 300, 0x3FFF, 0x4000, 0x1F_FFFF, 0x20_0000, UInt64(UInt32.max), 1 << 35, 1 << 56,
        (1 << 63) - 1, 1 << 63, UInt64.max,
    ]

    /// Bytes an LEB128 varint of `value` takes: one per 7 significant bits.
    static func encodedLength(_ value: UInt64) -> Int {
        max(1, (64 - value.leadingZeroBitCount + 6) / 7)
    }

    @Test(arguments: varintValues)
    func varintRoundTrips(_ value: UInt64) {
        var bytes: [UInt8] = [0xEE]  // decoding starts past a byte that is not 0
        bytes.appendVarint(value)
        bytes.append(0xAB)  // and stops before one that follows
        #expect(bytes.count == Self.encodedLength(value) + 2)
        var reader = ByteReader(bytes[1...])
        #expect(reader.readVarint() == value)
        #expect(reader.readByte() == 0xAB)
        #expect(reader.isAtEnd)
    }

    @Test func varintEncodingIsLEB128() {
        func encoded(_ value: UInt64) -> [UInt8] {
            var bytes: [UInt8] = []
            bytes.appendVarint(value)
            return bytes
        }
        #expect(encoded(0) == [0x00])
        #expect(encoded(0x7F) == [0x7F])
        #expect(encoded(0x80) == [0x80, 0x01])
        #expect(encoded(300) == [0xAC, 0x02])
        #expect(encoded(UInt64.max) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test(arguments: varintValues)
    func truncatedVarintIsNil(_ value: UInt64) {
        var bytes: [UInt8] = []
        bytes.appendVarint(value)
        for length in 0..<bytes.count {
            var reader = ByteReader(bytes[..<length])
            #expect(reader.readVarint() == nil, "first \(length) of \(bytes.count) bytes")
        }
    }

    @Test(
        arguments: [
            // Eleven bytes.
            [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
            // Ten bytes whose last one carries bits above bit 63.
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],
            [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F],
            // Ten bytes whose last one says "more follows".
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00],
        ] as [[UInt8]]
    )
    func overlongVarintIsNil(_ bytes: [UInt8]) {
        var reader = ByteReader(bytes[...])
        #expect(reader.readVarint() == nil)
    }

    @Test func tenByteVarintWithTopBitIsAccepted() {
        var reader = ByteReader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01][...])
        #expect(reader.readVarint() == 1 << 63)
        #expect(reader.isAtEnd)
    }

    @Test func appendLittleEndianWritesLowByteFirst() {
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(UInt16(0x1234))
        bytes.appendLittleEndian(UInt32(0x89AB_CDEF))
        bytes.appendLittleEndian(UInt64(0x0102_0304_0506_0708))
        #expect(bytes == [0x34, 0x12, 0xEF, 0xCD, 0xAB, 0x89, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01])
    }

    @Test func storeLittleEndianOverwritesFourBytesInPlace() {
        var bytes: [UInt8] = [1, 2, 3, 4, 5, 6]
        bytes.storeLittleEndian(0xAABB_CCDD, at: 1)
        #expect(bytes == [1, 0xDD, 0xCC, 0xBB, 0xAA, 6])
    }

    @Test func byteReaderReadsWhatWasAppendedFromASliceNotStartingAtZero() {
        var bytes: [UInt8] = [0xFF, 0xFF, 0xFF]
        bytes.append(0x42)
        bytes.appendLittleEndian(UInt16.max - 1)
        bytes.appendLittleEndian(UInt32(0xDEAD_BEEF))
        bytes.appendLittleEndian(UInt64.max - 2)
        bytes.append(contentsOf: [9, 8, 7])
        var reader = ByteReader(bytes[3...])
        #expect(reader.remaining == bytes.count - 3)
        #expect(reader.readByte() == 0x42)
        #expect(reader.readUInt16() == UInt16.max - 1)
        #expect(reader.readUInt32() == 0xDEAD_BEEF)
        #expect(reader.readUInt64() == UInt64.max - 2)
        let tail = reader.readBytes(3)
        #expect(tail.map(Array.init) == [9, 8, 7])
        #expect(tail?.startIndex == bytes.count - 3)  // a slice of the same storage, same indices
        #expect(reader.isAtEnd)
        #expect(reader.readByte() == nil)
        #expect(reader.readBytes(0).map(Array.init) == [])
    }

    @Test func byteReaderReturnsNilWithoutMovingWhenBytesAreMissing() {
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6, 7]
        var reader = ByteReader(bytes[...])
        #expect(reader.readUInt64() == nil)
        #expect(reader.index == 0)
        #expect(reader.readBytes(8) == nil)
        #expect(reader.readBytes(-1) == nil)
        #expect(reader.index == 0)
        #expect(reader.readUInt32() == 0x0403_0201)
        #expect(reader.readUInt32() == nil)
        #expect(reader.index == 4)
        #expect(reader.readUInt16() == 0x0605)
        #expect(reader.readUInt16() == nil)
        #expect(reader.readByte() == 7)
    }

    @Test func loadLittleEndianUsesTheSlicesOwnIndices() {
        let bytes: [UInt8] = [0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]
        let slice = bytes[2...]
        #expect(slice.loadLittleEndianUInt32(at: 2) == 0x4433_2211)
        #expect(slice.loadLittleEndianUInt64(at: 2) == 0x8877_6655_4433_2211)
    }
}
