import ParleyEvents
import Testing

/// Counts what a source handed out, visible after the reader took its copy of the source.
private final class ReadLog {
    var bytes = 0
}

/// Serves `data` at most `chunk` bytes per read.
private struct ChunkedSource: ByteSource {
    let data: [UInt8]
    let chunk: Int
    private var offset = 0

    init(_ data: [UInt8], chunk: Int = .max) {
        self.data = data
        self.chunk = chunk
    }

    init(_ text: String, chunk: Int = .max) {
        self.init(Array(text.utf8), chunk: chunk)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, chunk, data.count - offset)
        data.withUnsafeBytes { bytes in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]))
        }
        offset += count
        return count
    }
}

/// Serves `total` bytes of `x` with no newline, `chunk` bytes per read: one very long line.
private struct EndlessLineSource: ByteSource {
    let total: Int
    let chunk: Int
    let log: ReadLog

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, chunk, total - log.bytes)
        for index in 0..<count { buffer[index] = UInt8(ascii: "x") }
        log.bytes += count
        return count
    }
}

private struct FailingSource: ByteSource {
    struct Failure: Error {}
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        throw Failure()
    }
}

/// Reads all lines, as (number, text), stopping at the first error.
private func readAll<Source: ByteSource>(
    _ reader: inout JSONLinesReader<Source>
) throws -> [(Int, String)] {
    var lines: [(Int, String)] = []
    while let line = try reader.nextLine() {
        lines.append((line.number, String(decoding: line.bytes, as: UTF8.self)))
    }
    return lines
}

private func lines(_ text: String, chunk: Int = .max) throws -> [(Int, String)] {
    var reader = JSONLinesReader(source: ChunkedSource(text, chunk: chunk))
    return try readAll(&reader)
}

private func nextLineError<Source: ByteSource>(_ reader: inout JSONLinesReader<Source>) -> EventError? {
    do {
        let line = try reader.nextLine()
        Issue.record("expected an error, got \(String(describing: line))")
    } catch let error as EventError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
    }
    return nil
}

@Suite("JSONLinesReader")
struct JSONLinesReaderTests {
    @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
    func linesAreSplitAtNewlinesWhateverTheReadSize(chunk: Int) throws {
        let result = try lines("{\"a\":1}\n{\"b\":2}\nlast without newline", chunk: chunk)
        #expect(result.map(\.0) == [1, 2, 3])
        #expect(result.map(\.1) == ["{\"a\":1}", "{\"b\":2}", "last without newline"])
    }

    @Test func finalNewlineDoesNotMakeAnExtraLine() throws {
        #expect(try lines("a\nb\n").map(\.1) == ["a", "b"])
    }

    @Test func emptyInputHasNoLines() throws {
        #expect(try lines("").isEmpty)
    }

    @Test(arguments: [1, 2, 5, 1 << 20])
    func crlfLineEndingsAreAccepted(chunk: Int) throws {
        #expect(try lines("a\r\nb\r\nc\r\n", chunk: chunk).map(\.1) == ["a", "b", "c"])
        #expect(try lines("a\r\nb", chunk: chunk).map(\.1) == ["a", "b"])
    }

    @Test func onlyOneCarriageReturnIsStripped() throws {
        #expect(try lines("a\r\r\nb\rc\n").map(\.1) == ["a\r", "b\rc"])
    }

    @Test(arguments: [1, 2, 3, 1 << 20])
    func byteOrderMarkAtTheStartIsSkipped(chunk: Int) throws {
        let result = try lines("\u{FEFF}{\"a\":1}\n{\"b\":2}\n", chunk: chunk)
        #expect(result.map(\.1) == ["{\"a\":1}", "{\"b\":2}"])
        #expect(result.map(\.0) == [1, 2])
    }

    @Test func byteOrderMarkElsewhereIsKept() throws {
        #expect(try lines("a\n\u{FEFF}b\n").map(\.1) == ["a", "\u{FEFF}b"])
    }

    @Test func inputOfOnlyAByteOrderMarkHasNoLines() throws {
        #expect(try lines("\u{FEFF}").isEmpty)
    }

    @Test func partialByteOrderMarkIsData() throws {
        var reader = JSONLinesReader(source: ChunkedSource([0xEF, 0xBB]))
        let line = try reader.nextLine()
        #expect(line.map { Array($0.bytes) } == [0xEF, 0xBB])
        #expect(try reader.nextLine() == nil)
    }

    @Test(arguments: ["a\n\nb\n", "a\n   \nb\n", "a\n\t \r\nb", "a\n\r\nb\n"])
    func emptyLineInTheMiddleIsRejected(text: String) throws {
        var reader = JSONLinesReader(source: ChunkedSource(text))
        #expect(try reader.nextLine()?.number == 1)
        let error = nextLineError(&reader)
        #expect(error?.code == .emptyLine)
        #expect(error?.line == 2)
        // The reader goes on with the line after.
        let next = try reader.nextLine()
        #expect(next?.number == 3)
        #expect(next.map { String(decoding: $0.bytes, as: UTF8.self) } == "b")
        #expect(try reader.nextLine() == nil)
    }

