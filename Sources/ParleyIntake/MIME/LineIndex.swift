/// Turns byte offsets of one input into `InputLocation`s (line and column), built once per message.
///
/// It keeps the count of line feeds before every 4 KiB block rather than every line start, so its memory is
/// input/4096 integers even for an input made of line feeds. A lookup counts within one block and scans back
/// to the previous line feed for the column.
struct LineIndex: Sendable {
    private static let blockSize = 4096
    private let bytes: [UInt8]
    private var lineFeedsBeforeBlock: [Int] = []
    private let file: String?

    init(_ bytes: [UInt8], file: String?) {
        self.bytes = bytes
        self.file = file
        lineFeedsBeforeBlock.reserveCapacity(bytes.count / Self.blockSize + 1)
        var count = 0
        for (index, byte) in bytes.enumerated() {
            if index % Self.blockSize == 0 { lineFeedsBeforeBlock.append(count) }
            if byte == 0x0A { count += 1 }
        }
        if lineFeedsBeforeBlock.isEmpty { lineFeedsBeforeBlock.append(0) }
    }

    func location(_ offset: Int) -> InputLocation {
        let offset = min(max(offset, 0), bytes.count)
        let block = min(offset / Self.blockSize, lineFeedsBeforeBlock.count - 1)
        var line = lineFeedsBeforeBlock[block] + 1
        var index = block * Self.blockSize
        while index < offset {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        var lineStart = offset
        while lineStart > 0 && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        return InputLocation(file: file, offset: offset, line: line, column: offset - lineStart + 1)
    }
}
