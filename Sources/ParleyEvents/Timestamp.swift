/// A point in time with the UTC offset it was written with.
///
/// `nanoseconds` counts from 1970-01-01T00:00:00Z (UTC), so the instant does not depend on the offset;
/// `offsetMinutes` only records how the source wrote it (`+01:00` is 60), so it can be written back
/// the same way. Two timestamps are equal when both instant and offset are equal; compare instants
/// with ``nanoseconds``.
public struct Timestamp: Hashable, Sendable {
    /// Nanoseconds since the Unix epoch, UTC.
    public var nanoseconds: Int64
    /// The UTC offset the time was written with, in minutes (-1439 ... 1439).
    public var offsetMinutes: Int16

    /// Creates a timestamp.
    /// - Parameters:
    ///   - nanoseconds: nanoseconds since 1970-01-01T00:00:00Z.
    ///   - offsetMinutes: the UTC offset to write it with; 0 writes `Z`.
    public init(nanoseconds: Int64, offsetMinutes: Int16 = 0) {
        self.nanoseconds = nanoseconds
        self.offsetMinutes = offsetMinutes
    }
}
