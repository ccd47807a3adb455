import Testing

@testable import ParleyIntake

private let here = InputLocation(offset: 0, line: 1, column: 1)

@Suite struct MIMEHeaderTests {
    @Test func unfoldsFieldsAndLooksNamesUpCaseInsensitively() throws {
        let bytes = Array("Subject: a long\r\n\tfolded subject\r\nX-Spam: no\r\nx-spam: yes\r\n\r\nbody".utf8)
        let (headers, bodyOffset) = try MessageHeaders.parse(bytes)
        #expect(headers["SUBJECT"] == "a long\tfolded subject")
        #expect(headers.values(named: "X-SPAM") == ["no", "yes"])
        #expect(headers.fields.map(\.name) == ["Subject", "X-Spam", "x-spam"])
        #expect(Array(bytes[bodyOffset...]) == Array("body".utf8))
    }

    @Test func splitsAtTheFirstEmptyLineWithBareLF() throws {
        let bytes = Array("A: 1\n B\nC: 2\n\nD: not a header\n".utf8)
        let (headers, bodyOffset) = try MessageHeaders.parse(bytes)
        #expect(headers["a"] == "1 B")
        #expect(headers["d"] == nil)
        #expect(String(decoding: bytes[bodyOffset...], as: UTF8.self) == "D: not a header\n")
    }

    @Test func headersWithoutBodyEndAtTheInputEnd() throws {
        let bytes = Array("A: 1\r\nB: 2".utf8)
        let (headers, bodyOffset) = try MessageHeaders.parse(bytes)
        #expect(headers.fields.count == 2 && bodyOffset == bytes.count)
    }

    @Test func aLineWithoutColonIsAMalformedHeaderAtItsLine() {
        let bytes = Array("A: 1\r\nthis is not a header\r\n\r\n".utf8)
        #expect {
            try MessageHeaders.parse(bytes, file: "m.eml")
        } throws: { error in
            guard let error = error as? MIMEError else { return false }
            return error.code == .malformedHeader && error.location.line == 2 && error.location.offset == 6
                && error.location.file == "m.eml"
        }
    }

    @Test func locationsCountLinesAndColumnsAcrossBlocks() {
        let bytes = Array((String(repeating: "x\n", count: 5_000) + "abc").utf8)
        let lines = LineIndex(bytes, file: nil)
        #expect(lines.location(0) == InputLocation(offset: 0, line: 1, column: 1))
        #expect(lines.location(10_002) == InputLocation(offset: 10_002, line: 5_001, column: 3))
        #expect(lines.location(10_003) == InputLocation(offset: 10_003, line: 5_001, column: 4))
        #expect(lines.location(4_097) == InputLocation(offset: 4_097, line: 2_049, column: 2))
        #expect(LineIndex([], file: nil).location(0) == InputLocation(offset: 0, line: 1, column: 1))
    }

    @Test func aContinuationBeforeAnyFieldIsMalformed() {
        #expect(throws: MIMEError.self) { try MessageHeaders.parse(Array(" folded\r\nA: 1\r\n".utf8)) }
    }

    @Test func tooManyFieldsIsRefused() {
        let bytes = Array(String(repeating: "A: 1\n", count: 50).utf8)
        #expect {
            try MessageHeaders.parse(bytes, limits: MIMELimits(maxHeaderFields: 10))
        } throws: { ($0 as? MIMEError)?.code == .headerTooLarge }
    }

    @Test func parsesParametersWithQuotesEscapesAndComments() {
        let value = ParameterizedValue(
            parsing: "Multipart/Alternative (comment); boundary=\"a\\\"b;c\"; CHARSET=utf-8 ; format=flowed")
        #expect(value.value == "multipart/alternative")
        #expect(value.parameter("boundary") == "a\"b;c")
        #expect(value.parameter("charset") == "utf-8")
        #expect(value.parameter("format") == "flowed")
        #expect(
            ParameterizedValue(parsing: "text/plain; charset=\"unterminated").parameter("charset") == "unterminated")
        #expect(
            ParameterizedValue(parsing: "multipart/mixed; boundary=----=_Part_1_2.3").parameter("boundary")
                == "----=_Part_1_2.3")
    }

    @Test func joinsAndDecodesRFC2231Parameters() {
        let simple = ParameterizedValue(parsing: "attachment; filename*=utf-8''%E2%82%AC%20rates.pdf")
        #expect(simple.parameter("filename") == "€ rates.pdf")
        let continued = ParameterizedValue(
            parsing: "attachment; filename*1=\"part two.txt\"; filename*0*=iso-8859-1'fr'caf%E9%20")
        #expect(continued.parameter("filename") == "café part two.txt")
        let both = ParameterizedValue(
            parsing: "attachment; filename=\"plain.txt\"; filename*=UTF-8''%C3%A9.txt; size=3")
        #expect(both.parameters.map(\.name) == ["filename", "size"])
        #expect(both.parameter("filename") == "é.txt")
    }
}

