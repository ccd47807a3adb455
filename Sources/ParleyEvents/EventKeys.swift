/// Every JSON key the interchange format gives meaning to, derived from the schemas: the envelope keys
/// (`type`, `at`, `seq`, `recorded_at`), then each type's field keys in order of first appearance. A key
/// is known by its index here; sets of keys are bitsets of indices. Shared by the JSON Lines decoder (to
/// classify the keys of a line), the JSON Lines encoder and the binary codec (the keys an extra may not
/// have).
final class EventKeys: Sendable {
    /// Index of `type`; then `at`, `seq`, `recorded_at`.
    static let type = 0
    static let at = 1
    static let seq = 2
    static let recordedAt = 3
    /// Bits of the four envelope keys.
    static let envelopeBits: UInt64 = 0b1111

    /// The table, built once.
    static let shared = EventKeys(schemas: EventKind.allCases.map(\.schema))

    /// The keys, by index.
    let keys: [String]
    /// ``keys`` packed (nil for a key over 16 bytes).
    private let packed: [PackedKey?]
    /// Key indices of packable keys, ordered by length, and where each length starts among them.
    private let byLength: [Int]
    private let lengthStarts: [Int]
    /// Per type byte: the bits of the type's field keys.
    private let schemaBits: [UInt64]
    /// Per type byte, `keys.count` entries: each key's position among the type's fields, or −1.
    private let positions: [Int8]
    /// Per type byte, ``EventSchema/maxFields`` entries: whether the field at that position is a choice,
    /// read from its bytes without building a `String`.
    private let choiceAt: [Bool]
    /// Per type byte, ``EventSchema/maxFields`` entries: the names of the choice at that position.
    private let choiceNames: [PackedNames<UInt8>]

    init(schemas: [EventSchema]) {
        var keys = EventSchema.envelopeKeys
        for schema in schemas {
            for field in schema.fields where !keys.contains(field.key) { keys.append(field.key) }
        }
        precondition(keys.count <= 64, "more than 64 distinct JSON keys: widen the key bitsets")
        self.keys = keys
        let packed = keys.map { PackedKey($0.utf8) }
        self.packed = packed
        var byLength: [Int] = []
        var lengthStarts: [Int] = []
        for length in 0...17 {
            lengthStarts.append(byLength.count)
            byLength += keys.indices.filter { packed[$0] != nil && keys[$0].utf8.count == length }
        }
        self.byLength = byLength
        self.lengthStarts = lengthStarts
        let types = (schemas.map { Int($0.kind.rawValue) }.max() ?? 0) + 1
        var schemaBits = [UInt64](repeating: 0, count: types)
        var positions = [Int8](repeating: -1, count: types * keys.count)
        var choiceAt = [Bool](repeating: false, count: types * EventSchema.maxFields)
        var choiceNames = [PackedNames<UInt8>](
            repeating: PackedNames([], name: { _ in "" }), count: types * EventSchema.maxFields)
        for schema in schemas {
            let type = Int(schema.kind.rawValue)
            for (position, field) in schema.fields.enumerated() {
                guard let index = keys.firstIndex(of: field.key) else { continue }
                schemaBits[type] |= 1 << UInt64(index)
                positions[type * keys.count + index] = Int8(position)
                switch field.kind {
                case .choice(let names), .optionalChoice(let names):
                    choiceAt[type * EventSchema.maxFields + position] = true
                    choiceNames[type * EventSchema.maxFields + position] = PackedNames(names.map(\.byte)) { byte in
                        names.first { $0.byte == byte }?.name ?? ""
                    }
                default: break
                }
            }
        }
        self.schemaBits = schemaBits
        self.positions = positions
        self.choiceAt = choiceAt
        self.choiceNames = choiceNames
    }

    /// The bit of key `index` in a key set.
    @inline(__always)
    static func bit(_ index: Int) -> UInt64 { 1 << UInt64(index) }

    /// The index of the key packed as `key`.
    @inline(__always)
    func index(of key: PackedKey) -> Int? {
        guard key.length < lengthStarts.count - 1 else { return nil }
        var candidate = lengthStarts[key.length]
        let end = lengthStarts[key.length + 1]
        while candidate < end {
            let index = byLength[candidate]
            if packed[index] == key { return index }
            candidate += 1
        }
        return nil
    }

    /// The index of `key`, compared as UTF-8 bytes.
    func index(of key: String) -> Int? {
        if let packedKey = PackedKey(key.utf8) { return index(of: packedKey) }
        return keys.firstIndex { $0.utf8.elementsEqual(key.utf8) }
    }

    /// The position of key `index` among the fields of `kind`, if it is one of them.
    @inline(__always)
    func position(of index: Int, in kind: EventKind) -> Int? {
        let position = positions[Int(kind.rawValue) * keys.count + index]
        return position < 0 ? nil : Int(position)
    }

    /// Whether the field at `position` of `kind` is a choice.
    @inline(__always)
    func isChoice(_ kind: EventKind, at position: Int) -> Bool {
        choiceAt[Int(kind.rawValue) * EventSchema.maxFields + position]
    }

    /// The names of the choice at `position` of `kind`, with their bytes.
    @inline(__always)
    func names(of kind: EventKind, at position: Int) -> PackedNames<UInt8> {
        choiceNames[Int(kind.rawValue) * EventSchema.maxFields + position]
    }

    /// The keys an event of `kind` is written with: its fields and the envelope, as a bitset.
    func reserved(for kind: EventKind) -> UInt64 {
        schemaBits[Int(kind.rawValue)] | Self.envelopeBits
    }

    /// Whether `key` is one an event of `kind` is written with (so no extra of it may have it).
    func isReserved(_ key: String, for kind: EventKind) -> Bool {
        guard let index = index(of: key) else { return false }
        return reserved(for: kind) & Self.bit(index) != 0
    }
}
