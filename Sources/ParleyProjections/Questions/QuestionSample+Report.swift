import Foundation
import ParleyEvents

extension QuestionSample {
    /// The window and the previous one (ns): `nil` for a window that ends at the latest event time when the
    /// sample saw no event.
    public var bounds: (previousStart: Int64, start: Int64, end: Int64)? {
        switch window {
        case .fixed(let start, let end): return (Window.subtracting(start, Window.subtracting(end, start)), start, end)
        case .endingAtLatest(let length):
            guard let latest else { return nil }
            let end = Self.end(after: latest)
            let start = Window.subtracting(end, length)
            return (Window.subtracting(start, length), start, end)
        }
    }

    /// The end of a window that ends at the latest event time (ns): the next whole second after it, so
    /// that the bounds read plainly; the last time an Int64 of nanoseconds holds when that second is past
    /// it (an event in the last second of the range).
    public static func end(after latest: Int64) -> Int64 {
        let second: Int64 = 1_000_000_000
        let floor = latest / second - (latest % second < 0 ? 1 : 0)
        let (end, overflow) = (floor + 1).multipliedReportingOverflow(by: second)
        return overflow ? .max : end
    }

    /// The clusters of at least `minimum` messages in the window, joined at estimated Jaccard similarity
    /// `threshold` (docs/QUESTIONS.md).
    public func report(minimum: Int, threshold: Double) -> QuestionsReport {
        guard let (previousStart, start, end) = bounds else {
            return QuestionsReport(
                start: 0, end: 0, previousStart: 0, episodes: 0, previousEpisodes: 0, minimum: minimum,
                threshold: threshold, clusters: [])
        }
        let started = items.indices.filter { items[$0].start >= previousStart && items[$0].start < end }
        // Messages without words are counted apart: their empty signatures would all join one cluster.
        let members = started.filter { !items[$0].signature.isEmpty }
        let groups = SimilarityClusters(signatures: members.map { items[$0].signature }, threshold: threshold)
        var documentFrequency = [Int](repeating: 0, count: words.count)
        for member in members { for term in items[member].terms { documentFrequency[Int(term)] += 1 } }
        var byGroup: [Int: [Int]] = [:]
        for (position, group) in groups.groupOf.enumerated() { byGroup[group, default: []].append(members[position]) }
        var found: [(first: Int, cluster: QuestionCluster)] = []
        for group in byGroup.keys.sorted() {
            let all = byGroup[group]!
            let current = all.filter { items[$0].start >= start }
            guard current.count >= minimum else { continue }
            let cluster = summary(
                current: current, previousCount: all.count - current.count, threshold: threshold,
                documentFrequency: documentFrequency, documents: members.count)
            found.append((all[0], cluster))
        }
        found.sort { ($0.cluster.count, $1.first) > ($1.cluster.count, $0.first) }
        let episodes = started.count { items[$0].start >= start }
        return QuestionsReport(
            start: start, end: end, previousStart: previousStart, episodes: episodes,
            previousEpisodes: started.count - episodes, minimum: minimum, threshold: threshold,
            clusters: found.map(\.cluster),
            withoutWords: started.count { items[$0].start >= start && items[$0].signature.isEmpty })
    }

    /// The summary of one cluster from its members in the window (item indices, in log order).
    func summary(current: [Int], previousCount: Int, threshold: Double, documentFrequency: [Int], documents: Int)
        -> QuestionCluster
    {
        var examples: [String] = []
        for member in current where examples.count < 5 && !examples.contains(items[member].conversation) {
            examples.append(items[member].conversation)
        }
        let replies = current.compactMap { items[$0].reply }
        var reuse: Double?
        if !replies.isEmpty {
            let groups = SimilarityClusters(signatures: replies, threshold: threshold).groupOf
            var sizes: [Int: Int] = [:]
            for group in groups { sizes[group, default: 0] += 1 }
            reuse = Double(groups.count { sizes[$0]! > 1 }) / Double(replies.count)
        }
        return QuestionCluster(
            label: label(of: current, documentFrequency: documentFrequency, documents: documents),
            count: current.count, previousCount: previousCount,
            categories: Self.shares(current.map { items[$0].category ?? "(none)" }),
            channels: Self.shares(current.map { items[$0].channel?.name ?? "(none)" }),
            examples: examples, members: current.map { items[$0].conversation }, snippet: items[current[0]].snippet,
            replies: replies.count, templateReuse: reuse)
    }

    /// The most typical words of the members: the words that at least two members and 40% of them use,
    /// weighed by how rare they are among all first messages of both windows (tf·idf), up to four, best
    /// first.
    func label(of members: [Int], documentFrequency: [Int], documents: Int) -> String {
        var frequency: [UInt32: Int] = [:]
        for member in members { for term in items[member].terms { frequency[term, default: 0] += 1 } }
        let floor = max(2, (members.count * 2 + 4) / 5)
        let scored = frequency.filter { $0.value >= floor }.map { term, count in
            let rarity = log(Double(documents + 1) / Double(documentFrequency[Int(term)] + 1)) + 1
            return (word: words[Int(term)], score: Double(count) / Double(members.count) * rarity)
        }
        let best = scored.sorted { ($0.score, $1.word) > ($1.score, $0.word) }.prefix(4)
        return best.isEmpty ? "(no words)" : best.map(\.word).joined(separator: " ")
    }

    /// How many times each name occurs, most first, then by name.
    static func shares(_ names: [String]) -> [QuestionCluster.Share] {
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        return counts.map { QuestionCluster.Share(name: $0.key, count: $0.value) }
            .sorted { ($0.count, $1.name) > ($1.count, $0.name) }
    }
}
