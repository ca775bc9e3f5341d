import Clibgit2

/// Where HEAD points.
public enum Head: Sendable, Equatable {
    /// On a branch (short name, such as "master") whose tip is `commit`.
    case branch(String, commit: OID)
    /// Detached at a commit.
    case detached(OID)
    /// On a branch that has no commits yet, as in a new repository.
    case unborn(String)

    /// The commit HEAD resolves to, if any.
    public var commit: OID? {
        switch self {
        case .branch(_, let commit), .detached(let commit): return commit
        case .unborn: return nil
        }
    }

    /// The short branch name, unless HEAD is detached.
    public var branchName: String? {
        switch self {
        case .branch(let name, _), .unborn(let name): return name
        case .detached: return nil
        }
    }
}

extension Repository {
    /// Where HEAD points: a branch, a detached commit, or an unborn branch.
    public func head() throws -> Head {
        var symbolic: OpaquePointer?
        try check(git_reference_lookup(&symbolic, pointer, "HEAD"), "read HEAD")
        defer { git_reference_free(symbolic) }
        guard git_reference_type(symbolic) == GIT_REFERENCE_SYMBOLIC else {
            return .detached(OID(git_reference_target(symbolic)))
        }
        let target = String(cString: git_reference_symbolic_target(symbolic))
        let name = target.hasPrefix("refs/heads/") ? String(target.dropFirst("refs/heads/".count)) : target
        guard let commit = try resolve(target) else { return .unborn(name) }
        return .branch(name, commit: commit)
    }

    /// The object a full reference name (such as `refs/remotes/origin/master`) points to,
    /// following symbolic references; nil when the reference does not exist.
    public func resolve(_ referenceName: String) throws -> OID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, referenceName)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(result, "resolve \(referenceName)")
        return OID(oid)
    }

    /// The full name of the upstream of local branch `branch` (such as
    /// `refs/remotes/origin/feature`), from `branch.<name>.remote` and `.merge`; nil when unset.
    public func upstream(ofBranch branch: String) throws -> String? {
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let result = git_branch_upstream_name(&buffer, pointer, "refs/heads/\(branch)")
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "find the upstream of \(branch)")
        return String(cString: buffer.ptr)
    }
}

extension Repository {
    /// Every local branch with the commit it points to, sorted by name.
    public func localBranches() throws -> [(name: String, tip: OID)] {
        var iterator: OpaquePointer?
        try check(git_branch_iterator_new(&iterator, pointer, GIT_BRANCH_LOCAL), "list branches")
        defer { git_branch_iterator_free(iterator) }
        var branches: [(String, OID)] = []
        var reference: OpaquePointer?
        var type = GIT_BRANCH_LOCAL
        while git_branch_next(&reference, &type, iterator) == 0 {
            defer { git_reference_free(reference) }
            var name: UnsafePointer<CChar>?
            guard git_branch_name(&name, reference) == 0, let name,
                  let target = git_reference_target(reference) else { continue }
            branches.append((String(cString: name), OID(target)))
        }
        return branches.sorted { $0.0 < $1.0 }
    }
}

extension Repository {
    /// The commits that the references under `prefix` (such as `refs/remotes/`) point to.
    public func referenceTargets(under prefix: String) throws -> [OID] {
        var iterator: OpaquePointer?
        try check(git_reference_iterator_glob_new(&iterator, pointer, prefix + "*"), "list \(prefix)")
        defer { git_reference_iterator_free(iterator) }
        var targets: [OID] = []
        var reference: OpaquePointer?
        while git_reference_next(&reference, iterator) == 0 {
            defer { git_reference_free(reference) }
            var resolved: OpaquePointer?
            guard git_reference_resolve(&resolved, reference) == 0 else { continue }
            if let target = git_reference_target(resolved) { targets.append(OID(target)) }
            git_reference_free(resolved)
        }
        return targets
    }
}

extension Repository {
    /// The reference a symbolic reference points to (such as `refs/remotes/origin/main` for
    /// `refs/remotes/origin/HEAD`); nil when it is missing or not symbolic.
    public func symbolicTarget(of referenceName: String) throws -> String? {
        var reference: OpaquePointer?
        let result = git_reference_lookup(&reference, pointer, referenceName)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(result, "read \(referenceName)")
        defer { git_reference_free(reference) }
        guard git_reference_type(reference) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(reference)
        else { return nil }
        return String(cString: target)
    }

    /// The names of the configured remotes.
    public func remoteNames() throws -> [String] {
        var names = git_strarray()
        try check(git_remote_list(&names, pointer), "list remotes")
        defer { git_strarray_dispose(&names) }
        return (0..<names.count).compactMap { names.strings[$0].map { String(cString: $0) } }
    }
}
