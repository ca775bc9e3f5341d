import Clibgit2
#if canImport(Glibc)
import Glibc
#endif

/// What a repository is in the middle of, as `git status` would warn.
public enum RepositoryState: String, Sendable {
    case none, merge, revert, cherryPick = "cherry-pick", bisect, rebase, applyMailbox = "am"
}

extension Repository {
    /// The commit a revision expression names (a full or abbreviated sha, a ref, `HEAD~2`, ...).
    /// An abbreviation that matches several objects throws a `GitError` whose `isAmbiguous` is true.
    public func resolveCommit(_ revision: String) throws -> OID {
        try withRevision(revision, as: GIT_OBJECT_COMMIT, "a commit") { OID(git_object_id($0)) }
    }

    /// The object a revision expression names, peeled to `type` (`kind` names it in errors), for
    /// the duration of `body`.
    func withRevision<T>(_ revision: String, as type: git_object_t, _ kind: String,
                         _ body: (OpaquePointer?) throws -> T) throws -> T {
        var object: OpaquePointer?
        try check(git_revparse_single(&object, pointer, revision), "resolve \(revision)")
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try check(git_object_peel(&peeled, object, type), "resolve \(revision) to \(kind)")
        defer { git_object_free(peeled) }
        return try body(peeled)
    }

    /// An operation in progress (merge, revert, cherry-pick, rebase, bisect, am), or `.none`.
    public var state: RepositoryState {
        switch git_repository_state(pointer) {
        case Int32(GIT_REPOSITORY_STATE_MERGE.rawValue): return .merge
        case Int32(GIT_REPOSITORY_STATE_REVERT.rawValue), Int32(GIT_REPOSITORY_STATE_REVERT_SEQUENCE.rawValue):
            return .revert
        case Int32(GIT_REPOSITORY_STATE_CHERRYPICK.rawValue), Int32(GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE.rawValue):
            return .cherryPick
        case Int32(GIT_REPOSITORY_STATE_BISECT.rawValue): return .bisect
        case Int32(GIT_REPOSITORY_STATE_APPLY_MAILBOX.rawValue): return .applyMailbox
        case Int32(GIT_REPOSITORY_STATE_NONE.rawValue): return .none
        default: return .rebase
        }
    }

    /// Whether another process holds the index lock (`index.lock` exists).
    public var isIndexLocked: Bool {
        var info = stat()
        return stat(gitdir + "/index.lock", &info) == 0
    }

    /// The tree of commit `id`.
    public func tree(ofCommit id: OID) throws -> OID {
        var raw = id.raw
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &raw), "look up commit \(id.short())")
        defer { git_commit_free(commit) }
        return OID(git_commit_tree_id(commit))
    }

    /// Commits reachable from `tip` but not from any of `hiding`, oldest first (parents before
    /// children), as `git rev-list --reverse --topo-order tip ^hiding...`.
    public func commits(from tip: OID, hiding: [OID]) throws -> [OID] {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "walk history")
        defer { git_revwalk_free(walk) }
        try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue), "walk history")
        var tipRaw = tip.raw
        try check(git_revwalk_push(walk, &tipRaw), "walk from \(tip.short())")
        for hidden in hiding {
            var raw = hidden.raw
            try check(git_revwalk_hide(walk, &raw), "walk history")
        }
        var result: [OID] = []
        var next = git_oid()
        while true {
            let status = git_revwalk_next(&next, walk)
            if status == GIT_ITEROVER.rawValue { return result }
            guard status == 0 else {
                // libgit2 1.5's walk needs the parents of hidden commits, which a shallow clone
                // may lack; the ancestry index does not. Any other failure is an error, never
                // the end of the history.
                if isShallow { return try AncestryIndex(repository: self).commits(from: tip, notIn: hiding).reversed() }
                _ = try check(status, "walk history from \(tip.short())")
                return result
            }
            result.append(OID(next))
        }
    }
}

extension Repository {
    /// The full name of the branch (local or remote-tracking) that `revision` names exactly,
    /// as git's ref lookup rules find it (`master`, `origin/master`); nil for a commit id, `HEAD`
    /// (which names the tip on purpose, as in `git revert HEAD`) or any other expression.
    public func movingReferenceName(_ revision: String) throws -> String? {
        if revision == "HEAD" || revision == "@" { return nil }
        var reference: OpaquePointer?
        let result = git_reference_dwim(&reference, pointer, revision)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue || result == GIT_EAMBIGUOUS.rawValue {
            return nil
        }
        try check(result, "resolve \(revision)")
        defer { git_reference_free(reference) }
        let name = String(cString: git_reference_name(reference))
        guard name.hasPrefix("refs/heads/") || name.hasPrefix("refs/remotes/") else { return nil }
        return name
    }

    /// Points `ORIG_HEAD` at `commit`, as git does before commands that move a branch, so that
    /// `git reset --keep ORIG_HEAD` undoes them.
    public func setOrigHead(_ commit: OID, reason: String) throws {
        var raw = commit.raw
        var reference: OpaquePointer?
        try check(git_reference_create(&reference, pointer, "ORIG_HEAD", &raw, 1, reason), "write ORIG_HEAD")
        git_reference_free(reference)
    }
}
