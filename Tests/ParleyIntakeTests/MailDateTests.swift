import ParleyIntake
import ParleyLog
import Testing

@Suite struct MailDateTests {
    /// 2026-12-03T10:00:00Z in nanoseconds.
    static let base: Int64 = 1_796_292_000 * 1_000_000_000
    static let hour: Int64 = 3_600 * 1_000_000_000

    static let valid: [(String, Int64)] = [
        ("Thu, 03 Dec 2026 10:00:00 +0000", base),
        ("3 Dec 2026 10:00:00 +0000", base),
        ("Thu, 3 Dec 2026 10:00 +0000", base),
        ("thu, 03 dec 2026 10:00:00 GMT", base),
        ("Thursday, 03 December 2026 10:00:00 UT", base),
        ("Thu, 03 Dec 2026 11:30:00 +0130", base),
        ("Thu, 03 Dec 2026 05:00:00 EST", base),
        ("Thu, 03 Dec 2026 06:00:00 EDT", base),
        ("Thu, 03 Dec 2026 04:00:00 CST", base),
        ("Thu, 03 Dec 2026 05:00:00 CDT", base),
        ("Thu, 03 Dec 2026 03:00:00 MST", base),
        ("Thu, 03 Dec 2026 04:00:00 MDT", base),
        ("Thu, 03 Dec 2026 02:00:00 PST", base),
        ("Thu, 03 Dec 2026 03:00:00 PDT", base),
        ("Thu, 03 Dec 2026 10:00:00 Z", base),
        ("Thu, 03 Dec 2026 10:00:00 A", base),
        ("Thu, 03 Dec 2026 10:00:00 CEST", base),
        ("Thu, 03 Dec 2026 10:00:00 -0000", base),
        ("Thu, 03 Dec 26 10:00:00 +0000", base),
        ("Thu, 03 Dec 126 10:00:00 +0000", base),
        ("Thu, 3 Dec 1999 10:00:00 +0000", 944_215_200 * 1_000_000_000),
        ("Fri, 3 Dec 99 10:00:00 +0000", 944_215_200 * 1_000_000_000),
        ("  Thu ,  03  (a (nested) comment)  Dec\r\n 2026  10 : 00 : 00   +0000   (UTC)  ", base),
        ("Thu, 03 Dec 2026 10:00:00 -0100", base + hour),
        ("Thu, 01 Jan 1970 00:00:00 +0000", 0),
        ("Wed, 31 Dec 1969 23:59:59 +0000", -1_000_000_000),
        ("29 Feb 2024 00:00:00 +0000", 1_709_164_800 * 1_000_000_000),
        ("31 Dec 2016 23:59:60 +0000", 1_483_228_800 * 1_000_000_000),
    ]

    @Test(arguments: valid) func validDatesParse(_ text: String, _ expected: Int64) throws {
        #expect(try MailDate.parse(text) == expected)
    }

    static let invalid: [(String, Int)] = [
        ("", 0),
        ("Thu, 03 Dec 2026 10:00:00", 25),
        ("Thu, 03 Foo 2026 10:00:00 +0000", 8),
        ("Foo, 03 Dec 2026 10:00:00 +0000", 0),
        ("Thu, 03 Dec 2026 24:00:00 +0000", 12),
        ("Thu, 03 Dec 2026 10:60:00 +0000", 12),
        ("Thu, 31 Feb 2026 10:00:00 +0000", 12),
        ("29 Feb 2025 00:00:00 +0000", 7),
        ("Thu, 03 Dec 2026 10:00:00 +0160", 27),
        ("Thu, 03 Dec 2026 10:00:00 +01", 26),
        ("Thu, 03 Dec 2026 10:00:00 + 0100", 26),
        ("Thu, 03 Dec 2026 10:00:00 J", 26),
        ("Thu, 03 Dec 2026 10:00:00 +0000 extra", 32),
        ("Thu, 03 Dec 2026 10:00:00 +0000 (unterminated", 32),
        ("Thu, 03 Dec 2026 10.00.00 +0000", 19),
        ("Thu, 03 Dec 2 10:00:00 +0000", 12),
        ("Thu, 03 Dec 3000 10:00:00 +0000", 12),
        ("Thu, 003 Dec 2026 10:00:00 +0000", 5),
        ("2026-12-03T10:00:00Z", 0),
        ("Thu, 03 Dec 99999999999999 10:00:00 +0000", 12),
    ]

    @Test(arguments: invalid) func invalidDatesThrowWithAPosition(_ text: String, _ column: Int) {
        #expect {
            _ = try MailDate.parse(text, at: InputLocation(file: "m.eml", offset: 100, line: 4, column: 7))
        } throws: { error in
            guard let error = error as? MailError else { return false }
            return error.code == .invalidDate && error.location.line == 4 && error.location.file == "m.eml"
                && error.location.offset == 100 + column && error.location.column == 7 + column
        }
    }

    @Test func randomTextNeverCrashes() {
        var generator = SplitMix64(seed: 0x6461_7465)
        let alphabet = Array("Thu, 03 Dec 2026 10:00:00 +0000 (x)\\-:9Z")
        var parsed = 0
        for _ in 0..<3_000 {
            var text = Array("Thu, 03 Dec 2026 10:00:00 +0000")
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                let index = Int.random(in: 0...text.count, using: &generator)
                if Bool.random(using: &generator), index < text.count {
                    text.remove(at: index)
                } else {
                    text.insert(alphabet.randomElement(using: &generator) ?? " ", at: index)
                }
            }
            if (try? MailDate.parse(String(text))) != nil { parsed += 1 }
        }
        #expect(parsed > 0)
    }
}
