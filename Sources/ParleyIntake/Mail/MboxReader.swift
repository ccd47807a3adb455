/// Reads an mbox file one message at a time, never holding more than one message in memory.
///
/// Framing: a message starts at a line beginning with `From ` (the "From_ line") at the start of the
/// file or after an empty line. Some writers omit that empty line, so a `From ` line right after a
/// non-empty line also starts a message, but only when it looks like a From_ line (`From SENDER ...`
/// with a `hh:mm` time and a four-digit year), so that an unescaped `From ` in a body rarely splits it.
/// The empty line before the next From_ line (and one at the end of the file) belongs to the framing and
/// is removed from the message. Empty lines at the very start of the file are skipped.
///
/// Escaping: writers put `>` before body lines that would look like a From_ line.
/// - `mboxrd` (the default) escapes every `>*From ` line, so reading removes one `>` from each line that
///   matches `>+From `: `>From ` → `From `, `>>From ` → `>From `. This round-trips exactly.
/// - `mboxo` escapes only `From ` lines and leaves `>From ` alone, so an escaped `From ` and an original
///   `>From ` look the same: the format is ambiguous and cannot round-trip. Reading an mboxo file as
///   mboxrd turns an original `>From ` (rare: quoted text) into `From `; reading it with `.mboxo` removes
///   the `>` only from lines that start with exactly one `>` before `From `. Neither choice touches
///   headers, so threading and dates are the same either way.
/// - `none` leaves every line as stored.
///
/// Errors are reported and the reader goes on: after `next()` throws, calling it again continues with
/// the following message. A file whose first non-empty line is not a From_ line throws
/// ``MailError/Code/malformedContainer`` once (at that line) and then skips to the first From_ line; a
/// message larger than `maximumMessageBytes` throws ``MailError/Code/messageTooLarge`` at its From_ line.
public struct MboxReader {
    /// How body lines that look like From_ lines were escaped.
    public enum Escaping: Sendable, Equatable {
        /// `>+From ` → one `>` fewer (round-trips).
        case mboxrd
        /// `>From ` → `From ` only (ambiguous: see ``MboxReader``).
        case mboxo
        /// Lines are left as stored.
        case none
    }

    private var lines: MailLineReader
    private let escaping: Escaping
    private let maximumMessageBytes: Int
    private var current: (offset: Int, line: Int, envelope: String)?
    private var body: [UInt8] = []
    private var oversize = false
    private var previousLineEmpty = true
    private var reportedJunk = false
    private var sawContent = false
    private var finished = false

    /// Opens the mbox file at `path`.
    /// - Parameters:
    ///   - escaping: how `From ` lines in bodies were escaped (default mboxrd).
    ///   - maximumMessageBytes: a larger message is skipped and reported (default 64 MiB).
    /// - Throws: ``MailError/Code/unreadable`` when the file cannot be opened.
    public init(path: String, escaping: Escaping = .mboxrd, maximumMessageBytes: Int = 64 << 20)
        throws(MailError)
    {
        lines = try MailLineReader(path: path, maximumFragment: 1 << 20)
        self.escaping = escaping
        self.maximumMessageBytes = maximumMessageBytes
    }

    /// Reads an mbox held in memory; `file` names it in locations.
    public init(
        bytes: [UInt8], file: String? = nil, escaping: Escaping = .mboxrd, maximumMessageBytes: Int = 64 << 20
    ) {
        lines = MailLineReader(bytes: bytes, file: file, maximumFragment: 1 << 20)
        self.escaping = escaping
        self.maximumMessageBytes = maximumMessageBytes
    }