    @Test func emptyFirstLineIsRejected() {
        var reader = JSONLinesReader(source: ChunkedSource("\n{}\n"))
        let error = nextLineError(&reader)
        #expect(error?.code == .emptyLine)
        #expect(error?.line == 1)
    }

    @Test func severalEmptyLinesAreReportedAtTheFirst() throws {
        var reader = JSONLinesReader(source: ChunkedSource("a\n\n\n\nb\n"))
        _ = try reader.nextLine()
        #expect(nextLineError(&reader)?.line == 2)
        #expect(try reader.nextLine()?.number == 5)
    }

    @Test(arguments: ["a\n\n", "a\n\n\n\n", "a\n  \n\t\n", "a\r\n\r\n", "a\n\n  "])
    func trailingBlankLinesAreIgnored(text: String) throws {
        let result = try lines(text)
        #expect(result.map(\.1) == ["a"])
    }

    @Test func inputOfOnlyBlankLinesHasNoLines() throws {
        #expect(try lines("\n\n  \n").isEmpty)
    }

    @Test func lineNumbersCountEveryLine() throws {
        var reader = JSONLinesReader(source: ChunkedSource("a\n\nc\nd\n"))
        #expect(try reader.nextLine()?.number == 1)
        _ = nextLineError(&reader)
        #expect(try reader.nextLine()?.number == 3)
        #expect(try reader.nextLine()?.number == 4)
    }

    @Test(arguments: [1, 10, 1000])
    func overlongLineIsRejectedWithoutReadingItAll(chunk: Int) {
        let maxLineBytes = 100
        let log = ReadLog()
        // 100 times the limit: a reader that buffered the whole line would read it all and fail below.
        var reader = JSONLinesReader(
            source: EndlessLineSource(total: 100 * maxLineBytes, chunk: chunk, log: log),
            maxLineBytes: maxLineBytes
        )
        let error = nextLineError(&reader)
        #expect(error?.code == .tooLarge)
        #expect(error?.line == 1)
        // It stopped as soon as the limit was passed: at most the limit, a possible "\r", one read.
        #expect(log.bytes <= maxLineBytes + 1 + chunk)
        #expect(log.bytes > maxLineBytes)
    }

    @Test func lineOfExactlyTheLimitIsAcceptedAndOneMoreIsRejected() throws {
        let limit = 50
        let exact = String(repeating: "x", count: limit)
        var reader = JSONLinesReader(
            source: ChunkedSource("\(exact)\n\(exact)\r\n\(exact)y\n\(exact)", chunk: 7),
            maxLineBytes: limit
        )
        #expect(try reader.nextLine()?.bytes.count == limit)
        #expect(try reader.nextLine()?.bytes.count == limit)
        let error = nextLineError(&reader)
        #expect(error?.code == .tooLarge)
        #expect(error?.line == 3)
        #expect(try reader.nextLine()?.number == 4)
        #expect(try reader.nextLine() == nil)
    }

    @Test(arguments: [3, 1 << 20])
    func readingGoesOnAfterAnOverlongLine(chunk: Int) throws {
        let long = String(repeating: "z", count: 1000)
        var reader = JSONLinesReader(source: ChunkedSource("a\n\(long)\nb\n\(long)", chunk: chunk), maxLineBytes: 100)
        #expect(try reader.nextLine()?.number == 1)
        #expect(nextLineError(&reader)?.line == 2)
        let next = try reader.nextLine()
        #expect(next?.number == 3)
        #expect(next.map { String(decoding: $0.bytes, as: UTF8.self) } == "b")
        #expect(nextLineError(&reader)?.line == 4)
        #expect(try reader.nextLine() == nil)
    }

    @Test func linesLongerThanOneReadChunkComeBackWhole() throws {
        // Longer than the reader's 256 KiB chunk, so the buffer has to grow and shift.
        let long = (0..<700_000).map { _ in UInt8(ascii: "a") + UInt8.random(in: 0..<26) }
        let input = Array("short\n".utf8) + long + Array("\nend\n".utf8) + long
        var reader = JSONLinesReader(source: ChunkedSource(input, chunk: 100_000))
        #expect(try reader.nextLine().map { Array($0.bytes) } == Array("short".utf8))
        #expect(try reader.nextLine().map { Array($0.bytes) } == long)
        #expect(try reader.nextLine().map { Array($0.bytes) } == Array("end".utf8))
        #expect(try reader.nextLine().map { Array($0.bytes) } == long)
        #expect(try reader.nextLine() == nil)
    }

    @Test func manyLinesAcrossChunkBoundariesComeBackInOrder() throws {
        var generator = SystemRandomNumberGenerator()
        let expected = (0..<20_000).map { index in
            "{\"n\":\(index),\"pad\":\"" + String(repeating: "p", count: Int.random(in: 0..<120, using: &generator))
                + "\"}"
        }
        let input = expected.joined(separator: "\n") + "\n"
        var reader = JSONLinesReader(source: ChunkedSource(input, chunk: 4093))
        let result = try readAll(&reader)
        #expect(result.count == expected.count)
        #expect(result.map(\.1) == expected)
        #expect(result.map(\.0) == Array(1...expected.count))
    }

    @Test func sourceErrorsArePassedOn() {
        var reader = JSONLinesReader(source: FailingSource())
        #expect(throws: FailingSource.Failure.self) { try reader.nextLine() }
    }
}
