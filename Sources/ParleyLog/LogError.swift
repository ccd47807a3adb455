/// An error of the log layer, with the context needed to act on it: the file, the byte offset and
/// sequence numbers concerned, and the `errno` and system call of an I/O failure.
public struct LogError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. Codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case notFound, alreadyExists, locked, io, notALog, unsupportedVersion, corruptHeader
            case corruption, writerFailed, batchTooLarge, emptyBatch, closed, notRegularFile
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No file at the path.
        public static let notFound = Code(.notFound)
        /// `create` found a file already at the path.
        public static let alreadyExists = Code(.alreadyExists)
        /// Another writer holds the log's lock.
        public static let locked = Code(.locked)
        /// A system call failed (see ``LogError/errno`` and ``LogError/syscall``).
        public static let io = Code(.io)
        /// The file does not start with the Parley magic bytes.
        public static let notALog = Code(.notALog)
        /// The file is a Parley log of a format version this build does not read.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The file header is truncated or fails its checksum.
        public static let corruptHeader = Code(.corruptHeader)
        /// Damage that is not a torn tail: a bad frame with valid frames after it, a foreign or stale
        /// frame, a sequence gap or duplicate. The writer refuses to open; `parley repair` truncates.
        public static let corruption = Code(.corruption)
        /// An earlier write or fsync failed; this writer accepts nothing more. Reopen to recover.
        public static let writerFailed = Code(.writerFailed)
        /// The batch does not fit in one frame (``LogFormat/maxFrameBytes``).
        public static let batchTooLarge = Code(.batchTooLarge)
        /// A batch with no events: there is nothing to append.
        public static let emptyBatch = Code(.emptyBatch)
        /// The writer was closed.
        public static let closed = Code(.closed)
        /// The path names a directory, FIFO, device, socket or (for the files beside a log) a symbolic
        /// link: Parley reads and writes only regular files (``LogError/errno`` says which kind).
        public static let notRegularFile = Code(.notRegularFile)

        public var description: String {
            switch base {
            case .notFound: "not found"
            case .alreadyExists: "already exists"
            case .locked: "locked"
            case .io: "I/O error"
            case .notALog: "not a Parley log"
            case .unsupportedVersion: "unsupported format version"
            case .corruptHeader: "corrupt header"
            case .corruption: "corruption"
            case .writerFailed: "writer failed"
            case .batchTooLarge: "batch too large"
            case .emptyBatch: "empty batch"
            case .closed: "closed"
            case .notRegularFile: "not a regular file"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// The log file (or other file) concerned.
    public var path: String?
    /// Byte offset in the file where the problem is.
    public var offset: Int64?
    /// Sequence numbers concerned (e.g. the events a damaged frame should have held).
    public var sequenceRange: ClosedRange<UInt64>?
    /// The system call that failed, e.g. `fdatasync`.
    public var syscall: String?
    /// The `errno` of a failed system call.
    public var errno: Errno?
    /// Human-readable explanation, without the location.
    public var reason: String

    /// Creates an error.
    public init(
        _ code: Code, reason: String, path: String? = nil, offset: Int64? = nil,
        sequenceRange: ClosedRange<UInt64>? = nil, syscall: String? = nil, errno: Errno? = nil
    ) {
        self.code = code
        self.reason = reason
        self.path = path
        self.offset = offset
        self.sequenceRange = sequenceRange
        self.syscall = syscall
        self.errno = errno
    }

    /// An I/O error from a failed system call; ``Code/notRegularFile`` when the path names something other
    /// than a regular file (``SystemCalls/openRegularFile(_:_:mode:followSymlinks:)``).
    static func io(_ syscall: String, _ errno: Errno, path: String?, offset: Int64? = nil) -> LogError {
        if errno.isNotRegularFile {
            return LogError(
                .notRegularFile, reason: "\(errno); Parley reads and writes only regular files", path: path,
                offset: offset, syscall: syscall, errno: errno)
        }
        return LogError(
            .io, reason: "\(syscall) failed: \(errno)", path: path, offset: offset, syscall: syscall, errno: errno)
    }

    /// `path: at offset 123 (seq 40–49): reason`.
    public var description: String {
        var location: [String] = []
        if let offset { location.append("offset \(offset)") }
        if let range = sequenceRange {
            // Not `range.count`: a range of UInt64 may hold more than Int.max values (hostile frames).
            location.append(
                range.lowerBound == range.upperBound
                    ? "seq \(range.lowerBound)" : "seq \(range.lowerBound)–\(range.upperBound)")
        }
        var text = path.map { "\($0): " } ?? ""
        if !location.isEmpty { text += location.joined(separator: ", ") + ": " }
        return text + reason
    }
}
