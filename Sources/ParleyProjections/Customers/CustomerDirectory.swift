import ParleyEvents

/// Which customer ids belong to one person, from `customer_linked` events: a union-find over ids.
/// Linking is symmetric and transitive; the order of links does not matter. A projection: the engine feeds
/// it the events that name no conversation (``interests``), and its checkpoint section holds every linked
/// id with its root. It is there for the routing rules to come (a linked customer's history); `customer`
/// still finds a person's ids with its own two-pass replay, which also reads their texts.
public struct CustomerDirectory: Projection {
    public static let section = CheckpointSection(id: 17, version: 1, name: "customers")
    public static var interests: ProjectionInterests { .otherEvents }

    /// Each linked id's parent (the root is no key).
    var parent: [String: String] = [:]

    public init() {}

    public mutating func apply(_ event: Event, seq: UInt64, conversation: ConversationBook.Conversation?) {
        if case .customerLinked(let link) = event.payload { self.link(link.customer, link.sameAs) }
    }

    /// Records that `a` and `b` are ids of one person.
    public mutating func link(_ a: String, _ b: String) {
        let rootA = root(of: a)
        let rootB = root(of: b)
        guard rootA != rootB else { return }
        // The smaller id (in UTF-8 byte order) becomes the root: the result does not depend on link order.
        if rootA.utf8.lexicographicallyPrecedes(rootB.utf8) { parent[rootB] = rootA } else { parent[rootA] = rootB }
    }

    /// The representative id of the person `id` belongs to.
    public mutating func root(of id: String) -> String {
        var current = id
        var path: [String] = []
        while let next = parent[current], next != current {
            path.append(current)
            current = next
        }
        for node in path { parent[node] = current }  // path compression
        return current
    }

    /// Every id known to belong to the same person as `id` (including `id` and the person's root id), sorted
    /// in UTF-8 byte order: the same list whichever of those ids is asked for.
    public mutating func ids(of id: String) -> [String] {
        let wanted = root(of: id)
        // The root is no key of `parent` (only ids linked under another are), so it is added here.
        var result: Set<String> = [id, wanted]
        for node in Array(parent.keys) where root(of: node) == wanted { result.insert(node) }
        return result.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The root of `id` without compressing paths.
    func findRoot(of id: String) -> String {
        var current = id
        while let next = parent[current], next != current { current = next }
        return current
    }
}