@Suite struct MIMEEncodedWordTests {
    @Test func decodesBAndQWords() {
        #expect(EncodedWords.decode("=?UTF-8?B?w4lsb2TDqWU=?=") == "Élodée")
        #expect(EncodedWords.decode("Re: =?iso-8859-1?q?caf=E9_cr=E8me?= ok") == "Re: café crème ok")
    }

    @Test func dropsWhitespaceBetweenAdjacentWordsButNotAroundText() {
        #expect(EncodedWords.decode("=?utf-8?Q?a?= \r\n =?utf-8?Q?b?=") == "ab")
        #expect(EncodedWords.decode("x =?utf-8?Q?a?= y") == "x a y")
    }

    @Test func joinsAMultibyteCharacterSplitAcrossTwoWords() {
        #expect(EncodedWords.decode("=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?=") == "€")
        #expect(EncodedWords.decode("=?utf-8?Q?caf=C3?=\n =?utf-8?Q?=A9?=") == "café")
    }

    @Test func leavesUnknownCharsetsAndMalformedWordsAsWritten() {
        #expect(EncodedWords.decode("=?x-klingon?Q?abc?=") == "=?x-klingon?Q?abc?=")
        #expect(EncodedWords.decode("=?utf-8?Z?abc?=") == "=?utf-8?Z?abc?=")
        #expect(EncodedWords.decode("=?utf-8?Q?never closed") == "=?utf-8?Q?never closed")
        #expect(EncodedWords.decode("plain ? text = fine") == "plain ? text = fine")
    }

    @Test func ignoresAnRFC2231LanguageSuffix() {
        #expect(EncodedWords.decode("=?UTF-8*fr?Q?=C3=A0?=") == "à")
    }
}

@Suite struct MIMETransferEncodingTests {
    @Test func quotedPrintableHandlesSoftBreaksHexAndBadEscapes() {
        let input = Array("caf=C3=a9 =\r\nsuite=ZZ and = end=\nx=4".utf8)
        #expect(
            String(decoding: TransferEncoding.decodeQuotedPrintable(input), as: UTF8.self)
                == "café suite=ZZ and = endx=4")
    }

    @Test func quotedPrintableDropsTrailingSpaceButKeepsEncodedSpace() {
        let input = Array("a  \r\nb=20\nc\t=\n".utf8)
        #expect(TransferEncoding.decodeQuotedPrintable(input) == Array("a\r\nb \nc\t".utf8))
    }

    @Test func base64IgnoresWhitespaceAndToleratesMissingPadding() {
        #expect(TransferEncoding.decodeBase64(Array("SGVs\r\nbG8g\n d29y bGQ=".utf8)) == Array("Hello world".utf8))
        #expect(TransferEncoding.decodeBase64(Array("SGVsbG8".utf8)) == Array("Hello".utf8))
        #expect(TransferEncoding.decodeBase64(Array("SGVsbA".utf8)) == Array("Hell".utf8))
        #expect(TransferEncoding.decodeBase64(Array("S".utf8)).isEmpty)
    }

    @Test func sevenBitEightBitAndBinaryPassThrough() {
        let bytes: [UInt8] = [0x41, 0xFF, 0x3D, 0x0A]
        for name in ["7bit", "8BIT", "binary", "x-unknown"] {
            #expect(TransferEncoding.decode(bytes, encoding: name) == bytes)
        }
    }
}

