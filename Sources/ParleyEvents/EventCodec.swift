import ParleyLog

/// A record read back from the log.
public enum DecodedRecord: Equatable, Sendable {
    /// An event of a known type and schema version.
    case event(Event)
    /// A record of a type or schema version this build does not know: skip it and count it.
    case unknown(type: UInt8, version: UInt8)
}

/// The binary encoding of one event, as stored in a log record (see docs/FORMAT.md, "Event records").
///
/// ```
/// u8      type            (EventKind raw value)
/// u8      schema version  (1)
/// i64 LE  at, ns since the Unix epoch (UTC)
/// i16 LE  at's UTC offset in minutes
/// …       the type's fields, in schema order
/// varint  number of extra fields, then each: string key, JSON value
/// ```
/// Strings are a LEB128 varint byte count then UTF-8; optional strings store count + 1, with 0 for
/// absent. JSON values are a tag byte (0 null, 1 false, 2 true, 3 number text, 4 string, 5 array,
/// 6 object) then their content.
public enum EventCodec {
    /// The schema version this build writes for every type.
    public static let schemaVersion: UInt8 = 1

    /// Appends the encoding of `event` to `out`.
    public static func encode(_ event: Event, into out: inout [UInt8]) {
        out.append(event.kind.rawValue)
        out.append(schemaVersion)
        out.appendLittleEndian(UInt64(bitPattern: event.at.nanoseconds))
        out.appendLittleEndian(UInt16(bitPattern: event.at.offsetMinutes))
        switch event.payload {
        case .messageReceived(let e):
            appendString(e.conversation, to: &out)
            appendString(e.customer, to: &out)
            out.append(e.channel.rawValue)
            appendOptionalString(e.messageID, to: &out)
            appendOptionalString(e.subject, to: &out)
            appendString(e.body, to: &out)
        case .replySent(let e):
            appendString(e.conversation, to: &out)
            appendString(e.author, to: &out)
            out.append(e.isAutomatic ? 1 : 0)
            appendString(e.body, to: &out)
        case .assigned(let e):
            appendString(e.conversation, to: &out)
            appendOptionalString(e.assignee, to: &out)
            appendOptionalString(e.team, to: &out)
        case .statusChanged(let e):
            appendString(e.conversation, to: &out)
            out.append(e.status.rawValue)
        case .categorized(let e):
            appendString(e.conversation, to: &out)
            appendString(e.category, to: &out)
            out.append(e.priority?.rawValue ?? 0)
        case .noteAdded(let e):
            appendString(e.conversation, to: &out)
            appendString(e.author, to: &out)
            appendString(e.body, to: &out)
        case .customerLinked(let e):
            appendString(e.customer, to: &out)
            appendString(e.sameAs, to: &out)
        case .policySet(let e):
            appendJSON(e.policy, to: &out)
        }
        out.appendVarint(UInt64(event.extras.count))
        for member in event.extras {
            appendString(member.key, to: &out)
            appendJSON(member.value, to: &out)
        }
    }

    /// Reads just the type, schema version and event time of a record, without decoding the fields.
    /// - Returns: `nil` when the record is shorter than its 12-byte prefix.
    public static func peek(_ record: ArraySlice<UInt8>) -> (type: UInt8, version: UInt8, at: Timestamp)? {
        var reader = ByteReader(record)
        guard let type = reader.readByte(), let version = reader.readByte(), let nanos = reader.readUInt64(),
            let offset = reader.readUInt16()
        else { return nil }
        return (
            type, version, Timestamp(nanoseconds: Int64(bitPattern: nanos), offsetMinutes: Int16(bitPattern: offset))
        )
    }

    /// Decodes one record.
    /// - Parameter record: the record's bytes (without the frame's length prefix).
    /// - Returns: the event, or ``DecodedRecord/unknown(type:version:)`` for a type or version this
    ///   build does not know.
    /// - Throws: ``EventError`` `.malformedPayload` when a known type's bytes do not decode.
    public static func decode(_ record: ArraySlice<UInt8>) throws(EventError) -> DecodedRecord {
        try decode(record, texts: true)
    }

