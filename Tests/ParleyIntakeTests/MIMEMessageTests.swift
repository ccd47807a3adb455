import Foundation
import ParleyLog
import Testing

@testable import ParleyIntake

/// The text with every LF turned into CRLF, as bytes.
private func crlf(_ text: String) -> [UInt8] {
    Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
}

private let thunderbird = crlf(
    """
    From: =?UTF-8?Q?Ren=c3=a9e_Dupont?= <renee@example.fr>
    To: support@example.com
    Subject: =?UTF-8?Q?Facture_en_retard_=e2=80=94_commande_?=
     =?UTF-8?Q?n=c2=b0_4521?=
    Message-ID: <8d1c2f3e-1a2b-4c5d-9e8f-0a1b2c3d4e5f@example.fr>
    Date: Thu, 3 Dec 2026 10:12:00 +0100
    MIME-Version: 1.0
    User-Agent: Mozilla Thunderbird
    Content-Language: fr
    Content-Type: multipart/alternative;
     boundary="------------8F1wXXzrYcD5wUeZ5Ws3CqfK"

    This is a multi-part message in MIME format.
    --------------8F1wXXzrYcD5wUeZ5Ws3CqfK
    Content-Type: text/plain; charset=UTF-8; format=flowed
    Content-Transfer-Encoding: quoted-printable

    Bonjour,

    Ma facture n=C2=B0 4521 est toujours impay=C3=A9e =E2=80=94 pouvez-vous v=
    =C3=A9rifier ?

    Ren=C3=A9e

    --------------8F1wXXzrYcD5wUeZ5Ws3CqfK
    Content-Type: text/html; charset=UTF-8
    Content-Transfer-Encoding: quoted-printable

    <html><body><p>Bonjour,</p><p>Ma facture n=C2=B0 4521 est toujours impay=
    =C3=A9e.</p></body></html>

    --------------8F1wXXzrYcD5wUeZ5Ws3CqfK--

    """)

private let outlook = crlf(
    """
    From: "O'Brien, Sean" <sean@contoso.com>
    Subject: RE: Invoice =?Windows-1252?Q?=93overdue=94?=
    Thread-Topic: Invoice
    Content-Language: en-US
    X-MS-Has-Attach:
    Content-Type: multipart/alternative;
    \tboundary="_000_DB7PR01MB1234ABCDDB7PR01MB12_"
    MIME-Version: 1.0

    --_000_DB7PR01MB1234ABCDDB7PR01MB12_
    Content-Type: text/plain; charset="Windows-1252"
    Content-Transfer-Encoding: quoted-printable

    We=92re sorry =96 the =80 amount was wrong.

    --_000_DB7PR01MB1234ABCDDB7PR01MB12_
    Content-Type: text/html; charset="Windows-1252"
    Content-Transfer-Encoding: quoted-printable

    <html><body><p class=3D"MsoNormal">We=92re sorry</p></body></html>

    --_000_DB7PR01MB1234ABCDDB7PR01MB12_--

    """)

private let pdfBytes =
    Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    + (0..<300).map { UInt8($0 % 256) }

private let nestedMixed: [UInt8] = crlf(
    """
    From: billing@example.com
    Subject: Your statement
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="outer"

    preamble, ignored
    --outer
    Content-Type: multipart/alternative; boundary="outer-inner"

    --outer-inner
    Content-Type: text/plain; charset=us-ascii

    Statement attached.
    --outer-inner
    Content-Type: text/html; charset=us-ascii

    <p>Statement <b>attached</b>.</p>
    --outer-inner--
    --outer
    Content-Type: application/pdf; name="statement.pdf"
    Content-Disposition: attachment; filename="=?utf-8?Q?relev=C3=A9.pdf?="
    Content-Transfer-Encoding: base64

    \(Data(pdfBytes).base64EncodedString(options: .lineLength76Characters).replacingOccurrences(of: "\r\n", with: "\n"))
    --outer--
    epilogue, ignored
    """)

