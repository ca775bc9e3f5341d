import Clibgit2

/// Blob contents read during one blame, kept while they fit in a byte budget: a file version
/// is usually diffed twice (as a parent, then as the origin being blamed), and libgit2's own
/// object cache is off during the walk.
final class BlobCache {
    private let repository: Repository
    private let budget: Int
    private var contents: [OID: [UInt8]] = [:]
    private var order: [OID] = []
    private var held = 0

    init(repository: Repository, budget: Int = 8 << 20) {
        self.repository = repository
        self.budget = budget
    }

    /// The bytes of blob `id`.
    func content(_ id: OID) throws -> [UInt8] {
        if let known = contents[id] { return known }
        let bytes = try repository.withBlob(id) { Array($0) }
        if bytes.count <= budget / 4 {
            while held + bytes.count > budget, !order.isEmpty {
                let oldest = order.removeFirst()
                held -= contents.removeValue(forKey: oldest)?.count ?? 0
            }
            contents[id] = bytes
            order.append(id)
            held += bytes.count
        }
        return bytes
    }

    /// The size of blob `id` in bytes, read from the object header when it is not cached.
    func size(_ id: OID) throws -> Int {
        if let known = contents[id] { return known.count }
        return try repository.blobSize(id)
    }
}

extension Repository {
    /// The size of blob `id`, without inflating its content.
    func blobSize(_ id: OID) throws -> Int {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "open the object database")
        defer { git_odb_free(odb) }
        var raw = id.raw
        var size = 0
        var type = GIT_OBJECT_ANY
        try check(git_odb_read_header(&size, &type, odb, &raw), "read blob \(id.short())")
        return size
    }
}
