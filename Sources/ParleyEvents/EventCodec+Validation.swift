import ParleyLog

extension EventCodec {
    /// Checks that a record decodes, without building the event: every length, enumeration value and
    /// JSON tag, that every string is valid UTF-8, and that no key repeats (an extra with a key the event
    /// is written with, two extras with one key, or two members with one key in a JSON object). Retains
    /// nothing and allocates only to compare the keys of an object or of the extras when there are two or
    /// more (it walks the record's raw bytes once); `verify` uses it.
    /// - Returns: the record's prefix, and its event kind (`nil` for a type or schema version this build
    ///   does not know, whose fields are not checked).
    /// - Throws: ``EventError`` `.malformedPayload` exactly when ``decode(_:)`` would.
    public static func validate(_ record: ArraySlice<UInt8>) throws(EventError) -> (kind: EventKind?, at: Timestamp) {
        guard let (type, version, at) = peek(record) else {
            throw EventError(.malformedPayload, reason: "record shorter than its 12-byte prefix")
        }
        guard let kind = EventKind(rawValue: type), version == schemaVersion else { return (nil, at) }
        if let problem = prefixProblem(at) { throw EventError(.malformedPayload, reason: problem) }
        let problem: String? = record.withUnsafeBytes { raw in
            var cursor = RawCursor(raw: raw, index: 12)
            return cursor.validate(fields: fieldShapes[Int(kind.rawValue)], reserved: EventField.reserved(for: kind))
        }
        if let problem { throw EventError(.malformedPayload, reason: problem) }
        return (kind, at)
    }

    /// The shape of a type's fields after the prefix (schema version 1), in order, indexed by type byte.
    fileprivate static let fieldShapes: [[FieldShape]] = [
        [],
        [.string, .string, .byte(9), .optionalString, .optionalString, .string],  // message_received
        [.string, .string, .byte(1), .string],  // reply_sent
        [.string, .optionalString, .optionalString],  // assigned
        [.string, .byte(2)],  // status_changed
        [.string, .string, .byte(4)],  // categorized
        [.string, .string, .string],  // note_added
        [.string, .string],  // customer_linked
        [.jsonObject],  // policy_set
    ]
}

/// One field of a record, for validation. `byte(max)` is an enumeration byte from 0 to `max`.
private enum FieldShape {
    case string, optionalString
    case byte(UInt8)
    case jsonObject
}

/// A bounds-checked cursor over a record's raw bytes; every read checks the bounds first.
private struct RawCursor {
    let raw: UnsafeRawBufferPointer
    var index: Int

    var remaining: Int { raw.count - index }

    /// Walks the fields and the extras; returns what is wrong, or nil.
    /// - Parameter reserved: the ``EventField`` bits of the keys no extra may have.
    mutating func validate(fields: [FieldShape], reserved: UInt32) -> String? {
        for field in fields {
            switch field {
            case .string:
                if let problem = skipString(optional: false) { return problem }
            case .optionalString:
                if let problem = skipString(optional: true) { return problem }
            case .byte(let maximum):
                guard index < raw.count, raw[index] <= maximum else { return "bad enumeration byte" }
                index += 1
            case .jsonObject:
                guard index < raw.count, raw[index] == 6 else { return "policy is not an object" }
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
    func reservedKeyProblem(_ key: Range<Int>, reserved: UInt32) -> String? {
        guard key.count <= 12 else { return nil }  // the longest schema key, "conversation"
        let bytes = UnsafeRawBufferPointer(rebasing: raw[key])
        for field in EventField.allCases where reserved & field.bit != 0 {
            if field.key.withUTF8Buffer({ $0.elementsEqual(bytes) }) {
                return
                    "extra field \(quoted(key)) uses a key that \(EventKind(rawValue: raw[0])?.name ?? "this") events are written with"
            }
        }
        return nil
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
