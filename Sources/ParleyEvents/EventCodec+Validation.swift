import ParleyLog

extension EventCodec {
    /// Checks that a record decodes, without building the event: every length, enumeration value, integer
    /// and JSON tag, that every string is valid UTF-8, and that no key repeats (an extra with a key the event
    /// is written with, two extras with one key, or two members with one key in a JSON object). Retains
    /// nothing and allocates only to compare the keys of an object or of the extras when there are two or
    /// more (it walks the record's raw bytes once, following the shapes of the type's schema); `verify` uses
    /// it. A record of an older schema version that an upcaster reads is checked by decoding it.
    /// - Parameters:
    ///   - record: the record's bytes.
    ///   - upcasters: what reads older schema versions; nil for ``EventUpcasters/standard``.
    /// - Returns: the record's prefix, and its event kind (`nil` for a type or schema version this build
    ///   does not know, whose fields are not checked).
    /// - Throws: ``EventError`` `.malformedPayload` exactly when ``decode(_:texts:upcasters:)`` would.
    public static func validate(_ record: ArraySlice<UInt8>, upcasters: EventUpcasters? = nil) throws(EventError)
        -> (kind: EventKind?, at: Timestamp)
    {
        guard let (type, version, at) = peek(record) else {
            throw EventError(.malformedPayload, reason: "record shorter than its 12-byte prefix")
        }
        guard let kind = EventKind(rawValue: type) else { return (nil, at) }
        guard version == kind.version else {
            guard case .event = try decode(record, texts: true, upcasters: upcasters) else { return (nil, at) }
            return (kind, at)
        }
        if let problem = prefixProblem(at) { throw EventError(.malformedPayload, reason: problem) }
        let problem: String? = record.withUnsafeBytes { raw in
            var cursor = RawCursor(raw: raw, index: 12)
            let type = FieldShape.table[Int(kind.rawValue)]
            return cursor.validate(fields: type.shapes, reserved: type.reserved)
        }
        if let problem { throw EventError(.malformedPayload, reason: problem) }
        return (kind, at)
    }
}

/// One field of a record, for validation, derived from its ``EventFieldKind``. Plain values (no
/// reference counting in the loop); a field's name is looked up only for a message.
private enum FieldShape {
    case string, optionalString
    /// One byte whose bit in `allowed` is set.
    case byte(allowed: UInt64)
    /// A zigzag varint within the range.
    case integer(ClosedRange<Int>)
    /// A presence byte (0, 1), then, if 1, a zigzag varint within the range.
    case optionalInteger(ClosedRange<Int>)
    /// A varint count + 1 (0 absent, at most `maxCount` + 1), then that many strings.
    case stringList(maxCount: Int)
    case jsonObject

    init(_ field: EventSchema.Field) {
        switch field.kind {
        case .identifier, .text: self = .string
        case .optionalIdentifier, .nullableIdentifier, .optionalText: self = .optionalString
        case .flag: self = .byte(allowed: 0b11)
        case .choice(let names): self = .byte(allowed: names.reduce(0) { $0 | 1 << UInt64($1.byte) })
        case .optionalChoice(let names): self = .byte(allowed: names.reduce(1) { $0 | 1 << UInt64($1.byte) })
        case .object: self = .jsonObject
        case .integer(let range): self = .integer(range)
        case .optionalInteger(let range): self = .optionalInteger(range)
        case .identifierList(let maxCount): self = .stringList(maxCount: maxCount)
        }
    }

    /// The shapes of each type's fields (its current version) and the keys its extras may not have,
    /// indexed by type byte.
    static let table: [(shapes: [FieldShape], reserved: UInt64)] = EventSchemas.all.map {
        ($0.fields.map(FieldShape.init), EventKeys.shared.reserved(for: $0.kind))
    }
}

/// A bounds-checked cursor over a record's raw bytes; every read checks the bounds first.
private struct RawCursor {
    let raw: UnsafeRawBufferPointer
    var index: Int

    var remaining: Int { raw.count - index }

    /// Walks the fields and the extras; returns what is wrong, or nil.
    /// - Parameter reserved: the ``EventKeys`` bits of the keys no extra may have.
    mutating func validate(fields: [FieldShape], reserved: UInt64) -> String? {
        for (position, field) in fields.enumerated() {
            /// The field's key, for a message.
            var name: String { EventKind(rawValue: raw[0]).map { $0.schema.fields[position].key } ?? "field" }
            switch field {
            case .string:
                if let problem = skipString(optional: false) { return problem }
            case .optionalString:
                if let problem = skipString(optional: true) { return problem }
            case .byte(let allowed):
                guard index < raw.count, raw[index] < 64, allowed & 1 << UInt64(raw[index]) != 0 else {
                    return "bad \(name)"
                }
                index += 1
            case .integer(let range):
                guard let stored = readVarint(), let value = Int(exactly: ZigZag.decode(stored)), range.contains(value)
                else {
                    return "bad \(name)"
                }
            case .optionalInteger(let range):
                guard index < raw.count, raw[index] <= 1 else { return "bad \(name)" }
                index += 1
                if raw[index - 1] == 1 {
                    guard let stored = readVarint(), let value = Int(exactly: ZigZag.decode(stored)),
                        range.contains(value)
                    else {
                        return "bad \(name)"
                    }
                }
            case .stringList(let maxCount):
                guard let stored = readVarint(), stored <= UInt64(maxCount) + 1 else { return "bad \(name) count" }
                for _ in 0..<max(stored, 1) - 1 {
                    if let problem = skipString(optional: false) { return problem }
                }
            case .jsonObject:
                guard index < raw.count, raw[index] == 6 else { return "\(name) is not an object" }
                if let problem = skipJSON(depth: 0) { return problem }
            }
        }
        guard let extras = readVarint(), extras <= UInt64(remaining) else { return "bad extra-field count" }
        var keys: [Range<Int>] = []
        for _ in 0..<extras {
            let start = index
            if let problem = skipString(optional: false) { return problem }
            let key = stringRange(at: start)
            if let problem = reservedKeyProblem(key, reserved: reserved) { return problem }
            if extras > 1 { keys.append(key) }
            if let problem = skipJSON(depth: 0) { return problem }
        }
        if let duplicate = firstDuplicate(keys) { return "extra field \(quoted(duplicate)) appears twice" }
        return index == raw.count ? nil : "\(remaining) unexpected bytes after the event"
    }

