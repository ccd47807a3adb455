import ParleyEvents
import Testing

/// The bytes of `text` as the slice the parser takes.
private func bytes(_ text: String) -> ArraySlice<UInt8> {
    Array(text.utf8)[...]
}

private func parse(_ text: String) throws(EventError) -> JSONValue {
    try JSONParser.parse(bytes(text))
}

/// The error the parser throws for `input`, or nil (recorded as a test failure) if it accepts it.
private func parseError(_ input: ArraySlice<UInt8>) -> EventError? {
    #expect(throws: EventError.self) { try JSONParser.parse(input) }
}

@Suite("JSONParser")
struct JSONParserTests {
    // MARK: Accepted input

    @Test(
        "scalars parse to the matching value",
        arguments: [
            ("null", JSONValue.null),
            ("true", .bool(true)),
            ("false", .bool(false)),
            ("0", .number("0")),
            ("-0", .number("-0")),
            ("42", .number("42")),
            ("-12.50", .number("-12.50")),
            ("1e10", .number("1e10")),
            ("6.02E+23", .number("6.02E+23")),
            ("1.5e-7", .number("1.5e-7")),
            ("123456789012345678901234567890", .number("123456789012345678901234567890")),
            ("\"\"", .string("")),
            ("\"plain text\"", .string("plain text")),
        ]
    )
    func scalarsParse(input: String, expected: JSONValue) throws {
        #expect(try parse(input) == expected)
    }

    @Test func objectsKeepKeyOrderAndNest() throws {
        let value = try parse(#"{"z":1,"a":[true,null,{"k":"v"}],"m":{}}"#)
        #expect(
            value
                == .object([
                    JSONMember(key: "z", value: .number("1")),
                    JSONMember(
                        key: "a",
                        value: .array([.bool(true), .null, .object([JSONMember(key: "k", value: .string("v"))])])
                    ),
                    JSONMember(key: "m", value: .object([])),
                ])
        )
    }

