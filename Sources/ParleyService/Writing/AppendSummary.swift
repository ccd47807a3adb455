/// What a write committed: how many events, in how many batches (frames), and their sequence numbers.
public struct AppendSummary: Equatable, Sendable {
    /// Events committed.
    public var events: UInt64 = 0
    /// Of ``events``, the routing decisions written with them (``EventAppender/routing``).
    public var decisions: UInt64 = 0
    /// Batches committed, each one frame written and synced on its own.
    public var batches = 0
    /// The sequence numbers committed, first to last; `nil` when nothing was.
    public var committed: ClosedRange<UInt64>?

    /// Nothing committed.
    public init() {}

    /// Counts one more committed batch.
    mutating func add(_ seqs: ClosedRange<UInt64>) {
        events += UInt64(seqs.count)
        batches += 1
        committed = (committed?.lowerBound ?? seqs.lowerBound)...seqs.upperBound
    }
}
