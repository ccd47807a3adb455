import Testing

@testable import ParleyLog

/// Zig-zag, shared by integer event fields (docs/FORMAT.md, "Conventions") and checkpoints: small
/// magnitudes of either sign stay small varints, and every `Int64` comes back as it was.
@Suite struct ZigZagTests {
    @Test(arguments: [(0, 0), (-1, 1), (1, 2), (-2, 3), (2, 4), (5, 10), (-5, 9)] as [(Int64, UInt64)])
    func smallValuesInterleaveBySign(value: Int64, stored: UInt64) {
        #expect(ZigZag.encode(value) == stored)
        #expect(ZigZag.decode(stored) == value)
    }

    @Test(
        arguments: [Int64.min, Int64.min + 1, -1 << 40, -123_456_789, 123_456_789, 1 << 40, Int64.max - 1, Int64.max]
            as [Int64])
    func everyValueComesBackAsItWas(value: Int64) {
        #expect(ZigZag.decode(ZigZag.encode(value)) == value)
    }

    @Test func theExtremesUseTheWholeRange() {
        #expect(ZigZag.encode(Int64.max) == UInt64.max - 1)
        #expect(ZigZag.encode(Int64.min) == UInt64.max)
    }
}
