/// Counts, at the end of each bucket, the **conversations** with an open episode (issue #3): a
/// conversation whose episodes overlap in event time (a late message opened the next episode before the
/// previous one's `resolved`) counts once, not once per episode.
///
/// Each episode adds the buckets it is open at the end of, as a range of bucket slots. A conversation's
/// first range goes straight into a difference array; only conversations with a second range keep their
/// ranges, which are merged at the end. So the cost is one array of the episodes' size and the usual
/// difference array, plus a little for conversations with several episodes in the report's range:
/// 16 bytes per episode in all.
struct BacklogCounter {
    private var delta: [Int]
    /// Per episode: the index of its conversation's first episode (the conversation's key here).
    private var chainStart: [Int]
    /// Per conversation key: its first range, packed as lower << 32 | upper, or `none`. Slots fit in 32
    /// bits: a report has at most one bucket per day of the Int64 nanosecond range (about 213,500).
    private var firstRange: [UInt64]
    private static let none = UInt64.max
    /// Every range of the conversations that have more than one.
    private var moreRanges: [Int: [ClosedRange<Int>]] = [:]

    /// A counter for `buckets` slots over a report of `episodes` episode records (conversation keys below
    /// `episodes`; a larger key makes room for itself).
    init(buckets: Int, episodes: Int) {
        delta = [Int](repeating: 0, count: buckets + 1)
        chainStart = []
        chainStart.reserveCapacity(episodes)
        firstRange = [UInt64](repeating: Self.none, count: episodes)
    }

    /// The key of the conversation of episode `position` (the index of its first episode), given the index
    /// of the episode before it in the same conversation (-1: none). Call once per episode, in order.
    mutating func conversation(ofEpisode position: Int, previous: Int) -> Int {
        precondition(position == chainStart.count, "episodes in order")
        // `previous < position` holds for every record (checked when a checkpoint is loaded).
        let key = previous >= 0 && previous < position ? chainStart[previous] : position
        chainStart.append(key)
        return key
    }

    /// Records that conversation `key` has an open episode at the end of every slot in `slots`.
    mutating func add(_ slots: ClosedRange<Int>, conversation key: Int) {
        if key >= firstRange.count {
            firstRange.append(contentsOf: repeatElement(Self.none, count: key - firstRange.count + 1))
        }
        let packed = firstRange[key]
        guard packed != Self.none else {
            firstRange[key] = UInt64(slots.lowerBound) << 32 | UInt64(slots.upperBound)
            delta[slots.lowerBound] += 1
            delta[slots.upperBound + 1] -= 1
            return
        }
        moreRanges[key, default: [Self.unpack(packed)]].append(slots)
    }

    private static func unpack(_ packed: UInt64) -> ClosedRange<Int> {
        Int(packed >> 32)...Int(packed & 0xFFFF_FFFF)
    }

    /// The backlog at the end of each slot.
    func counts() -> [Int] {
        var delta = delta
        for (key, ranges) in moreRanges {
            // Take back the first range, put in the union of all of them.
            let first = Self.unpack(firstRange[key])
            delta[first.lowerBound] -= 1
            delta[first.upperBound + 1] += 1
            var merged: ClosedRange<Int>?
            for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if let current = merged, range.lowerBound <= current.upperBound + 1 {
                    merged = current.lowerBound...max(current.upperBound, range.upperBound)
                    continue
                }
                if let current = merged {
                    delta[current.lowerBound] += 1
                    delta[current.upperBound + 1] -= 1
                }
                merged = range
            }
            if let current = merged {
                delta[current.lowerBound] += 1
                delta[current.upperBound + 1] -= 1
            }
        }
        var result: [Int] = []
        result.reserveCapacity(delta.count - 1)
        var open = 0
        for slot in 0..<(delta.count - 1) {
            open += delta[slot]
            result.append(open)
        }
        return result
    }
}
