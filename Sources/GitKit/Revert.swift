import Clibgit2

/// The outcome of reverting a commit in memory.
public struct RevertResult: Sendable {
    /// The tree with the commit's changes undone; nil when there were conflicts.
    public let tree: OID?
    /// Paths that conflicted, sorted.
    public let conflicts: [String]
}

extension Repository {
    /// Reverts `commit` on top of `ours` entirely in memory (`git_revert_commit`): nothing in
    /// the work tree, index or refs changes. `mainline` (1-based) picks the parent of a merge.
    public func revert(_ commit: OID, onto ours: OID, mainline: Int) throws -> RevertResult {
        var theirsRaw = commit.raw, oursRaw = ours.raw
        var theirs: OpaquePointer?, base: OpaquePointer?
        try check(git_commit_lookup(&theirs, pointer, &theirsRaw), "look up commit \(commit.short())")
        defer { git_commit_free(theirs) }
        try check(git_commit_lookup(&base, pointer, &oursRaw), "look up commit \(ours.short())")
        defer { git_commit_free(base) }
        var options = git_merge_options()
        try check(git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "prepare revert")
        var index: OpaquePointer?
        try check(git_revert_commit(&index, pointer, theirs, base, UInt32(mainline), &options),
                  "revert \(commit.short())")
        defer { git_index_free(index) }
        guard git_index_has_conflicts(index) == 0 else {
            return RevertResult(tree: nil, conflicts: try conflictPaths(index))
        }
        var tree = git_oid()
        try check(git_index_write_tree_to(&tree, index, pointer), "write the reverted tree")
        return RevertResult(tree: OID(tree), conflicts: [])
    }

    private func conflictPaths(_ index: OpaquePointer?) throws -> [String] {
        var iterator: OpaquePointer?
        try check(git_index_conflict_iterator_new(&iterator, index), "list conflicts")
        defer { git_index_conflict_iterator_free(iterator) }
        var paths = Set<String>()
        var ancestor: UnsafePointer<git_index_entry>?, ours: UnsafePointer<git_index_entry>?
        var theirs: UnsafePointer<git_index_entry>?
        while git_index_conflict_next(&ancestor, &ours, &theirs, iterator) == 0 {
            if let entry = ours ?? theirs ?? ancestor { paths.insert(String(cString: entry.pointee.path)) }
        }
        return paths.sorted()
    }
}
