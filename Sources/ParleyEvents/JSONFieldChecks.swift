/// What ``JSONFieldReader`` needs besides the values: the line, which `.rawString` values index, and its
/// number; the conversions and checks of a value, and the errors naming the line and the field.
struct JSONFieldChecks {
    let line: Int
    /// The line, which `.rawString` values index.
    let bytes: ArraySlice<UInt8>

    func error(_ code: EventError.Code, _ key: StaticString, _ reason: String) -> EventError {
        EventError(code, reason: reason, line: line, field: key.description)
    }

    func wrongType(_ key: StaticString, expected: String, got value: ScannedValue) -> EventError {
        error(.wrongType, key, "expected \(expected), got \(value.kindDescription)")
    }

    func string(_ value: ScannedValue?, _ key: StaticString) throws(EventError) -> String {
        switch value {
        case nil: throw error(.missingField, key, "missing required field")
        case .string(let string)?: return string
        case .rawString(let range)?: return String(decoding: bytes[range], as: UTF8.self)
        case let value?: throw wrongType(key, expected: "a string", got: value)
        }
    }

    /// Absent and `null` are both nil.
    func optionalString(_ value: ScannedValue?, _ key: StaticString) throws(EventError) -> String? {
        switch value {
        case nil, .other(.null)?: return nil
        case .string(let string)?: return string
        case .rawString(let range)?: return String(decoding: bytes[range], as: UTF8.self)
        case let value?: throw wrongType(key, expected: "a string or null", got: value)
        }
    }

    func lookUp(_ value: ScannedValue, in names: PackedNames<UInt8>) -> UInt8? {
        switch value {
        case .rawString(let range): names[PackedKey(bytes, range)]
        case .string(let string): names[PackedKey(string.utf8)]
        case .other: nil
        }
    }

    func unknownName(_ name: String, _ key: StaticString, choices: PackedNames<UInt8>) -> EventError {
        let quotedName = JSONLineEncoder.quotedForMessage(name.utf8)
        return error(
            .invalidValue,
            key,
            "unknown \(key) \(quotedName) (expected one of: \(choices.names.joined(separator: ", ")))"
        )
    }

    func checkIdentifier(_ string: String, _ key: StaticString) throws(EventError) {
        let utf8 = string.utf8
        guard !utf8.isEmpty else { throw error(.invalidValue, key, "identifier must not be empty") }
        guard utf8.count <= EventLimits.maxIdentifierBytes else {
            throw error(
                .tooLarge,
                key,
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
                key,
                "identifier contains the control character U+\(String(repeating: "0", count: 4 - code.count))\(code)"
            )
        }
    }

    func integer(_ value: ScannedValue, _ key: StaticString, in range: ClosedRange<Int>) throws(EventError) -> Int {
        guard case .other(.number(let text)) = value else {
            throw wrongType(key, expected: "an integer", got: value)
        }
        guard !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) else {
            throw error(.invalidValue, key, "expected an integer, got \(text)")
        }
        guard let integer = Int(text), range.contains(integer) else {
            throw error(
                .invalidValue, key,
                "\(key) \(text) is out of range (\(range.lowerBound) to \(range.upperBound))")
        }
        return integer
    }

    /// An array of distinct identifiers, at most `maxCount`.
    func identifierList(_ value: ScannedValue, _ key: StaticString, maxCount: Int) throws(EventError) -> [String] {
        guard case .other(.array(let items)) = value else {
            throw wrongType(key, expected: "an array of identifiers or null", got: value)
        }
        guard items.count <= maxCount else {
            throw error(.tooLarge, key, "\(key) has \(items.count) items, over the limit of \(maxCount)")
        }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for item in items {
            guard case .string(let string) = item else {
                throw error(
                    .wrongType, key, "expected an array of identifiers, got an item that is \(item.kindDescription)")
            }
            try checkIdentifier(string, key)
            if strings.contains(where: { $0.utf8.elementsEqual(string.utf8) }) {
                throw error(.invalidValue, key, "\(JSONLineEncoder.quotedForMessage(string.utf8)) appears twice")
            }
            strings.append(string)
        }
        return strings
    }

    func checkSize(_ string: String, _ key: StaticString, limit: Int) throws(EventError) {
        let size = string.utf8.count
        guard size <= limit else {
            throw error(.tooLarge, key, "\(key) is \(size) bytes of UTF-8, over the limit of \(limit)")
        }
    }
}

extension ScannedValue {
    var kindDescription: String {
        switch self {
        case .string, .rawString: "a string"
        case .other(let value): value.kindDescription
        }
    }

    var isNull: Bool {
        if case .other(.null) = self { return true }
        return false
    }
}

extension JSONValue {
    /// "a string", "null"...: for "expected X, got Y" messages.
    var kindDescription: String {
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
