/// What `parley questions` asks: the window whose recurring questions are wanted, the smallest cluster
/// reported, and the similarity at which two first messages count as the same question.
public struct QuestionsQuery: Equatable, Sendable {
    /// The default length of the window, in days, when a bound is missing.
    public static let defaultDays = 28
    /// The default smallest cluster: "the same question 5+ times".
    public static let defaultMinimum = 5
    /// The default threshold of estimated Jaccard similarity (words other than stop words); docs/QUESTIONS.md says
    /// how it was tuned.
    public static let defaultThreshold = 0.6

    /// First day of the window (`YYYY-MM-DD`, UTC), inclusive. Alone: the window is the 28 days from it.
    public var from: String?
    /// Day after the window (`YYYY-MM-DD`, UTC), exclusive. Alone: the window is the 28 days before it.
    /// Without either bound the window is the 28 days that end at the latest event time.
    public var to: String?
    /// The smallest cluster reported (members in the window).
    public var minimum: Int
    /// The estimated Jaccard similarity at which two messages (and two replies) are joined.
    public var threshold: Double

    /// A query.
    public init(
        from: String? = nil, to: String? = nil, minimum: Int = QuestionsQuery.defaultMinimum,
        threshold: Double = QuestionsQuery.defaultThreshold
    ) {
        self.from = from
        self.to = to
        self.minimum = minimum
        self.threshold = threshold
    }
}
