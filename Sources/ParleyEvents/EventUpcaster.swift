/// Reads a record of an older schema version of a known type and turns it into the current shape, at
/// the decoder, so that everything above the codec (projections, dump, tail) sees one shape per type.
///
/// When a type's layout changes, its declaration (in `Types/`) takes the new layout and a higher
/// ``EventType/version``; the old layout is kept as a small declaration of its own (a struct conforming
/// to nothing more than reading its fields with an ``EventFieldReader``), and an upcaster reads it and
/// converts it:
///
///     EventUpcaster(kind: .replySent, version: 1) { (fields) throws(EventError) in
///         let old = try ReplySentV1(reading: &fields)
///         return .replySent(ReplySent(conversation: old.conversation, author: old.author, body: old.body))
///     }
///
/// Records of the old version keep their bytes; only their decoding changes. Validation
/// (``EventCodec/validate(_:)``) of an old record decodes it with its upcaster. A version with no upcaster
/// stays ``DecodedRecord/unknown(type:version:)``.
///
/// An old record's extras may use a key that the current version made a field (a version 1 `assigned`
/// appended with an extra `by`): the upcaster lists those keys (``addedKeys``), and the decoder offers
/// each such extra to ``promote``, which may move it into
/// the field (it returns true); an extra it does not take is kept, renamed to its key with the suffix
/// `_v` and the old version (`by_v1`; the suffix is repeated while that key is taken too), so that no
/// old record becomes malformed by a newer layout.
public struct EventUpcaster: Sendable {
    /// The type whose older version this reads.
    public let kind: EventKind
    /// The older schema version it reads.
    public let version: UInt8
    /// Reads the older version's fields (after the 12-byte prefix, before the extras) into the current shape.
    public let read: @Sendable (inout BinaryFieldReader) throws(EventError) -> EventPayload
    /// The keys of the fields the current version added to this older one.
    public let addedKeys: [String]
    /// Offered each extra whose key is one of ``addedKeys`` of the type: moves it into `payload` and returns true,
    /// or returns false to keep it, renamed. `texts` is the decoder's: a text taken with `texts: false`
    /// should be set to `""`.
    public let promote: @Sendable (_ payload: inout EventPayload, _ extra: JSONMember, _ texts: Bool) -> Bool

    /// Creates an upcaster.
    /// - Parameters:
    ///   - kind: the type.
    ///   - version: the older schema version it reads (not the type's current one).
    ///   - read: reads that version's fields and returns an event of `kind` in the current shape.
    ///   - addedKeys: the keys of the fields the current version added.
    ///   - promote: takes an extra whose key is one of `addedKeys` into that field (by default, none: each
    ///     is renamed).
    public init(
        kind: EventKind, version: UInt8,
        read: @escaping @Sendable (inout BinaryFieldReader) throws(EventError) -> EventPayload,
        addedKeys: [String] = [],
        promote: @escaping @Sendable (_ payload: inout EventPayload, _ extra: JSONMember, _ texts: Bool) -> Bool = {
            _, _, _ in false
        }
    ) {
        precondition(version != kind.version, "an upcaster reads an older version, not \(kind.name)'s current one")
        self.kind = kind
        self.version = version
        self.read = read
        self.addedKeys = addedKeys
        self.promote = promote
    }

    /// Applies ``promote`` to the extras whose keys are in ``addedKeys``, and renames those it leaves.
    /// Any other extra is left as it is (one with a key the older version reserved stays malformed).
    func adopt(_ extras: inout [JSONMember], into payload: inout EventPayload, texts: Bool) {
        let keys = EventKeys.shared
        let isAdded = { (key: String) in self.addedKeys.contains { $0.utf8.elementsEqual(key.utf8) } }
        // Two extras with one key: left as they are, for the decoder to refuse.
        guard extras.contains(where: { isAdded($0.key) }), EventCodec.firstDuplicateKey(extras) == nil else { return }
        var kept: [JSONMember] = []
        for extra in extras {
            guard isAdded(extra.key) else {
                kept.append(extra)
                continue
            }
            if promote(&payload, extra, texts) { continue }
            var renamed = extra.key
            repeat {
                renamed += "_v\(version)"
            } while keys.isReserved(renamed, for: kind)
                || extras.contains(where: { $0.key.utf8.elementsEqual(renamed.utf8) })
            kept.append(JSONMember(key: renamed, value: extra.value))
        }
        extras = kept
    }
}

/// The upcasters a decoder uses, by type and version.
public struct EventUpcasters: Sendable {
    private let table: [UInt16: EventUpcaster]

    /// The upcasters of this build: `assigned` version 1 (before `by` and `reason`). Add one here when a
    /// type's layout changes (docs/EVENTS.md, "Changing a type").
    public static let standard = EventUpcasters([AssignedV1.upcaster])

    /// A set of upcasters; at most one per type and version.
    public init(_ upcasters: [EventUpcaster]) {
        var table: [UInt16: EventUpcaster] = [:]
        for upcaster in upcasters {
            let key = UInt16(upcaster.kind.rawValue) << 8 | UInt16(upcaster.version)
            precondition(table[key] == nil, "two upcasters for \(upcaster.kind.name) version \(upcaster.version)")
            table[key] = upcaster
        }
        self.table = table
    }

    /// The upcaster for a record's type byte and version, if there is one.
    public func upcaster(type: UInt8, version: UInt8) -> EventUpcaster? {
        table.isEmpty ? nil : table[UInt16(type) << 8 | UInt16(version)]
    }
}
