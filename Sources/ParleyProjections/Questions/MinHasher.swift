import ParleyLog

/// MinHash signatures of feature sets: for each of `permutations` hash functions (a feature's hash mixed
/// with a seed drawn from SplitMix64), the smallest value over the set. The share of positions where two
/// signatures agree estimates the Jaccard similarity of the two sets (standard error ≈ √(J(1−J)/k)).
///
/// Signatures hold the low 32 bits of each minimum: two sets agree by chance at a position with
/// probability 2⁻³², far below the estimate's own error, and a signature takes half the memory.
public struct MinHasher: Sendable {
    /// One seed per permutation.
    public let seeds: [UInt64]

    /// A hasher with `permutations` hash functions drawn from `seed`.
    public init(permutations: Int = 64, seed: UInt64 = 0x5155_4553_5449_4F4E) {
        precondition(permutations > 0, "a MinHash needs at least one permutation")
        var generator = SplitMix64(seed: seed)
        seeds = (0..<permutations).map { _ in generator.next() }
    }

    /// Number of hash functions (the signature's length).
    public var permutations: Int { seeds.count }

    /// The signature of the set of `features` (hashes; duplicates do not matter). The empty set has the
    /// signature of all ones, which agrees only with another empty set.
    public func signature(of features: [UInt64]) -> [UInt32] {
        var minima = [UInt64](repeating: .max, count: seeds.count)
        for feature in features {
            for index in 0..<seeds.count {
                let value = StableHash.mix(feature ^ seeds[index])
                if value < minima[index] { minima[index] = value }
            }
        }
        return minima.map { UInt32(truncatingIfNeeded: $0) }
    }

    /// The share of positions where `a` and `b` agree: the estimated Jaccard similarity of their sets.
    public static func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        precondition(a.count == b.count && !a.isEmpty, "signatures of different hashers")
        var same = 0
        for index in 0..<a.count where a[index] == b[index] { same += 1 }
        return Double(same) / Double(a.count)
    }

    /// ``similarity(_:_:)`` when it reaches `threshold`, else `nil`; it stops reading as soon as too many
    /// positions differ (most pairs a clustering compares are far apart).
    public static func similarity(_ a: [UInt32], _ b: [UInt32], reaching threshold: Double) -> Double? {
        precondition(a.count == b.count && !a.isEmpty, "signatures of different hashers")
        let allowed = a.count - Int((threshold * Double(a.count)).rounded(.up))
        var different = 0
        for index in 0..<a.count where a[index] != b[index] {
            different += 1
            if different > allowed { return nil }
        }
        let similarity = Double(a.count - different) / Double(a.count)
        return similarity >= threshold ? similarity : nil
    }

    /// The features of a token list: the hashes of its words other than stop words
    /// (``QuestionText/stopWords``), each once; of all its words when fewer than two remain ("can you help
    /// me" still has features). No tokens, no features.
    ///
    /// Word 1-grams without stop words were measured best on real support text (docs/QUESTIONS.md): with
    /// 2-grams or stop words, paraphrases of one question score lower than unrelated messages that share
    /// an opening ("I don't know how to …").
    public static func features(of tokens: [String]) -> [UInt64] {
        let content = tokens.filter { !QuestionText.stopWords.contains($0) }
        let words = content.count >= 2 ? content : tokens
        var seen: Set<UInt64> = []
        return words.map(StableHash.of).filter { seen.insert($0).inserted }
    }

    /// The features of word 1-grams and 2-grams of all `tokens` (stop words kept): the alternative measured
    /// against ``features(of:)``, kept for the measurement and the tests.
    public static func ngramFeatures(of tokens: [String]) -> [UInt64] {
        let words = tokens.map(StableHash.of)
        var features = words
        if words.count > 1 {
            for index in 1..<words.count { features.append(StableHash.combine(words[index - 1], words[index])) }
        }
        return features
    }
}
