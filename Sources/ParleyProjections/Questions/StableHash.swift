/// A 64-bit hash that is the same on every run and every machine (Swift's `Hasher` is seeded at random
/// per process): FNV-1a over the bytes, then the SplitMix64 finaliser so that every input bit reaches
/// every output bit.
public enum StableHash {
    /// FNV-1a's offset basis.
    static let basis: UInt64 = 0xCBF2_9CE4_8422_2325
    /// FNV-1a's prime.
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The hash of the UTF-8 bytes of `text`.
    public static func of(_ text: String) -> UInt64 { mix(fnv1a(text)) }

    /// FNV-1a (64 bits) of the UTF-8 bytes of `text`, without the finaliser.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash = basis
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* prime
        }
        return hash
    }

    /// The hash of two hashes in order (a bigram from the hashes of its words).
    public static func combine(_ first: UInt64, _ second: UInt64) -> UInt64 {
        mix(first &* 0x9E37_79B9_7F4A_7C15 ^ rotate(second, 31) ^ 0x2545_F491_4F6C_DD1D)
    }

    /// The SplitMix64 finaliser: a bijection of 64-bit values that spreads every bit.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { (value << count) | (value >> (64 - count)) }
}
