import Foundation

/// Reads a file or a byte array line by line through a bounded buffer, remembering each line's offset and
/// number. A line longer than `maximumFragment` comes out in pieces; only the first piece has
/// `atLineStart` set. Never holds more than one buffer and one line.
struct MailLineReader {
    struct Line {
        var bytes: [UInt8]
        var offset: Int
        var number: Int
        var atLineStart: Bool
        /// The line without `\n` or `\r\n`.
        var isEmpty: Bool {
            bytes.isEmpty || bytes == [0x0A] || bytes == [0x0D, 0x0A]
        }
    }

    private enum Source {
        case file(FileHandle)
        case memory([UInt8])
    }

    private let source: Source
    private let file: String?
    private let maximumFragment: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var memoryPosition = 0
    private var exhausted = false
    private var offset = 0
    private var lineNumber = 1
    private var atLineStart = true

    init(path: String, maximumFragment: Int) throws(MailError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MailError(
                code: .unreadable, location: InputLocation(file: path, offset: 0, line: 1, column: 1),
                reason: "cannot open the file for reading")
        }
        source = .file(handle)
        file = path
        self.maximumFragment = max(1, maximumFragment)
    }

    init(bytes: [UInt8], file: String?, maximumFragment: Int) {
        source = .memory(bytes)
        self.file = file
        self.maximumFragment = max(1, maximumFragment)
    }

    func close() {
        if case .file(let handle) = source { try? handle.close() }
    }

    func location(offset: Int, line: Int) -> InputLocation {
        InputLocation(file: file, offset: offset, line: line, column: 1)
    }

    private mutating func fill() throws(MailError) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let chunk = 64 * 1024
        switch source {
        case .memory(let bytes):
            let end = min(bytes.count, memoryPosition + chunk)
            buffer.append(contentsOf: bytes[memoryPosition..<end])
            memoryPosition = end
            exhausted = memoryPosition >= bytes.count
        case .file(let handle):
            let data: Data?
            do {
                data = try handle.read(upToCount: chunk)
            } catch {
                throw MailError(
                    code: .unreadable, location: location(offset: offset, line: lineNumber),
                    reason: "read failed: \(error.localizedDescription)")
            }
            guard let data, !data.isEmpty else {
                exhausted = true
                return
            }
            buffer.append(contentsOf: data)
        }
    }

    /// The next line (or piece of a long line), or `nil` at the end of the input.
    mutating func next() throws(MailError) -> Line? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A), newline - start < maximumFragment {
                return take(upTo: newline + 1, endsLine: true)
            }
            if buffer.count - start >= maximumFragment {
                return take(upTo: start + maximumFragment, endsLine: false)
            }
            if exhausted {
                if start >= buffer.count { return nil }
                return take(upTo: buffer.count, endsLine: true)
            }
            try fill()
        }
    }

    private mutating func take(upTo end: Int, endsLine: Bool) -> Line {
        let line = Line(
            bytes: Array(buffer[start..<end]), offset: offset, number: lineNumber, atLineStart: atLineStart)
        offset += end - start
        start = end
        if endsLine {
            lineNumber += 1
            atLineStart = true
        } else {
            atLineStart = false
        }
        return line
    }
}