@Suite struct MIMEMessageTests {
    @Test func thunderbirdAlternativePrefersQuotedPrintablePlainText() throws {
        let message = try MIMEMessage(bytes: thunderbird)
        #expect(message.subject == "Facture en retard — commande n° 4521")
        #expect(message.headers.decoded("from") == "Renée Dupont <renee@example.fr>")
        #expect(message.root.children.map(\.mediaType) == ["text/plain", "text/html"])
        let text = try #require(try message.text)
        #expect(text.source == .plain && !text.hadInvalidBytes)
        #expect(
            text.string == "Bonjour,\n\nMa facture n° 4521 est toujours impayée — pouvez-vous vérifier ?\n\nRenée\n")
        #expect(message.attachments.isEmpty && message.warnings.isEmpty)
    }

    @Test func outlookWindows1252MessageDecodesSmartPunctuationAndEuro() throws {
        let message = try MIMEMessage(bytes: outlook)
        #expect(message.subject == "RE: Invoice “overdue”")
        #expect(message.headers["x-ms-has-attach"] == "")
        #expect(try message.text?.string == "We’re sorry – the € amount was wrong.\n")
    }

    @Test func iso885915EightBitBodyHasTheEuroSign() throws {
        let bytes =
            crlf("Subject: price\nContent-Type: text/plain; charset=ISO-8859-15\nContent-Transfer-Encoding: 8bit\n\n")
            + [0x31, 0x30, 0x20, 0xA4, 0x20, 0x6F, 0x72, 0x20, 0xBD, 0x75, 0x66]
        #expect(try MIMEMessage(bytes: bytes).text?.string == "10 € or œuf")
    }

    @Test func htmlOnlyMessageIsReducedToText() throws {
        let bytes = crlf(
            """
            Subject: =?utf-8?B?QmllbnZlbnVl?=
            Content-Type: text/html; charset="utf-8"
            Content-Transfer-Encoding: quoted-printable

            <html><head><style>td { font: 12px }</style></head><body>
            <h1>Welcome</h1><p>Tom &amp; Jerry&#39;s   plan:</p><ul><li>one</li><li>two&nbsp;=E2=9C=93</li></ul>
            <script>track()</script></body></html>
            """)
        let message = try MIMEMessage(bytes: bytes)
        #expect(message.subject == "Bienvenue")
        let text = try #require(try message.text)
        #expect(text.source == .html)
        #expect(text.string == "Welcome\n\nTom & Jerry's plan:\n\none\n\ntwo ✓")
    }

    @Test func nestedMixedNotesTheBase64PDFWithoutKeepingIt() throws {
        let message = try MIMEMessage(bytes: nestedMixed, file: "statement.eml")
        #expect(message.root.mediaType == "multipart/mixed")
        #expect(message.root.children.map(\.mediaType) == ["multipart/alternative", "application/pdf"])
        #expect(
            try message.text
                == MIMEMessage.BodyText(string: "Statement attached.", source: .plain, hadInvalidBytes: false))
        let attachment = try #require(message.attachments.first)
        #expect(message.attachments.count == 1)
        #expect(attachment.filename == "relevé.pdf" && attachment.mediaType == "application/pdf")
        #expect(attachment.decodedSize == pdfBytes.count)
        #expect(message.root.children[1].content == nil)
        #expect(attachment.location.file == "statement.eml" && attachment.location.line == 20)
        #expect(message.warnings.isEmpty)
    }

    @Test func aMissingFinalBoundaryIsToleratedWithAWarning() throws {
        let bytes = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\n\nsecond, cut off\n")
        let message = try MIMEMessage(bytes: bytes)
        #expect(
            message.root.children.compactMap(\.content) == [Array("first".utf8), Array("second, cut off\r\n".utf8)])
        guard case .missingFinalBoundary(let location) = message.warnings.first else {
            Issue.record("expected a missing-boundary warning, got \(message.warnings)")
            return
        }
        #expect(location.offset == bytes.count)
    }

    @Test func aBoundaryPrefixOnALineIsNotADelimiter() throws {
        let bytes = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--bb is text\n--b-- \t\n")
        let message = try MIMEMessage(bytes: bytes)
        #expect(message.root.children.map(\.content) == [Array("--bb is text".utf8)])
        #expect(message.warnings.isEmpty)
    }

    @Test func aMultipartWithoutBoundaryParameterOrDelimiterIsWarnedAbout() throws {
        let noParameter = try MIMEMessage(bytes: crlf("Content-Type: multipart/mixed\n\nhello\n"))
        #expect(noParameter.warnings.count == 1 && noParameter.root.children.isEmpty)
        let noDelimiter = try MIMEMessage(bytes: crlf("Content-Type: multipart/mixed; boundary=z\n\nhello\n"))
        #expect(noDelimiter.root.children.isEmpty)
        guard case .noBoundaryFound = noDelimiter.warnings.first else {
            Issue.record("expected noBoundaryFound, got \(noDelimiter.warnings)")
            return
        }
    }

    @Test func anUnknownCharsetIsLeftToTheCaller() throws {
        let message = try MIMEMessage(bytes: crlf("Subject: x\nContent-Type: text/plain; charset=koi8-r\n\n\u{41}"))
        #expect {
            try message.text
        } throws: { error in
            let error = error as? MIMEError
            return error?.code == .unknownCharset && error?.charset == "koi8-r" && error?.location.offset == 0
        }
    }

    @Test func invalidBytesInADeclaredCharsetAreReplacedAndFlagged() throws {
        let bytes = crlf("Content-Type: text/plain; charset=utf-8\n\nna") + [0xEF, 0x76, 0x65]
        #expect(
            try MIMEMessage(bytes: bytes).text == .init(string: "na\u{FFFD}ve", source: .plain, hadInvalidBytes: true))
    }

    @Test func anUndeclaredCharsetFallsBackFromUTF8ToWindows1252() throws {
        #expect(try MIMEMessage(bytes: crlf("Subject: x\n\ncafé")).text?.string == "café")
        #expect(try MIMEMessage(bytes: crlf("Subject: x\n\ncaf") + [0xE9, 0x80]).text?.string == "café€")
    }

    @Test func nestingDeeperThanTheLimitIsRefused() {
        var text = ""
        for level in 0..<6 { text += "Content-Type: multipart/mixed; boundary=l\(level)\n\n--l\(level)\n" }
        text += "\nleaf\n"
        #expect {
            try MIMEMessage(bytes: crlf(text), limits: MIMELimits(maxDepth: 4))
        } throws: { ($0 as? MIMEError)?.code == .nestingTooDeep }
        #expect(throws: Never.self) { try MIMEMessage(bytes: crlf(text), limits: MIMELimits(maxDepth: 6)) }
    }

    @Test func tooManyPartsAndTooLargeInputAreRefused() {
        let many = crlf(
            "Content-Type: multipart/mixed; boundary=b\n\n" + String(repeating: "--b\n\nx\n", count: 50) + "--b--\n")
        #expect {
            try MIMEMessage(bytes: many, limits: MIMELimits(maxParts: 20))
        } throws: { ($0 as? MIMEError)?.code == .tooManyParts }
        #expect {
            try MIMEMessage(bytes: many, limits: MIMELimits(maxInputBytes: 100))
        } throws: { ($0 as? MIMEError)?.code == .inputTooLarge }
    }

    @Test func mutatedMessagesNeverCrash() {
        var generator = SplitMix64(seed: 0x5EED_2047)
        let samples = [thunderbird, outlook, nestedMixed]
        let limits = MIMELimits(maxDepth: 8, maxParts: 200)
        var decoded = 0
        for round in 0..<400 {
            var bytes = samples[round % samples.count]
            for _ in 0..<(1 + Int(generator.next() % 8)) where !bytes.isEmpty {
                let at = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 5 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(contentsOf: Array("=?\r\n--=\t<&#x".utf8).shuffled(using: &generator), at: at)
                case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int(generator.next() % 64)))
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 40)], at: at)
                }
            }
            guard let message = try? MIMEMessage(bytes: bytes, limits: limits) else { continue }
            decoded += 1
            _ = message.subject
            _ = message.attachments
            _ = try? message.text
        }
        #expect(decoded > 0)
    }
}
