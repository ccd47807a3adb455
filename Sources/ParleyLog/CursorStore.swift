#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Named consumer positions for a log, kept beside it in `<log>.cursors/NAME`, one small text file each:
///
/// ```
/// parley-cursor 1 <log id, 32 hex digits> <last acknowledged seq>\n
/// ```
///
/// A consumer that restarts from its cursor gets every event after the last acknowledged one again:
/// at-least-once delivery. Saving is atomic (write a temporary file, `fsync`, `rename`, `fsync` the
/// directory), so a crash leaves the old position or the new one, never a torn file. A cursor names its
/// log: using it with another log is an error.
public struct CursorStore: Sendable {
    /// The log the cursors belong to.
    public let logPath: String
    /// The log's id.
    public let logID: [UInt8]

    /// A cursor as stored.
    public struct Cursor: Equatable, Sendable {
        public var name: String
        /// The last acknowledged sequence number (0: nothing acknowledged yet).
        public var seq: UInt64
    }

    /// Creates a store for the log at `logPath` with id `logID`.
    public init(logPath: String, logID: [UInt8]) {
        self.logPath = logPath
        self.logID = logID
    }

    /// The folder holding the cursor files.
    public var directory: String { logPath + ".cursors" }

    /// Checks a cursor name: 1 to 64 of `A–Z a–z 0–9 . _ -`, not starting with a dot.
    /// - Returns: what is wrong with the name, or `nil` when it is fine.
    public static func validate(name: String) -> String? {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed, !name.hasPrefix(".") else {
            return "a cursor name is 1 to 64 of the characters A-Z a-z 0-9 . _ - and does not start with a dot"
        }
        return nil
    }

    /// Reads a cursor.
    /// - Returns: the last acknowledged seq, or `nil` when there is no cursor of that name.
    /// - Throws: ``LogError`` `.corruption` when the file is not a cursor or belongs to another log, `.io`.
    public func load(_ name: String) throws(LogError) -> UInt64? {
        let path = directory + "/" + name
        let fd: Int32
        switch SystemCalls.open(path, O_RDONLY) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error == .noEntry: return nil
        case .failure(let error): throw LogError.io("open", error, path: path)
        }
        defer { SystemCalls.close(fd) }
        var bytes = [UInt8](repeating: 0, count: 256)
        let count: Int
        switch bytes.withUnsafeMutableBytes({ SystemCalls.preadFully(fd, into: $0, at: 0) }) {
        case .success(let n): count = n
        case .failure(let error): throw LogError.io("pread", error, path: path)
        }
        let text = String(decoding: bytes[0..<count], as: UTF8.self)
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 4, fields[0] == "parley-cursor", fields[1] == "1",
            text.hasSuffix("\n"), let seq = UInt64(fields[3].dropLast())
        else {
            throw LogError(.corruption, reason: "not a Parley cursor file", path: path)
        }
        guard fields[2] == Substring(LogHeader.hex(logID)) else {
            throw LogError(
                .corruption,
                reason:
                    "cursor \"\(name)\" belongs to another log (log id \(fields[2]), this log is \(LogHeader.hex(logID)))",
                path: path)
        }
        return seq
    }

    /// Saves a cursor atomically and durably.
    /// - Throws: ``LogError`` `.io`.
    public func save(_ name: String, seq: UInt64) throws(LogError) {
        switch SystemCalls.mkdir(directory, mode: 0o700) {
        case .success: _ = SystemCalls.fsyncDirectory(of: directory)
        case .failure(let error) where error == .exists: break
        case .failure(let error): throw LogError.io("mkdir", error, path: directory)
        }
        let contents = Array("parley-cursor 1 \(LogHeader.hex(logID)) \(seq)\n".utf8)
        try AtomicFile.write(contents, to: directory + "/" + name)
    }

    /// Every cursor of the log, by name. Files that are not cursors of this log are reported as errors
    /// in the second list rather than hidden.
    public func list() throws(LogError) -> (cursors: [Cursor], problems: [LogError]) {
        var cursors: [Cursor] = []
        var problems: [LogError] = []
        for name in SystemCalls.directoryEntries(directory).sorted() where !name.hasPrefix(".") {
            do {
                if let seq = try load(name) { cursors.append(Cursor(name: name, seq: seq)) }
            } catch {
                problems.append(error)
            }
        }
        return (cursors, problems)
    }
}
