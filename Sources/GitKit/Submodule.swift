import Clibgit2
import Foundation

/// What the superproject knows about one submodule, copied out of libgit2.
public struct SubmoduleInfo: Sendable, Equatable {
    public let name: String
    /// Path relative to the superproject's root.
    public let path: String
    /// The effective URL: `.git/config` after `git submodule init`, else `.gitmodules`.
    public let url: String?
    /// `submodule.<name>.branch` from `.gitmodules`, if set.
    public let branch: String?
    /// The commit recorded in the superproject's HEAD tree (the "pointer").
    public let headCommit: OID?
    /// The commit recorded in the superproject's index.
    public let indexCommit: OID?
    /// The commit checked out in the submodule's work tree, when it is cloned.
    public let checkedOutCommit: OID?
    /// Whether `git submodule init` has copied its URL into the superproject's config.
    public let isInitialised: Bool
    /// Whether a repository is present at its path in the work tree.
    public let isCloned: Bool
}

extension Repository {
    /// Looks a submodule up by name or path; nil when the superproject has no such submodule.
    public func submodule(named name: String) throws -> SubmoduleInfo? {
        guard let handle = try lookupSubmodule(name) else { return nil }
        defer { git_submodule_free(handle) }
        var flags: UInt32 = 0
        let submoduleName = String(cString: git_submodule_name(handle))
        try check(git_submodule_location(&flags, handle), "locate submodule \(submoduleName)")
        // After `git submodule init` the superproject's config holds the URL to use; libgit2's
        // submodule object keeps the `.gitmodules` one, so read the config first.
        let configuredURL = try config().string("submodule.\(submoduleName).url")
        return SubmoduleInfo(
            name: submoduleName,
            path: String(cString: git_submodule_path(handle)),
            url: configuredURL ?? git_submodule_url(handle).map { String(cString: $0) },
            branch: git_submodule_branch(handle).map { String(cString: $0) },
            headCommit: git_submodule_head_id(handle).map(OID.init),
            indexCommit: git_submodule_index_id(handle).map(OID.init),
            checkedOutCommit: git_submodule_wd_id(handle).map(OID.init),
            isInitialised: configuredURL != nil,
            isCloned: flags & GIT_SUBMODULE_STATUS_IN_WD.rawValue != 0
        )
    }

    /// Opens the submodule's own repository; nil when it is not cloned.
    public func openSubmodule(named name: String) throws -> Repository? {
        guard let handle = try lookupSubmodule(name) else { return nil }
        defer { git_submodule_free(handle) }
        var flags: UInt32 = 0
        try check(git_submodule_location(&flags, handle), "locate submodule \(name)")
        guard flags & GIT_SUBMODULE_STATUS_IN_WD.rawValue != 0 else { return nil }
        var repo: OpaquePointer?
        try check(git_submodule_open(&repo, handle), "open submodule \(name)")
        return Repository(pointer: repo!)
    }

    private func lookupSubmodule(_ name: String) throws -> OpaquePointer? {
        var handle: OpaquePointer?
        let result = git_submodule_lookup(&handle, pointer, name)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EEXISTS.rawValue { return nil }
        try check(result, "look up submodule \(name)")
        return handle
    }
}

extension Repository {
    /// Clones an initialised submodule (its URL already in the superproject's config) and
    /// checks out the commit the superproject's index records, as `git submodule update`.
    public func cloneSubmodule(named name: String) throws -> Repository {
        guard let handle = try lookupSubmodule(name) else {
            throw GitError(operation: "clone submodule \(name)", message: "no such submodule", code: GIT_ENOTFOUND.rawValue)
        }
        defer { git_submodule_free(handle) }
        try LibGit2.loadCertificates(for: git_submodule_url(handle).map { String(cString: $0) } ?? "")
        var options = git_submodule_update_options()
        try check(git_submodule_update_options_init(&options, UInt32(GIT_SUBMODULE_UPDATE_OPTIONS_VERSION)),
                  "prepare submodule update")
        try check(git_submodule_update(handle, 0, &options), "clone submodule \(name)")
        var repo: OpaquePointer?
        try check(git_submodule_open(&repo, handle), "open submodule \(name)")
        return Repository(pointer: repo!)
    }

    /// A new tree: `base` with the entry at `path` set to a submodule commit (a gitlink).
    public func tree(_ base: OID, settingGitlink path: String, to commit: OID) throws -> OID {
        try withTree(base) { baseTree in
            try path.withCString { cPath in
                var update = git_tree_update(action: GIT_TREE_UPDATE_UPSERT, id: commit.raw,
                                             filemode: GIT_FILEMODE_COMMIT, path: cPath)
                var result = git_oid()
                try check(git_tree_create_updated(&result, pointer, baseTree, 1, &update), "update tree at \(path)")
                return OID(result)
            }
        }
    }

    /// The commit a tree records at `path` for a submodule; nil when there is no gitlink there.
    public func gitlink(in tree: OID, at path: String) throws -> OID? {
        try withTree(tree) { treeObject in
            var entry: OpaquePointer?
            let result = git_tree_entry_bypath(&entry, treeObject, path)
            if result == GIT_ENOTFOUND.rawValue { return nil }
            try check(result, "find \(path)")
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_filemode(entry) == GIT_FILEMODE_COMMIT else { return nil }
            return OID(git_tree_entry_id(entry))
        }
    }
}

extension Repository {
    /// When this repository is checked out as a submodule of another: the superproject's work
    /// tree and the submodule's name there. Found by opening the repository that contains the
    /// work tree's parent directory and looking the path up among its submodules.
    public func superproject() -> (workTree: String, submodule: String)? {
        guard let root = workdir else { return nil }
        let parent = (root as NSString).deletingLastPathComponent
        var found: OpaquePointer?
        guard parent != root, git_repository_open_ext(&found, parent, 0, Environment.value("GIT_CEILING_DIRECTORIES")) == 0
        else { return nil }
        let outer = Repository(pointer: found!)
        guard let outerRoot = outer.workdir, root.hasPrefix(outerRoot + "/") else { return nil }
        let relative = String(root.dropFirst(outerRoot.count + 1))
        var submodule: OpaquePointer?
        guard git_submodule_lookup(&submodule, outer.pointer, relative) == 0 else { return nil }
        defer { git_submodule_free(submodule) }
        return (outerRoot, String(cString: git_submodule_name(submodule)))
    }
}
