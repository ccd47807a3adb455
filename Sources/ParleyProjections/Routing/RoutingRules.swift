import ParleyEvents

/// The routing rules: the JSON object of a `rules_set` event, read and checked (docs/ROUTING.md, "The
/// rules file"). Ordered rules decide a conversation's team, priority, mode, policy and assignment
/// strategy; the first whose conditions hold wins, else the default applies. A score, the customer's
/// value × the conversation's criticality, decides between human and automation handling.
public struct RoutingRules: Equatable, Sendable {
    /// A name for people.
    public var name: String?
    /// The bot that owns automation-mode conversations unless an action names another.
    public var bot: String?
    /// How long an agent may stay offline before their open conversations go back to routing.
    public var offlineGraceMinutes: Int
    /// Whether a reopened conversation goes back to its previous owner when they are available.
    public var sticky: Bool
    /// Weight of each priority in the score (every priority present).
    public var criticality: [Priority: Int]
    /// Weight of each value tier in the score.
    public var tierValues: [String: Int]
    /// Weight of a customer with no tier or a tier not in ``tierValues``.
    public var defaultValue: Int
    /// Score from which a conversation is handled by humans; below, by automation. Nil: see ``mode(for:score:)``.
    public var humanFrom: Int?
    /// The topics: those the document defines, in its order, then the rules' keyword topics in rule order.
    /// Setting them rebuilds ``matcher``.
    public var topics: [Topic] { didSet { matcher = TopicMatcher(topics: topics) } }
    /// The rules, in order.
    public var rules: [Rule]
    /// The document's `default`: the action when no rule matches, and the source of rules' missing fields.
    /// Always names a team and a strategy (`least_loaded` when the document gives none).
    public var fallback: Action
    /// The time-driven rules.
    public var timers: [Timer]
    /// Finds ``topics`` in messages; built once from them.
    public var matcher: TopicMatcher

    /// The module's `Timer`, for clients where Foundation's `Timer` is also visible.
    public typealias Timer = ParleyProjections.Timer

    // Limits
    /// Most rules in a document.
    public static let maxRules = 256
    /// Most topics, keyword topics included, so a set of topics fits a `UInt64`.
    public static let maxTopics = 64
    /// Most phrases in a topic.
    public static let maxPhrasesPerTopic = 256
    /// Longest phrase, in bytes of UTF-8.
    public static let maxPhraseBytes = 200
    /// Longest name of a rule, timer or topic, in bytes.
    public static let maxNameBytes = 64
    /// Most timers in a document.
    public static let maxTimers = 64

    /// Default weights of the priorities.
    public static let defaultCriticality: [Priority: Int] = [.low: 1, .normal: 2, .high: 3, .urgent: 4]

    static let keys = [
        "name", "bot", "offline_grace_minutes", "sticky", "criticality", "value", "human_from", "topics", "rules",
        "default", "timers",
    ]

    /// Creates rules from parsed parts (tests, checkpoints); `matcher` is built from `topics`.
    public init(
        name: String? = nil, bot: String? = nil, offlineGraceMinutes: Int = 10, sticky: Bool = true,
        criticality: [Priority: Int] = defaultCriticality, tierValues: [String: Int] = [:], defaultValue: Int = 1,
        humanFrom: Int? = nil, topics: [Topic] = [], rules: [Rule] = [], fallback: Action, timers: [Timer] = []
    ) {
        self.name = name
        self.bot = bot
        self.offlineGraceMinutes = offlineGraceMinutes
        self.sticky = sticky
        self.criticality = criticality
        self.tierValues = tierValues
        self.defaultValue = defaultValue
        self.humanFrom = humanFrom
        self.topics = topics
        self.rules = rules
        self.fallback = fallback
        self.timers = timers
        self.matcher = TopicMatcher(topics: topics)
    }

    /// The weight of a customer of `tier` (no tier, or one not listed: ``defaultValue``).
    public func value(tier: String?) -> Int {
        guard let tier, let weight = tierValues[tier] else { return defaultValue }
        return weight
    }

    /// The priority score: `value(tier) × criticality(priority)`, no priority counting as `normal`.
    public func score(tier: String?, priority: Priority?) -> Int {
        value(tier: tier) * (criticality[priority ?? .normal] ?? 1)
    }

    /// The first rule whose conditions all hold for `facts`, or nil when none does.
    public func firstMatch(_ facts: RoutingFacts) -> Rule? {
        rules.first { $0.when.matches(facts) }
    }

    /// The action a rule decides, its missing fields taken from the default; nil (no rule): the default.
    public func action(for rule: Rule?) -> Action {
        guard let rule else { return fallback }
        return rule.then.filled(from: fallback)
    }

    /// The handling mode of a conversation routed by `action` (already filled from the default) at `score`:
    /// the action's own `mode` when it has one; otherwise, with ``humanFrom``, human from that score up
    /// and automation below; without it, human. Automation needs a bot (the action's or ``bot``): with
    /// none it is human.
    public func mode(for action: Action, score: Int) -> HandlingMode {
        let mode: HandlingMode
        if let chosen = action.mode {
            mode = chosen
        } else if let humanFrom {
            mode = score >= humanFrom ? .human : .automation
        } else {
            mode = .human
        }
        if mode == .automation && action.bot == nil && bot == nil { return .human }
        return mode
    }

    /// The bot that owns a conversation routed by `action` in automation mode, if any.
    public func bot(for action: Action) -> String? { action.bot ?? bot }
}
