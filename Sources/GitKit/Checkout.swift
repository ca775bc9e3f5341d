import Clibgit2

extension Repository {
    /// Makes the index and work tree match `tree`, touching only paths that differ from
    /// `baseline` (the tree the work tree is expected to hold) and refusing (a `GitError` whose
    /// `isConflict` is true, before writing anything) when that would overwrite a local change.
    /// Submodule contents are not touched.
    public func checkoutSafely(tree: OID, from baseline: OID) throws {
        var raw = tree.raw
        var object: OpaquePointer?
        try check(git_object_lookup(&object, pointer, &raw, GIT_OBJECT_TREE), "look up tree \(tree.short())")
        defer { git_object_free(object) }
        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "prepare checkout")
        options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
        var baselineRaw = baseline.raw
        var baselineTree: OpaquePointer?
        try check(git_tree_lookup(&baselineTree, pointer, &baselineRaw), "look up tree \(baseline.short())")
        defer { git_tree_free(baselineTree) }
        options.baseline = baselineTree
        try check(git_checkout_tree(pointer, object, &options), "check out \(tree.short())")
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
