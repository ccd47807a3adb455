/// The values of one line's members as ``JSONLineDecoder`` scanned them: the envelope's `type` and `at`,
/// and the type's fields by their position in its schema (at most ``EventSchema/maxFields``). Stored
/// properties, not an array: no heap allocation, and a value is moved out, never copied.
struct FieldValues {
    var type: ScannedValue?
    var at: ScannedValue?
    private var v0, v1, v2, v3, v4, v5, v6, v7: ScannedValue?
    private var v8, v9, v10, v11, v12, v13, v14, v15: ScannedValue?

    /// Stores the value of the field at `position`.
    @inline(__always)
    mutating func set(_ position: Int, _ value: consuming ScannedValue) {
        switch position {
        case 0: v0 = value
        case 1: v1 = value
        case 2: v2 = value
        case 3: v3 = value
        case 4: v4 = value
        case 5: v5 = value
        case 6: v6 = value
        case 7: v7 = value
        case 8: v8 = value
        case 9: v9 = value
        case 10: v10 = value
        case 11: v11 = value
        case 12: v12 = value
        case 13: v13 = value
        case 14: v14 = value
        default: v15 = value
        }
    }

    /// Moves the value of the field at `position` out.
    @inline(__always)
    mutating func take(_ position: Int) -> ScannedValue? {
        switch position {
        case 0: v0.take()
        case 1: v1.take()
        case 2: v2.take()
        case 3: v3.take()
        case 4: v4.take()
        case 5: v5.take()
        case 6: v6.take()
        case 7: v7.take()
        case 8: v8.take()
        case 9: v9.take()
        case 10: v10.take()
        case 11: v11.take()
        case 12: v12.take()
        case 13: v13.take()
        case 14: v14.take()
        default: v15.take()
        }
    }
}

/// Reads a type's fields from the scanned values of a line, in schema order, checking each against its
/// kind and limits, with errors naming the line and the field.
///
/// The reader is large (it holds ``FieldValues``), so everything that does not move a value out goes
/// through ``JSONFieldChecks``, a small value: a non-mutating method of the reader itself, called from a
/// mutating one, would copy the whole reader.
struct JSONFieldReader: EventFieldReader {
    /// The line and its number, for the values and the errors.
    let checks: JSONFieldChecks
    /// The scanned values; ``JSONLineDecoder`` scans straight into them.
    var values = FieldValues()
    /// The type being read (set once the scan found it).
    var kind = EventKind.messageReceived
    /// The position of the next field in the schema.
    private var position = 0

    /// Inlined: called, it returns the reader in a temporary that the caller then copies.
    @inline(__always)
    init(line: Int, bytes: ArraySlice<UInt8>) {
        checks = JSONFieldChecks(line: line, bytes: bytes)
    }

    /// The next field's value, moved out.
    private mutating func next() -> ScannedValue? {
        defer { position += 1 }
        return values.take(position)
    }

    mutating func identifier(_ key: StaticString, shown: FieldText) throws(EventError) -> String {
        let value = next()
        let string = try checks.string(value, key)
        try checks.checkIdentifier(string, key)
        return string
    }

    mutating func optionalIdentifier(_ key: StaticString, shown: FieldText) throws(EventError) -> String? {
        let value = next()
        guard let string = try checks.optionalString(value, key) else { return nil }
        try checks.checkIdentifier(string, key)
        return string
    }

    mutating func nullableIdentifier(_ key: StaticString, nullMeans: StaticString, shown: FieldText)
        throws(EventError) -> String?
    {
        guard let value = next() else {
            throw checks.error(.missingField, key, "missing required field (use null to \(nullMeans))")
        }
        if value.isNull { return nil }
        let string = try checks.string(value, key)
        try checks.checkIdentifier(string, key)
        return string
    }

    mutating func text(_ key: StaticString, limit: Int, shown: FieldText) throws(EventError) -> String {
        let value = next()
        let string = try checks.string(value, key)
        try checks.checkSize(string, key, limit: limit)
        return string
    }

    mutating func optionalText(_ key: StaticString, limit: Int, shown: FieldText) throws(EventError) -> String? {
        let value = next()
        guard let string = try checks.optionalString(value, key) else { return nil }
        try checks.checkSize(string, key, limit: limit)
        return string
    }

    mutating func flag(_ key: StaticString, default: Bool, alwaysWritten: Bool, shown: FieldText)
        throws(EventError) -> Bool
    {
        let value = next()
        switch value {
        case nil, .other(.null)?: return `default`
        case .other(.bool(let bool))?: return bool
        case let value?: throw checks.wrongType(key, expected: "a boolean or null", got: value)
        }
    }

    mutating func choice<Value: EventEnumeration>(_ key: StaticString, shown: FieldText) throws(EventError)
        -> Value
    {
        let names = EventKeys.shared.names(of: kind, at: position)
        let value = next()
        guard let scanned = value else { throw checks.error(.missingField, key, "missing required field") }
        if let byte = checks.lookUp(scanned, in: names), let found = Value(rawValue: byte) { return found }
        throw checks.unknownName(try checks.string(value, key), key, choices: names)
    }

    mutating func optionalChoice<Value: EventEnumeration>(_ key: StaticString, shown: FieldText)
        throws(EventError) -> Value?
    {
        let names = EventKeys.shared.names(of: kind, at: position)
        guard let value = next(), !value.isNull else { return nil }
        if let byte = checks.lookUp(value, in: names), let found = Value(rawValue: byte) { return found }
        guard let name = try checks.optionalString(value, key) else { return nil }
        throw checks.unknownName(name, key, choices: names)
    }

    mutating func object(_ key: StaticString, shown: FieldText) throws(EventError) -> JSONValue {
        guard let value = next() else { throw checks.error(.missingField, key, "missing required field") }
        guard case .other(let object) = value, case .object = object else {
            throw checks.wrongType(key, expected: "an object", got: value)
        }
        return object
    }

    mutating func integer(_ key: StaticString, in range: ClosedRange<Int>, shown: FieldText) throws(EventError)
        -> Int
    {
        guard let value = next() else { throw checks.error(.missingField, key, "missing required field") }
        return try checks.integer(value, key, in: range)
    }

    mutating func optionalInteger(_ key: StaticString, in range: ClosedRange<Int>, shown: FieldText)
        throws(EventError) -> Int?
    {
        guard let value = next(), !value.isNull else { return nil }
        return try checks.integer(value, key, in: range)
    }

    mutating func identifierList(_ key: StaticString, maxCount: Int, shown: FieldText) throws(EventError)
        -> [String]?
    {
        guard let value = next(), !value.isNull else { return nil }
        return try checks.identifierList(value, key, maxCount: maxCount)
    }

    mutating func check(_ holds: Bool, _ key: StaticString, _ reason: @autoclosure () -> String) throws(EventError) {
        guard holds else { throw checks.error(.invalidValue, key, reason()) }
    }
}

extension JSONFieldReader: EventTypeVisitor {
    /// Reads an event of `type`, with ``kind`` set to its kind.
    mutating func visit<T: EventType>(_ type: T.Type) throws(EventError) -> EventPayload {
        try T(reading: &self).payload
    }
}
