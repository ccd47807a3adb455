import Testing

@testable import ParleyLog

@Suite struct CRC32CTests {
    /// A published CRC-32C value.
    struct KnownAnswer: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var checksum: UInt32
        var testDescription: String { name }
    }

    static let knownAnswers = [
        KnownAnswer(name: "\"123456789\"", bytes: Array("123456789".utf8), checksum: 0xE306_9283),
        KnownAnswer(name: "empty", bytes: [], checksum: 0),
        KnownAnswer(name: "32 zero bytes", bytes: [UInt8](repeating: 0, count: 32), checksum: 0x8A91_36AA),
        KnownAnswer(name: "32 bytes of 0xFF", bytes: [UInt8](repeating: 0xFF, count: 32), checksum: 0x62A8_AB43),
        // RFC 3720 (iSCSI), B.4: 32 bytes incrementing 00..1F and decrementing 1F..00.
        KnownAnswer(name: "32 incrementing bytes", bytes: Array(0...31), checksum: 0x46DD_794E),
        KnownAnswer(name: "32 decrementing bytes", bytes: Array((0...31).reversed()), checksum: 0x113F_DB5C),
    ]

    @Test(arguments: knownAnswers)
    func checksumMatchesPublishedValue(_ answer: KnownAnswer) {
        #expect(CRC32C.checksum(answer.bytes) == answer.checksum)
        // The reference the other tests trust must agree too.
        #expect(referenceCRC32C(answer.bytes) == answer.checksum)
    }

    @Test func updatingWithNoBytesChangesNothing() {
        for crc: UInt32 in [0, 1, 0xE306_9283, 0xFFFF_FFFF] {
            #expect(CRC32C.update(crc, [UInt8]()) == crc)
            #expect(CRC32C.update(crc, UnsafeRawBufferPointer(start: nil, count: 0)) == crc)
        }
    }

    @Test func incrementalUpdateEqualsOneShotAtEverySplitPoint() {
        var random = SplitMix64(seed: 1)
        let bytes = random.bytes(100)
        let whole = CRC32C.checksum(bytes)
        for split in 0...bytes.count {
            let crc = CRC32C.update(CRC32C.checksum(bytes[..<split]), bytes[split...])
            #expect(crc == whole, "split at \(split)")
        }
        // Three pieces, the middle one shorter than a slicing-by-8 step.
        for first in 0..<20 {
            for middle in 0..<10 {
                let a = bytes[..<first]
                let b = bytes[first..<(first + middle)]
                let c = bytes[(first + middle)...]
                #expect(CRC32C.update(CRC32C.update(CRC32C.checksum(a), b), c) == whole)
            }
        }
    }

    @Test func matchesBitwiseReferenceOnRandomBuffersOfEveryLengthUpTo300() {
        var random = SplitMix64(seed: 2)
        for length in 0...300 {
            let bytes = random.bytes(length + 8)
            // Every start alignment: the fast path loads 8 bytes at a time from unaligned addresses.
            for start in 0..<8 {
                let slice = bytes[start..<(start + length)]
                #expect(CRC32C.checksum(slice) == referenceCRC32C(slice), "length \(length), start \(start)")
            }
        }
    }

    @Test func rawBufferAndNonContiguousCollectionsGiveTheSameChecksum() {
        var random = SplitMix64(seed: 3)
        let bytes = random.bytes(77)
        let expected = referenceCRC32C(bytes)
        #expect(bytes.withUnsafeBytes { CRC32C.update(0, $0) } == expected)
        // A collection without contiguous storage takes the copying path.
        let reversedTwice = bytes.reversed().reversed()
        #expect(CRC32C.checksum(reversedTwice) == expected)
        #expect(CRC32C.checksum(bytes.reversed()) == referenceCRC32C(bytes.reversed()))
    }

    @Test func everySingleBitFlipChangesTheChecksum() {
        var random = SplitMix64(seed: 4)
        var bytes = random.bytes(40)
        let original = CRC32C.checksum(bytes)
        for bit in 0..<(bytes.count * 8) {
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(CRC32C.checksum(bytes) != original, "bit \(bit)")
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
        }
    }
}