    @Test func whitespaceAroundTokensIsAccepted() throws {
        let value = try parse(" \t{ \"a\" : [ 1 , 2 ] ,\r\n\"b\" : \"c\" } \t\r")
        #expect(
            value
                == .object([
                    JSONMember(key: "a", value: .array([.number("1"), .number("2")])),
                    JSONMember(key: "b", value: .string("c")),
                ])
        )
    }

    @Test func escapesAreDecoded() throws {
        let value = try parse(#""q\" b\\ s\/ \b\f\n\r\t \u0041\u00e9\u20AC \ud83d\ude00 \u0000""#)
        #expect(value == .string("q\" b\\ s/ \u{8}\u{C}\n\r\t Aé€ 😀 \u{0}"))
    }

    @Test func rawMultibyteUTF8IsKept() throws {
        #expect(try parse("\"héllo € 😀 中文\"") == .string("héllo € 😀 中文"))
    }

    /// Strings are checked eight bytes at a time; every length and every place of an escape or a
    /// non-ASCII character must come out right.
    @Test(arguments: 0..<40)
    func stringsOfEveryLengthRoundTrip(length: Int) throws {
        let plain = String(repeating: "a", count: length)
        #expect(try parse("\"\(plain)\"") == .string(plain))
        for position in 0...length {
            var escaped = plain
            escaped.insert(contentsOf: "\\n", at: escaped.index(escaped.startIndex, offsetBy: position))
            var decoded = plain
            decoded.insert("\n", at: decoded.index(decoded.startIndex, offsetBy: position))
            #expect(try parse("\"\(escaped)\"") == .string(decoded))

            var accented = plain
            accented.insert("é", at: accented.index(accented.startIndex, offsetBy: position))
            #expect(try parse("\"\(accented)\"") == .string(accented))
        }
    }

    @Test func sliceWithNonZeroStartParsesAndCountsColumnsFromTheSlice() throws {
        let line = Array(#"xxxxx{"a":1}{"#.utf8)
        #expect(try JSONParser.parse(line[5..<12]) == .object([JSONMember(key: "a", value: .number("1"))]))
        let error = parseError(line[5..<13])
        #expect(error?.column == 8)
    }

    @Test func sixtyFourLevelsOfNestingAreAccepted() throws {
        let depth = EventLimits.maxJSONDepth
        var value = try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        var levels = 0
        while case .array(let elements) = value {
            levels += 1
            value = elements.first ?? .null
        }
        #expect(levels == depth)
    }

    // MARK: Rejected input

    @Test(
        "syntax errors are rejected with the column of the problem",
        arguments: [
            ("", 1),
            ("   ", 4),
            ("{", 2),
            ("{\"a\"", 5),
            ("{\"a\":", 6),
            ("{\"a\":1", 7),
            ("{\"a\":1,}", 8),
            ("{,}", 2),
            ("[1,]", 4),
            ("[1 2]", 4),
            ("{\"a\" 1}", 6),
            ("{'a':1}", 2),
            ("{a:1}", 2),
            ("01", 2),
            ("-", 2),
            ("-a", 2),
            ("1.", 3),
            (".5", 1),
            ("+1", 1),
            ("1e", 3),
            ("1e+", 4),
            ("tru", 4),
            ("trUe", 3),
            ("nul", 4),
            ("NaN", 1),
            ("\"abc", 5),
            ("\"\\x\"", 2),
            ("\"\\u12\"", 6),
            ("\"\\u12G4\"", 6),
            ("{} x", 4),
            ("1 2", 3),
            ("/* c */ 1", 1),
        ]
    )
    func syntaxErrorIsRejected(input: String, column: Int) {
        let error = parseError(bytes(input))
        #expect(error?.code == .invalidJSON)
        #expect(error?.column == column)
        #expect(error?.line == nil)
    }

    @Test(arguments: 0..<33)
    func rawControlCharacterInAStringIsRejectedAtItsColumn(position: Int) {
        var input = Array("\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: 32) + Array("\"".utf8)
        input[1 + position] = 0x00  // a raw NUL byte
        let error = parseError(input[...])
        #expect(error?.code == .invalidJSON)
        #expect(error?.column == position + 2)
        #expect(error?.reason.contains("control character") == true)
    }

    @Test(arguments: [UInt8(0x09), 0x0A, 0x0D, 0x1F])
    func rawTabNewlineAndOtherControlsInStringsAreRejected(byte: UInt8) {
        let input = Array("\"a".utf8) + [byte] + Array("b\"".utf8)
        #expect(parseError(input[...])?.code == .invalidJSON)
    }

    @Test func rawNulOutsideAStringIsRejected() {
        let error = parseError([UInt8(ascii: "["), 0x00, UInt8(ascii: "]")][...])
        #expect(error?.code == .invalidJSON)
        #expect(error?.column == 2)
    }

    @Test(
        "invalid UTF-8 is rejected with its own code and column",
        arguments: [
            [0xFF] as [UInt8],
            [0x80],  // lone continuation byte
            [0xC3],  // truncated two-byte sequence
            [0xC3, 0x28],  // bad continuation
            [0xC0, 0xAF],  // overlong "/"
            [0xE0, 0x80, 0xAF],  // overlong three-byte form
            [0xED, 0xA0, 0x80],  // encoded surrogate U+D800
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF8, 0x88, 0x80, 0x80, 0x80],  // five-byte form
            [0xE2, 0x82],  // truncated euro sign
        ]
    )
    func invalidUTF8IsRejected(sequence: [UInt8]) {
        // Put the bad bytes after 10 good ones, so both the 8-byte and the byte-wise scans see them.
        let input = Array("\"0123456789".utf8) + sequence + Array("abc\"".utf8)
        let error = parseError(input[...])
        #expect(error?.code == .invalidUTF8)
        #expect(error?.column == 12)
    }

    @Test func invalidUTF8OutsideAStringIsRejectedAsInvalidUTF8() {
        let error = parseError([UInt8(ascii: "["), 0xFF, UInt8(ascii: "]")][...])
        #expect(error?.code == .invalidUTF8)
        #expect(error?.column == 2)
    }

    @Test(
        "lone or mismatched surrogate escapes are rejected",
        arguments: [#""\ud800""#, #""\uDBFF x""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800\ud800""#, #""a\ud83d""#]
    )
    func loneSurrogateIsRejected(input: String) {
        let error = parseError(bytes(input))
        #expect(error?.code == .invalidJSON)
        #expect(error?.reason.contains("surrogate") == true)
    }

    @Test func nestingBeyondTheLimitIsRejected() {
        let depth = EventLimits.maxJSONDepth + 1
        let error = parseError(bytes(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)))
        #expect(error?.code == .invalidJSON)
        #expect(error?.column == depth)
        #expect(error?.reason.contains("depth") == true)
    }

    @Test(arguments: ["[", "{\"a\":"])
    func tenThousandLevelsOfNestingAreRejectedWithoutCrashing(opener: String) {
        let error = parseError(bytes(String(repeating: opener, count: 10_000)))
        #expect(error?.code == .invalidJSON)
        #expect(error?.reason.contains("depth") == true)
    }

    @Test func duplicateKeyIsRejected() {
        let error = parseError(bytes(#"{"a":1,"b":2,"a":3}"#))
        #expect(error?.code == .invalidJSON)
        #expect(error?.reason == #"duplicate key "a""#)
        #expect(error?.column == 14)
    }

    @Test func duplicateKeyInANestedObjectIsRejected() {
        let error = parseError(bytes(#"{"outer":[{"x":1,"x":1}]}"#))
        #expect(error?.reason == #"duplicate key "x""#)
    }

    @Test func duplicateKeySpelledWithAnEscapeIsRejected() {
        let error = parseError(bytes(#"{"ab":1,"\u0061b":2}"#))
        #expect(error?.reason == #"duplicate key "ab""#)
    }

    @Test func duplicateKeyInALargeObjectIsRejected() {
        // Past 16 members keys are checked with a set rather than by scanning.
        let members = (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(throws: Never.self) { try parse("{\(members)}") }
        let error = parseError(bytes("{\(members),\"k57\":0}"))
        #expect(error?.reason == #"duplicate key "k57""#)
    }

    @Test func sameKeyInDifferentObjectsIsAccepted() throws {
        #expect(throws: Never.self) { try parse(#"{"a":{"a":1},"b":{"a":2}}"#) }
    }
}
