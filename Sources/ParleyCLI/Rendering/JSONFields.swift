import ParleyEvents

/// The members of one JSON object, built in order (keys stay where they are written: stable output), for
/// the `--format json` documents of `queue`, `sla`, `conversation` and `customer`.
struct JSONFields {
    private var members: [String] = []

    /// An empty object.
    init() {}

    /// `key` with `json`, already JSON text (an object, an array, a number).
    mutating func raw(_ key: String, _ json: String) {
        members.append(Format.json(key) + ":" + json)
    }

    /// `key` with a string, or `null`.
    mutating func string(_ key: String, _ value: String?) {
        raw(key, value.map(Format.json) ?? "null")
    }

    /// `key` with an integer, or `null`.
    mutating func integer(_ key: String, _ value: Int?) {
        raw(key, value.map { String($0) } ?? "null")
    }

    /// `key` with an RFC 3339 time (UTC), or `null`.
    mutating func time(_ key: String, _ nanoseconds: Int64?) {
        string(key, nanoseconds.map { Timestamp(nanoseconds: $0).rfc3339 })
    }

    /// `key` with seconds at full precision (``DurationText/seconds(nanos:)``), or `null`.
    mutating func seconds(_ key: String, nanos: Int64?) {
        raw(key, nanos.map { DurationText.seconds(nanos: $0) } ?? "null")
    }

    /// `key` with `true` or `false`.
    mutating func bool(_ key: String, _ value: Bool) {
        raw(key, value ? "true" : "false")
    }

    /// `key` with an array of JSON texts.
    mutating func array(_ key: String, _ items: [String]) {
        raw(key, "[" + items.joined(separator: ",") + "]")
    }

    /// The object.
    var json: String { "{" + members.joined(separator: ",") + "}" }
}
