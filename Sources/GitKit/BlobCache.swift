import Clibgit2

/// A blob's content as libgit2 read it, kept alive (and freed) by this object; no copy is made.
/// The bytes are lent only inside `withBytes`, so they cannot outlive the blob.
final class BlobData {
    private let blob: OpaquePointer
    private let bytes: UnsafeRawBufferPointer

    init(repository: Repository, id: OID) throws {
        var raw = id.raw
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, repository.pointer, &raw), "read blob \(id.short())")
        self.blob = blob!
        bytes = UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: Int(git_blob_rawsize(blob)))
    }

    deinit { git_blob_free(blob) }

    var count: Int { bytes.count }

    /// The content's lines, split and hashed on first use.
    private(set) lazy var lines = LineIndex(bytes)

    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(bytes) }
    }
}

/// Blob contents read during one blame, kept while they fit in a byte budget: a file version
/// is usually diffed twice (as a parent, then as the origin being blamed), and libgit2's own
/// object cache is off during the walk.
final class BlobCache {
    private let repository: Repository
    private let budget: Int
    private var contents: [OID: BlobData] = [:]
    private var order: [OID] = []
    private var held = 0

    init(repository: Repository, budget: Int = 8 << 20) {
        self.repository = repository
        self.budget = budget
    }

    /// The content of blob `id`.
    func content(_ id: OID) throws -> BlobData {
        if let known = contents[id] { return known }
        let data = try BlobData(repository: repository, id: id)
        if data.count <= budget / 4 {
            while held + data.count > budget, !order.isEmpty {
                let oldest = order.removeFirst()
                held -= contents.removeValue(forKey: oldest)?.count ?? 0
            }
            contents[id] = data
            order.append(id)
            held += data.count
        }
        return data
    }

    /// The content of blob `id`, no longer kept: for a version whose last use this is (the
    /// origin being blamed, once its parents have been read), so the cache holds the frontier.
    func take(_ id: OID) throws -> BlobData {
        guard let known = contents.removeValue(forKey: id) else { return try BlobData(repository: repository, id: id) }
        held -= known.count
        order.removeAll { $0 == id }
        return known
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
