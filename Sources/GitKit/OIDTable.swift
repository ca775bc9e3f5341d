/// A map from commit id to node number for the ancestry index's in-memory additions: open
/// addressing on the id's first eight bytes (already uniformly distributed), which costs a
/// fraction of a `Dictionary` lookup when a whole history is read.
struct OIDTable {
    private var keys: [OID]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0

    init() {
        keys = [OID](repeating: .zero, count: 1024)
        values = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    @inline(__always)
    private static func slot(_ id: OID, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: withUnsafeBytes(of: id.raw) { $0.loadUnaligned(as: UInt64.self) }) & mask
    }

    subscript(_ id: OID) -> Int? {
        var index = Self.slot(id, mask)
        while values[index] >= 0 {
            if keys[index] == id { return Int(values[index]) }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Adds `id` (which must not be present) with node number `value`.
    mutating func insert(_ id: OID, _ value: Int) {
        if (count + 1) * 2 > keys.count { grow() }
        var index = Self.slot(id, mask)
        while values[index] >= 0 { index = (index + 1) & mask }
        keys[index] = id
        values[index] = Int32(value)
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [OID](repeating: .zero, count: oldKeys.count * 2)
        values = [Int32](repeating: -1, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for index in oldKeys.indices where oldValues[index] >= 0 { insert(oldKeys[index], Int(oldValues[index])) }
    }
}
