/// The timers of the routing rules scheduled for open conversations, earliest first (a binary min-heap).
/// Ties are broken by conversation, then timer, so the order never depends on insertion history.
struct TimerHeap: Equatable, Sendable {
    /// One scheduled timer.
    struct Entry: Equatable, Sendable {
        /// When it falls due (ns).
        var due: Int64
        /// The conversation's ordinal.
        var position: Int
        /// The timer's position in the rules.
        var timer: Int
        /// The conversation's timer epoch when it was scheduled (a later epoch makes it stale).
        var epoch: UInt32

        static func precedes(_ a: Entry, _ b: Entry) -> Bool {
            (a.due, a.position, a.timer, a.epoch) < (b.due, b.position, b.timer, b.epoch)
        }
    }

    private(set) var entries: [Entry] = []

    var first: Entry? { entries.first }
    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Entry.precedes(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() {
        guard !entries.isEmpty else { return }
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, Entry.precedes(entries[left], entries[smallest]) { smallest = left }
            if right < entries.count, Entry.precedes(entries[right], entries[smallest]) { smallest = right }
            guard smallest != parent else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
