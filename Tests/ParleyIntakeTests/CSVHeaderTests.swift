import ParleyIntake
import Testing

@Suite struct CSVHeaderTests {
    @Test func mapsColumnNamesToIndexesAndRecordsToFields() throws {
        let records = try csvRecords(Array("id,author,body\n7,ana,\"hi, there\"\n8,bo\n".utf8))
        let header = try CSVHeader(records[0])
        #expect(header.names == ["id", "author", "body"])
        #expect(header.index(of: "body") == 2)
        #expect(header.index(of: "Body") == nil)
        #expect(records[1].field(named: "body", in: header) == "hi, there")
        #expect(records[1].field(named: "missing", in: header) == nil)
        #expect(records[2].field(named: "author", in: header) == "bo")
        #expect(records[2].field(named: "body", in: header) == nil)
    }

    @Test func aDuplicateColumnNameIsReportedAtItsSecondUse() throws {
        let records = try csvRecords(Array("\n id,a,b,a\n".utf8))
        #expect(throws: CSVError.self) { try CSVHeader(records[0]) }
        do {
            _ = try CSVHeader(records[0])
        } catch {
            #expect(error.code == .duplicateColumnName)
            #expect(error.field == 4)
            #expect(error.location == at(offset: 9, line: 2, column: 9))
        }
    }

    @Test func anEmptyColumnNameIsReported() throws {
        let records = try csvRecords(Array("a,,c\n".utf8))
        do {
            _ = try CSVHeader(records[0])
            Issue.record("an empty name was accepted")
        } catch {
            #expect(error.code == .emptyColumnName)
            #expect(error.field == 2)
            #expect(error.location == at(offset: 2, line: 1, column: 3))
        }
    }
}
