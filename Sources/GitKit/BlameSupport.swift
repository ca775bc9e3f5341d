import Clibgit2

/// The libgit2 reads the blame engine needs.
extension Repository {
    /// Calls `body` with the name, id and file mode (such as 0o100644 or 0o040000) of each entry
    /// directly in `tree`.
    func forEachEntry(in tree: OID, _ body: (String, OID, UInt32) -> Void) throws {
        try withTree(tree) { treeObject in
            for index in 0..<git_tree_entrycount(treeObject) {
                let entry = git_tree_entry_byindex(treeObject, index)
                body(String(cString: git_tree_entry_name(entry)), OID(git_tree_entry_id(entry)),
                     UInt32(git_tree_entry_filemode(entry).rawValue))
            }
        }
    }

    /// Calls `body` with the number, id and file mode of each of `names` (name → number) that
    /// `tree` holds: by binary search for a few names, else in one pass over the entries.
    func entries(in tree: OID, named names: [String: Int], _ body: (Int, OID, UInt32) -> Void) throws {
        try withTree(tree) { treeObject in
            let count = git_tree_entrycount(treeObject)
            if names.count * 8 < count {
                for (name, number) in names {
                    guard let entry = git_tree_entry_byname(treeObject, name) else { continue }
                    body(number, OID(git_tree_entry_id(entry)), UInt32(git_tree_entry_filemode(entry).rawValue))
                }
                return
            }
            for index in 0..<count {
                let entry = git_tree_entry_byindex(treeObject, index)
                if let number = names[String(cString: git_tree_entry_name(entry))] {
                    body(number, OID(git_tree_entry_id(entry)), UInt32(git_tree_entry_filemode(entry).rawValue))
                }
            }
        }
    }

    /// The tree, parents and committer time of `commit`, from one read.
    func commitFacts(_ commit: OID) throws -> (tree: OID, parents: [OID], time: Int64) {
        var raw = commit.raw
        var object: OpaquePointer?
        try check(git_commit_lookup(&object, pointer, &raw), "look up commit \(commit.short())")
        defer { git_commit_free(object) }
        let parents = (0..<git_commit_parentcount(object)).map { OID(git_commit_parent_id(object, $0)) }
        return (OID(git_commit_tree_id(object)), parents, git_commit_time(object))
    }

    /// How many lines a blob has (a last line without a newline counts).
    public func lineCount(ofBlob id: OID) throws -> Int {
        try withBlob(id) { bytes in
            let newlines = bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            return newlines + (bytes.last.map { $0 == 10 ? 0 : 1 } ?? 0)
        }
    }

    /// Tree `id`, looked up for the duration of `body`.
    func withTree<T>(_ id: OID, _ body: (OpaquePointer?) throws -> T) throws -> T {
        var raw = id.raw
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &raw), "look up tree \(id.short())")
        defer { git_tree_free(tree) }
        return try body(tree)
    }

    /// The content of blob `id`, for the duration of `body`.
    public func withBlob<T>(_ id: OID, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        var raw = id.raw
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, &raw), "read blob \(id.short())")
        defer { git_blob_free(blob) }
        return try body(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: Int(git_blob_rawsize(blob))))
    }
}

/// What a tree holds at a path.
public enum TreeEntryKind: Sendable, Equatable {
    case file(OID)
    case symlink
    case directory
    /// A submodule's gitlink, with the commit the tree records.
    case submodule(OID)
}

extension Repository {
    /// What `tree` holds at `path`: a regular file (with its blob), a symbolic link, a
    /// directory, a submodule (with its commit), or nothing (nil).
    public func treeEntryKind(in tree: OID, at path: String) throws -> TreeEntryKind? {
        try withTree(tree) { treeObject in
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, treeObject, path) == 0 else { return nil }
            defer { git_tree_entry_free(entry) }
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_LINK: return .symlink
            case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE: return .file(OID(git_tree_entry_id(entry)))
            case GIT_FILEMODE_COMMIT: return .submodule(OID(git_tree_entry_id(entry)))
            default: return .directory
            }
        }
    }
}
