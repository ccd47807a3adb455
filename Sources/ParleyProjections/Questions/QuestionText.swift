/// The normal form in which the first messages of episodes are compared: a list of tokens.
///
/// Text is cut at white space into raw tokens, each trimmed of the punctuation around it. A raw token
/// that is a mention (`@name`) is dropped: it addresses the company, not the question. An email address
/// becomes ``email``, a URL (`scheme://…` or `www.…`) ``url``, a token that bears digits and letters, or
/// `#` and digits (`#12345`, `A-1234-XY`, `ord_9921`) ``identifier``, and a number (digits with `.,:/-`
/// between them, `$`/`%` around) ``number``. Any other token is case- and diacritic-folded and cut into
/// words at characters that are neither letters nor digits, as ``RoutingText`` does (`"Très  DÉÇU !"` →
/// `tres`, `decu`). Placeholders start with `#`, which no word holds, so they never collide with words.
public enum QuestionText {
    /// The placeholder of an email address.
    public static let email = "#email"
    /// The placeholder of a URL.
    public static let url = "#url"
    /// The placeholder of an identifier: an order or ticket number, a reference code.
    public static let identifier = "#id"
    /// The placeholder of a number.
    public static let number = "#num"

    /// The tokens of `text`, at most `limit` of them (the question is near the start of a message).
    public static func tokens(_ text: String, limit: Int = .max) -> [String] {
        var tokens: [String] = []
        var raw: [UInt8] = []
        func flush() {
            defer { raw.removeAll(keepingCapacity: true) }
            guard tokens.count < limit else { return }
            appendTokens(of: raw[...], to: &tokens)
        }
        for byte in text.utf8 {
            guard byte <= 0x20 else {
                raw.append(byte)
                continue
            }
            flush()
            if tokens.count >= limit { break }  // a long body: the rest is never read
        }
        flush()
        if tokens.count > limit { tokens.removeLast(tokens.count - limit) }
        return tokens
    }

    /// Appends the tokens of one raw token (no white space in it).
    static func appendTokens(of raw: ArraySlice<UInt8>, to tokens: inout [String]) {
        let token = trimmed(raw)
        guard !token.isEmpty else { return }
        if token.first == UInt8(ascii: "@") {
            return
        }
        if let shape = placeholder(for: token) {
            tokens.append(shape)
            return
        }
        RoutingText.forEachWord(String(decoding: token, as: UTF8.self)) { word in
            tokens.append(String(decoding: word, as: UTF8.self))
        }
    }

    /// The placeholder that stands for `token` (trimmed), if it is an email, a URL, an id or a number.
    static func placeholder(for token: ArraySlice<UInt8>) -> String? {
        var digits = 0
        var letters = 0
        var at = -1
        var dotAfterAt = false
        var other = 0
        for (offset, byte) in token.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): letters += 1
            case UInt8(ascii: "@"): at = offset
            case UInt8(ascii: "."): if at >= 0 { dotAfterAt = true } else { other += 1 }
            case 0x80...: letters += 1
            default: other += 1
            }
        }
        if at > 0 && dotAfterAt && letters > 0 { return email }
        if startsURL(token) { return url }
        guard digits > 0 else { return nil }
        if letters > 0 || token.first == UInt8(ascii: "#") { return identifier }
        return number
    }

    /// Whether `token` starts like a URL: `http://`, `https://`, any `scheme://`, or `www.`.
    static func startsURL(_ token: ArraySlice<UInt8>) -> Bool {
        let lower = token.prefix(12).map { RoutingText.asciiLowercased($0) }
        if lower.starts(with: Array("www.".utf8)) { return true }
        guard let colon = lower.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return false }
        let rest = lower[(colon + 1)...]
        return rest.starts(with: Array("//".utf8)) && lower[..<colon].allSatisfy { RoutingText.isASCIIAlphanumeric($0) }
    }

    /// `raw` without the ASCII punctuation around it (`#` and `@` in front are kept: they mark ids and
    /// mentions).
    static func trimmed(_ raw: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var token = raw
        while let first = token.first, first < 0x80, !RoutingText.isASCIIAlphanumeric(first),
            first != UInt8(ascii: "#"), first != UInt8(ascii: "@")
        {
            token = token.dropFirst()
        }
        while let last = token.last, last < 0x80, !RoutingText.isASCIIAlphanumeric(last) {
            token = token.dropLast()
        }
        if token.count == 1, token.first == UInt8(ascii: "#") || token.first == UInt8(ascii: "@") { return [] }
        return token
    }

    /// Words too common to tell one question from another: left out of labels, and of the features
    /// messages are compared by (``MinHasher/features(of:)``).
    public static let stopWords: Set<String> = [
        "a", "about", "after", "d", "don", "ll", "m", "re", "s", "t", "ve", "all", "also", "am", "an", "and", "any",
        "are", "as", "at", "be", "been",
        "but", "by", "can", "could", "did", "do", "does", "dont", "for", "from", "get", "got", "had", "has",
        "have", "hello", "help", "hey", "hi", "how", "i", "if", "im", "in", "is", "it", "its", "just", "me",
        "my", "need", "no", "not", "of", "on", "or", "please", "so", "some", "thanks", "that", "the", "their",
        "them", "there", "this", "to", "u", "up", "us", "want", "was", "we", "what", "when", "where", "which",
        "why", "will", "with", "would", "you", "your",
    ]
}
