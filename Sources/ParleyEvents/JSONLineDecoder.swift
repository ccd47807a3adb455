/// Decodes one line of JSON Lines input into an ``Event``.
///
/// A line is a JSON object with a `type` (an ``EventKind`` name), an `at` (RFC 3339 timestamp with a
/// UTC offset) and the fields of its type:
///
/// | type               | fields (`?` optional)                                                  |
/// |--------------------|-------------------------------------------------------------------------|
/// | `message_received` | conversation, customer, channel, message_id?, subject?, body            |
/// | `reply_sent`       | conversation, author, auto? (default false), body                        |
/// | `assigned`         | conversation, assignee (string, or null to unassign), team?              |
/// | `status_changed`   | conversation, status (`open`, `pending`, `resolved`)                     |
/// | `categorized`      | conversation, category, priority? (`low`, `normal`, `high`, `urgent`)    |
/// | `note_added`       | conversation, author, body                                               |
/// | `customer_linked`  | customer, same_as                                                        |
/// | `policy_set`       | policy (an object)                                                       |
///
/// Identifiers must be non-empty, at most ``EventLimits/maxIdentifierBytes`` bytes and free of control
/// characters. An optional field given as `null` is absent. `seq` and `recorded_at`, which `dump`
/// writes, are ignored, so `dump` output can be appended again. Every other key is kept, in order,
/// in ``Event/extras``.
public struct JSONLineDecoder: Sendable {
    /// Creates a decoder.
    public init() {}

    /// Decodes one line.
    ///
    /// - Parameters:
    ///   - line: the line's bytes, without its line terminator.
    ///   - lineNumber: the 1-based line number, for errors.
    /// - Returns: the event.
    /// - Throws: `EventError` carrying `lineNumber`, the field concerned where there is one, and for
    ///   JSON syntax errors the column.
    public func decode(_ line: ArraySlice<UInt8>, lineNumber: Int) throws(EventError) -> Event {
        var values = FieldValues()
        var extras: [JSONMember] = []
        var scanned: ScanOutcome
        do throws(EventError) {
            scanned = try Self.scanMembers(of: line, kind: nil, into: &values, extras: &extras)
            guard scanned.isObject else {
                // Not an object: let the parser report the syntax error, or say what it is.
                let value = try JSONParser.parse(line)
                throw EventError(.invalidJSON, reason: "expected a JSON object, got \(value.kindDescription)")
            }
            // A field of another type came before `type`: scan again with the type known, so that
            // it goes to the extras in its place.
            if let kind = scanned.kind, scanned.storedBeforeKind & ~EventField.schema(of: kind) != 0 {
                values = FieldValues()
                extras.removeAll()
                scanned = try Self.scanMembers(of: line, kind: kind, into: &values, extras: &extras)
            }
        } catch {
            throw error.at(line: lineNumber)
        }

        // A constant from here on, so that reading fields never copies it.
        let fields = FieldReader(line: lineNumber, bytes: line, values: consume values)

        if fields.values[.type] == nil { throw fields.error(.missingField, .type, "missing required field") }
        guard let kind = scanned.kind else {
            // Only now a `String`: a known type was found from the bytes, without one.
            let typeName = try fields.string(.type)
            let known = EventKind.allCases.map(\.name).joined(separator: ", ")
            throw fields.error(
                .unknownType,
                .type,
                "unknown event type \(JSONLineEncoder.quotedForMessage(typeName.utf8)) (known types: \(known))"
            )
        }

        let at = try fields.timestamp(.at)
        let payload: EventPayload
        switch kind {
        case .messageReceived:
            payload = .messageReceived(
                MessageReceived(
                    conversation: try fields.identifier(.conversation),
                    customer: try fields.identifier(.customer),
                    channel: try fields.named(.channel, Channel.packedNames),
                    messageID: try fields.optionalIdentifier(.messageID),
                    subject: try fields.optionalText(.subject, limit: EventLimits.maxSubjectBytes),
                    body: try fields.text(.body, limit: EventLimits.maxBodyBytes)
                )
            )
        case .replySent:
            payload = .replySent(
                ReplySent(
                    conversation: try fields.identifier(.conversation),
                    author: try fields.identifier(.author),
                    isAutomatic: try fields.optionalBool(.auto) ?? false,
                    body: try fields.text(.body, limit: EventLimits.maxBodyBytes)
                )
            )
        case .assigned:
            let conversation = try fields.identifier(.conversation)
            guard let assignee = fields.values[.assignee] else {
                throw fields.error(.missingField, .assignee, "missing required field (use null to unassign)")
            }
            payload = .assigned(
                Assigned(
                    conversation: conversation,
                    assignee: assignee.isNull ? nil : try fields.identifier(.assignee),
                    team: try fields.optionalIdentifier(.team)
                )
            )
        case .statusChanged:
            payload = .statusChanged(
                StatusChanged(
                    conversation: try fields.identifier(.conversation),
                    status: try fields.named(.status, ConversationStatus.packedNames)
                )
            )
        case .categorized:
            payload = .categorized(
                Categorized(
                    conversation: try fields.identifier(.conversation),
                    category: try fields.identifier(.category),
                    priority: try fields.optionalNamed(.priority, Priority.packedNames)
                )
            )
        case .noteAdded:
            payload = .noteAdded(
                NoteAdded(
                    conversation: try fields.identifier(.conversation),
                    author: try fields.identifier(.author),
                    body: try fields.text(.body, limit: EventLimits.maxBodyBytes)
                )
            )
        case .customerLinked:
            payload = .customerLinked(
                CustomerLinked(customer: try fields.identifier(.customer), sameAs: try fields.identifier(.sameAs))
            )
        case .policySet:
            payload = .policySet(PolicySet(policy: try fields.object(.policy)))
        }
        return Event(at: at, payload: payload, extras: extras)
    }