    /// The bytes of the string (already checked) whose length varint starts at `start`.
    func stringRange(at start: Int) -> Range<Int> {
        var cursor = RawCursor(raw: raw, index: start)
        let length = Int(cursor.readVarint() ?? 0)
        return cursor.index..<(cursor.index + length)
    }

    /// What is wrong with an extra's key, if it is one the event is written with.
    func reservedKeyProblem(_ key: Range<Int>, reserved: UInt64) -> String? {
        let bytes = UnsafeRawBufferPointer(rebasing: raw[key])
        let index: Int?
        if let packed = PackedKey(bytes) {
            index = EventKeys.shared.index(of: packed)
        } else {
            index = EventKeys.shared.keys.firstIndex { $0.utf8.elementsEqual(bytes) }
        }
        guard let index, reserved & EventKeys.bit(index) != 0 else { return nil }
        let kind = EventKind(rawValue: raw[0])?.name ?? "this"
        return "extra field \(quoted(key)) uses a key that \(kind) events are written with"
    }

    /// The first of `keys` whose bytes another key repeats, if any.
    func firstDuplicate(_ keys: [Range<Int>]) -> Range<Int>? {
        guard keys.count > 1 else { return nil }
        let raw = self.raw
        func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: raw[range]) }
        if keys.count == 2 { return bytes(keys[0]).elementsEqual(bytes(keys[1])) ? keys[0] : nil }
        let sorted = keys.sorted { bytes($0).lexicographicallyPrecedes(bytes($1)) }
        for index in sorted.indices.dropFirst() where bytes(sorted[index - 1]).elementsEqual(bytes(sorted[index])) {
            return sorted[index]
        }
        return nil
    }

    /// A key for an error message.
    func quoted(_ key: Range<Int>) -> String {
        JSONLineEncoder.quotedForMessage(UnsafeRawBufferPointer(rebasing: raw[key]))
    }

    mutating func readVarint() -> UInt64? {
        let raw = self.raw
        return LEB128.decode(at: &index) { $0 < raw.count ? raw[$0] : nil }
    }

    mutating func skipString(optional: Bool) -> String? {
        guard var length = readVarint() else { return "bad string length" }
        if optional {
            if length == 0 { return nil }
            length -= 1
        }
        guard length <= UInt64(remaining) else { return "a string runs past the end of the record" }
        let bytes = UnsafeRawBufferPointer(rebasing: raw[index..<(index + Int(length))])
        index += Int(length)
        return UTF8Validation.isValid(bytes) ? nil : "invalid UTF-8"
    }

    /// `depth` counts the arrays and objects around the value, as in `EventCodec.decode`.
    mutating func skipJSON(depth: Int) -> String? {
        guard index < raw.count else { return "JSON value cut short" }
        let tag = raw[index]
        index += 1
        switch tag {
        case 0, 1, 2: return nil
        case 4: return skipString(optional: false)
        case 3:
            let start = index
            if let problem = skipString(optional: false) { return problem }
            var text = RawCursor(raw: raw, index: start)
            guard let length = text.readVarint() else { return "bad string length" }
            let bytes = UnsafeRawBufferPointer(rebasing: raw[text.index..<(text.index + Int(length))])
            return JSONNumberGrammar.matches(bytes) ? nil : "number text is not a JSON number"
        case 5, 6:
            guard depth < EventLimits.maxJSONDepth else {
                return "JSON value nested deeper than \(EventLimits.maxJSONDepth) levels"
            }
            guard let count = readVarint(), count <= UInt64(remaining) else { return "bad JSON size" }
            var keys: [Range<Int>] = []
            for _ in 0..<count {
                if tag == 6 {
                    let start = index
                    if let problem = skipString(optional: false) { return problem }
                    if count > 1 { keys.append(stringRange(at: start)) }
                }
                if let problem = skipJSON(depth: depth + 1) { return problem }
            }
            if let duplicate = firstDuplicate(keys) { return "JSON object has the key \(quoted(duplicate)) twice" }
            return nil
        default:
            return "unknown JSON tag \(tag)"
        }
    }
}
