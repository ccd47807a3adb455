// libFuzzer target: `JSONLinesReader`, the bounded-memory line splitter of ParleyEvents, fed from
// memory in reads of fuzzer-chosen sizes, compared with a simple model of docs/EVENTS.md's rules.
//
// Built together with the sources of ParleyLog and ParleyEvents as ONE module named ParleyLog (see
// Fuzz/README.md):
//
//   swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ParleyLog \
//       Fuzz/JSONLinesReaderFuzz.swift Sources/ParleyLog/*.swift Sources/ParleyLog/Internal/*.swift \
//       Sources/ParleyEvents/*.swift -o .build-fuzz/lines-reader
//
// Input: byte 0 picks the line limit (0: the default 8 MiB, else that many bytes), byte 1 the sizes
// of the source's reads (0: as much as asked, else 1 + byte % 64, varying when bit 7 is set), the rest
// is the input stream.
//
// The model: a UTF-8 BOM at the start is skipped; lines end at "\n" (the last may lack it), one "\r"
// before the end is dropped; lines are numbered from 1; a line longer than the limit is a tooLarge
// error; a blank line (only spaces, tabs, "\r") followed by a non-blank line is an emptyLine error
// naming the first blank line of the run, reported before that later line; blank lines at the end are
// ignored; after an error the reader goes on with the next line. The reader must produce exactly the
// model's sequence of lines and errors, whatever the read sizes, and stop within a bounded number of
// calls.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fputs("fuzz invariant violated: \(message())\n", stderr)
        abort()
    }
}

/// Serves bytes from memory in reads of chosen sizes.
private struct ChunkedMemorySource: ByteSource {
    let bytes: [UInt8]
    let sizeSelector: UInt8
    var position = 0
    var calls = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        calls += 1
        var size = buffer.count
        if sizeSelector != 0 {
            size = 1 + Int(sizeSelector % 64)
            if sizeSelector & 0x80 != 0 { size = 1 + (calls * 7 + Int(sizeSelector)) % 97 }
        }
        let count = min(size, buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes[position..<(position + count)].withUnsafeBytes { buffer.copyMemory(from: $0) }
        position += count
        return count
    }
}

private enum Outcome: Equatable, CustomStringConvertible {
    case line(Int, [UInt8])
    case emptyLine(Int)
    case tooLarge(Int)

    var description: String {
        switch self {
        case .line(let n, let bytes): "line \(n) (\(bytes.count) bytes)"
        case .emptyLine(let n): "emptyLine \(n)"
        case .tooLarge(let n): "tooLarge \(n)"
        }
    }
}

private func model(_ input: [UInt8], maxLineBytes: Int) -> [Outcome] {
    var bytes = input[...]
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
    var raw = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    if raw.last?.isEmpty == true { raw.removeLast() }  // the input ended with "\n" (or was empty)
    var outcomes: [Outcome] = []
    var pendingBlank: Int?
    for (index, line) in raw.enumerated() {
        let number = index + 1
        var content = line
        if content.last == 0x0D { content = content.dropLast() }
        let tooLong = content.count > maxLineBytes
        if !tooLong && content.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            pendingBlank = pendingBlank ?? number
            continue
        }
        if let blank = pendingBlank {
            outcomes.append(.emptyLine(blank))
            pendingBlank = nil
        }
        outcomes.append(tooLong ? .tooLarge(number) : .line(number, Array(content)))
    }
    return outcomes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func jsonLinesReaderFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let maxLineBytes = input[0] == 0 ? EventLimits.maxLineBytes : Int(input[0])
    let stream = Array(input[2...])
    var reader = JSONLinesReader(
        source: ChunkedMemorySource(bytes: stream, sizeSelector: input[1]), maxLineBytes: maxLineBytes)

    var outcomes: [Outcome] = []
    var calls = 0
    while true {
        calls += 1
        require(calls <= 2 * stream.count + 4, "the reader does not reach the end (\(calls) calls)")
        do {
            guard let line = try reader.nextLine() else { break }
            require(line.bytes.count <= maxLineBytes, "line \(line.number) is over the limit")
            require(!line.bytes.contains(0x0A), "line \(line.number) holds a newline")
            outcomes.append(.line(line.number, Array(line.bytes)))
        } catch let error as EventError {
            if error.code == .emptyLine {
                outcomes.append(.emptyLine(error.line ?? -1))
            } else if error.code == .tooLarge {
                outcomes.append(.tooLarge(error.line ?? -1))
            } else {
                require(false, "unexpected error \(error)")
            }
        } catch {
            require(false, "unexpected error \(error)")
        }
    }
    // The end is sticky.
    require((try? reader.nextLine()) == nil, "a line after the end")

    let expected = model(stream, maxLineBytes: maxLineBytes)
    require(
        outcomes == expected,
        "reader and model differ (limit \(maxLineBytes), reads \(input[1])):\n  reader \(outcomes)\n  model  \(expected)"
    )
    return 0
}