    /// What one pass over the members found besides the values.
    private struct ScanOutcome {
        /// False if the line does not start with `{` (nothing was scanned).
        var isObject: Bool
        /// The event type, if a `type` member with a known name was seen.
        var kind: EventKind?
        /// Fields stored in the values while the type was still unknown.
        var storedBeforeKind: UInt32
    }

    /// One pass over the members of the line's object: fields go to `values`; unknown keys, and
    /// fields of other types once the type is known, go to `extras` in input order.
    /// - Parameter kind: the event type if already known.
    private static func scanMembers(
        of line: ArraySlice<UInt8>,
        kind: EventKind?,
        into values: inout FieldValues,
        extras: inout [JSONMember]
    ) throws(EventError) -> ScanOutcome {
        var outcome = ScanOutcome(isObject: false, kind: kind, storedBeforeKind: 0)
        var seen: UInt32 = 0
        // Extra keys compare by UTF-8 bytes (not `String ==`, which merges canonically equivalent names).
        var extraKeys = Set<[UInt8]>()
        let packedKeys = EventField.packedKeys  // once per line, not once per key
        // The member whose value is being read, so that an error inside a value names its field (a
        // schema field, or an extra key); its name becomes a `String` only if there is an error.
        var currentField: EventField?
        var currentExtra: String?
        let walked: Void?
        do {
            walked = try JSONParser.walkObject(line) { (scanner) throws(EventError) in
                guard try scanner.openObject() else { return }
                repeat {
                    let key = try scanner.memberKey()
                    guard let field = EventField(key, in: scanner, packedKeys: packedKeys) else {
                        let name = scanner.string(for: key)
                        if extras.count < 16 {
                            for extra in extras where extra.key.utf8.elementsEqual(name.utf8) {
                                throw scanner.duplicateKey(key)
                            }
                        } else {
                            if extraKeys.isEmpty { extraKeys = Set(extras.map { Array($0.key.utf8) }) }
                            guard extraKeys.insert(Array(name.utf8)).inserted else { throw scanner.duplicateKey(key) }
                        }
                        currentExtra = name
                        extras.append(JSONMember(key: name, value: try scanner.parseValue(depth: 1)))
                        currentExtra = nil
                        continue
                    }
                    guard seen & field.bit == 0 else { throw scanner.duplicateKey(key) }
                    seen |= field.bit
                    currentField = field
                    switch field {
                    case .seq, .recordedAt:
                        try scanner.skipValue(depth: 1)  // written by `dump`; ignored
                    case .type:
                        let value = try scanner.scanMemberValue(rawString: true)
                        if outcome.kind == nil {
                            switch value {
                            case .rawString(let range): outcome.kind = EventKind(packedName: PackedKey(line, range))
                            case .string(let name): outcome.kind = EventKind(name: name)
                            case .other: break
                            }
                        }
                        values[.type] = value
                    case .at:
                        values[.at] = try scanner.scanMemberValue(rawString: true)
                    default:
                        if let kind = outcome.kind {
                            if EventField.schema(of: kind) & field.bit != 0 {
                                values[field] = try scanner.scanMemberValue(rawString: field.isName)
                            } else {
                                extras.append(JSONMember(key: field.name, value: try scanner.parseValue(depth: 1)))
                            }
                        } else {
                            values[field] = try scanner.scanMemberValue(rawString: field.isName)
                            outcome.storedBeforeKind |= field.bit
                        }
                    }
                    currentField = nil  // what follows the value (a comma, the closing brace) is no field's
                } while try scanner.nextMember()
            }
        } catch {
            var error = error
            if error.field == nil { error.field = currentField?.name ?? currentExtra }
            throw error
        }
        outcome.isObject = walked != nil
        return outcome
    }
}

