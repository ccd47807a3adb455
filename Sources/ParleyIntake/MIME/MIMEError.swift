/// Why a message could not be decoded: a code, where in the input, and a precise reason.
public struct MIMEError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Wraps a private enum so that codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case inputTooLarge, malformedHeader, headerTooLarge, nestingTooDeep, tooManyParts, unknownCharset
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The input is larger than `MIMELimits.maxInputBytes`.
        public static let inputTooLarge = Code(.inputTooLarge)
        /// A header line is neither a `name: value` field nor a folded continuation.
        public static let malformedHeader = Code(.malformedHeader)
        /// A header block has more fields or bytes than `MIMELimits` allows.
        public static let headerTooLarge = Code(.headerTooLarge)
        /// Multiparts are nested deeper than `MIMELimits.maxDepth`.
        public static let nestingTooDeep = Code(.nestingTooDeep)
        /// The message has more parts than `MIMELimits.maxParts`.
        public static let tooManyParts = Code(.tooManyParts)
        /// A part declares a charset this module cannot decode; `MIMEError.charset` names it.
        public static let unknownCharset = Code(.unknownCharset)

        /// The code's name, e.g. `unknownCharset`.
        public var description: String { "\(value)" }
    }

    /// What kind of failure this is.
    public var code: Code
    /// Where in the input it was found.
    public var location: InputLocation
    /// Why, in words.
    public var reason: String
    /// The declared charset name, for `Code.unknownCharset`.
    public var charset: String?

    /// Makes an error.
    public init(code: Code, location: InputLocation, reason: String, charset: String? = nil) {
        self.code = code
        self.location = location
        self.reason = reason
        self.charset = charset
    }

    /// `line 3, column 1 (offset 52): malformedHeader: no colon in header line`.
    public var description: String { "\(location): \(code): \(reason)" }
}
