/// Constants of the on-disk format, version 1. `docs/FORMAT.md` is the specification; this file
/// and that document must agree (a golden-file test pins the bytes).
public enum LogFormat {
    /// The 8 magic bytes every log starts with: ASCII `PARLEYLG`.
    public static let magic: [UInt8] = Array("PARLEYLG".utf8)
    /// The format version this build writes and reads.
    public static let version: UInt16 = 1
    /// Size of the file header in bytes.
    public static let fileHeaderBytes = 64
    /// Size of a frame header in bytes (checksum, length, salt, first seq, count, commit time).
    public static let frameHeaderBytes = 36
    /// Size of the length prefix of each event record inside a frame.
    public static let recordPrefixBytes = 4
    /// Largest frame a writer produces and a reader accepts: 64 MiB, header included.
    /// A reader never allocates more than this for one frame, whatever the length field says.
    public static let maxFrameBytes = 64 << 20
    /// Largest number of events in one frame.
    public static let maxEventsPerFrame = 1 << 24
}