// MARK: - Field access

/// Typed access to the schema fields of one line, producing errors with line and field.
private struct FieldReader {
    let line: Int
    /// The line, which `.rawString` values index.
    let bytes: ArraySlice<UInt8>
    let values: FieldValues

    func error(_ code: EventError.Code, _ field: EventField, _ reason: String) -> EventError {
        EventError(code, reason: reason, line: line, field: field.name)
    }

    private func wrongType(_ field: EventField, expected: String, got value: ScannedValue) -> EventError {
        error(.wrongType, field, "expected \(expected), got \(value.kindDescription)")
    }

    private func required(_ field: EventField) throws(EventError) -> ScannedValue {
        guard let value = values[field] else { throw error(.missingField, field, "missing required field") }
        return value
    }

    func string(_ field: EventField) throws(EventError) -> String {
        switch try required(field) {
        case .string(let string): return string
        case .rawString(let range): return String(decoding: bytes[range], as: UTF8.self)
        case let value: throw wrongType(field, expected: "a string", got: value)
        }
    }

    /// Absent and `null` are both nil.
    func optionalString(_ field: EventField) throws(EventError) -> String? {
        switch values[field] {
        case nil, .other(.null)?: return nil
        case .string(let string)?: return string
        case .rawString(let range)?: return String(decoding: bytes[range], as: UTF8.self)
        case let value?: throw wrongType(field, expected: "a string or null", got: value)
        }
    }

    func identifier(_ field: EventField) throws(EventError) -> String {
        let string = try string(field)
        try checkIdentifier(string, field)
        return string
    }

    func optionalIdentifier(_ field: EventField) throws(EventError) -> String? {
        guard let string = try optionalString(field) else { return nil }
        try checkIdentifier(string, field)
        return string
    }

    func text(_ field: EventField, limit: Int) throws(EventError) -> String {
        let string = try string(field)
        try checkSize(string, field, limit: limit)
        return string
    }

    func optionalText(_ field: EventField, limit: Int) throws(EventError) -> String? {
        guard let string = try optionalString(field) else { return nil }
        try checkSize(string, field, limit: limit)
        return string
    }

    func optionalBool(_ field: EventField) throws(EventError) -> Bool? {
        switch values[field] {
        case nil, .other(.null)?: return nil
        case .other(.bool(let bool))?: return bool
        case let value?: throw wrongType(field, expected: "a boolean or null", got: value)
        }
    }

    func object(_ field: EventField) throws(EventError) -> JSONValue {
        let value = try required(field)
        guard case .other(let object) = value, case .object = object else {
            throw wrongType(field, expected: "an object", got: value)
        }
        return object
    }

    func timestamp(_ field: EventField) throws(EventError) -> Timestamp {
        do throws(EventError) {
            switch try required(field) {
            case .rawString(let range): return try Timestamp(rfc3339: bytes[range])
            case .string(let string): return try Timestamp(rfc3339: string.utf8)
            case let value: throw wrongType(field, expected: "a string", got: value)
            }
        } catch {
            var located = error
            located.line = line
            located.field = field.name
            throw located
        }
    }

    /// A string naming one of a fixed set of values (a channel, a status...).
    func named<Value>(_ field: EventField, _ names: PackedNames<Value>) throws(EventError) -> Value {
        let value = try required(field)
        if let found = lookUp(value, in: names) { return found }
        throw unknownName(try string(field), field, choices: names.names)
    }

    /// Like ``named(_:_:)``; absent and `null` are nil.
    func optionalNamed<Value>(_ field: EventField, _ names: PackedNames<Value>) throws(EventError) -> Value? {
        guard let value = values[field], !value.isNull else { return nil }
        if let found = lookUp(value, in: names) { return found }
        guard let name = try optionalString(field) else { return nil }
        throw unknownName(name, field, choices: names.names)
    }

    private func lookUp<Value>(_ value: ScannedValue, in names: PackedNames<Value>) -> Value? {
        switch value {
        case .rawString(let range): names[PackedKey(bytes, range)]
        case .string(let string): names[PackedKey(string.utf8)]
        case .other: nil
        }
    }

