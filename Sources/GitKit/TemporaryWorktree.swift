import Clibgit2
import Foundation

/// A linked worktree of a repository in a temporary directory, detached at any commit, for
/// running tests at other commits while the user's own checkout, index, HEAD and branches stay
/// as they are. libgit2 1.5 adds a worktree only on a branch, so a branch named after the
/// worktree exists for the moment it takes to detach the new HEAD, and is then deleted.
public final class TemporaryWorktree {
    /// The worktree's directory.
    public let path: String
    private let worktree: OpaquePointer
    private let checkout: Repository
    private var removed = false
    /// Worktrees of submodules inside this one, by path.
    private var submodules: [String: TemporaryWorktree] = [:]

    /// Adds a worktree of `repository` at `commit`, in `location` (a new directory in the
    /// system's temporary directory by default).
    public init(of repository: Repository, at commit: OID, location: String? = nil) throws {
        let name = "bm-git-bisect-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        path = location ?? (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        var raw = commit.raw
        var commitObject: OpaquePointer?
        try check(git_commit_lookup(&commitObject, repository.pointer, &raw), "look up \(commit.short())")
        defer { git_commit_free(commitObject) }
        var branch: OpaquePointer?
        try check(git_branch_create(&branch, repository.pointer, name, commitObject, 0), "make a worktree")
        defer {
            git_branch_delete(branch)
            git_reference_free(branch)
        }
        var options = git_worktree_add_options()
        git_worktree_add_options_init(&options, UInt32(GIT_WORKTREE_ADD_OPTIONS_VERSION))
        options.ref = branch
        var added: OpaquePointer?
        try check(git_worktree_add(&added, repository.pointer, name, path, &options), "add a worktree at \(path)")
        worktree = added!
        var opened: OpaquePointer?
        do {
            try check(git_repository_open_from_worktree(&opened, worktree), "open the worktree")
            checkout = Repository(pointer: opened!)
            try check(git_repository_set_head_detached(checkout.pointer, &raw), "detach the worktree's HEAD")
        } catch {
            Self.prune(worktree, path: path)
            git_worktree_free(worktree)
            throw error
        }
    }

    deinit {
        remove()
        git_worktree_free(worktree)
    }

    /// Checks `commit` out, discarding whatever the last run left in the tree (untracked files
    /// included), and detaches HEAD there.
    public func checkout(_ commit: OID) throws {
        var raw = commit.raw
        var object: OpaquePointer?
        try check(git_object_lookup(&object, checkout.pointer, &raw, GIT_OBJECT_COMMIT), "look up \(commit.short())")
        defer { git_object_free(object) }
        var options = git_checkout_options()
        git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue | GIT_CHECKOUT_REMOVE_UNTRACKED.rawValue
        try check(git_checkout_tree(checkout.pointer, object, &options), "check out \(commit.short())")
        try check(git_repository_set_head_detached(checkout.pointer, &raw), "detach at \(commit.short())")
    }

    /// Checks out the submodule at `subpath` (a repository of its own, such as the superproject's
    /// `.git/modules/amp`) at `commit`, as a worktree of that repository inside this one.
    public func checkoutSubmodule(_ subpath: String, of submodule: Repository, at commit: OID) throws {
        if let existing = submodules[subpath] { return try existing.checkout(commit) }
        let target = path + "/" + subpath
        try? FileManager.default.removeItem(atPath: target)  // the empty directory a gitlink checks out as
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        submodules[subpath] = try TemporaryWorktree(of: submodule, at: commit, location: target)
    }

    /// Removes the worktree: its directory and its entry in the repository. Safe to call twice.
    public func remove() {
        guard !removed else { return }
        removed = true
        for inner in submodules.values { inner.remove() }
        Self.prune(worktree, path: path)
    }

    fileprivate static func prune(_ worktree: OpaquePointer, path: String) {
        var options = git_worktree_prune_options()
        git_worktree_prune_options_init(&options, UInt32(GIT_WORKTREE_PRUNE_OPTIONS_VERSION))
        options.flags = GIT_WORKTREE_PRUNE_VALID.rawValue | GIT_WORKTREE_PRUNE_LOCKED.rawValue
            | GIT_WORKTREE_PRUNE_WORKING_TREE.rawValue
        git_worktree_prune(worktree, &options)
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension TemporaryWorktree {
    /// Removes what a killed bisection left in `repository`: worktrees named
    /// `bm-git-bisect-<pid>-<n>` of processes that are gone, and their branches.
    public static func removeLeftovers(in repository: Repository) {
        var names = git_strarray()
        guard git_worktree_list(&names, repository.pointer) == 0 else { return }
        defer { git_strarray_dispose(&names) }
        for index in 0..<names.count {
            guard let raw = names.strings[index] else { continue }
            let name = String(cString: raw)
            let parts = name.split(separator: "-")
            guard name.hasPrefix("bm-git-bisect-"), parts.count == 5, let pid = Int32(parts[3]),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            var worktree: OpaquePointer?
            if git_worktree_lookup(&worktree, repository.pointer, name) == 0, let worktree {
                var path = ""
                if let cPath = git_worktree_path(worktree) { path = String(cString: cPath) }
                prune(worktree, path: path)
                git_worktree_free(worktree)
            }
            var branch: OpaquePointer?
            if git_branch_lookup(&branch, repository.pointer, name, GIT_BRANCH_LOCAL) == 0 {
                git_branch_delete(branch)
                git_reference_free(branch)
            }
        }
    }
}
