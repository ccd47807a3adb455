import Testing

@testable import ParleyProjections

/// Folding text and finding topics: case, accents, word boundaries, multi-word phrases, subject and body.
@Suite struct RoutingTextTests {
    @Test func foldLowerCasesDropsAccentsAndCollapsesSeparators() {
        #expect(RoutingText.fold("Where IS my   order?!") == "where is my order")
        #expect(RoutingText.fold("  --Très  DÉÇU !! ") == "tres decu")
        #expect(RoutingText.fold("Crème brûlée, s'il vous plaît") == "creme brulee s il vous plait")
        #expect(RoutingText.fold("order_42/b") == "order 42 b")
        #expect(RoutingText.fold("!?") == "")
        #expect(RoutingText.fold("") == "")
        #expect(RoutingText.words("Ça va — très bien") == ["ca", "va", "tres", "bien"])
    }

    @Test func latinLettersFoldByTableAndTheRestByFoundation() {
        // Letters with diacritics (table), combining marks, and letters the table leaves to Foundation.
        #expect(RoutingText.fold("ĞÜŞİÖÇ Ørsted Straße Æsir") == RoutingText.fold("gusioc ørsted strasse æsir"))
        #expect(RoutingText.fold("e\u{301}te\u{301}") == "ete")
        #expect(RoutingText.fold("Ñandú") == "nandu")
        #expect(RoutingText.fold("naïve—café") == "naive cafe")
        #expect(RoutingText.fold("日本語のテキスト、です") == "日本語のテキスト です")
        #expect(RoutingText.words("Très™ cher") == ["tres", "cher"])
        let matcher = TopicMatcher(topics: [Topic(name: "t", phrases: ["Straße", "ørsted", "déçu"])])
        #expect(matcher.topics(subject: nil, body: "STRASSE") == ["t"])
        #expect(matcher.topics(subject: nil, body: "ØRSTED") == ["t"])
        #expect(matcher.topics(subject: nil, body: "de\u{301}c\u{327}u") == ["t"])
    }

    static let matcher = TopicMatcher(topics: [
        Topic(name: "pre_purchase", phrases: ["price", "do you ship", "in stock"]),
        Topic(name: "complaint", phrases: ["très déçu", "unacceptable"]),
        Topic(name: "billing", phrases: ["invoice", "charged twice", "facture"]),
        Topic(name: "repeat", phrases: ["again and again"]),
    ])

    @Test func phrasesMatchWholeWordsOnly() {
        #expect(Self.matcher.topics(subject: nil, body: "What's the price?") == ["pre_purchase"])
        #expect(Self.matcher.topics(subject: nil, body: "This is priceless").isEmpty)
        #expect(Self.matcher.topics(subject: nil, body: "overprice").isEmpty)
        #expect(Self.matcher.topics(subject: nil, body: "invoices").isEmpty)
        #expect(Self.matcher.topics(subject: nil, body: "(invoice)") == ["billing"])
        #expect(Self.matcher.topics(subject: nil, body: "price").count == 1)
        #expect(Self.matcher.topics(subject: nil, body: "").isEmpty)
    }

    @Test func caseAndAccentsDoNotMatter() {
        #expect(Self.matcher.topics(subject: nil, body: "TRES DECU!") == ["complaint"])
        #expect(Self.matcher.topics(subject: nil, body: "je suis très déçu") == ["complaint"])
        #expect(Self.matcher.topics(subject: nil, body: "TRÈS   DÉÇU.") == ["complaint"])
        #expect(Self.matcher.topics(subject: nil, body: "Votre FACTURE") == ["billing"])
        #expect(Self.matcher.topics(subject: nil, body: "Fâcturé") == ["billing"])
        #expect(Self.matcher.topics(subject: nil, body: "très décus").isEmpty)
    }

    @Test func multiWordPhrasesNeedTheirWordsInOrder() {
        #expect(Self.matcher.topics(subject: nil, body: "Do you... ship to Spain?") == ["pre_purchase"])
        #expect(Self.matcher.topics(subject: nil, body: "you do ship").isEmpty)
        #expect(Self.matcher.topics(subject: nil, body: "do you really ship").isEmpty)
        #expect(Self.matcher.topics(subject: nil, body: "I was charged, twice!") == ["billing"])
        #expect(Self.matcher.topics(subject: nil, body: "again and again and again") == ["repeat"])
        #expect(Self.matcher.topics(subject: nil, body: "again and").isEmpty)
        // A phrase at the very end, and one whose first word repeats before it.
        #expect(Self.matcher.topics(subject: nil, body: "again again and again") == ["repeat"])
    }

    @Test func subjectAndBodyBothCountButAPhraseDoesNotSpanThem() {
        #expect(Self.matcher.topics(subject: "Invoice", body: "hello") == ["billing"])
        #expect(Self.matcher.topics(subject: "hello", body: "invoice") == ["billing"])
        #expect(Self.matcher.topics(subject: "charged", body: "twice").isEmpty)
        #expect(Self.matcher.topics(subject: "Price", body: "unacceptable") == ["pre_purchase", "complaint"])
    }

    @Test func topicsComeInTheDocumentsOrder() {
        let found = Self.matcher.topics(
            subject: nil, body: "again and again: unacceptable invoice, and the price! in stock?")
        #expect(found == ["pre_purchase", "complaint", "billing", "repeat"])
        #expect(Self.matcher.topicSet(subject: nil, body: "invoice") == 0b100)
    }

    @Test func nonASCIIWordsAroundASCIIOnesAreSplitLikeFold() {
        // A non-ASCII separator (an em dash, a curly quote) splits words as fold does.
        #expect(Self.matcher.topics(subject: nil, body: "prix—price—preis") == ["pre_purchase"])
        #expect(Self.matcher.topics(subject: nil, body: "l’invoice") == ["billing"])
        #expect(Self.matcher.topics(subject: nil, body: "ÇA: «très déçu»") == ["complaint"])
    }

    @Test func aMatcherWithoutTopicsFindsNothing() {
        #expect(TopicMatcher(topics: []).topics(subject: "price", body: "price").isEmpty)
    }

    @Test func manyWordsShareTheTableWithoutConfusion() {
        // 64 topics of 4 phrases each: every phrase finds its own topic and no other.
        let topics = (0..<64).map { index in
            Topic(name: "t\(index)", phrases: (0..<4).map { "w\(index)x\($0) common\($0 % 2)" })
        }
        let matcher = TopicMatcher(topics: topics)
        for index in [0, 1, 31, 63] {
            #expect(matcher.topics(subject: nil, body: "say W\(index)X3 COMMON1 now") == ["t\(index)"])
            #expect(matcher.topics(subject: nil, body: "say w\(index)x3 common0 now").isEmpty)
        }
        #expect(matcher.topicSet(subject: nil, body: "w63x0 common0 w0x1 common1") == (UInt64(1) << 63) | 1)
    }
}
