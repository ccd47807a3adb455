/// Positions of ids (conversation ids), numbered 0, 1, 2, … in order of insertion: an open-addressing
/// hash table with linear probing over the ids' UTF-8 bytes.
///
/// The replay looks up one id per event; `Dictionary<String, Int>` spends most of that time in SipHash.
/// This table hashes 8 bytes at a step with a multiply–xor-shift mix, keyed by a per-table random seed so
/// that collisions cannot be prepared in advance by whoever chooses the ids.
struct IDTable: Sendable {
    /// The ids, by position.
    private(set) var keys: [String] = []
    /// Position + 1 of the id in each slot; 0 for an empty slot. The count is a power of two, at least
    /// twice the number of ids.
    private var slots: [UInt32] = [UInt32](repeating: 0, count: 16)
    private let seed: UInt64

    init() { seed = UInt64.random(in: 0...UInt64.max) }

    var count: Int { keys.count }

    /// Makes room for `count` ids without growing.
    mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        var size = slots.count
        while size < count * 2 { size *= 2 }
        if size > slots.count {
            slots = [UInt32](repeating: 0, count: size / 2)  // grow() doubles it and re-inserts the keys
            grow()
        }
    }

    /// The position of `id`, if it was inserted.
    func position(of id: String) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash(id)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if keys[Int(entry - 1)] == id { return Int(entry - 1) }
            slot = (slot + 1) & mask
        }
    }

    /// The position of `id`, inserting it (at the next position) if it is new.
    mutating func position(inserting id: String) -> Int {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash(id)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if keys[Int(entry - 1)] == id { return Int(entry - 1) }
            slot = (slot + 1) & mask
        }
        let position = keys.count
        precondition(position < Int(UInt32.max) - 1, "more ids than an IDTable holds")
        keys.append(id)
        slots[slot] = UInt32(position + 1)
        if keys.count * 2 > slots.count { grow() }
        return position
    }

    private mutating func grow() {
        slots = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (position, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: hash(key)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(position + 1)
        }
    }

    /// A 64-bit hash of the id's UTF-8 bytes.
    func hash(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { bytes in Self.hash(UnsafeRawBufferPointer(bytes), seed: seed) }
    }

    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var index = 0
        while index + 8 <= bytes.count {
            h = mix(h ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index += 8
        }
        if index < bytes.count {
            var tail: UInt64 = 0
            for shift in 0..<(bytes.count - index) {
                tail |= UInt64(bytes[index + shift]) << UInt64(shift * 8)
            }
            h = mix(h ^ tail)
        }
        return mix(h)
    }

    @inline(__always) private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 31
        z = z &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 29)
    }
}
