/// An error of the event layer: bad JSON Lines input, or an event payload that does not decode.
///
/// The message says where (line, field), what and why, e.g.
/// `line 17, field "at": not an RFC 3339 timestamp: "2026-02-30T25:61:00Z"`.
public struct EventError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. Codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidJSON, invalidUTF8, missingField, wrongType, invalidValue, unknownType
            case tooLarge, emptyLine, malformedPayload
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The line is not valid JSON (syntax, nesting too deep, duplicate key, not an object).
        public static let invalidJSON = Code(.invalidJSON)
        /// The bytes are not valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// A required field is absent.
        public static let missingField = Code(.missingField)
        /// A field has the wrong JSON type (a number where a string belongs, ...).
        public static let wrongType = Code(.wrongType)
        /// A field has the right type but a value that is not allowed (bad timestamp, unknown channel, empty id).
        public static let invalidValue = Code(.invalidValue)
        /// The `type` is not one of the known event types.
        public static let unknownType = Code(.unknownType)
        /// A line or a field is over its size limit.
        public static let tooLarge = Code(.tooLarge)
        /// An empty line between events.
        public static let emptyLine = Code(.emptyLine)
        /// A binary event payload read from the log does not decode.
        public static let malformedPayload = Code(.malformedPayload)

        public var description: String {
            switch base {
            case .invalidJSON: "invalid JSON"
            case .invalidUTF8: "invalid UTF-8"
            case .missingField: "missing field"
            case .wrongType: "wrong type"
            case .invalidValue: "invalid value"
            case .unknownType: "unknown type"
            case .tooLarge: "too large"
            case .emptyLine: "empty line"
            case .malformedPayload: "malformed payload"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// 1-based line number in the JSON Lines input, when the error comes from input.
    public var line: Int?
    /// The field concerned (`at`, `body`, `policy.hours`), when there is one.
    public var field: String?
    /// 1-based byte column within the line, for JSON syntax errors.
    public var column: Int?
    /// Human-readable reason, without the location.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, reason: String, line: Int? = nil, field: String? = nil, column: Int? = nil) {
        self.code = code
        self.reason = reason
        self.line = line
        self.field = field
        self.column = column
    }

    /// `line 17, field "at": not an RFC 3339 timestamp`.
    public var description: String {
        var location: [String] = []
        if let line { location.append("line \(line)") }
        if let column { location.append("column \(column)") }
        if let field { location.append("field \"\(field)\"") }
        return location.isEmpty ? reason : location.joined(separator: ", ") + ": " + reason
    }

    /// The same error with a line number attached.
    public func at(line: Int) -> EventError {
        var copy = self
        copy.line = line
        return copy
    }
}
