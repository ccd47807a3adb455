import ParleyIntake
import ParleyLog
import Testing

@Suite struct CSVStreamingTests {
    /// CRLF, doubled quotes, a BOM and multi-byte characters, so that small chunks split each of them.
    static let tricky: [UInt8] =
        [0xEF, 0xBB, 0xBF]
        + Array(
            "id,body\r\n1,\"a \"\"quoted\"\"\r\nline, é\"\r\n\r\n2,\"\"\n3,😀,\"\"\"\"\r\n\"x\ry\",last".utf8)

    @Test(arguments: [1, 2, 3, 7, 1 << 16, .max])
    func everyChunkSizeReadsTheSameRecords(chunkSize: Int) throws {
        let expected = try csvRecords(Self.tricky, chunkSize: 1 << 20)
        #expect(
            expected.map(\.fields) == [
                ["id", "body"], ["1", "a \"quoted\"\r\nline, é"], ["2", ""], ["3", "😀", "\""], ["x\ry", "last"],
            ])
        #expect(try csvRecords(Self.tricky, chunkSize: chunkSize) == expected)
    }

    @Test(arguments: [1, 2, 3, 7, 1 << 16])
    func everyChunkSizeReportsTheSameError(chunkSize: Int) {
        let input = Array("a,b\r\n\"c\r\n\"\"d\",\"e\"\"\"x\n".utf8)
        let error = csvError(input, chunkSize: chunkSize)
        #expect(error?.code == .textAfterClosingQuote)
        #expect(error?.location == at(offset: 19, line: 3, column: 11))
    }

    @Test func inputsLargerThanOneChunkReadTheSameAtEveryChunkSize() throws {
        let long = String(repeating: "word, \"quoted\"\r\n", count: 9_000)
        let records = (0..<40).map { ["\($0)", $0 % 5 == 0 ? long : "short \($0)", "é😀"] }
        let bytes = csvWrite(records)
        #expect(bytes.count > 3 << 16)
        let whole = try csvRecords(bytes, chunkSize: bytes.count)
        #expect(whole.map(\.fields) == records)
        #expect(try csvRecords(bytes, chunkSize: 1 << 16) == whole)
        #expect(try csvRecords(bytes, chunkSize: 7) == whole)
    }

    @Test func aSeededRandomRoundTripReadsBackWhatWasWritten() throws {
        var random = SplitMix64(seed: 0x00C5_7C5A)
        let pieces = ["a", "b", "Zoë", "😀", " ", ",", "\"", "\n", "\r\n", "\r", "\"\"", "x,y"]
        for round in 0..<300 {
            let records = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                (0..<Int.random(in: 1...5, using: &random)).map { _ in
                    (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }
                        .joined()
                }
            }
            let lineEnd = Bool.random(using: &random) ? "\r\n" : "\n"
            let bytes = csvWrite(records, lineEnd: lineEnd, finalLineEnd: Bool.random(using: &random))
            let chunkSize = [1, 2, 3, 7, 1 << 16].randomElement(using: &random) ?? 1
            let read = try csvRecords(bytes, chunkSize: chunkSize).map(\.fields)
            #expect(read == records, "round \(round), chunk size \(chunkSize)")
        }
    }

    @Test func hostileBytesNeverCrashAndStayBounded() {
        var random = SplitMix64(seed: 0xBAD_B17E5)
        let alphabet: [UInt8] = Array(",\"\r\na;".utf8) + [0x00, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF, 0xFF, 0xED, 0xF4]
        let limits = CSVReader.Limits(maxFieldBytes: 16, maxFieldsPerRecord: 8, maxRecordBytes: 64)
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...80, using: &random)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &random)
                    ? alphabet.randomElement(using: &random) ?? 0 : UInt8.random(in: 0...255, using: &random)
            }
            let reader = CSVReader(
                bytes: bytes, limits: limits, chunkSize: Int.random(in: 1...9, using: &random))
            var records = 0
            do {
                while let record = try reader.next() {
                    records += 1
                    #expect(record.fields.count <= limits.maxFieldsPerRecord)
                    #expect(record.fields.allSatisfy { $0.utf8.count <= limits.maxFieldBytes })
                    #expect(records <= bytes.count)
                }
            } catch {
                #expect(error.location.offset <= bytes.count)
                #expect(error.location.line >= 1 && error.location.column >= 1)
            }
        }
    }
}