    /// The next message, or `nil` after the last one.
    /// - Throws: ``MailError`` for a malformed start, an oversized message or a read failure; call
    ///   `next()` again to go on.
    public mutating func next() throws(MailError) -> MailboxMessage? {
        if finished { return nil }
        while true {
            guard let line = try lines.next() else {
                finished = true
                lines.close()
                return try finish()?.get()
            }
            let isSeparator =
                line.atLineStart && Self.startsWithFrom(line.bytes)
                && (previousLineEmpty || Self.looksLikeFromLine(line.bytes))
            if isSeparator {
                let done = finish()
                current = (line.offset, line.number, Self.envelope(of: line.bytes))
                previousLineEmpty = false
                if let done { return try done.get() }
                continue
            }
            defer { previousLineEmpty = line.atLineStart && line.isEmpty }
            guard current != nil else {
                if !sawContent && line.isEmpty { continue }
                sawContent = true
                if !reportedJunk {
                    reportedJunk = true
                    previousLineEmpty = line.isEmpty
                    throw MailError(
                        code: .malformedContainer, location: lines.location(offset: line.offset, line: line.number),
                        reason: "not an mbox: expected a line starting with \"From \" before any message")
                }
                continue
            }
            if oversize { continue }
            if line.atLineStart, let unescaped = unescape(line.bytes) {
                body.append(contentsOf: unescaped)
            } else {
                body.append(contentsOf: line.bytes)
            }
            if body.count > maximumMessageBytes {
                oversize = true
                body = []
            }
        }
    }

    /// Ends the current message (if any) and resets the accumulator.
    private mutating func finish() -> Result<MailboxMessage, MailError>? {
        guard let started = current else { return nil }
        sawContent = true
        current = nil
        defer {
            body = []
            oversize = false
        }
        let location = lines.location(offset: started.offset, line: started.line)
        if oversize {
            return .failure(
                MailError(
                    code: .messageTooLarge, location: location,
                    reason: "message longer than \(maximumMessageBytes) bytes; skipped"))
        }
        var bytes = body
        if bytes.count >= 4, Array(bytes.suffix(4)) == [0x0D, 0x0A, 0x0D, 0x0A] {
            bytes.removeLast(2)
        } else if bytes.count >= 2, Array(bytes.suffix(2)) == [0x0A, 0x0A] {
            bytes.removeLast()
        } else if bytes == [0x0A] || bytes == [0x0D, 0x0A] {
            bytes = []
        }
        return .success(MailboxMessage(bytes: bytes, location: location, envelope: started.envelope))
    }

    private func unescape(_ line: [UInt8]) -> [UInt8]? {
        var quotes = 0
        while quotes < line.count, line[quotes] == UInt8(ascii: ">") { quotes += 1 }
        guard quotes > 0, Self.startsWithFrom(line[quotes...]) else { return nil }
        switch escaping {
        case .mboxrd: return Array(line.dropFirst())
        case .mboxo: return quotes == 1 ? Array(line.dropFirst()) : nil
        case .none: return nil
        }
    }

    static let fromSpace: [UInt8] = Array("From ".utf8)

    static func startsWithFrom(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: fromSpace)
    }

    private static func envelope(of line: [UInt8]) -> String {
        var rest = line.dropFirst(fromSpace.count)
        while let last = rest.last, last == 0x0A || last == 0x0D { rest.removeLast() }
        return String(decoding: rest, as: UTF8.self)
    }

    /// `From SENDER` then, somewhere after, a `d:dd` time and a four-digit year.
    static func looksLikeFromLine(_ line: [UInt8]) -> Bool {
        let rest = Array(line.dropFirst(fromSpace.count).prefix(512))
        guard let first = rest.first, first != 0x20, first != 0x09, let space = rest.firstIndex(of: 0x20) else {
            return false
        }
        let tail = rest[space...]
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        var hasTime = false
        var hasYear = false
        var run = 0
        for (index, byte) in zip(tail.indices, tail) {
            if isDigit(byte) {
                run += 1
            } else {
                if run == 4 && (byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D) {
                    hasYear = true
                }
                run = 0
            }
            if byte == UInt8(ascii: ":"), index > tail.startIndex, isDigit(tail[index - 1]), index + 2 < tail.endIndex,
                isDigit(tail[index + 1]), isDigit(tail[index + 2])
            {
                hasTime = true
            }
        }
        if run == 4 { hasYear = true }
        return hasTime && hasYear
    }
}
