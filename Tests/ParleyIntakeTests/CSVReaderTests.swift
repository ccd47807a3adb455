import Foundation
import ParleyIntake
import ParleyTestSupport
import Testing

@Suite struct CSVReaderTests {
    @Test func readsRecordsEndedByLF() throws {
        #expect(try csvFields("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
    }

    @Test func readsRecordsEndedByCRLF() throws {
        #expect(try csvFields("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
    }

    @Test func readsTheLastRecordWithoutALineEnd() throws {
        #expect(try csvFields("a,b\r\n1,2") == [["a", "b"], ["1", "2"]])
        #expect(try csvFields("\"q\"") == [["q"]])
    }

    @Test func quotedFieldsKeepSeparatorsLineEndsAndDoubledQuotes() throws {
        let input = "\"a,b\",\"one\r\ntwo\",\"say \"\"hi\"\"\",\"x\ry\",\"l\nf\"\r\nnext\n"
        #expect(try csvFields(input) == [["a,b", "one\r\ntwo", "say \"hi\"", "x\ry", "l\nf"], ["next"]])
    }

    @Test func emptyFieldsAreKept() throws {
        #expect(try csvFields(",,\n,\"\",\n\"\"\na,\n") == [["", "", ""], ["", "", ""], [""], ["a", ""]])
    }

    @Test func blankLinesAreSkipped() throws {
        #expect(try csvFields("\n\na\r\n\r\n\nb\n\n") == [["a"], ["b"]])
        #expect(try csvFields("\r\n\n").isEmpty)
        #expect(try csvFields("").isEmpty)
    }

    @Test func aCarriageReturnAtTheVeryEndEndsTheRecord() throws {
        #expect(try csvFields("a,b\r") == [["a", "b"]])
    }

    @Test func aByteOrderMarkIsSkippedAndCountedInOffsets() throws {
        let records = try csvRecords([0xEF, 0xBB, 0xBF] + Array("id,name\n1,x\n".utf8))
        #expect(records.map(\.fields) == [["id", "name"], ["1", "x"]])
        #expect(records.first?.location == at(offset: 3, line: 1, column: 1))
        #expect(records.last?.location == at(offset: 11, line: 2, column: 1))
    }

    @Test func aByteOrderMarkOnlyCountsAtTheStart() throws {
        #expect(try csvFields("a\n\u{FEFF}b\n") == [["a"], ["\u{FEFF}b"]])
        #expect(csvError([0xEF, 0xBB, 0x0A])?.location == at(offset: 0, line: 1, column: 1))
    }

    @Test func recordsAndFieldsKnowWhereTheyStart() throws {
        let records = try csvRecords(Array("a,b\n\"x\ny\",z\n\nlast".utf8))
        #expect(
            records.map(\.location) == [
                at(offset: 0, line: 1, column: 1), at(offset: 4, line: 2, column: 1),
                at(offset: 13, line: 5, column: 1),
            ])
        #expect(records[1].fieldLocations == [at(offset: 4, line: 2, column: 1), at(offset: 10, line: 3, column: 4)])
    }

    @Test func otherSeparatorsSplitFields() throws {
        #expect(try csvFields("a;\"b;c\";d\n", separator: UInt8(ascii: ";")) == [["a", "b;c", "d"]])
        #expect(try csvFields("a\t\"b\tc\"\td,e\n", separator: UInt8(ascii: "\t")) == [["a", "b\tc", "d,e"]])
    }

    @Test func unicodeFieldsAreDecoded() throws {
        #expect(try csvFields("Zoë,\"日本, 語\",😀\n") == [["Zoë", "日本, 語", "😀"]])
    }

    @Test func readsAFileInChunks() throws {
        let directory = try TemporaryDirectory.make()
        defer { directory.remove() }
        let bytes = csvWrite([["id", "body"], ["1", "hello, \"world\"\r\nbye"], ["2", ""]])
        let path = directory.file("export.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try CSVReader(path: path, chunkSize: 3)
        var records: [CSVRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records.map(\.fields) == [["id", "body"], ["1", "hello, \"world\"\r\nbye"], ["2", ""]])
        #expect(records.last?.location.file == path)
    }

    @Test func aReadFailureIsReportedAsSuch() throws {
        let directory = try TemporaryDirectory.make()
        defer { directory.remove() }
        // A directory opens for reading, but read(2) fails with EISDIR.
        let reader = try CSVReader(path: directory.path)
        do {
            _ = try reader.next()
            Issue.record("reading a directory gave records")
        } catch {
            #expect(error.code == .readFailed)
            #expect(error.location == InputLocation(file: directory.path, offset: 0, line: 1, column: 1))
        }
    }

    @Test func aMissingFileCannotBeOpened() {
        #expect(throws: CSVError.self) { try CSVReader(path: "/nonexistent/parley/export.csv") }
        do {
            _ = try CSVReader(path: "/nonexistent/parley/export.csv")
        } catch {
            #expect(error.code == .cannotOpen)
            #expect(error.location.file == "/nonexistent/parley/export.csv")
        }
    }
}
