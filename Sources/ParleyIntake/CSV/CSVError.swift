/// A CSV input that cannot be read: what went wrong (`code`), where (`location`, the offending byte), the
/// column number of the field involved when there is one, and a sentence saying why.
///
/// Errors are terminal for a ``CSVReader``: once `next()` has thrown, it throws the same error again.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure; new codes may be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case cannotOpen = "cannot open"
            case readFailed = "read failed"
            case quoteInUnquotedField = "quote in unquoted field"
            case textAfterClosingQuote = "text after closing quote"
            case unterminatedQuotedField = "unterminated quoted field"
            case bareCarriageReturn = "bare carriage return"
            case invalidUTF8 = "invalid UTF-8"
            case fieldTooLarge = "field too large"
            case recordTooLarge = "record too large"
            case tooManyFields = "too many fields"
            case emptyColumnName = "empty column name"
            case duplicateColumnName = "duplicate column name"
        }

        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The file could not be opened.
        public static let cannotOpen = Code(.cannotOpen)
        /// Reading the file failed part way.
        public static let readFailed = Code(.readFailed)
        /// A `"` inside a field that did not start with one (`a"b`).
        public static let quoteInUnquotedField = Code(.quoteInUnquotedField)
        /// Something other than a separator or line end after a closing quote (`"a"b`).
        public static let textAfterClosingQuote = Code(.textAfterClosingQuote)
        /// The input ends inside a quoted field; the location is its opening quote.
        public static let unterminatedQuotedField = Code(.unterminatedQuotedField)
        /// A carriage return outside quotes that is not followed by a line feed.
        public static let bareCarriageReturn = Code(.bareCarriageReturn)
        /// A field's bytes are not UTF-8; the location is the first byte of the bad sequence.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// A field is longer than ``CSVReader/Limits/maxFieldBytes``.
        public static let fieldTooLarge = Code(.fieldTooLarge)
        /// A record is longer than ``CSVReader/Limits/maxRecordBytes``.
        public static let recordTooLarge = Code(.recordTooLarge)
        /// A record has more than ``CSVReader/Limits/maxFieldsPerRecord`` fields.
        public static let tooManyFields = Code(.tooManyFields)
        /// A header names a column with the empty string.
        public static let emptyColumnName = Code(.emptyColumnName)
        /// A header names two columns the same.
        public static let duplicateColumnName = Code(.duplicateColumnName)

        /// The code in words, e.g. `quote in unquoted field`.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure.
    public var code: Code
    /// Where: the offending byte (see each ``Code`` for which byte that is).
    public var location: InputLocation
    /// The column number (from 1) of the field involved, when the failure is inside a field.
    public var field: Int?
    /// Why, in a sentence that does not repeat the location.
    public var reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure.
    ///   - location: The offending byte.
    ///   - field: The column number (from 1) of the field involved, if any.
    ///   - reason: Why, without the location.
    public init(_ code: Code, at location: InputLocation, field: Int? = nil, reason: String) {
        self.code = code
        self.location = location
        self.field = field
        self.reason = reason
    }

    /// `data.csv:3:7 (offset 52): field 2: a quote inside an unquoted field`.
    public var description: String {
        let prefix = field.map { "field \($0): " } ?? ""
        return "\(location): \(prefix)\(reason)"
    }
}
