import ParleyEvents

/// The `--format text` rendering of an event: one readable line, `#seq time type`, then the fields of
/// its type as their declarations say they are shown (``FieldText``), then the number of extra fields.
///
///     #2 2026-03-02T08:20:00.5Z reply_sent [c1] by agent:ana (automatic) "Hello!"
enum EventText {
    /// The line of `sequenced`; its time as written (with its offset), or in UTC when `utc` (the views that
    /// show one time zone per screen).
    static func line(_ sequenced: SequencedEvent, utc: Bool = false) -> String {
        let event = sequenced.event
        var writer = TextFieldWriter(fields: event.kind.schema.fields)
        let time = utc ? Timestamp(nanoseconds: event.at.nanoseconds).rfc3339 : event.at.rfc3339
        writer.parts = ["#\(sequenced.seq)", time, event.kind.name]
        event.payload.write(to: &writer)
        if !event.extras.isEmpty { writer.parts.append("+\(event.extras.count) extra fields") }
        return writer.parts.joined(separator: " ")
    }

    /// At most 60 characters: longer texts are cut to 57 and `...`.
    static func clip(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }
}

/// Renders each field as its ``FieldText`` says, in schema order.
private struct TextFieldWriter: EventFieldWriter {
    let fields: [EventSchema.Field]
    var parts: [String] = []
    private var position = 0

    init(fields: [EventSchema.Field]) { self.fields = fields }

    /// Adds the next field's part: `value` rendered, or the field's `absent` text when nil.
    private mutating func add(_ value: String?) {
        let shown = fields[position].shown
        position += 1
        guard !shown.hidden else { return }
        guard let value else {
            if let absent = shown.absent { parts.append(absent) }
            return
        }
        var part = shown.bracketed ? "[\(value)]" : value
        if let label = shown.label { part = label + " " + part }
        if shown.joinsPrevious, let last = parts.popLast() { part = last + part }
        parts.append(part)
    }

    mutating func identifier(_ value: String) { add(value) }
    mutating func optionalIdentifier(_ value: String?) { add(value) }
    mutating func nullableIdentifier(_ value: String?) { add(value) }
    mutating func text(_ value: String) { add(Format.json(EventText.clip(value))) }
    mutating func optionalText(_ value: String?) { add(value.map { Format.json(EventText.clip($0)) }) }

    mutating func flag(_ value: Bool) {
        let shown = fields[position].shown
        position += 1
        guard value, !shown.hidden, let label = shown.label else { return }
        parts.append(label)
    }

    mutating func choice<Value: EventEnumeration>(_ value: Value) { add(value.name) }
    mutating func optionalChoice<Value: EventEnumeration>(_ value: Value?) { add(value?.name) }

    mutating func object(_ value: JSONValue) {
        var out: [UInt8] = []
        JSONLineEncoder.appendJSON(value, to: &out)
        add(EventText.clip(String(decoding: out, as: UTF8.self)))
    }

    mutating func integer(_ value: Int) { add(String(value)) }
    mutating func optionalInteger(_ value: Int?) { add(value.map { String($0) }) }
    /// Items joined by commas; an empty list as `none`.
    mutating func identifierList(_ value: [String]?) {
        add(value.map { $0.isEmpty ? "none" : EventText.clip($0.joined(separator: ",")) })
    }
}
