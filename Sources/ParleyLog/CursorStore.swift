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
///
/// A cursor file is read strictly: exactly that line, the seq in decimal without a sign or leading zeros
/// and at most ``maxSeq``. Cursor files are never opened through a symbolic link and must be regular
/// files (``LogError/Code/notRegularFile`` otherwise), so a FIFO or device in their place cannot block.
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
    public var directory: String { LogFiles(log: logPath).cursors }

    /// The largest seq a cursor holds: `Int64.max`. A log holds fewer events than bytes, and no file holds
    /// more than `Int64.max` bytes, so a larger seq was never acknowledged; with this bound `seq + 1`
    /// cannot overflow.
    public static let maxSeq = UInt64(Int64.max)

    /// The longest cursor file: the line with a 19-digit seq.
    static let maxFileBytes = "parley-cursor 1 ".utf8.count + 32 + 1 + 19 + 1

    /// Parses the bytes of a cursor file.
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - logID: the log the cursor must belong to.
    ///   - name: the cursor's name (for messages).
    ///   - path: the cursor file (for messages).
    /// - Returns: the last acknowledged seq, at most ``maxSeq``.
    /// - Throws: ``LogError`` `.corruption` saying what is wrong: not a cursor file, a seq out of range, or
    ///   another log's cursor.
    static func parse(_ bytes: ArraySlice<UInt8>, logID: [UInt8], name: String, path: String) throws(LogError)
        -> UInt64
    {
        let prefix = Array("parley-cursor 1 ".utf8)
        let hexStart = bytes.startIndex + prefix.count
        let seqStart = hexStart + 33
        guard bytes.count > prefix.count + 33, bytes.count <= maxFileBytes, bytes.starts(with: prefix),
            bytes[hexStart..<hexStart + 32].allSatisfy(Self.isLowercaseHex), bytes[hexStart + 32] == 0x20,
            bytes.last == 0x0A
        else {
            throw LogError(
                .corruption,
                reason: "not a Parley cursor file (expected one line \"parley-cursor 1 LOGID SEQ\")", path: path)
        }
        let digits = bytes[seqStart..<bytes.endIndex - 1]
        guard !digits.isEmpty, digits.count <= 19, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            digits.count == 1 || digits.first != 0x30
        else {
            throw LogError(
                .corruption, reason: "not a Parley cursor file (the seq is not a decimal number of 1 to 19 digits)",
                path: path)
        }
        // 19 digits fit in a UInt64: no overflow.
        let seq = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 0x30) }
        guard seq <= maxSeq else {
            throw LogError(
                .corruption, reason: "cursor \"\(name)\" holds seq \(seq), beyond any log (at most \(maxSeq))",
                path: path)
        }
        let id = String(decoding: bytes[hexStart..<hexStart + 32], as: UTF8.self)
        guard id == LogHeader.hex(logID) else {
            throw LogError(
                .corruption,
                reason: "cursor \"\(name)\" belongs to another log (log id \(id), this log is \(LogHeader.hex(logID)))",
                path: path)
        }
        return seq
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
    }

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
    /// - Returns: the last acknowledged seq (at most ``maxSeq``), or `nil` when there is no cursor of that name.
    /// - Throws: ``LogError`` `.corruption` when the file is not a cursor (see ``CursorStore``) or belongs to
    ///   another log, `.notRegularFile` for a symbolic link, FIFO, device or directory in its place, `.io`.
    public func load(_ name: String) throws(LogError) -> UInt64? {
        let path = directory + "/" + name
        let fd: Int32
        switch SystemCalls.openRegularFile(path, O_RDONLY) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error == .noEntry: return nil
        case .failure(let error): throw LogError.io("open", error, path: path)
        }
        defer { SystemCalls.close(fd) }
        var bytes = [UInt8](repeating: 0, count: Self.maxFileBytes + 1)
        let count: Int
        switch bytes.withUnsafeMutableBytes({ SystemCalls.preadFully(fd, into: $0, at: 0) }) {
        case .success(let n): count = n
        case .failure(let error): throw LogError.io("pread", error, path: path)
        }
        return try Self.parse(bytes[0..<count], logID: logID, name: name, path: path)
    }

    /// Saves a cursor atomically and durably.
    /// - Throws: ``LogError`` `.io`; `.corruption` for a seq beyond ``maxSeq`` (no log holds it).
    public func save(_ name: String, seq: UInt64) throws(LogError) {
        guard seq <= Self.maxSeq else {
            throw LogError(
                .corruption, reason: "seq \(seq) is beyond any log (at most \(Self.maxSeq)); cursor not saved",
                path: directory + "/" + name)
        }
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
