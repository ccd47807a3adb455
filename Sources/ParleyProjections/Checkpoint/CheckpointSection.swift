/// A checkpoint section's identity: its id in the section table and the version of its layout. A
/// checkpoint whose section has another version is refused (and the log replayed), like any damage.
public struct CheckpointSection: Equatable, Sendable {
    /// Unique among the sections of a checkpoint: 1 … 15 are the engine's, plug-ins take 16 and above
    /// (`ProjectionRegistryTests` checks).
    public var id: UInt32
    /// Version of the section's layout.
    public var version: UInt32
    /// A name for people (reasons, docs).
    public var name: String

    /// A section identity.
    public init(id: UInt32, version: UInt32, name: String) {
        self.id = id
        self.version = version
        self.name = name
    }
}

/// What a projection's section may be checked against when it is read: the engine's section, read first.
public struct CheckpointContext: Sendable {
    /// What the replays that built the state read (counts are bounded by its events).
    public var summary: Replay.Summary
    /// How many policies the state holds (indices in ``SLAClocks/policy`` are below it).
    public var policies: Int
}
