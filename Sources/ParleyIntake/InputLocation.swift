/// Where in an input something was found: the file, the byte offset, and the line and column (both from
/// 1; the column counts bytes). Every intake error names one, so that a user can open the file there.
public struct InputLocation: Equatable, Sendable, CustomStringConvertible {
    /// The file, as the user named it (`nil` for standard input or bytes in memory).
    public var file: String?
    /// Byte offset from the start of the input.
    public var offset: Int
    /// Line, from 1.
    public var line: Int
    /// Column in bytes, from 1.
    public var column: Int

    public init(file: String? = nil, offset: Int, line: Int, column: Int) {
        self.file = file
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `inbox.mbox:12:5 (offset 340)`, or `line 12, column 5 (offset 340)` without a file.
    public var description: String {
        let place = file.map { "\($0):\(line):\(column)" } ?? "line \(line), column \(column)"
        return place + " (offset \(offset))"
    }
}
