#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A source of input bytes for ``JSONLinesReader``: a file descriptor, a pipe, an array in tests.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into the start of `buffer`.
    ///
    /// - Parameter buffer: where to put the bytes; never empty.
    /// - Returns: the number of bytes read, `1...buffer.count`, or 0 at the end of the input.
    /// - Throws: whatever the source fails with (an I/O error); the reader passes it on.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Splits a byte stream into lines for JSON Lines input, in bounded memory.
///
/// - Lines end at `\n`; one `\r` before it is dropped, so CRLF files are accepted. The last line
///   may lack its `\n`.
/// - A UTF-8 byte-order mark (`EF BB BF`) at the very start of the input is skipped.
/// - Lines are numbered from 1, counting every line, blank or not.
/// - A blank line (empty, or only spaces, tabs and `\r`) followed by a non-blank line is an error
///   (``EventError/Code/emptyLine``), reported before that later line is returned; blank lines at
///   the end of the input are ignored.
/// - A line longer than `maxLineBytes` (terminator excluded) is an error
///   (``EventError/Code/tooLarge``) raised as soon as the limit is passed, without reading the rest
///   of the line into memory. Memory stays within about `maxLineBytes` plus one 256 KiB read chunk.
///
/// After an error the reader can go on: the next call continues with the following line.
public struct JSONLinesReader<Source: ByteSource> {
    private let maxLineBytes: Int
    private let chunkSize = 256 << 10

    /// Input read but not yet consumed is `storage[start..<end]`.
    private var storage: [UInt8] = []
    private var start = 0
    private var end = 0
    /// `storage[start..<scanned]` is known to contain no `\n`.
    private var scanned = 0
    /// The number of the last line consumed.
    private var lineNumber = 0
    private var reachedEnd = false
    private var checkedByteOrderMark = false
    /// The first of a run of blank lines not yet known to be at the end of the input.
    private var pendingBlankLine: Int?
    /// Set after an over-long line was reported: the rest of it is skipped.
    private var skippingLine = false
    /// Last, so that every other field's offset is fixed whatever `Source` is: the unspecialised
    /// code that other modules call then reads them without looking up the type's metadata.
    private var source: Source

    /// Creates a reader.
    /// - Parameters:
    ///   - source: where the bytes come from.
    ///   - maxLineBytes: the longest line accepted, in bytes, without its terminator.
    public init(source: Source, maxLineBytes: Int = EventLimits.maxLineBytes) {
        precondition(maxLineBytes > 0, "maxLineBytes must be positive")
        self.source = source
        self.maxLineBytes = maxLineBytes
    }

    /// Returns the next non-blank line.
    ///
    /// - Returns: the line's 1-based number and its bytes without the terminator, or nil at the end
    ///   of the input. The slice shares the reader's buffer: use or copy it before the next call.
    /// - Throws: `EventError` with `.emptyLine` or `.tooLarge` and the line number, or the source's error.
    public mutating func nextLine() throws -> (number: Int, bytes: ArraySlice<UInt8>)? {
        try skipByteOrderMark()
        while let (lineEnd, next) = try findLineEnd() {
            let number = lineNumber + 1
            var contentEnd = lineEnd
            if contentEnd > start, storage[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            let tooLong = contentEnd - start > maxLineBytes
            if !tooLong && isBlank(storage[start..<contentEnd]) {
                pendingBlankLine = pendingBlankLine ?? number
                consume(through: next)
                continue
            }
            // The line is not consumed yet, so after this error the next call returns it.
            try reportPendingBlankLine()
            let lineStart = start
            consume(through: next)
            guard !tooLong else { throw lineTooLong(number) }
            return (number, storage[lineStart..<contentEnd])
        }
        return nil
    }

    /// Finds the end of the line at `start`, reading more input as needed.
    /// - Returns: the index of its `\n` (or of the end of the input) and the index after the
    ///   terminator, or nil at the end of the input.
    private mutating func findLineEnd() throws -> (lineEnd: Int, next: Int)? {
        while true {
            if let newline = firstNewline() {
                if skippingLine {
                    skippingLine = false
                    start = newline + 1
                    scanned = start
                    continue
                }
                return (newline, newline + 1)
            }
            if skippingLine {
                start = end
                scanned = end
            } else if end - start > maxLineBytes + 1 {  // + 1: the line may still turn out to end in "\r\n"
                try reportPendingBlankLine()
                // Drop what we have of the line; skip the rest of it on the next call.
                lineNumber += 1
                start = end
                scanned = end
                skippingLine = true
                throw lineTooLong(lineNumber)
            }
            if reachedEnd {
                return start < end ? (end, end) : nil
            }
            try fill()
        }
    }

    /// The index of the next `\n` in the buffered bytes, searched with `memchr` (vectorised in the C
    /// library; a byte loop here was a tenth of `append`'s time).
    private mutating func firstNewline() -> Int? {
        let from = max(scanned, start)
        guard from < end else { return nil }
        let found: Int? = storage.withUnsafeBytes { raw in
            guard let hit = memchr(raw.baseAddress! + from, Int32(UInt8(ascii: "\n")), end - from) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
        }
        if found == nil { scanned = end }
        return found
    }

    private mutating func consume(through next: Int) {
        lineNumber += 1
        start = next
        scanned = next
    }

    private mutating func reportPendingBlankLine() throws(EventError) {
        guard let blank = pendingBlankLine else { return }
        pendingBlankLine = nil
        throw EventError(.emptyLine, reason: "empty line between events", line: blank)
    }

    private func lineTooLong(_ number: Int) -> EventError {
        EventError(.tooLarge, reason: "line is longer than the limit of \(maxLineBytes) bytes", line: number)
    }

    private func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }

    private mutating func skipByteOrderMark() throws {
        guard !checkedByteOrderMark else { return }
        while end - start < 3 && !reachedEnd { try fill() }
        checkedByteOrderMark = true
        if end - start >= 3, storage[start] == 0xEF, storage[start + 1] == 0xBB, storage[start + 2] == 0xBF {
            start += 3
            scanned = start
        }
    }

    /// Reads more input after `end`, first making room for at least one chunk.
    private mutating func fill() throws {
        if storage.count - end < chunkSize {
            let pending = end - start
            if storage.count - pending >= chunkSize {
                // Move the unconsumed bytes to the front (forward copy: safe although the ranges overlap).
                for offset in 0..<pending { storage[offset] = storage[start + offset] }
            } else {
                // Grow, doubling, but never past what the longest line and one chunk need.
                let needed = pending + chunkSize
                let capacity = min(max(storage.count * 2, needed), max(needed, maxLineBytes + 1 + chunkSize))
                var grown = [UInt8](repeating: 0, count: capacity)
                grown[0..<pending] = storage[start..<end]
                storage = grown
            }
            scanned -= start
            start = 0
            end = pending
        }
        let count = try storage.withUnsafeMutableBytes { buffer in
            try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        }
        precondition(count >= 0 && count <= storage.count - end, "ByteSource.read returned \(count)")
        if count == 0 {
            reachedEnd = true
        } else {
            end += count
        }
    }
}
