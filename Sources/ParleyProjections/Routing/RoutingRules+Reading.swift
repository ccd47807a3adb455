import ParleyEvents

/// The JSON checks shared by every part of a rules document; each error names the field's path.
extension RoutingRules {
    /// `parent.key`, or `key` at the top level.
    static func path(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : parent + "." + key }

    /// `"text"`, with quotes and backslashes escaped, for messages.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    static func unknownKey(_ field: String, expected: [String]) -> RoutingRulesError {
        RoutingRulesError(field: field, "unknown field (expected \(expected.joined(separator: ", ")))")
    }

    static func object(_ value: JSONValue, field: String) throws(RoutingRulesError) -> [JSONMember] {
        guard case .object(let members) = value else {
            throw RoutingRulesError(field: field.isEmpty ? "rules document" : field, "must be a JSON object")
        }
        return members
    }

    static func bool(_ value: JSONValue, field: String) throws(RoutingRulesError) -> Bool {
        guard case .bool(let flag) = value else { throw RoutingRulesError(field: field, "must be true or false") }
        return flag
    }

    static func string(_ value: JSONValue, field: String) throws(RoutingRulesError) -> String {
        guard case .string(let text) = value, !text.isEmpty else {
            throw RoutingRulesError(field: field, "must be a non-empty string")
        }
        return text
    }

    /// A whole number in `range`.
    static func integer(_ value: JSONValue, field: String, in range: ClosedRange<Int>) throws(RoutingRulesError)
        -> Int
    {
        guard case .number(let text) = value, let number = Int(text), range.contains(number) else {
            throw RoutingRulesError(
                field: field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A name this document defines (a rule, timer or topic): 1 to 64 bytes of ASCII letters, digits,
    /// `_` and `-`.
    static func name(_ value: JSONValue, field: String) throws(RoutingRulesError) -> String {
        guard case .string(let text) = value else {
            throw RoutingRulesError(field: field, "must be a string (a name: letters, digits, _ and -)")
        }
        try checkName(text, field: field)
        return text
    }

    static func checkName(_ text: String, field: String) throws(RoutingRulesError) {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= maxNameBytes,
            bytes.allSatisfy({ RoutingText.isASCIIAlphanumeric($0) || $0 == 0x5F || $0 == 0x2D })
        else {
            throw RoutingRulesError(
                field: field,
                "\(quoted(text)) is not a name (expected 1 to \(maxNameBytes) letters, digits, _ or -)")
        }
    }

    /// A reference to something events name (a team, bot, policy, skill, category, tier): an identifier
    /// as events accept it, non-empty, at most 512 bytes, no control characters.
    static func identifier(_ value: JSONValue, field: String) throws(RoutingRulesError) -> String {
        guard case .string(let text) = value, !text.isEmpty else {
            throw RoutingRulesError(field: field, "must be a non-empty string (an identifier)")
        }
        guard text.utf8.count <= EventLimits.maxIdentifierBytes else {
            throw RoutingRulesError(
                field: field, "identifier is over the limit of \(EventLimits.maxIdentifierBytes) bytes of UTF-8")
        }
        guard !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw RoutingRulesError(field: field, "identifier contains a control character")
        }
        return text
    }

    /// One of an enumeration's interchange names, e.g. a channel.
    static func choice<Value: EventEnumeration>(_ value: JSONValue, field: String, kind: String)
        throws(RoutingRulesError) -> Value
    {
        let expected = Value.allCases.map(\.name).joined(separator: ", ")
        guard case .string(let text) = value else {
            throw RoutingRulesError(field: field, "must be a string (expected \(expected))")
        }
        guard let choice = Value(name: text) else {
            throw RoutingRulesError(field: field, "unknown \(kind) \(quoted(text)) (expected \(expected))")
        }
        return choice
    }

    /// An array read element by element; the elements' fields are `field[index]`.
    static func list<Element>(
        _ value: JSONValue, field: String, allowEmpty: Bool = false, limit: Int = .max,
        element: (JSONValue, String) throws(RoutingRulesError) -> Element
    ) throws(RoutingRulesError) -> [Element] {
        guard case .array(let items) = value, allowEmpty || !items.isEmpty else {
            throw RoutingRulesError(field: field, allowEmpty ? "must be an array" : "must be a non-empty array")
        }
        guard items.count <= limit else {
            throw RoutingRulesError(field: field, "has \(items.count) elements, over the limit of \(limit)")
        }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() { result.append(try element(item, "\(field)[\(index)]")) }
        return result
    }

    /// A topic phrase: non-empty, at most 200 bytes, with at least one letter or digit.
    static func phrase(_ value: JSONValue, field: String) throws(RoutingRulesError) -> String {
        guard case .string(let text) = value, !text.isEmpty else {
            throw RoutingRulesError(field: field, "must be a non-empty string (a phrase)")
        }
        guard text.utf8.count <= maxPhraseBytes else {
            throw RoutingRulesError(
                field: field, "phrase is \(text.utf8.count) bytes of UTF-8, over the limit of \(maxPhraseBytes)")
        }
        guard !RoutingText.fold(text).isEmpty else {
            throw RoutingRulesError(field: field, "phrase has no letter or digit")
        }
        return text
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
