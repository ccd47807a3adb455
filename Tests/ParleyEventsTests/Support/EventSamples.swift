import ParleyEvents

/// Sample events of every type, generated from the schemas alone (no list of types or fields here): for
/// each field, values that cover its kind — every optional present, absent and `null`, every choice, flags
/// both ways, limits at their maximum, non-ASCII and escaped text — and, for each, the JSON Lines text
/// `append` reads and the exact line `dump` must write back (without `seq` and `recorded_at`).
struct EventSample: CustomStringConvertible {
    let kind: EventKind
    /// The input line.
    let line: String
    /// What the JSON Lines encoder must write for the event.
    let expected: String
    /// The same, for the event decoded without texts: every text empty, everything else kept.
    let expectedWithoutTexts: String

    var description: String { "\(kind.name) sample: \(line.prefix(200))" }

    /// One value of a field: its input JSON (nil: the key is left out), and its output JSON with and
    /// without texts (nil: not written).
    struct Value {
        var input: String?
        var output: String?
        var outputWithoutTexts: String?
    }

    /// Samples of `kind`: as many as the field with the most values has, so that every value of every
    /// field appears at least once; every other sample carries extra fields.
    static func samples(of kind: EventKind) -> [EventSample] {
        let fields = kind.schema.fields
        let values = fields.map { constrainedValues(of: kind, key: $0.key) ?? fieldValues(of: $0.kind) }
        let count = max(values.map(\.count).max() ?? 1, 2)
        return (0..<count).map { variant in
            let at = variant % 2 == 0 ? "2026-03-02T09:15:00.25+05:30" : "2026-03-02T03:45:00Z"
            var input = [#""type":"\#(kind.name)""#, #""at":"\#(at)""#]
            var output = input
            var outputWithoutTexts = input
            // Input members in reverse order on every third sample: the decoder must not care.
            var members: [String] = []
            for (field, choices) in zip(fields, values) {
                let value = choices[variant % choices.count]
                if let text = value.input { members.append(#""\#(field.key)":\#(text)"#) }
                if let text = value.output { output.append(#""\#(field.key)":\#(text)"#) }
                if let text = value.outputWithoutTexts { outputWithoutTexts.append(#""\#(field.key)":\#(text)"#) }
            }
            if variant % 3 == 2 { members.reverse() }
            input += members
            if variant % 2 == 1 {
                let extras = [#""x_extra":[1,-2.50e3,"ü",{"k":false}]"#, #""note":null"#]
                input += extras
                output += extras
                outputWithoutTexts += extras
            }
            func object(_ members: [String]) -> String { "{" + members.joined(separator: ",") + "}" }
            return EventSample(
                kind: kind, line: object(input), expected: object(output),
                expectedWithoutTexts: object(outputWithoutTexts))
        }
    }

    /// A line of `kind` with its required fields only.
    static func minimalLine(of kind: EventKind) -> String {
        var members = [#""type":"\#(kind.name)""#, #""at":"2026-03-02T09:15:00Z""#]
        for field in kind.schema.fields where !field.kind.isOptional {
            let value: String
            if let constrained = constrainedValues(of: kind, key: field.key)?.first?.input {
                members.append(#""\#(field.key)":\#(constrained)"#)
                continue
            }
            switch field.kind {
            case .nullableIdentifier: value = "null"
            case .text: value = #""b""#
            case .choice(let names): value = #""\#(names[0].name)""#
            case .object: value = "{}"
            case .integer(let range): value = String(range.lowerBound)
            default: value = #""a""#
            }
            members.append(#""\#(field.key)":\#(value)"#)
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// The values of a field whose type holds it to a rule beyond its kind: a currency (of a customer
    /// profile, a compensation, an order) is an ISO 4217 code, always given (a profile's is required with
    /// the lifetime value, which some samples have).
    static func constrainedValues(of kind: EventKind, key: String) -> [Value]? {
        guard key == "currency" else { return nil }
        return [#""EUR""#, #""JPY""#].map { Value(input: $0, output: $0, outputWithoutTexts: $0) }
    }

    /// A JSON string of exactly `bytes` bytes of UTF-8, non-ASCII (`é` is two bytes).
    static func longString(bytes: Int) -> String {
        "\"" + String(repeating: "é", count: bytes / 2) + (bytes % 2 == 1 ? "e" : "") + "\""
    }

    static let identifiers = [
        #""c1""#, #""agent:zoë 😀""#, longString(bytes: EventLimits.maxIdentifierBytes),
    ]

    static func texts(limit: Int) -> [String] {
        [#""""#, #""line\n\"quoted\" \\ ü\t😀 \u0001""#, longString(bytes: limit)]
    }

    /// The values that cover a field of `kind`.
    static func fieldValues(of kind: EventFieldKind) -> [Value] {
        switch kind {
        case .identifier:
            return identifiers.map { Value(input: $0, output: $0, outputWithoutTexts: $0) }
        case .optionalIdentifier:
            return identifiers.map { Value(input: $0, output: $0, outputWithoutTexts: $0) } + [
                Value(input: nil, output: nil, outputWithoutTexts: nil),
                Value(input: "null", output: nil, outputWithoutTexts: nil),
            ]
        case .nullableIdentifier:
            return identifiers.map { Value(input: $0, output: $0, outputWithoutTexts: $0) } + [
                Value(input: "null", output: "null", outputWithoutTexts: "null")
            ]
        case .text(let limit):
            return texts(limit: limit).map { Value(input: $0, output: $0, outputWithoutTexts: #""""#) }
        case .optionalText(let limit):
            return texts(limit: limit).map { Value(input: $0, output: $0, outputWithoutTexts: #""""#) } + [
                Value(input: nil, output: nil, outputWithoutTexts: nil),
                Value(input: "null", output: nil, outputWithoutTexts: nil),
            ]
        case .flag(let defaultValue, let alwaysWritten):
            func written(_ value: Bool) -> String? {
                alwaysWritten || value != defaultValue ? String(value) : nil
            }
            return [
                Value(input: "true", output: written(true), outputWithoutTexts: written(true)),
                Value(input: "false", output: written(false), outputWithoutTexts: written(false)),
                Value(input: nil, output: written(defaultValue), outputWithoutTexts: written(defaultValue)),
                Value(input: "null", output: written(defaultValue), outputWithoutTexts: written(defaultValue)),
            ]
        case .choice(let names):
            return names.map {
                Value(input: #""\#($0.name)""#, output: #""\#($0.name)""#, outputWithoutTexts: #""\#($0.name)""#)
            }
        case .optionalChoice(let names):
            return names.map {
                Value(input: #""\#($0.name)""#, output: #""\#($0.name)""#, outputWithoutTexts: #""\#($0.name)""#)
            } + [
                Value(input: nil, output: nil, outputWithoutTexts: nil),
                Value(input: "null", output: nil, outputWithoutTexts: nil),
            ]
        case .object:
            return ["{}", #"{"a":[1,-2.50e3,{"b":null}],"ü":"x","t":true}"#].map {
                Value(input: $0, output: $0, outputWithoutTexts: $0)
            }
        case .integer(let range):
            return [range.lowerBound, range.upperBound, (range.lowerBound + range.upperBound) / 2].map {
                Value(input: String($0), output: String($0), outputWithoutTexts: String($0))
            }
        case .optionalInteger(let range):
            return fieldValues(of: .integer(range: range)) + [
                Value(input: nil, output: nil, outputWithoutTexts: nil),
                Value(input: "null", output: nil, outputWithoutTexts: nil),
            ]
        case .identifierList(let maxCount):
            let full = "[" + (0..<maxCount).map { #""id-\#($0)""# }.joined(separator: ",") + "]"
            let lists = ["[]", "[" + identifiers.joined(separator: ",") + "]", full]
            return lists.map { Value(input: $0, output: $0, outputWithoutTexts: $0) } + [
                Value(input: nil, output: nil, outputWithoutTexts: nil),
                Value(input: "null", output: nil, outputWithoutTexts: nil),
            ]
        }
    }
}
