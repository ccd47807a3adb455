/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny seeded generator, so that anything "random" Parley
/// makes — the built-in demo, the power-loss simulator, test data — is the same on every run. Not for
/// anything that needs to be unpredictable.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0 ..< n` (`n` > 0), by modulo: cheap, and even enough for demos and tests.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