    /// Decodes one record, optionally without its texts: with `texts: false`, `body`, `subject`,
    /// `author` and `message_id` come back empty (`""`; an absent optional stays `nil`) and no `String` is
    /// built for them. Replays that compute projections use it: they never read those fields, and
    /// message bodies are never kept in memory for them.
    /// - Throws: ``EventError`` `.malformedPayload` when ``decode(_:)`` would, except that the UTF-8 of
    ///   skipped fields is not checked (``validate(_:)``, used by `verify`, checks everything).
    public static func decode(_ record: ArraySlice<UInt8>, texts: Bool) throws(EventError) -> DecodedRecord {
        guard let (type, version, at) = peek(record) else { throw malformed("record shorter than its 12-byte prefix") }
        guard let kind = EventKind(rawValue: type), version == schemaVersion else {
            return .unknown(type: type, version: version)
        }
        if let problem = prefixProblem(at) { throw malformed(problem) }
        var reader = ByteReader(record)
        reader.index += 12
        let payload: EventPayload
        switch kind {
        case .messageReceived:
            let conversation = try string(&reader, "conversation")
            let customer = try string(&reader, "customer")
            guard let channel = reader.readByte().flatMap(Channel.init(rawValue:)) else {
                throw malformed("bad channel")
            }
            payload = .messageReceived(
                MessageReceived(
                    conversation: conversation, customer: customer, channel: channel,
                    messageID: try optionalText(&reader, "message_id", keep: texts),
                    subject: try optionalText(&reader, "subject", keep: texts),
                    body: try text(&reader, "body", keep: texts)))
        case .replySent:
            let conversation = try string(&reader, "conversation")
            let author = try text(&reader, "author", keep: texts)
            guard let auto = reader.readByte(), auto <= 1 else { throw malformed("bad auto flag") }
            payload = .replySent(
                ReplySent(
                    conversation: conversation, author: author, isAutomatic: auto == 1,
                    body: try text(&reader, "body", keep: texts)))
        case .assigned:
            payload = .assigned(
                Assigned(
                    conversation: try string(&reader, "conversation"),
                    assignee: try optionalString(&reader, "assignee"),
                    team: try optionalString(&reader, "team")))
        case .statusChanged:
            let conversation = try string(&reader, "conversation")
            guard let status = reader.readByte().flatMap(ConversationStatus.init(rawValue:)) else {
                throw malformed("bad status")
            }
            payload = .statusChanged(StatusChanged(conversation: conversation, status: status))
        case .categorized:
            let conversation = try string(&reader, "conversation")
            let category = try string(&reader, "category")
            guard let raw = reader.readByte(), raw == 0 || Priority(rawValue: raw) != nil else {
                throw malformed("bad priority")
            }
            payload = .categorized(
                Categorized(conversation: conversation, category: category, priority: Priority(rawValue: raw)))
        case .noteAdded:
            payload = .noteAdded(
                NoteAdded(
                    conversation: try string(&reader, "conversation"), author: try text(&reader, "author", keep: texts),
                    body: try text(&reader, "body", keep: texts)))
        case .customerLinked:
            payload = .customerLinked(
                CustomerLinked(customer: try string(&reader, "customer"), sameAs: try string(&reader, "same_as")))
        case .policySet:
            let policy = try json(&reader, depth: 0)
            guard case .object = policy else { throw malformed("policy is not an object") }
            payload = .policySet(PolicySet(policy: policy))
        }
        guard let extraCount = reader.readVarint(), extraCount <= UInt64(reader.remaining) else {
            throw malformed("bad extra-field count")
        }
        var extras: [JSONMember] = []
        for _ in 0..<extraCount {
            extras.append(JSONMember(key: try string(&reader, "extra key"), value: try json(&reader, depth: 0)))
        }
        if let problem = extrasProblem(extras, kind: kind) { throw malformed(problem) }
        guard reader.isAtEnd else { throw malformed("\(reader.remaining) unexpected bytes after the event") }
        return .event(Event(at: at, payload: payload, extras: extras))
    }

    // MARK: - Pieces

    /// What is wrong with a record's event time, if anything: its UTC offset must be within ±23:59,
    /// as RFC 3339 allows (anything else would print as an `at` that `append` refuses).
    static func prefixProblem(_ at: Timestamp) -> String? {
        abs(Int(at.offsetMinutes)) <= 23 * 60 + 59 ? nil : "UTC offset \(at.offsetMinutes) minutes is out of range"
    }

    /// What is wrong with a record's extras, if anything: an extra may not use a key the event is written
    /// with (`seq`, `recorded_at`, `type`, `at`, or any field of its type, even an optional one that is
    /// absent), and no key may appear twice. `append` never stores such extras; `dump` could not write one
    /// without a duplicate key, so a record holding one is malformed.
    static func extrasProblem(_ extras: [JSONMember], kind: EventKind) -> String? {
        guard !extras.isEmpty else { return nil }
        let reserved = EventField.reserved(for: kind)
        for extra in extras {
            if let field = EventField(key: extra.key), reserved & field.bit != 0 {
                return "extra field \(quoted(extra.key)) uses a key that \(kind.name) events are written with"
            }
        }
        if let duplicate = firstDuplicateKey(extras) { return "extra field \(quoted(duplicate)) appears twice" }
        return nil
    }

    /// The first key that appears twice among `members` (compared as UTF-8 bytes), if any.
    private static func firstDuplicateKey(_ members: [JSONMember]) -> String? {
        guard members.count > 1 else { return nil }
        if members.count == 2 { return members[0].key.utf8.elementsEqual(members[1].key.utf8) ? members[0].key : nil }
        var seen = Set<[UInt8]>()
        for member in members where !seen.insert(Array(member.key.utf8)).inserted { return member.key }
        return nil
    }

    private static func quoted(_ key: String) -> String { JSONLineEncoder.quotedForMessage(Array(key.utf8)) }

