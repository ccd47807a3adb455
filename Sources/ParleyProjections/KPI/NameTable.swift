/// Interned names (teams, agents, tiers): each distinct name gets a dense `Int32` id, so an
/// episode record holds four bytes per name instead of a string.
struct NameTable: Sendable {
    /// The names, by id.
    private(set) var names: [String] = []
    private var ids: [String: Int32] = [:]

    init() {}

    var count: Int { names.count }

    /// The id of `name` (-1 for `nil`), adding it if it is new.
    mutating func intern(_ name: String?) -> Int32 {
        guard let name else { return -1 }
        if let id = ids[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        ids[name] = id
        return id
    }

    /// The id of `name`, if it has one.
    func id(of name: String) -> Int32? { ids[name] }

    /// The name of id `id` (`nil` for -1).
    func name(_ id: Int32) -> String? { id >= 0 ? names[Int(id)] : nil }

    /// Adds a name read from a checkpoint.
    /// - Returns: `false` if it is there already.
    mutating func add(_ name: String) -> Bool {
        guard ids[name] == nil else { return false }
        _ = intern(name)
        return true
    }
}
