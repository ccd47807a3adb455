/// Bounds on the work done for one message, so that hostile input costs bounded time and memory.
public struct MIMELimits: Equatable, Sendable {
    /// The largest message accepted, in bytes.
    public var maxInputBytes: Int
    /// The deepest nesting of multiparts accepted (the top-level multipart is depth 1).
    public var maxDepth: Int
    /// The most parts (leaves and multiparts) accepted in one message.
    public var maxParts: Int
    /// The most fields accepted in one header block.
    public var maxHeaderFields: Int
    /// The most bytes accepted in one header block.
    public var maxHeaderBytes: Int

    /// Limits generous for real mail: 64 MiB, depth 16, 2,000 parts, 2,000 fields and 1 MiB per header block.
    public init(
        maxInputBytes: Int = 64 << 20, maxDepth: Int = 16, maxParts: Int = 2_000, maxHeaderFields: Int = 2_000,
        maxHeaderBytes: Int = 1 << 20
    ) {
        self.maxInputBytes = maxInputBytes
        self.maxDepth = maxDepth
        self.maxParts = maxParts
        self.maxHeaderFields = maxHeaderFields
        self.maxHeaderBytes = maxHeaderBytes
    }
}