@Suite struct MIMECharsetTests {
    @Test func latin9DiffersFromLatin1InExactlyEightPlaces() throws {
        let high = (0xA0...0xFF).map { UInt8($0) }
        let latin1 = Array(try MIMECharset.decode(high, charset: "ISO-8859-1", location: here).string.unicodeScalars)
        let latin9 = Array(try MIMECharset.decode(high, charset: "iso-8859-15", location: here).string.unicodeScalars)
        let differing = zip(latin1, latin9).filter { $0 != $1 }.map { String($0.1) }.joined()
        #expect(differing == "€ŠšŽžŒœŸ")
    }

    @Test func windows1252MapsTheC1RangeAndFlagsUndefinedBytes() throws {
        let decoded = try MIMECharset.decode(
            [0x80, 0x92, 0x93, 0x94, 0x96, 0x99, 0x9F, 0xE9], charset: "cp1252", location: here)
        #expect(decoded == DecodedText(string: "€’“”–™Ÿé", hadInvalidBytes: false))
        let undefined = try MIMECharset.decode([0x41, 0x81, 0x42], charset: "windows-1252", location: here)
        #expect(undefined == DecodedText(string: "A\u{FFFD}B", hadInvalidBytes: true))
    }

    @Test func invalidUTF8AndHighASCIIBecomeReplacementsWithAFlag() throws {
        #expect(
            try MIMECharset.decode([0x61, 0xC3, 0x28], charset: "UTF-8", location: here)
                == DecodedText(string: "a\u{FFFD}(", hadInvalidBytes: true))
        #expect(
            try MIMECharset.decode([0x61, 0xE9], charset: "us-ascii", location: here)
                == DecodedText(string: "a\u{FFFD}", hadInvalidBytes: true))
        #expect(try MIMECharset.decode(Array("ok".utf8), charset: "\"utf8\"", location: here).hadInvalidBytes == false)
    }

    @Test func utf16ReadsAByteOrderMark() throws {
        #expect(
            try MIMECharset.decode([0xFF, 0xFE, 0x41, 0x00, 0xAC, 0x20], charset: "utf-16", location: here).string
                == "A€")
        #expect(
            try MIMECharset.decode([0x00, 0x41, 0x00], charset: "utf-16be", location: here)
                == DecodedText(string: "A\u{FFFD}", hadInvalidBytes: true))
    }

    @Test func anUnknownCharsetThrowsWithItsName() {
        #expect {
            try MIMECharset.decode([0x41], charset: "x-mac-klingon", location: here)
        } throws: { error in
            let error = error as? MIMEError
            return error?.code == .unknownCharset && error?.charset == "x-mac-klingon"
        }
    }
}

@Suite struct MIMEHTMLTextTests {
    @Test func stripsTagsDropsScriptsAndDecodesEntities() {
        let html = """
            <html><head><title>T</title><style>p { color: red }</style></head>
            <body><p>Fish &amp; chips &lt;3 &quot;hot&quot; &#39;now&#39;</p>
            <SCRIPT type="x">alert("<p>no</p>")</SCRIPT><div>a&nbsp;b &#8364; &#x20AC; &bogus; &#xZZ;</div>
            <!-- a <b>comment</b> --><p>line<br>break</p><p></p><p></p><p>last   word</p></body></html>
            """
        #expect(
            HTMLText.text(fromHTML: html)
                == "Fish & chips <3 \"hot\" 'now'\n\na b € € &bogus; &#xZZ;\n\nline\nbreak\n\nlast word")
    }

    @Test func unterminatedConstructsDoNotLoseOrLoop() {
        #expect(HTMLText.text(fromHTML: "a < b") == "a < b")
        #expect(HTMLText.text(fromHTML: "a<script>never closed").isEmpty == false)
        #expect(HTMLText.text(fromHTML: "x<!-- open") == "x")
        #expect(HTMLText.text(fromHTML: "&#99999999999;") == "&#99999999999;")
        #expect(HTMLText.text(fromHTML: "&#1114112;") == "\u{FFFD}")
        let manyOpenings = String(repeating: "<", count: 200_000)
        #expect(HTMLText.text(fromHTML: manyOpenings) == manyOpenings)
    }
}