    private func unknownName(_ name: String, _ field: EventField, choices: [String]) -> EventError {
        let quotedName = JSONLineEncoder.quotedForMessage(name.utf8)
        return error(
            .invalidValue,
            field,
            "unknown \(field.name) \(quotedName) (expected one of: \(choices.joined(separator: ", ")))"
        )
    }

    private func checkIdentifier(_ string: String, _ field: EventField) throws(EventError) {
        let utf8 = string.utf8
        guard !utf8.isEmpty else { throw error(.invalidValue, field, "identifier must not be empty") }
        guard utf8.count <= EventLimits.maxIdentifierBytes else {
            throw error(
                .tooLarge,
                field,
                "identifier is \(utf8.count) bytes of UTF-8, over the limit of \(EventLimits.maxIdentifierBytes)"
            )
        }
        let isControl = { (byte: UInt8) in byte < 0x20 || byte == 0x7F }
        if let control = utf8.withContiguousStorageIfAvailable({ $0.first(where: isControl) })
            ?? utf8.first(where: isControl)
        {
            let code = String(control, radix: 16, uppercase: true)
            throw error(
                .invalidValue,
                field,
                "identifier contains the control character U+\(String(repeating: "0", count: 4 - code.count))\(code)"
            )
        }
    }

    private func checkSize(_ string: String, _ field: EventField, limit: Int) throws(EventError) {
        let size = string.utf8.count
        guard size <= limit else {
            throw error(.tooLarge, field, "\(field.name) is \(size) bytes of UTF-8, over the limit of \(limit)")
        }
    }
}

// MARK: - Schema keys

/// The keys the JSON Lines schema gives meaning to. Shared by the decoder and the encoder.
enum EventField: UInt8, CaseIterable {
    case type, at, seq, recordedAt
    case conversation, customer, channel, messageID, subject, body, author, auto, assignee, team
    case status, category, priority, sameAs, policy

    /// Classifies a scanned key: by its length first, then as packed integers.
    /// - Parameter packedKeys: ``packedKeys``, passed in so that the hot loop does not look it up.
    init?(_ key: JSONKey, in scanner: JSONScanner, packedKeys: [PackedKey]) {
        guard let packed = scanner.packed(key) else {
            // Escaped or long: rare, compare as a string.
            self.init(key: scanner.string(for: key))
            return
        }
        guard let field = EventField.classify(length: packed.length, { packedKeys[Int($0.rawValue)] == packed }) else {
            return nil
        }
        self = field
    }

    /// Classifies a key given as a string.
    init?(key: String) {
        let utf8 = key.utf8
        guard let field = EventField.classify(length: utf8.count, { $0.key.withUTF8Buffer(utf8.elementsEqual) }) else {
            return nil
        }
        self = field
    }

    /// The field among those whose key has `length` bytes for which `matches` is true.
    private static func classify(length: Int, _ matches: (EventField) -> Bool) -> EventField? {
        let candidates: (EventField, EventField?, EventField?, EventField?)
        switch length {
        case 2: candidates = (.at, nil, nil, nil)
        case 3: candidates = (.seq, nil, nil, nil)
        case 4: candidates = (.type, .body, .auto, .team)
        case 6: candidates = (.author, .status, .policy, nil)
        case 7: candidates = (.channel, .subject, .sameAs, nil)
        case 8: candidates = (.customer, .assignee, .category, .priority)
        case 10: candidates = (.messageID, nil, nil, nil)
        case 11: candidates = (.recordedAt, nil, nil, nil)
        case 12: candidates = (.conversation, nil, nil, nil)
        default: return nil
        }
        if matches(candidates.0) { return candidates.0 }
        if let field = candidates.1, matches(field) { return field }
        if let field = candidates.2, matches(field) { return field }
        if let field = candidates.3, matches(field) { return field }
        return nil
    }

    /// ``key`` of every field, packed, indexed by raw value.
    static let packedKeys = allCases.map { field in
        guard let packed = field.key.withUTF8Buffer({ PackedKey($0) }) else { preconditionFailure("keys are short") }
        return packed
    }

    /// The JSON key.
    var name: String { key.description }

    /// The JSON key, for byte-wise comparison.
    var key: StaticString {
        switch self {
        case .type: "type"
        case .at: "at"
        case .seq: "seq"
        case .recordedAt: "recorded_at"
        case .conversation: "conversation"
        case .customer: "customer"
        case .channel: "channel"
        case .messageID: "message_id"
        case .subject: "subject"
        case .body: "body"
        case .author: "author"
        case .auto: "auto"
        case .assignee: "assignee"
        case .team: "team"
        case .status: "status"
        case .category: "category"
        case .priority: "priority"
        case .sameAs: "same_as"
        case .policy: "policy"
        }
    }

