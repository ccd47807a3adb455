/// Assigns each message of a mailbox to a conversation, JWZ-style
/// (<https://www.jwz.org/doc/threading.html>), with a subject fallback bounded by participants and time.
///
/// Rules, in order:
/// 1. **Ids.** Every message has a Message-ID (without angle brackets). A message that had none gets a
///    synthetic one from ``syntheticMessageID(date:from:subject:bodyPrefix:)``, so the same message gets
///    the same id every time it is read. Two messages with the same id are the same container (a
///    duplicate copy lands in the same conversation).
/// 2. **Links.** A message's references are its `References` ids followed by its `In-Reply-To` id when
///    that is not already last. Consecutive references are linked parent → child unless the child
///    already has a parent or the link would make a loop; then the message's own parent is set to its
///    last reference (its own headers win over links inferred from other messages). A referenced id with
///    no message is a placeholder container, so a reply whose parent is missing still threads with its
///    siblings.
/// 3. **Roots.** The conversation of a message is that of its tree's root (the topmost container, which
///    may be a placeholder). Its id is `mail-` followed by 16 hex digits of the 64-bit FNV-1a hash of the
///    root's Message-ID.
/// 4. **Subject fallback.** A tree whose root is a real message without any `References` or
///    `In-Reply-To` may join an existing conversation instead: one that has a message with the same
///    normalised subject (``normalizedSubject(_:)``, not empty), exactly the same participant set, and a
///    date within `window` of the root's date (either side; the nearest wins, ties to the earlier date
///    and then, among messages of the same instant, to the smaller conversation id). Lookups are
///    O(log n) per root. Such roots are considered in date order (undated ones
///    never fall back), after every tree that has id links. A reply sent beyond the window starts a new
///    conversation.
///
/// Determinism: the result depends only on the messages, not on their order, except that when several
/// messages name different parents for one container, the first processed wins (mailbox order). Reading
/// a mailbox again with mail appended gives the old messages the same ids, unless the new mail supplies
/// an ancestor of an old root (a missing parent arriving whose own parent is older still), or a
/// no-link message dated before an old no-link root with the same subject and participants.
///
/// Bounds: at most 128 references are used per message (the first one and the last 127), ids longer
/// than 998 bytes are ignored, and a walk up a tree stops after 10,000 steps, so hostile headers cost
/// linear time.
public struct MailThreader: Sendable {
    /// One message's threading facts.
    public struct Message: Equatable, Sendable {
        /// The Message-ID without angle brackets (synthetic when the message had none).
        public var messageID: String
        /// The `In-Reply-To` id, without angle brackets.
        public var inReplyTo: String?
        /// The `References` ids, oldest first, without angle brackets.
        public var references: [String]
        /// The normalised subject (``MailThreader/normalizedSubject(_:)``).
        public var subject: String
        /// The lowercased addresses of `From`, `To` and `Cc`.
        public var participants: Set<String>
        /// The `Date:` instant in nanoseconds since the epoch, when it could be read.
        public var date: Int64?

        /// Makes a message from facts already extracted; `subject` is normalised here.
        public init(
            messageID: String, inReplyTo: String? = nil, references: [String] = [], subject: String,
            participants: Set<String>, date: Int64?
        ) {
            self.messageID = messageID
            self.inReplyTo = inReplyTo
            self.references = references
            self.subject = MailThreader.normalizedSubject(subject)
            self.participants = Set(participants.map { $0.lowercased() })
            self.date = date
        }
    }

    /// How far apart (nanoseconds) two messages may be for the subject fallback to join them.
    public var window: Int64

    /// Makes a threader; `window` defaults to 30 days.
    public init(window: Int64 = 30 * 86_400 * 1_000_000_000) {
        self.window = window
    }

