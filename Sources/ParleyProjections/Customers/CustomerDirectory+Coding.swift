/// The customers section of a checkpoint: every id linked under another, with the root of its person, in
/// UTF-8 byte order of the ids. Canonical: the same directory always gives the same bytes, whatever the
/// path compression done since.
extension CustomerDirectory {
    public func encode(to out: inout StateWriter) {
        let ids = parent.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        out.unsigned(ids.count)
        for id in ids {
            out.string(id)
            out.string(findRoot(of: id))
        }
    }

    /// Checks that the ids come in strictly increasing order, and that each root is no linked id itself and
    /// precedes the id (the smaller id is the root): so there is no cycle for ``root(of:)`` to loop on.
    public init(from input: inout StateReader, context: CheckpointContext) throws(StateReader.Malformed) {
        self.init()
        var previous: String?
        var roots: [String] = []
        for _ in 0..<(try input.count()) {
            let id = try input.string()
            let root = try input.string()
            guard previous.map({ $0.utf8.lexicographicallyPrecedes(id.utf8) }) ?? true else {
                throw StateReader.Malformed(reason: "customer ids out of order or twice")
            }
            guard root.utf8.lexicographicallyPrecedes(id.utf8) else {
                throw StateReader.Malformed(reason: "customer \"\(id)\" under a root that does not precede it")
            }
            parent[id] = root
            roots.append(root)
            previous = id
        }
        for root in roots where parent[root] != nil {
            throw StateReader.Malformed(reason: "customer root \"\(root)\" is linked under another")
        }
        guard UInt64(parent.count) <= context.summary.events else {
            throw StateReader.Malformed(reason: "more linked customers than events replayed")
        }
    }
}
