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

    /// Whether `string` follows the identifier rule: 1 to ``maxIdentifierBytes`` bytes of UTF-8, no
    /// control character (U+0000–U+001F, U+007F).
    public static func isIdentifier(_ string: String) -> Bool {
        let utf8 = string.utf8
        return !utf8.isEmpty && utf8.count <= maxIdentifierBytes && !utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }
}
