import Clibgit2

/// Counts of changed paths in the work tree and index, as `git status` would list them.
public struct StatusSummary: Sendable, Equatable, Codable {
    /// Paths whose index entry differs from HEAD.
    public var staged = 0
    /// Tracked paths whose work-tree file differs from the index (submodules included).
    public var unstaged = 0
    /// Paths git does not track and does not ignore.
    public var untracked = 0
    /// Paths with unresolved merge conflicts.
    public var conflicted = 0

    /// No staged, unstaged or conflicted changes; untracked files do not count.
    public var isClean: Bool { staged == 0 && unstaged == 0 && conflicted == 0 }
}

extension Repository {
    /// Summarises `git status`. Fails in a bare repository, which has no work tree.
    /// Without `untracked`, untracked files are neither searched for nor counted; without
    /// `workTree`, only the index is compared with HEAD (staged changes), which reads no files.
    /// Stat data the scan refreshes is written back to the index, as `git status` does. Without
    /// `untracked`, a clean tree that the index's cached data proves needs no scan at all.
    ///
    /// With `refresh` false the index is never written (no `index.lock` is taken): what the
    /// mutating commands use while planning, so that an interruption there leaves nothing.
    public func status(untracked: Bool = true, workTree: Bool = true, refresh: Bool = true) throws -> StatusSummary {
        if !untracked && isCleanByCachedData(workTree: workTree) { return StatusSummary() }
        var options = git_status_options()
        try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "prepare status")
        options.show = workTree ? GIT_STATUS_SHOW_INDEX_AND_WORKDIR : GIT_STATUS_SHOW_INDEX_ONLY
        options.flags = (untracked ? GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue : 0)
            | (refresh && workTree && !isIndexLocked ? GIT_STATUS_OPT_UPDATE_INDEX.rawValue : 0)
        var list: OpaquePointer?
        if git_status_list_new(&list, pointer, &options) != 0 {
            // Refreshing the index needs its lock, which a read-only repository cannot take;
            // `git status` then just does not refresh, and neither does bm-git.
            options.flags &= ~GIT_STATUS_OPT_UPDATE_INDEX.rawValue
            try check(git_status_list_new(&list, pointer, &options), "read status")
        }
        defer { git_status_list_free(list) }

        let staged = GIT_STATUS_INDEX_NEW.rawValue | GIT_STATUS_INDEX_MODIFIED.rawValue
            | GIT_STATUS_INDEX_DELETED.rawValue | GIT_STATUS_INDEX_RENAMED.rawValue
            | GIT_STATUS_INDEX_TYPECHANGE.rawValue
        let unstaged = GIT_STATUS_WT_MODIFIED.rawValue | GIT_STATUS_WT_DELETED.rawValue
            | GIT_STATUS_WT_RENAMED.rawValue | GIT_STATUS_WT_TYPECHANGE.rawValue
        var summary = StatusSummary()
        for index in 0..<git_status_list_entrycount(list) {
            let flags = git_status_byindex(list, index).pointee.status.rawValue
            if flags & GIT_STATUS_CONFLICTED.rawValue != 0 { summary.conflicted += 1; continue }
            if flags & staged != 0 { summary.staged += 1 }
            if flags & unstaged != 0 { summary.unstaged += 1 }
            if flags & GIT_STATUS_WT_NEW.rawValue != 0 { summary.untracked += 1 }
        }
        return summary
    }
}
