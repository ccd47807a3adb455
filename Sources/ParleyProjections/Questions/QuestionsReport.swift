/// The recurring questions of a window: clusters of first messages, largest first.
public struct QuestionsReport: Equatable, Sendable {
    /// Start of the window (ns since the epoch, inclusive).
    public var start: Int64
    /// End of the window (ns, exclusive).
    public var end: Int64
    /// Start of the previous window, of equal length, which ends at ``start``.
    public var previousStart: Int64
    /// Episodes started by a message in the window.
    public var episodes: Int
    /// Episodes of ``episodes`` whose first message has no word (only punctuation, emoji, `@mentions`):
    /// left out of the clustering, whose measure cannot compare them.
    public var withoutWords: Int
    /// Episodes started by a message in the previous window.
    public var previousEpisodes: Int
    /// The smallest cluster reported.
    public var minimum: Int
    /// The similarity threshold used.
    public var threshold: Double
    /// Clusters of at least ``minimum`` members in the window: most members first, then the one whose first
    /// member came first in the log.
    public var clusters: [QuestionCluster]

    /// A report.
    public init(
        start: Int64, end: Int64, previousStart: Int64, episodes: Int, previousEpisodes: Int, minimum: Int,
        threshold: Double, clusters: [QuestionCluster], withoutWords: Int = 0
    ) {
        self.start = start
        self.end = end
        self.previousStart = previousStart
        self.episodes = episodes
        self.previousEpisodes = previousEpisodes
        self.minimum = minimum
        self.threshold = threshold
        self.clusters = clusters
        self.withoutWords = withoutWords
    }

    /// Episodes in the window that belong to a reported cluster.
    public var clustered: Int { clusters.reduce(0) { $0 + $1.count } }
}
