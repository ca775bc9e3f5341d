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

    /// Paths renamed from `old` to `new` (new path → old path), as git's rename detection finds them.
    func renames(from old: OID, to new: OID) throws -> [String: String] {
        try withTreeDiff(from: old, to: new, renames: true) { diff in
            var renames: [String: String] = [:]
            for index in 0..<git_diff_num_deltas(diff) {
                let delta = git_diff_get_delta(diff, index)!.pointee
                if delta.status == GIT_DELTA_RENAMED, let from = delta.old_file.path, let to = delta.new_file.path {
                    renames[String(cString: to)] = String(cString: from)
                }
            }
            return renames
        }
    }

    /// The changed regions from blob `old` to blob `new`, as git's diff (no context) finds them.
    func lineHunks(from old: OID, to new: OID) throws -> [LineHunk] {
        var oldRaw = old.raw, newRaw = new.raw
        var oldBlob: OpaquePointer?, newBlob: OpaquePointer?
        try check(git_blob_lookup(&oldBlob, pointer, &oldRaw), "read blob \(old.short())")
        defer { git_blob_free(oldBlob) }
        try check(git_blob_lookup(&newBlob, pointer, &newRaw), "read blob \(new.short())")
        defer { git_blob_free(newBlob) }
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "prepare diff")
        options.context_lines = 0
        options.interhunk_lines = 0
        options.flags = GIT_DIFF_FORCE_TEXT.rawValue | GIT_DIFF_INDENT_HEURISTIC.rawValue
        final class Collector { var hunks: [LineHunk] = [] }
        let collector = Collector()
        try check(git_diff_blobs(oldBlob, nil, newBlob, nil, &options, nil, nil, { _, hunk, payload in
            let hunk = hunk!.pointee
            let collector = Unmanaged<Collector>.fromOpaque(payload!).takeUnretainedValue()
            // With no lines on a side, its start names the line before the change.
            let oldStart = hunk.old_lines == 0 ? Int(hunk.old_start) : Int(hunk.old_start) - 1
            let newStart = hunk.new_lines == 0 ? Int(hunk.new_start) : Int(hunk.new_start) - 1
            collector.hunks.append(LineHunk(oldStart: oldStart, oldCount: Int(hunk.old_lines),
                                            newStart: newStart, newCount: Int(hunk.new_lines)))
            return 0
        }, nil, Unmanaged.passUnretained(collector).toOpaque()), "diff blobs")
        return collector.hunks
    }
}

/// What a tree holds at a path.
public enum TreeEntryKind: Sendable, Equatable {
    case file(OID)
    case symlink
    case other
}

extension Repository {
    /// What `tree` holds at `path`: a regular file (with its blob), a symbolic link, something
    /// else (a directory, a submodule), or nothing (nil).
    public func treeEntryKind(in tree: OID, at path: String) throws -> TreeEntryKind? {
        try withTree(tree) { treeObject in
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, treeObject, path) == 0 else { return nil }
            defer { git_tree_entry_free(entry) }
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_LINK: return .symlink
            case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE: return .file(OID(git_tree_entry_id(entry)))
            default: return .other
            }
        }
    }
}