    var bit: UInt32 { 1 << UInt32(rawValue) }

    /// Whether the value names one of a fixed set (looked up from its bytes, no `String` needed).
    var isName: Bool { self == .channel || self == .status || self == .priority }

    /// The type-specific fields of `kind`, as a set of ``bit``s.
    static func schema(of kind: EventKind) -> UInt32 {
        switch kind {
        case .messageReceived:
            conversation.bit | customer.bit | channel.bit | messageID.bit | subject.bit | body.bit
        case .replySent: conversation.bit | author.bit | auto.bit | body.bit
        case .assigned: conversation.bit | assignee.bit | team.bit
        case .statusChanged: conversation.bit | status.bit
        case .categorized: conversation.bit | category.bit | priority.bit
        case .noteAdded: conversation.bit | author.bit | body.bit
        case .customerLinked: customer.bit | sameAs.bit
        case .policySet: policy.bit
        }
    }

    /// Keys an encoded event of `kind` already uses: its schema fields plus the envelope.
    static func reserved(for kind: EventKind) -> UInt32 {
        schema(of: kind) | EventField.type.bit | EventField.at.bit | EventField.seq.bit | EventField.recordedAt.bit
    }
}

/// One optional value per ``EventField``, without a heap allocation.
private struct FieldValues {
    private var type, at, conversation, customer, channel, messageID, subject, body: ScannedValue?
    private var author, auto, assignee, team, status, category, priority, sameAs, policy: ScannedValue?

    subscript(field: EventField) -> ScannedValue? {
        get {
            switch field {
            case .type: type
            case .at: at
            case .seq, .recordedAt: nil
            case .conversation: conversation
            case .customer: customer
            case .channel: channel
            case .messageID: messageID
            case .subject: subject
            case .body: body
            case .author: author
            case .auto: auto
            case .assignee: assignee
            case .team: team
            case .status: status
            case .category: category
            case .priority: priority
            case .sameAs: sameAs
            case .policy: policy
            }
        }
        set {
            switch field {
            case .type: type = newValue
            case .at: at = newValue
            case .seq, .recordedAt: break
            case .conversation: conversation = newValue
            case .customer: customer = newValue
            case .channel: channel = newValue
            case .messageID: messageID = newValue
            case .subject: subject = newValue
            case .body: body = newValue
            case .author: author = newValue
            case .auto: auto = newValue
            case .assignee: assignee = newValue
            case .team: team = newValue
            case .status: status = newValue
            case .category: category = newValue
            case .priority: priority = newValue
            case .sameAs: sameAs = newValue
            case .policy: policy = newValue
            }
        }
    }
}

// MARK: - Names

/// The interchange names of an enumeration, packed, so that looking a name up costs two integer
/// comparisons per candidate instead of building a `String` and comparing strings.
struct PackedNames<Value: Sendable>: Sendable {
    private let entries: [(key: PackedKey, value: Value)]
    /// The names in declaration order, for error messages.
    let names: [String]

    init(_ values: some Sequence<Value>, name: (Value) -> String) {
        var entries: [(key: PackedKey, value: Value)] = []
        var names: [String] = []
        for value in values {
            let valueName = name(value)
            guard let key = PackedKey(valueName.utf8) else { preconditionFailure("\(valueName) is too long to pack") }
            entries.append((key, value))
            names.append(valueName)
        }
        self.entries = entries
        self.names = names
    }

    /// The value named by `key`; nil for an unknown name or a nil key (a name over 16 bytes).
    subscript(key: PackedKey?) -> Value? {
        guard let key else { return nil }
        for entry in entries where entry.key == key { return entry.value }
        return nil
    }
}

extension EventKind {
    static let packedNames = PackedNames(allCases, name: \.name)

    fileprivate init?(packedName: PackedKey?) {
        guard let kind = Self.packedNames[packedName] else { return nil }
        self = kind
    }
}

extension Channel {
    static let packedNames = PackedNames(allCases, name: \.name)
}

extension ConversationStatus {
    static let packedNames = PackedNames(allCases, name: \.name)
}

extension Priority {
    static let packedNames = PackedNames(allCases, name: \.name)
}

extension ScannedValue {
    fileprivate var kindDescription: String {
        switch self {
        case .string, .rawString: "a string"
        case .other(let value): value.kindDescription
        }
    }

    fileprivate var isNull: Bool {
        if case .other(.null) = self { return true }
        return false
    }
}

extension JSONValue {
    /// "a string", "null"...: for "expected X, got Y" messages.
    fileprivate var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
