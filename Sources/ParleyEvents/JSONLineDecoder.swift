/// Decodes one line of JSON Lines input into an ``Event``.
///
/// A line is a JSON object with a `type` (an ``EventKind`` name), an `at` (RFC 3339 timestamp with a
/// UTC offset) and the fields of its type, as its declaration (``EventType``, `Types/`) reads them; the
/// types and their fields are listed in docs/EVENTS.md.
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
        let keys = EventKeys.shared  // once per line, not once per key
        // The values are scanned straight into the reader that reads the type's fields from them.
        // It reads the fields itself (it is the visitor of the type), so that it is never moved or copied.
        var fields = JSONFieldReader(line: lineNumber, bytes: line)
        var extras: [JSONMember] = []
        var scanned: ScanOutcome
        do throws(EventError) {
            scanned = try Self.scanMembers(
                of: line, kind: nil, keys: keys, into: &fields.values, extras: &extras)
            guard scanned.isObject else {
                // Not an object: let the parser report the syntax error, or say what it is.
                let value = try JSONParser.parse(line)
                throw EventError(.invalidJSON, reason: "expected a JSON object, got \(value.kindDescription)")
            }
            // A field came before `type`: scan again with the type known, so that each member goes to
            // its field or, in its place, to the extras.
            if let kind = scanned.kind, scanned.fieldBeforeKind {
                fields.values = FieldValues()
                extras.removeAll()
                scanned = try Self.scanMembers(
                    of: line, kind: kind, keys: keys, into: &fields.values, extras: &extras)
            }
        } catch {
            throw error.at(line: lineNumber)
        }

        guard let type = fields.values.type else {
            throw EventError(.missingField, reason: "missing required field", line: lineNumber, field: "type")
        }
        guard let kind = scanned.kind else {
            // Only now a `String`: a known type was found from the bytes, without one.
            let typeName: String
            switch type {
            case .string(let string): typeName = string
            case .rawString(let range): typeName = String(decoding: line[range], as: UTF8.self)
            case .other(let value):
                throw EventError(
                    .wrongType, reason: "expected a string, got \(value.kindDescription)", line: lineNumber,
                    field: "type")
            }
            let known = EventKind.allCases.map(\.name).joined(separator: ", ")
            throw EventError(
                .unknownType,
                reason:
                    "unknown event type \(JSONLineEncoder.quotedForMessage(typeName.utf8)) (known types: \(known))",
                line: lineNumber, field: "type")
        }

        let at = try Self.timestamp(fields.values.at.take(), line: line, lineNumber: lineNumber)
        fields.kind = kind
        let payload = try kind.visitType(&fields)
        return Event(at: at, payload: payload, extras: extras)
    }

    /// The `at` member as a timestamp.
    private static func timestamp(_ value: ScannedValue?, line: ArraySlice<UInt8>, lineNumber: Int)
        throws(EventError) -> Timestamp
    {
        do throws(EventError) {
            switch value {
            case nil: throw EventError(.missingField, reason: "missing required field")
            case .rawString(let range)?: return try Timestamp(rfc3339: line[range])
            case .string(let string)?: return try Timestamp(rfc3339: string.utf8)
            case .other(let other)?:
                throw EventError(.wrongType, reason: "expected a string, got \(other.kindDescription)")
            }
        } catch {
            var located = error
            located.line = lineNumber
            located.field = "at"
            throw located
        }
    }

    /// What one pass over the members found besides the values.
    private struct ScanOutcome {
        /// False if the line does not start with `{` (nothing was scanned).
        var isObject: Bool
        /// The event type, if a `type` member with a known name was seen.
        var kind: EventKind?
        /// Whether a field of some type came while the type was still unknown (it was checked and skipped).
        var fieldBeforeKind: Bool
    }

    /// One pass over the members of the line's object: the type's fields go to `values`; unknown keys,
    /// and fields of other types, go to `extras` in input order. A field met before the type is known is
    /// checked and skipped (the caller scans again).
    /// - Parameter kind: the event type if already known.
    private static func scanMembers(
        of line: ArraySlice<UInt8>,
        kind: EventKind?,
        keys: EventKeys,
        into values: inout FieldValues,
        extras: inout [JSONMember]
    ) throws(EventError) -> ScanOutcome {
        var outcome = ScanOutcome(isObject: false, kind: kind, fieldBeforeKind: false)
        var seen: UInt64 = 0
        // Extra keys compare by UTF-8 bytes (not `String ==`, which merges canonically equivalent names).
        var extraKeys = Set<[UInt8]>()
        // The member whose value is being read, so that an error inside a value names its field (a
        // schema key, or an extra key); its name becomes a `String` only if there is an error.
        var currentKey: Int?
        var currentExtra: String?
        let walked: Void?
        do {
            walked = try JSONParser.walkObject(line) { (scanner) throws(EventError) in
                guard try scanner.openObject() else { return }
                repeat {
                    let key = try scanner.memberKey()
                    let index: Int?
                    if let packed = scanner.packed(key) {
                        index = keys.index(of: packed)
                    } else {
                        index = keys.index(of: scanner.string(for: key))  // escaped or long: rare
                    }
                    guard let index else {
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
                    guard seen & EventKeys.bit(index) == 0 else { throw scanner.duplicateKey(key) }
                    seen |= EventKeys.bit(index)
                    currentKey = index
                    switch index {
                    case EventKeys.seq, EventKeys.recordedAt:
                        try scanner.skipValue(depth: 1)  // written by `dump`; ignored
                    case EventKeys.type:
                        let value = try scanner.scanMemberValue(rawString: true)
                        if outcome.kind == nil {
                            switch value {
                            case .rawString(let range) where range.count > 16:
                                // Too long to pack (`compensation_given`): looked up as a string.
                                outcome.kind = EventKind(name: String(decoding: line[range], as: UTF8.self))
                            case .rawString(let range): outcome.kind = EventKind(packedName: PackedKey(line, range))
                            case .string(let name): outcome.kind = EventKind(name: name)
                            case .other: break
                            }
                        }
                        values.type = value
                    case EventKeys.at:
                        values.at = try scanner.scanMemberValue(rawString: true)
                    default:
                        if let kind = outcome.kind {
                            if let position = keys.position(of: index, in: kind) {
                                values.set(
                                    position, try scanner.scanMemberValue(rawString: keys.isChoice(kind, at: position)))
                            } else {
                                extras.append(
                                    JSONMember(key: keys.keys[index], value: try scanner.parseValue(depth: 1)))
                            }
                        } else {
                            try scanner.skipValue(depth: 1)
                            outcome.fieldBeforeKind = true
                        }
                    }
                    currentKey = nil  // what follows the value (a comma, the closing brace) is no field's
                } while try scanner.nextMember()
            }
        } catch {
            var error = error
            if error.field == nil { error.field = currentKey.map { keys.keys[$0] } ?? currentExtra }
            throw error
        }
        outcome.isObject = walked != nil
        return outcome
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
    /// The names short enough to pack (16 bytes at most); a longer one is looked up as a string.
    static let packedNames = PackedNames(allCases.filter { $0.name.utf8.count <= 16 }, name: \.name)

    fileprivate init?(packedName: PackedKey?) {
        guard let kind = Self.packedNames[packedName] else { return nil }
        self = kind
    }
}