    private static func malformed(_ reason: String) -> EventError {
        EventError(.malformedPayload, reason: reason)
    }

    private static func appendString(_ string: String, to out: inout [UInt8]) {
        out.appendVarint(UInt64(string.utf8.count))
        out.append(contentsOf: string.utf8)
    }

    private static func appendOptionalString(_ string: String?, to out: inout [UInt8]) {
        guard let string else { return out.append(0) }
        out.appendVarint(UInt64(string.utf8.count) + 1)
        out.append(contentsOf: string.utf8)
    }

    private static func appendJSON(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(0)
        case .bool(let b): out.append(b ? 2 : 1)
        case .number(let text):
            out.append(3)
            appendString(text, to: &out)
        case .string(let s):
            out.append(4)
            appendString(s, to: &out)
        case .array(let items):
            out.append(5)
            out.appendVarint(UInt64(items.count))
            for item in items { appendJSON(item, to: &out) }
        case .object(let members):
            out.append(6)
            out.appendVarint(UInt64(members.count))
            for member in members {
                appendString(member.key, to: &out)
                appendJSON(member.value, to: &out)
            }
        }
    }

    private static func stringBytes(_ reader: inout ByteReader, _ field: String, length: UInt64) throws(EventError)
        -> String
    {
        guard length <= UInt64(reader.remaining), let bytes = reader.readBytes(Int(length)) else {
            throw malformed("\(field): length \(length) runs past the end of the record")
        }
        // Our validator, then the contiguous fast path of `String(decoding:)` (which, given valid UTF-8,
        // changes nothing): the generic `String(validating:)` costs a metadata lookup per call.
        guard UTF8Validation.isValid(bytes) else { throw malformed("\(field): invalid UTF-8") }
        return bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    private static func string(_ reader: inout ByteReader, _ field: String) throws(EventError) -> String {
        guard let length = reader.readVarint() else { throw malformed("\(field): bad length") }
        return try stringBytes(&reader, field, length: length)
    }

    /// A string field that may be skipped: built only when kept. A skipped text is bounds-checked but its
    /// UTF-8 is not validated: nothing reads it (``EventCodec/validate(_:)`` checks it for `verify`).
    private static func text(_ reader: inout ByteReader, _ field: String, keep: Bool) throws(EventError) -> String {
        if keep { return try string(&reader, field) }
        guard let length = reader.readVarint(), length <= UInt64(reader.remaining), reader.readBytes(Int(length)) != nil
        else { throw malformed("\(field): bad length") }
        return ""
    }

    /// An optional string field that may be skipped (`""` when present and skipped, `nil` when absent).
    private static func optionalText(_ reader: inout ByteReader, _ field: String, keep: Bool) throws(EventError)
        -> String?
    {
        if keep { return try optionalString(&reader, field) }
        guard let stored = reader.readVarint() else { throw malformed("\(field): bad length") }
        guard stored > 0 else { return nil }
        guard stored - 1 <= UInt64(reader.remaining), reader.readBytes(Int(stored - 1)) != nil else {
            throw malformed("\(field): length \(stored - 1) runs past the end of the record")
        }
        return ""
    }

    private static func optionalString(_ reader: inout ByteReader, _ field: String) throws(EventError) -> String? {
        guard let stored = reader.readVarint() else { throw malformed("\(field): bad length") }
        return stored == 0 ? nil : try stringBytes(&reader, field, length: stored - 1)
    }

    /// Decodes a JSON value; `depth` counts the arrays and objects around it (an outermost container is
    /// level 1, and level 65 is rejected).
    private static func json(_ reader: inout ByteReader, depth: Int) throws(EventError) -> JSONValue {
        guard let tag = reader.readByte() else { throw malformed("JSON value cut short") }
        switch tag {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3:
            let text = try string(&reader, "number")
            guard JSONNumberGrammar.matches(text.utf8) else { throw malformed("number text is not a JSON number") }
            return .number(text)
        case 4: return .string(try string(&reader, "string"))
        case 5 where depth >= EventLimits.maxJSONDepth, 6 where depth >= EventLimits.maxJSONDepth:
            throw malformed("JSON value nested deeper than \(EventLimits.maxJSONDepth) levels")
        case 5:
            guard let count = reader.readVarint(), count <= UInt64(reader.remaining) else {
                throw malformed("bad array length")
            }
            var items: [JSONValue] = []
            for _ in 0..<count { items.append(try json(&reader, depth: depth + 1)) }
            return .array(items)
        case 6:
            guard let count = reader.readVarint(), count <= UInt64(reader.remaining) else {
                throw malformed("bad object size")
            }
            var members: [JSONMember] = []
            for _ in 0..<count {
                members.append(JSONMember(key: try string(&reader, "key"), value: try json(&reader, depth: depth + 1)))
            }
            if let duplicate = firstDuplicateKey(members) {
                throw malformed("JSON object has the key \(quoted(duplicate)) twice")
            }
            return .object(members)
        default:
            throw malformed("unknown JSON tag \(tag)")
        }
    }
}
