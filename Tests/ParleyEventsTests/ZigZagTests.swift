import Testing

@testable import ParleyEvents

/// The `zigzag` storage of integer fields (docs/FORMAT.md, "Conventions"): small magnitudes of either sign
/// stay small varints, and every `Int` comes back as it was.
@Suite struct ZigZagTests {
    @Test(arguments: [(0, 0), (-1, 1), (1, 2), (-2, 3), (2, 4), (5, 10), (-5, 9)] as [(Int, UInt64)])
    func smallValuesInterleaveBySign(value: Int, stored: UInt64) {
        #expect(ZigZag.encode(value) == stored)
        #expect(ZigZag.decode(stored) == value)
    }

    @Test(arguments: [Int.min, Int.min + 1, -1 << 40, -123_456_789, 123_456_789, 1 << 40, Int.max - 1, Int.max])
    func everyIntComesBackAsItWas(value: Int) {
        #expect(ZigZag.decode(ZigZag.encode(value)) == value)
    }

    @Test func theExtremesUseTheWholeRange() {
        #expect(ZigZag.encode(Int.max) == UInt64.max - 1)
        #expect(ZigZag.encode(Int.min) == UInt64.max)
    }
}