    /// The conversation id of each message, in the order given.
    public func conversationIDs(for messages: [Message]) -> [String] {
        var parent: [String: String] = [:]
        var hasOwnLinks = Set<String>()
        for message in messages {
            var references = Self.bounded(message.references.filter(Self.isUsableID))
            if let reply = message.inReplyTo, Self.isUsableID(reply), references.last != reply {
                references.append(reply)
            }
            references.removeAll { $0 == message.messageID }
            guard !references.isEmpty else { continue }
            hasOwnLinks.insert(message.messageID)
            for (older, newer) in zip(references, references.dropFirst())
            where older != newer && parent[newer] == nil && !Self.isAncestor(newer, of: older, in: parent) {
                parent[newer] = older
            }
            if let last = references.last, !Self.isAncestor(message.messageID, of: last, in: parent) {
                parent[message.messageID] = last
            }
        }
        var rootCache: [String: String] = [:]
        func root(_ id: String) -> String {
            if let cached = rootCache[id] { return cached }
            var current = id
            var steps = 0
            while let up = parent[current], steps < 10_000 {
                current = up
                steps += 1
            }
            rootCache[id] = current
            return current
        }
        let roots = messages.map { root($0.messageID) }
        let known = Set(messages.map(\.messageID))
        var firstMessageOfRoot: [String: Int] = [:]
        for (index, message) in messages.enumerated() where message.messageID == roots[index] {
            if firstMessageOfRoot[message.messageID] == nil { firstMessageOfRoot[message.messageID] = index }
        }
        var conversationOfRoot: [String: String] = [:]
        var members: [String: [Int]] = [:]
        for (index, rootID) in roots.enumerated() { members[rootID, default: []].append(index) }

        struct Key: Hashable {
            var subject: String
            var participants: [String]
        }
        // Per subject and participants: distinct dates, ascending, each with its smallest conversation id.
        var index: [Key: [(date: Int64, conversation: String)]] = [:]
        func register(_ rootID: String, _ conversation: String) {
            conversationOfRoot[rootID] = conversation
            for member in members[rootID] ?? [] {
                let message = messages[member]
                guard let date = message.date, !message.subject.isEmpty else { continue }
                let key = Key(subject: message.subject, participants: message.participants.sorted())
                var entries = index.removeValue(forKey: key) ?? []
                let slot = Self.firstIndex(notBefore: date, in: entries)
                if slot < entries.count, entries[slot].date == date {
                    if conversation < entries[slot].conversation { entries[slot].conversation = conversation }
                } else {
                    entries.insert((date, conversation), at: slot)
                }
                index[key] = entries
            }
        }
        var fallbackRoots: [(date: Int64, position: Int, root: String)] = []
        for rootID in Set(roots).sorted() {
            if known.contains(rootID), !hasOwnLinks.contains(rootID), let position = firstMessageOfRoot[rootID],
                let date = messages[position].date, !messages[position].subject.isEmpty
            {
                fallbackRoots.append((date, position, rootID))
            } else {
                register(rootID, Self.conversationID(root: rootID))
            }
        }
        fallbackRoots.sort { ($0.date, $0.position) < ($1.date, $1.position) }
        for candidate in fallbackRoots {
            let message = messages[candidate.position]
            let key = Key(subject: message.subject, participants: message.participants.sorted())
            let entries = index[key] ?? []
            let slot = Self.firstIndex(notBefore: candidate.date, in: entries)
            var best: (distance: UInt64, date: Int64, conversation: String)?
            for entry in [slot - 1, slot].filter(entries.indices.contains).map({ entries[$0] }) {
                let distance =
                    entry.date >= candidate.date
                    ? UInt64(bitPattern: entry.date &- candidate.date)
                    : UInt64(bitPattern: candidate.date &- entry.date)
                guard window >= 0, distance <= UInt64(window) else { continue }
                if let current = best, (current.distance, current.date) <= (distance, entry.date) { continue }
                best = (distance, entry.date, entry.conversation)
            }
            register(candidate.root, best?.conversation ?? Self.conversationID(root: candidate.root))
        }
        return roots.map { conversationOfRoot[$0] ?? Self.conversationID(root: $0) }
    }

    /// The first position in `entries` (ascending dates) whose date is not before `date`.
    private static func firstIndex(notBefore date: Int64, in entries: [(date: Int64, conversation: String)]) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = low + (high - low) / 2
            if entries[middle].date < date { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// `mail-` and 16 hex digits of the FNV-1a hash of the root's Message-ID.
    public static func conversationID(root messageID: String) -> String {
        "mail-" + hex(fnv1a(Array(messageID.utf8)))
    }

    /// A stable id for a message without a Message-ID: `synthetic.` + 16 hex digits of the 64-bit FNV-1a
    /// hash of the raw `Date:` value, the raw `From:` value, the raw `Subject:` value and the first 512
    /// bytes of the body (each followed by a zero byte) + `@parley.invalid`. The same message read again
    /// gets the same id; two copies that differ only after the first 512 body bytes share it.
    public static func syntheticMessageID(date: String, from: String, subject: String, bodyPrefix: [UInt8])
        -> String
    {
        var bytes: [UInt8] = []
        for part in [date, from, subject] {
            bytes.append(contentsOf: part.utf8)
            bytes.append(0)
        }
        bytes.append(contentsOf: bodyPrefix.prefix(512))
        bytes.append(0)
        return "synthetic." + hex(fnv1a(bytes)) + "@parley.invalid"
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func isUsableID(_ id: String) -> Bool { !id.isEmpty && id.utf8.count <= 998 }

    private static func bounded(_ references: [String]) -> [String] {
        guard references.count > 128 else { return references }
        return [references[0]] + references.suffix(127)
    }

    /// Whether `ancestor` is `id` or above it (a link `id` → child `ancestor` would close a loop).
    private static func isAncestor(_ ancestor: String, of id: String, in parent: [String: String]) -> Bool {
        var current = id
        var steps = 0
        while steps < 10_000 {
            if current == ancestor { return true }
            guard let up = parent[current] else { return false }
            current = up
            steps += 1
        }
        return true
    }
}
