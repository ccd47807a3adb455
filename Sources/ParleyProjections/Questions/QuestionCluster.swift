import ParleyEvents

/// One recurring question: first messages of episodes in the window that read alike.
public struct QuestionCluster: Equatable, Sendable {
    /// A name and how many members have it.
    public struct Share: Equatable, Sendable {
        /// The category or channel (`(none)` when the episode had none).
        public var name: String
        /// Members with it.
        public var count: Int

        /// A share.
        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    /// The most typical words of the cluster, joined by spaces (its label).
    public var label: String
    /// Episodes in the window whose first message is in the cluster.
    public var count: Int
    /// Episodes of the previous window of equal length in the cluster.
    public var previousCount: Int
    /// Members per category (the conversation's category when the episode ended, or now), most first.
    public var categories: [Share]
    /// Members per channel of the first message, most first.
    public var channels: [Share]
    /// The first conversations of the cluster in the window (up to five, in log order, each once).
    public var examples: [String]
    /// Every conversation of the cluster in the window, in log order (a conversation with several episodes
    /// in the cluster is there once per episode).
    public var members: [String]
    /// The start of the first example's message (at most 60 characters).
    public var snippet: String
    /// Members with a first human reply.
    public var replies: Int
    /// Share of those replies that are near-duplicates of another reply in the cluster (the answer reuses
    /// a template); `nil` without replies.
    public var templateReuse: Double?

    /// The change from the previous window.
    public var change: Int { count - previousCount }

    /// A cluster.
    public init(
        label: String, count: Int, previousCount: Int, categories: [Share], channels: [Share], examples: [String],
        members: [String] = [], snippet: String = "", replies: Int = 0, templateReuse: Double? = nil
    ) {
        self.label = label
        self.count = count
        self.previousCount = previousCount
        self.categories = categories
        self.channels = channels
        self.examples = examples
        self.members = members
        self.snippet = snippet
        self.replies = replies
        self.templateReuse = templateReuse
    }
}
