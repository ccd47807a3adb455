/// Names the CLI used before the engine owned the conversations: `state.collector.book` and
/// `KPIReport.make(from: state.collector, …)` still compile, and read the same values. To be removed once
/// every front end reads ``ProjectionState/conversations`` and `KPIReport.make(from: state, …)`.
extension ProjectionState {
    /// The state itself (was the KPI collector, which owned the conversations).
    public var collector: ProjectionState { self }
    /// ``conversations``.
    public var book: ConversationBook { engine.conversations }
}
