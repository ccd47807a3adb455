import ParleyEvents
import ParleyLog
import ParleyProjections

/// The one error of the service layer: a write that was refused or failed, or a query that could not be
/// answered. It carries its context (where in the input, which field, what was committed before it, which
/// part of the log was read) so that a front end can say where, what and why in its own words.
///
/// Messages read `line 17, field "at": not an RFC 3339 timestamp`, followed, for a write, by what earlier
/// batches committed.
public struct ServiceError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. Codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `bad input`.
        public let description: String
        private init(_ name: String) { description = name }

        /// An input event is not valid (see ``ServiceError/eventError``); the batch holding it was not written.
        public static let badInput = Code("bad input")
        /// The input could not be read (a failed `read(2)` of stdin, say); see ``ServiceError/reason``.
        public static let unreadableInput = Code("unreadable input")
        /// The events from ``ServiceError/batchStart`` on do not fit in one frame (``LogFormat/maxFrameBytes``)
        /// and the batch may not be split (no batch size given) or holds one event only.
        public static let batchTooLarge = Code("batch too large")
        /// A `policy_set` whose policy does not check, refused by ``EventAppender/PolicyCheck/refuse``.
        public static let invalidPolicy = Code("invalid policy")
        /// A `rules_set` whose rules do not check, refused by ``EventAppender/PolicyCheck/refuse``.
        public static let invalidRules = Code("invalid rules")
        /// The log layer failed or refused (see ``ServiceError/logError``): opening, writing, syncing, reading.
        public static let log = Code("log error")
        /// A record of the log does not decode while replaying it (damage the checksums did not catch).
        public static let undecodableLog = Code("undecodable log record")
        /// The conversation or customer asked for is not in the log, within the query's limit.
        public static let notFound = Code("not found")
        /// A date bound of a KPI query is not a `YYYY-MM-DD` date.
        public static let invalidDate = Code("invalid date")
        /// A query was given both a commit time and a sequence number to stop at.
        public static let conflictingLimits = Code("conflicting limits")
    }

    /// What went wrong.
    public var code: Code
    /// Why, without the location (the underlying error's text where there is one).
    public var reason: String
    /// Where in the input: the line (JSON Lines) or the event (typed events).
    public var position: InputPosition?
    /// The field concerned (`at`, `policy.time_zone`), when there is one.
    public var field: String?
    /// For ``Code/batchTooLarge``: where the batch that does not fit starts.
    public var batchStart: InputPosition?
    /// For a write: what earlier batches committed before the failure (nothing of the failing batch was
    /// written). Empty when nothing was committed.
    public var committed = AppendSummary()
    /// The log layer's error, for ``Code/log``.
    public var logError: LogError?
    /// The event layer's error, for ``Code/badInput`` and ``Code/undecodableLog``.
    public var eventError: EventError?
    /// The policy's error, for ``Code/invalidPolicy``.
    public var policyError: SLAPolicyError?
    /// The log concerned, for queries.
    public var path: String?
    /// For ``Code/notFound``: what was asked for (`conversation "c9"`).
    public var subject: String?
    /// For ``Code/notFound``: the query's limit (so that an id past `--until-seq` can be told from one that is
    /// not in the log at all).
    public var limit: ReplayLimit?
    /// For ``Code/notFound``: what the replay read.
    public var replayed: Replay.Summary?

    /// Creates an error.
    public init(_ code: Code, reason: String, position: InputPosition? = nil, field: String? = nil) {
        self.code = code
        self.reason = reason
        self.position = position
        self.field = field
    }

    /// Wraps a log-layer error.
    public init(_ error: LogError) {
        self.init(.log, reason: error.description)
        logError = error
    }

    /// Wraps an input error (bad JSON Lines, or a typed event that does not encode to a readable record).
    public init(_ error: EventError, position: InputPosition? = nil) {
        self.init(
            .badInput, reason: error.reason, position: position ?? error.line.map(InputPosition.line),
            field: error.field)
        eventError = error
    }

    /// Maps an error met while replaying the log at `path`: the log layer's as ``Code/log``, anything else
    /// (a record that does not decode) as ``Code/undecodableLog``.
    public init(replaying error: any Error, path: String) {
        if let error = error as? LogError {
            self.init(error)
        } else {
            self.init(.undecodableLog, reason: "\(error)")
            eventError = error as? EventError
        }
        self.path = path
    }

    /// Where, what and why, without what was committed before: `line 17, field "at": not an RFC 3339
    /// timestamp`.
    public var message: String {
        switch code {
        case .badInput where eventError?.line != nil: return eventError?.description ?? reason
        case .log: return reason
        case .undecodableLog: return (path.map { $0 + ": " } ?? "") + reason
        default:
            var location: [String] = []
            if let position { location.append(position.description) }
            if let field { location.append("field \"\(field)\"") }
            return location.isEmpty ? reason : location.joined(separator: ", ") + ": " + reason
        }
    }

    /// The message, then, for a write, what earlier batches committed.
    public var description: String {
        guard let seqs = committed.committed else { return message }
        return message
            + " (committed before it: seq \(seqs.lowerBound)–\(seqs.upperBound), \(committed.events) events in "
            + "\(committed.batches) batches)"
    }
}

/// Where an event came from in the input of a write.
public enum InputPosition: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A 1-based line of JSON Lines input.
    case line(Int)
    /// A 1-based position in a list of typed events.
    case event(Int)

    /// The line number, for JSON Lines input.
    public var line: Int? {
        if case .line(let number) = self { return number }
        return nil
    }

    /// `line 17` or `event 3`.
    public var description: String {
        switch self {
        case .line(let number): "line \(number)"
        case .event(let number): "event \(number)"
        }
    }
}
