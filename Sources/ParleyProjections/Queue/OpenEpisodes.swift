/// The queue: conversations with an open episode, oldest episode first (ties by conversation id), read from
/// the engine's conversations. What `queue` lists and `sla` judges.
public struct OpenEpisodes: Sendable {
    /// One open episode and its conversation now.
    public struct Entry: Sendable {
        /// The conversation, as it stands.
        public var conversation: ConversationBook.Conversation
        /// Its open episode.
        public var episode: Episode
    }

    /// The entries, oldest episode first.
    public private(set) var entries: [Entry]

    /// The open episodes of `conversations`, only those of `team` and of `owner` when given.
    public init(_ conversations: ConversationBook, team: String? = nil, owner: String? = nil) {
        var entries: [Entry] = []
        for conversation in conversations.all {
            guard let episode = conversation.openEpisode else { continue }
            if let team, conversation.team != team { continue }
            if let owner, conversation.owner != owner { continue }
            entries.append(Entry(conversation: conversation, episode: episode))
        }
        entries.sort { ($0.episode.start, $0.conversation.id) < ($1.episode.start, $1.conversation.id) }
        self.entries = entries
    }
}
