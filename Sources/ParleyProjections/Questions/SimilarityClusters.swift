/// Groups MinHash signatures whose estimated Jaccard similarity reaches a threshold: leader clustering
/// with LSH banding to find the candidates.
///
/// Signatures are taken in input order. Each one is compared with the leaders of the groups found so far
/// that share a band with it (LSH: signatures cut into bands of `rows` positions; two signatures that
/// agree on a whole band meet, with probability 1 − (1 − J^rows)^bands for similarity J: with 64
/// positions in 32 bands of 2, 95% at J = 0.3 and over 99.99% at J = 0.5). It joins the most similar of
/// those leaders when that similarity reaches the threshold, and leads a new group otherwise. Every
/// member is thus similar to its group's leader: unlike single linkage, a chain of pairs that are each
/// alike does not join texts that are not (tried on real text first: single linkage merged unrelated
/// questions through their common openings, "I don't know how to…"). At most `comparisonsPerBand`
/// leaders are tried in one band, which bounds the work on bands that many texts share. The answer
/// depends only on the input and its order.
public struct SimilarityClusters: Sendable {
    /// The group of each input signature: the index of its leader (its first member).
    public let groupOf: [Int]

    /// Groups `signatures` (all of one ``MinHasher``).
    /// - Parameters:
    ///   - threshold: the estimated Jaccard similarity at which a signature joins a leader.
    ///   - rows: positions per band (the signature length must be a multiple).
    ///   - comparisonsPerBand: at most this many leaders are tried in one band.
    public init(signatures: [[UInt32]], threshold: Double, rows: Int = 2, comparisonsPerBand: Int = 16) {
        let length = signatures.first?.count ?? 0
        precondition(rows > 0 && length % rows == 0, "the signature length must be a multiple of the rows")
        let bands = length / rows
        var leadersByBand: [UInt64: [Int]] = [:]
        var groupOf: [Int] = []
        groupOf.reserveCapacity(signatures.count)
        var keys = [UInt64](repeating: 0, count: bands)
        var tried: [Int] = []
        for (index, signature) in signatures.enumerated() {
            var best: (leader: Int, similarity: Double)?
            tried.removeAll(keepingCapacity: true)
            for band in 0..<bands {
                var key = UInt64(band)
                for row in 0..<rows { key = StableHash.combine(key, UInt64(signature[band * rows + row])) }
                keys[band] = key
                for leader in (leadersByBand[key] ?? []).prefix(comparisonsPerBand) where !tried.contains(leader) {
                    tried.append(leader)
                    if let similarity = MinHasher.similarity(signatures[leader], signature, reaching: threshold),
                        similarity > best?.similarity ?? -1
                    {
                        best = (leader, similarity)
                    }
                }
            }
            if let best {
                groupOf.append(best.leader)
            } else {
                groupOf.append(index)
                for key in keys { leadersByBand[key, default: []].append(index) }
            }
        }
        self.groupOf = groupOf
    }
}
