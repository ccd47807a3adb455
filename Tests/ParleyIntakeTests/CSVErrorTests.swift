import ParleyIntake
import Testing

@Suite struct CSVErrorTests {
    @Test func aQuoteInsideAnUnquotedFieldIsLocated() {
        let error = csvError(Array("ab,c\"d\n".utf8))
        #expect(error?.code == .quoteInUnquotedField)
        #expect(error?.location == at(offset: 4, line: 1, column: 5))
        #expect(error?.field == 2)
    }

    @Test func textAfterAClosingQuoteIsLocated() {
        let error = csvError(Array("x\n\"a\"b,c".utf8))
        #expect(error?.code == .textAfterClosingQuote)
        #expect(error?.location == at(offset: 5, line: 2, column: 4))
        #expect(error?.field == 1)
    }

    @Test func anUnterminatedQuotedFieldIsLocatedAtItsOpeningQuote() {
        let error = csvError(Array("a,b\nc,\"de\nf".utf8))
        #expect(error?.code == .unterminatedQuotedField)
        #expect(error?.location == at(offset: 6, line: 2, column: 3))
        #expect(error?.field == 2)
    }

    @Test func aBareCarriageReturnOutsideQuotesIsAnError() {
        let error = csvError(Array("a\rb\n".utf8))
        #expect(error?.code == .bareCarriageReturn)
        #expect(error?.location == at(offset: 1, line: 1, column: 2))
        #expect(csvError(Array("\rx".utf8))?.code == .bareCarriageReturn)
    }

    @Test func invalidUTF8NamesTheFieldAndItsFirstBadByte() {
        let stray = csvError(Array("ok,a".utf8) + [0xFF] + Array("b\n".utf8))
        #expect(stray?.code == .invalidUTF8)
        #expect(stray?.location == at(offset: 4, line: 1, column: 5))
        #expect(stray?.field == 2)
        #expect(stray?.description.contains("field 2") == true)

        let truncated = csvError(Array("a,".utf8) + [0xC3])
        #expect(truncated?.code == .invalidUTF8)
        #expect(truncated?.location == at(offset: 2, line: 1, column: 3))

        let cutByQuote = csvError(Array("\"a".utf8) + [0xE2, 0x82] + Array("\"\n".utf8))
        #expect(cutByQuote?.location == at(offset: 2, line: 1, column: 3))
        #expect(cutByQuote?.field == 1)
    }

    @Test func overlongsAndSurrogatesAreNotUTF8() {
        #expect(csvError([0xC0, 0xAF])?.code == .invalidUTF8)
        #expect(csvError([0xE0, 0x80, 0xAF])?.code == .invalidUTF8)
        #expect(csvError([0xED, 0xA0, 0x80])?.code == .invalidUTF8)
        #expect(csvError([0xF4, 0x90, 0x80, 0x80])?.code == .invalidUTF8)
        #expect(csvError([0xF0, 0x9F, 0x98, 0x80]) == nil)
    }

    @Test func aFieldOverTheLimitIsLocatedAtTheFirstByteTooMany() {
        let limits = CSVReader.Limits(maxFieldBytes: 4)
        #expect(csvError(Array("abcd,\"ef\"\"g\"\n".utf8), limits: limits) == nil)
        let error = csvError(Array("abcd,abcde".utf8), limits: limits)
        #expect(error?.code == .fieldTooLarge)
        #expect(error?.location == at(offset: 9, line: 1, column: 10))
        #expect(error?.field == 2)
    }

    @Test func aRecordOverTheFieldCountIsLocatedAtItsExtraField() {
        let limits = CSVReader.Limits(maxFieldsPerRecord: 3)
        let error = csvError(Array("a,b,c\na,b,c,d".utf8), limits: limits)
        #expect(error?.code == .tooManyFields)
        #expect(error?.location == at(offset: 12, line: 2, column: 7))
        #expect(error?.field == 4)
    }

    @Test func aRecordOverTheByteLimitIsLocated() {
        let error = csvError(Array("abc,def".utf8), limits: CSVReader.Limits(maxRecordBytes: 5))
        #expect(error?.code == .recordTooLarge)
        #expect(error?.location == at(offset: 6, line: 1, column: 7))
    }

    @Test func anErrorIsTerminal() throws {
        let reader = CSVReader(bytes: Array("ok\nb\"ad\nfine\n".utf8))
        #expect(try reader.next()?.fields == ["ok"])
        var first: CSVError?
        var second: CSVError?
        do { _ = try reader.next() } catch { first = error }
        do { _ = try reader.next() } catch { second = error }
        #expect(first?.code == .quoteInUnquotedField)
        #expect(first == second)
    }

    @Test func theDescriptionSaysWhereWhichFieldAndWhy() {
        let error = CSVError(
            .quoteInUnquotedField, at: InputLocation(file: "t.csv", offset: 4, line: 1, column: 5), field: 2,
            reason: "a quote")
        #expect(error.description == "t.csv:1:5 (offset 4): field 2: a quote")
        #expect(error.code.description == "quote in unquoted field")
    }
}
