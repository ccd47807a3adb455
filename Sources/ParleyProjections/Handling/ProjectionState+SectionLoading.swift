extension ProjectionState {
    /// Reads the checkpoint section of `type` now, if it was deferred (``hasConversations`` is `false`): a
    /// report that needs one projection besides the KPI section (the handling figures of `kpi`) reads that
    /// section alone, not the conversations. Nothing happens when the section is loaded already.
    /// - Throws: ``Checkpoint/Problem`` when the section is damaged or malformed: the state is unchanged, and
    ///   a build that needs the whole state then refuses the checkpoint.
    public mutating func loadSection<P: Projection>(of type: P.Type) throws(Checkpoint.Problem) {
        guard let position = deferred.firstIndex(where: { $0.entry.id == P.section.id }),
            let index = Self.registered.firstIndex(where: { $0.section.id == P.section.id })
        else { return }
        let bytes = try deferred[position].checkedBytes()
        var input = StateReader(bytes)
        let context = CheckpointContext(summary: summary, policies: engine.conversations.policies.count)
        do throws(StateReader.Malformed) {
            let projection = try P(from: &input, context: context)
            guard input.isAtEnd else { throw StateReader.Malformed(reason: "bytes after the section") }
            engine.projections[index] = projection
        } catch {
            throw Checkpoint.Problem(reason: "checkpoint \(P.section.name) section is malformed (\(error.reason))")
        }
        deferred.remove(at: position)
    }
}
