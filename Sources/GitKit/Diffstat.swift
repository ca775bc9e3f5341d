import Clibgit2

/// Lines added and removed in one file, as `git diff --stat` counts them.
public struct FileChange: Sendable, Equatable {
    public let path: String
    public let insertions: Int
    public let deletions: Int
    public let isBinary: Bool
}

extension Repository {
    /// Calls `body` with the diff from tree `old` to tree `new`, renames detected if asked.
    func withTreeDiff<T>(from old: OID, to new: OID, renames: Bool, _ body: (OpaquePointer?) throws -> T) throws -> T {
        try withTree(old) { oldTree in
            try withTree(new) { newTree in
                var diff: OpaquePointer?
                try check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, nil), "diff trees")
                defer { git_diff_free(diff) }
                if renames {
                    var options = git_diff_find_options()
                    try check(git_diff_find_options_init(&options, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "find renames")
                    options.flags = GIT_DIFF_FIND_RENAMES.rawValue
                    try check(git_diff_find_similar(diff, &options), "find renames")
                }
                return try body(diff)
            }
        }
    }

    /// The per-file line counts of the change from tree `old` to tree `new`, renames detected.
    public func diffstat(from old: OID, to new: OID) throws -> [FileChange] {
        try withTreeDiff(from: old, to: new, renames: true) { diff in
            var changes: [FileChange] = []
            for index in 0..<git_diff_num_deltas(diff) {
                var patch: OpaquePointer?
                try check(git_patch_from_diff(&patch, diff, index), "diff a file")
                defer { git_patch_free(patch) }
                let delta = git_diff_get_delta(diff, index)!.pointee
                var context = 0, additions = 0, deletions = 0
                try check(git_patch_line_stats(&context, &additions, &deletions, patch), "count lines")
                let path = String(cString: (delta.new_file.path ?? delta.old_file.path)!)
                changes.append(FileChange(path: path, insertions: additions, deletions: deletions,
                                          isBinary: delta.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0))
            }
            return changes
        }
    }
}
