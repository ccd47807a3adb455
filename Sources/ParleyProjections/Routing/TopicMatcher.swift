/// Finds topics in messages. Built once per rules document; runs on every routed message.
///
/// Phrases and text are compared as sequences of folded words (``RoutingText``). Every distinct phrase
/// word gets a number, kept in an open-addressing table keyed by a 64-bit FNV-1a hash of its bytes (the
/// bytes are compared too, so a collision costs time, never a wrong answer). A message is read once,
/// byte by byte: ASCII words are lower-cased on the fly and looked up; a word with non-ASCII bytes is
/// folded first (``RoutingText``). The message becomes a list of word numbers (-1 for words no phrase has);
/// phrases are indexed by their first word, so only phrases that start at a word of the message are
/// compared, word number by word number.
public struct TopicMatcher: Equatable, Sendable {
    /// Topic names, in the document's order; bit `i` of a topic set is `names[i]`.
    public let names: [String]
    /// The phrase words, end to end, and where each starts (one more entry than words).
    private let vocabulary: [UInt8]
    private let vocabularyStart: [Int]
    /// Open-addressing table of word numbers (-1: empty), `mask + 1` slots, and each slot's word's hash.
    private let table: [Int32]
    private let tableHash: [UInt64]
    private let mask: Int
    /// For word number `w`, its phrases are `firstWordPhrases[firstWordStart[w] ..< firstWordStart[w + 1]]`.
    private let firstWordStart: [Int]
    private let firstWordPhrases: [Int]
    /// Phrase `p`'s words are `phraseWords[phraseStart[p] ..< phraseStart[p + 1]]`; its topic is `phraseTopic[p]`.
    private let phraseWords: [Int32]
    private let phraseStart: [Int]
    private let phraseTopic: [Int]

    /// A matcher for `topics` (at most 64).
    public init(topics: [Topic]) {
        precondition(topics.count <= 64, "a topic set must fit a UInt64")
        names = topics.map(\.name)
        var numbers: [String: Int32] = [:]
        var words: [String] = []
        var phrases: [(words: [Int32], topic: Int)] = []
        for (topic, entry) in topics.enumerated() {
            for phrase in entry.phrases {
                let folded = RoutingText.words(phrase)
                guard !folded.isEmpty else { continue }
                let numbered = folded.map { word -> Int32 in
                    if let number = numbers[word] { return number }
                    let number = Int32(words.count)
                    numbers[word] = number
                    words.append(word)
                    return number
                }
                phrases.append((numbered, topic))
            }
        }
        var vocabulary: [UInt8] = []
        var vocabularyStart = [0]
        for word in words {
            vocabulary.append(contentsOf: word.utf8)
            vocabularyStart.append(vocabulary.count)
        }
        var size = 8
        while size < words.count * 4 { size *= 2 }
        var table = [Int32](repeating: -1, count: size)
        var tableHash = [UInt64](repeating: 0, count: size)
        for (number, word) in words.enumerated() {
            let hash = Self.hash(word.utf8)
            var slot = Int(truncatingIfNeeded: hash) & (size - 1)
            while table[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Int32(number)
            tableHash[slot] = hash
        }
        var byFirst = [[Int]](repeating: [], count: words.count)
        for (index, phrase) in phrases.enumerated() { byFirst[Int(phrase.words[0])].append(index) }
        self.vocabulary = vocabulary
        self.vocabularyStart = vocabularyStart
        self.table = table
        self.tableHash = tableHash
        self.mask = size - 1
        self.firstWordStart = byFirst.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }
        self.firstWordPhrases = byFirst.flatMap { $0 }
        self.phraseWords = phrases.flatMap(\.words)
        self.phraseStart = phrases.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.words.count) }
        self.phraseTopic = phrases.map(\.topic)
    }

    /// The topic names found in a message, in the document's order: a topic is found when one of its phrases
    /// occurs in the subject or body, case- and accent-insensitively, on word boundaries ("price" does not
    /// match "priceless"; "très déçu" matches "TRES DECU!"). A phrase does not run from the subject into the
    /// body.
    public func topics(subject: String?, body: String) -> [String] {
        let found = topicSet(subject: subject, body: body)
        guard found != 0 else { return [] }
        return names.indices.compactMap { found & (1 << UInt64($0)) != 0 ? names[$0] : nil }
    }

    /// The topics found, as a bit set: bit `i` is topic `names[i]`.
    public func topicSet(subject: String?, body: String) -> UInt64 {
        guard !phraseTopic.isEmpty else { return 0 }
        var numbers: [Int32] = []
        numbers.reserveCapacity(body.utf8.count / 4 + 8)
        if let subject {
            number(subject, into: &numbers)
            numbers.append(-1)
        }
        number(body, into: &numbers)
        return match(numbers)
    }

    // MARK: Reading the message

    private static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = fnvOffset
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* fnvPrime }
        return hash
    }

    /// Appends the word numbers of `text` to `numbers`.
    private func number(_ text: String, into numbers: inout [Int32]) {
        let bytes = text.utf8.span
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 && !RoutingText.isASCIIAlphanumeric(byte) {
                index += 1
                continue
            }
            // A word: ASCII letters and digits, and any non-ASCII bytes among them.
            let start = index
            var hash = Self.fnvOffset
            var plain = true
            while index < count {
                let byte = bytes[index]
                if byte < 0x80 {
                    guard RoutingText.isASCIIAlphanumeric(byte) else { break }
                    hash = (hash ^ UInt64(RoutingText.asciiLowercased(byte))) &* Self.fnvPrime
                } else {
                    plain = false
                }
                index += 1
            }
            if plain {
                numbers.append(
                    lookUp(hash: hash, length: index - start) { offset in
                        RoutingText.asciiLowercased(bytes[start + offset])
                    })
            } else {
                var chunk: [UInt8] = []
                chunk.reserveCapacity(index - start)
                for offset in start..<index { chunk.append(RoutingText.asciiLowercased(bytes[offset])) }
                for folded in RoutingText.foldedWords(ofChunk: chunk) {
                    numbers.append(lookUp(hash: Self.hash(folded), length: folded.count) { folded[$0] })
                }
            }
        }
    }

    /// The number of the phrase word of `length` bytes with this hash whose bytes `byte(offset)` gives, or -1.
    @inline(__always)
    private func lookUp(hash: UInt64, length: Int, byte: (Int) -> UInt8) -> Int32 {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let number = table[slot]
            if number < 0 { return -1 }
            if tableHash[slot] == hash {
                let start = vocabularyStart[Int(number)]
                if vocabularyStart[Int(number) + 1] - start == length {
                    var offset = 0
                    while offset < length && vocabulary[start + offset] == byte(offset) { offset += 1 }
                    if offset == length { return number }
                }
            }
            slot = (slot + 1) & mask
        }
    }

    // MARK: Matching

    private func match(_ numbers: [Int32]) -> UInt64 {
        var found: UInt64 = 0
        for position in numbers.indices {
            let first = numbers[position]
            guard first >= 0 else { continue }
            for phrase in firstWordPhrases[firstWordStart[Int(first)]..<firstWordStart[Int(first) + 1]] {
                let bit: UInt64 = 1 << UInt64(phraseTopic[phrase])
                guard found & bit == 0 else { continue }
                let start = phraseStart[phrase]
                let length = phraseStart[phrase + 1] - start
                guard position + length <= numbers.count else { continue }
                var offset = 1
                while offset < length && numbers[position + offset] == phraseWords[start + offset] { offset += 1 }
                if offset == length { found |= bit }
            }
        }
        return found
    }
}
