import ParleyEvents

/// What `parley questions` keeps while a replay streams the log: for each episode that a message started
/// in the windows, the MinHash signature of that message (subject and body), the signature of the
/// episode's first human reply, its words (as numbers into a shared vocabulary, for the label), its
/// channel and category, and a 60-character snippet. Texts themselves are not kept, so memory grows with
/// the episodes in the windows, not with the log.
///
/// Feed it every event in log order: ``wants(_:)`` with the event decoded without texts (it follows
/// episodes through a ``ConversationBook``, so they start and end exactly as in every other report) and,
/// when that returns `true`, ``take(_:)`` with the same event decoded with its texts. Without fixed bounds
/// the window ends at the latest event time, unknown until the end: episodes that start more than two
/// window lengths before the latest event time seen so far can be in neither window, and are dropped.
public struct QuestionSample: Sendable {
    /// Where the window lies.
    public enum Window: Equatable, Sendable {
        /// From `start` (inclusive) to `end` (exclusive), ns.
        case fixed(start: Int64, end: Int64)
        /// The `length` (ns) that ends at the latest event time.
        case endingAtLatest(length: Int64)
    }

    struct Item: Sendable {
        var conversation: String
        var start: Int64
        var channel: Channel?
        var category: String?
        /// Empty for a message without words (no features).
        var signature: [UInt32] = []
        var terms: [UInt32] = []
        var snippet = ""
        var reply: [UInt32]?
    }

    enum Pending: Sendable {
        case question(conversation: String, start: Int64, channel: Channel?, category: String?)
        case reply(Int)
    }

    /// Tokens of a message that count: the question is near the start.
    static let tokenLimit = 48
    /// Label words kept per message.
    static let termLimit = 32

    let hasher: MinHasher
    /// The window asked for.
    public let window: Window
    var book = ConversationBook()
    /// Latest event time seen (ns).
    public private(set) var latest: Int64?
    var items: [Item] = []
    /// The item of each conversation whose episode is open.
    var open: [String: Int] = [:]
    var pending: Pending?
    var vocabulary: [String: UInt32] = [:]
    var words: [String] = []
    var pruneAt = 4096

    /// An empty sample for `window`, with signatures from `hasher`.
    public init(window: Window, hasher: MinHasher = MinHasher()) {
        self.window = window
        self.hasher = hasher
    }

    /// Applies `event` (decoded without texts) and says whether its texts are needed: a message that started
    /// an episode in the windows, or the first human reply of such an episode.
    public mutating func wants(_ event: Event) -> Bool {
        pending = nil
        let at = event.at.nanoseconds
        latest = max(latest ?? at, at)
        if items.count >= pruneAt { prune() }
        let change = book.apply(event, seq: 0)
        guard let conversation = event.payload.conversation else { return false }
        switch change {
        case .none:
            return false
        case .started(let episode):
            guard case .messageReceived(let message) = event.payload, keeps(episode.start) else { return false }
            pending = .question(
                conversation: conversation, start: episode.start, channel: message.channel,
                category: episode.category)
            return true
        case .changed(let episode):
            guard let index = open[conversation] else { return false }
            items[index].category = episode.category
            if case .replySent(let reply) = event.payload, !reply.isAutomatic, episode.touches == 1 {
                pending = .reply(index)
                return true
            }
            return false
        case .ended(let episode):
            guard let index = open.removeValue(forKey: conversation) else { return false }
            items[index].category = episode.category
            return false
        }
    }

    /// Takes the texts of the event ``wants(_:)`` last asked for.
    public mutating func take(_ event: Event) {
        guard let pending else { return }
        self.pending = nil
        switch (pending, event.payload) {
        case (.question(let conversation, let start, let channel, let category), .messageReceived(let message)):
            let text = message.subject.map { $0 + "\n" + message.body } ?? message.body
            let tokens = QuestionText.tokens(text, limit: Self.tokenLimit)
            var item = Item(conversation: conversation, start: start, channel: channel, category: category)
            // A message without words ("???", "👍", "@acme") has no features: it is counted, never clustered
            // (the signatures of empty sets all agree), and keeps no signature.
            let features = MinHasher.features(of: tokens)
            if !features.isEmpty { item.signature = hasher.signature(of: features) }
            item.terms = terms(of: tokens)
            item.snippet = Self.snippet(of: text)
            open[conversation] = items.count
            items.append(item)
        case (.reply(let index), .replySent(let reply)):
            let tokens = QuestionText.tokens(reply.body, limit: Self.tokenLimit)
            items[index].reply = hasher.signature(of: MinHasher.features(of: tokens))
        default:
            break
        }
    }

    /// Whether an episode that started at `start` can be in the window or the previous one.
    func keeps(_ start: Int64) -> Bool {
        switch window {
        case .fixed(let from, let to):
            start >= Window.subtracting(from, Window.subtracting(to, from)) && start < to
        case .endingAtLatest(let length):
            start >= Window.subtracting(Window.subtracting(latest ?? start, length), length)
        }
    }

    /// Drops the episodes that can no longer be in either window.
    mutating func prune() {
        defer { pruneAt = max(4096, items.count * 2) }
        guard case .endingAtLatest = window else { return }
        let kept = items.indices.filter { keeps(items[$0].start) }
        guard kept.count < items.count else { return }
        var moved: [Int: Int] = [:]
        for (new, old) in kept.enumerated() { moved[old] = new }
        items = kept.map { items[$0] }
        open = open.compactMapValues { moved[$0] }
    }

    /// The label words of `tokens`: no placeholder, no stop word, each once, as vocabulary numbers.
    mutating func terms(of tokens: [String]) -> [UInt32] {
        var seen: Set<UInt32> = []
        var terms: [UInt32] = []
        for token in tokens where terms.count < Self.termLimit {
            guard !token.hasPrefix("#"), token.count > 1, !QuestionText.stopWords.contains(token) else { continue }
            let number: UInt32
            if let known = vocabulary[token] {
                number = known
            } else {
                number = UInt32(words.count)
                vocabulary[token] = number
                words.append(token)
            }
            if seen.insert(number).inserted { terms.append(number) }
        }
        return terms
    }

    /// The first 60 characters of `text`, runs of ASCII white space and control characters collapsed into
    /// one space.
    static func snippet(of text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        var space = false
        for byte in text.utf8.prefix(480) {
            if byte <= 0x20 {
                space = !bytes.isEmpty
                continue
            }
            if space { bytes.append(0x20) }
            space = false
            bytes.append(byte)
        }
        return String(String(decoding: bytes, as: UTF8.self).prefix(60))
    }
}
