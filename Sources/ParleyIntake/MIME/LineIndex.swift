/// Turns byte offsets of one input into `InputLocation`s (line and column), built once per message.
struct LineIndex: Sendable {
    private var lineStarts: [Int] = [0]
    private let file: String?

    init(_ bytes: [UInt8], file: String?) {
        self.file = file
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            lineStarts.append(index + 1)
        }
    }

    func location(_ offset: Int) -> InputLocation {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return InputLocation(file: file, offset: offset, line: low + 1, column: offset - lineStarts[low] + 1)
    }
}
