/// Limits on event fields, enforced when JSON Lines input is parsed (`append`). Stored records are not
/// held to the identifier and text limits when they are decoded or verified (only to the JSON nesting
/// depth): a record written by hand can hold what `append` would refuse (docs/FORMAT.md, "Event records").
public enum EventLimits {
    /// Maximum UTF-8 length of `body`: 1 MiB.
    public static let maxBodyBytes = 1 << 20
    /// Maximum UTF-8 length of `subject`.
    public static let maxSubjectBytes = 16 << 10
    /// Maximum UTF-8 length of an identifier (conversation, customer, author, assignee, team,
    /// category, message id, same_as).
    public static let maxIdentifierBytes = 512
    /// Maximum nesting depth of JSON arrays and objects in an input line.
    public static let maxJSONDepth = 64
    /// Maximum length of one input line in bytes (a 1 MiB body fully `\u`-escaped still fits).
    public static let maxLineBytes = 8 << 20
}
