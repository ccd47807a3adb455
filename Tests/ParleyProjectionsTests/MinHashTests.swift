import ParleyLog
import ParleyProjections
import Testing

/// MinHash estimates and the clustering built on them (`MinHasher`, `SimilarityClusters`).
@Suite struct MinHashTests {
    /// Two sets of `size` numbered features sharing `shared` of them.
    static func pair(size: Int, shared: Int, offset: UInt64 = 0) -> ([UInt64], [UInt64]) {
        let a = (0..<UInt64(size)).map { StableHash.mix($0 &+ offset) }
        let b = a.prefix(shared) + (0..<UInt64(size - shared)).map { StableHash.mix($0 &+ offset &+ 1_000_000) }
        return (a, Array(b))
    }

    @Test(arguments: [(40, 40), (40, 30), (40, 20), (40, 10), (40, 0), (200, 150)])
    func estimateIsCloseToTheTrueJaccard(size: Int, shared: Int) {
        let (a, b) = Self.pair(size: size, shared: shared)
        let truth = Double(shared) / Double(2 * size - shared)
        let hasher = MinHasher(permutations: 128)
        let estimate = MinHasher.similarity(hasher.signature(of: a), hasher.signature(of: b))
        // Standard error at k = 128 is at most 0.045; 0.15 is over three of them.
        #expect(abs(estimate - truth) < 0.15, "true \(truth), estimated \(estimate)")
    }

    @Test func signaturesIgnoreOrderAndDuplicates() {
        let hasher = MinHasher()
        let features: [UInt64] = [5, 9, 13, 2]
        #expect(hasher.signature(of: features) == hasher.signature(of: [13, 2, 2, 9, 5, 5]))
        #expect(hasher.signature(of: []) == hasher.signature(of: []))
        #expect(MinHasher.similarity(hasher.signature(of: []), hasher.signature(of: features)) == 0)
    }

    @Test func thresholdedSimilarityAgreesWithTheFullOne() {
        let hasher = MinHasher()
        for shared in stride(from: 0, through: 40, by: 5) {
            let (a, b) = Self.pair(size: 40, shared: shared, offset: UInt64(shared) * 7919)
            let (x, y) = (hasher.signature(of: a), hasher.signature(of: b))
            let full = MinHasher.similarity(x, y)
            for threshold in [0.3, 0.5, 0.6, 0.8] {
                #expect(MinHasher.similarity(x, y, reaching: threshold) == (full >= threshold ? full : nil))
            }
        }
    }

    /// Five paraphrases of each of three questions, interleaved as they would arrive.
    static let planted: [(question: Int, text: String)] = [
        (0, "How do I reset my password? I forgot it"), (1, "Where is my parcel, order #88812 has not arrived"),
        (2, "Can I change the delivery address of order 5512?"), (0, "I forgot my password, how do I reset it"),
        (1, "order #99120 has not arrived, where is my parcel?"), (2, "change delivery address for order 7781"),
        (0, "forgot password, need to reset my password"), (1, "my parcel has not arrived yet, where is it"),
        (2, "please change the delivery address on my order"), (0, "How can I reset my password, forgot it!"),
        (1, "Where is my parcel? Not arrived (order 12)"), (2, "I want to change my delivery address for order #4"),
        (0, "password reset please, I forgot my password"), (1, "parcel not arrived, where is it? #5512"),
        (2, "Change the delivery address of my order 99"),
    ]

    static func groups(_ texts: [String], threshold: Double = QuestionsQuery.defaultThreshold) -> [Int] {
        let hasher = MinHasher()
        let signatures = texts.map { hasher.signature(of: MinHasher.features(of: QuestionText.tokens($0))) }
        return SimilarityClusters(signatures: signatures, threshold: threshold).groupOf
    }

    @Test func plantedParaphrasesAreFoundAndNotMerged() {
        let groups = Self.groups(Self.planted.map(\.text))
        for question in 0..<3 {
            let members = Self.planted.indices.filter { Self.planted[$0].question == question }
            var sizes: [Int: Int] = [:]
            for member in members { sizes[groups[member], default: 0] += 1 }
            // Most of each question's paraphrases (3 of 5: they reword freely) share one group…
            #expect(sizes.values.max() ?? 0 >= 3, "question \(question): groups \(members.map { groups[$0] })")
            // …and no group holds two questions.
            for other in Self.planted.indices where Self.planted[other].question != question {
                #expect(!members.contains { groups[$0] == groups[other] })
            }
        }
    }

    @Test func distinctQuestionsStayApart() {
        let texts = [
            "how do I reset my password", "where is my parcel", "cancel my subscription",
            "invoice for last month", "change my delivery address", "the app crashes on start",
        ]
        #expect(Self.groups(texts) == Array(0..<texts.count))
    }

    @Test func groupsAreTheSameOnEveryRunAndNamedByTheirFirstMember() {
        let texts = Self.planted.map(\.text)
        let first = Self.groups(texts)
        #expect(Self.groups(texts) == first)
        for (index, group) in first.enumerated() { #expect(group <= index && first[group] == group) }
    }

    @Test func aChainOfPairsDoesNotJoinTheEnds() {
        // a~b and b~c, but a and c share little: leader clustering keeps c out of a's group.
        let a: [UInt64] = Array(0..<10)
        let b: [UInt64] = Array(3..<13)
        let c: [UInt64] = Array(6..<16)
        let hasher = MinHasher(permutations: 128)
        let groups = SimilarityClusters(
            signatures: [a, b, c].map { hasher.signature(of: $0.map(StableHash.mix)) }, threshold: 0.4
        ).groupOf
        #expect(groups[0] == groups[1] && groups[2] != groups[0], "\(groups)")
    }
}
