import Clibgit2
import Foundation

extension Repository {
    /// Makes the index and work tree match `tree` where they held `baseline`, as one step:
    /// under the index lock, every changed file replaced whole, the new index written into the
    /// lock and committed; on failure nothing changes. A `GitError` whose `isConflict` is true
    /// (before anything is written) when that would overwrite a local change; `isLocked` when
    /// another process holds the index. Submodule contents are not touched.
    public func checkoutSafely(tree: OID, from baseline: OID) throws {
        let lock = try IndexLock.acquire(self)
        defer { lock.release() }
        let index = try lock.openIndex()
        let checkout = try TreeCheckout.prepare(from: baseline, to: tree, in: self, index: index)
        try checkout.apply()
        do {
            _ = try lock.prepareStage(index)
            try lock.stage()
            try lock.commit()
        } catch {
            try? checkout.undo()
            throw error
        }
    }

    /// Whether no content filter (end-of-line conversion, `ident`, a filter driver) can apply
    /// to `paths` of `tree`: no `core.autocrlf`/`core.eol`, no attributes file outside the
    /// tree, and no `.gitattributes` in the tree or work tree on the way to any of the paths.
    func filtersCannotApply(to paths: [String], in tree: OID) throws -> Bool {
        let config = try self.config()
        if let autocrlf = try config.string("core.autocrlf"), autocrlf.lowercased() != "false" { return false }
        if try config.string("core.eol") != nil || config.string("core.attributesFile") != nil { return false }
        let environment = ProcessInfo.processInfo.environment
        let xdg = environment["XDG_CONFIG_HOME"] ?? (environment["HOME"] ?? "") + "/.config"
        for file in [commondir + "/info/attributes", xdg + "/git/attributes", "/etc/gitattributes"]
        where access(file, F_OK) == 0 {
            return false
        }
        var directories: Set<String> = [""]
        for path in paths {
            var parts = path.split(separator: "/").dropLast()
            while !parts.isEmpty {
                directories.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        return try withTree(tree) { treeObject in
            for directory in directories {
                let attributes = directory.isEmpty ? ".gitattributes" : directory + "/.gitattributes"
                var entry: OpaquePointer?
                if git_tree_entry_bypath(&entry, treeObject, attributes) == 0 {
                    git_tree_entry_free(entry)
                    return false
                }
                if let workdir, access(workdir + "/" + attributes, F_OK) == 0 { return false }
            }
            return true
        }
    }

    /// Sets reference `name` to `new` only if it still points to `expected` (compare-and-swap),
    /// writing `message` to its reflog. Throws a `GitError` whose `isModified` is true when
    /// someone else moved it meanwhile.
    public func updateReference(_ name: String, to new: OID, expecting expected: OID, message: String) throws {
        var newRaw = new.raw, expectedRaw = expected.raw
        var reference: OpaquePointer?
        try check(git_reference_create_matching(&reference, pointer, name, &newRaw, 1, &expectedRaw, message),
                  "update \(name)")
        git_reference_free(reference)
    }
}

extension Repository {
    /// Detaches HEAD at `commit` (no checkout).
    public func detachHead(at commit: OID) throws {
        var raw = commit.raw
        try check(git_repository_set_head_detached(pointer, &raw), "detach HEAD at \(commit.short())")
    }

    /// Points HEAD at branch `name` (no checkout).
    public func attachHead(toBranch name: String) throws {
        try check(git_repository_set_head(pointer, "refs/heads/" + name), "switch HEAD to \(name)")
    }
}
