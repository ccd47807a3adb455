import ParleyProjections

/// What a query did with the checkpoint beside the log, for the front end to report: used, absent, or
/// ignored (the whole log was replayed instead) and then, for a query of the whole log, saved anew.
public struct CheckpointReport: Equatable, Sendable {
    /// What became of a rebuilt checkpoint.
    public enum Rebuild: Equatable, Sendable {
        /// Saved, reaching this sequence number.
        case saved(lastSeq: UInt64)
        /// Not saved, for this reason (the answer is not affected).
        case failed(String)
    }

    /// The checkpoint's path (``LogFiles/checkpoint``).
    public var path: String
    /// How the build used it.
    public var use: ProjectionState.CheckpointUse
    /// After an ignored checkpoint and a replay of the whole log: whether a new one was saved. `nil` when
    /// none was attempted (the checkpoint was not ignored, or the query stopped before the end).
    public var rebuild: Rebuild?
    /// What the query's scope did to the answer (why it is empty, the moment it was judged at), for the
    /// front end to say apart from the answer.
    public var notices: [QueryScope.Notice] = []

    /// Creates a report.
    public init(path: String, use: ProjectionState.CheckpointUse, rebuild: Rebuild? = nil) {
        self.path = path
        self.use = use
        self.rebuild = rebuild
    }

    /// Why the checkpoint was ignored, if it was.
    public var ignoredReason: String? {
        if case .ignored(let reason) = use { return reason }
        return nil
    }
}
