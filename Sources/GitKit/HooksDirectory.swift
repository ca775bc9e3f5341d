import Clibgit2
import Foundation

extension Repository {
    /// Where git looks for hooks: `core.hooksPath` when set (a relative value is taken from the
    /// work tree's root, or from the git directory of a bare repository, as git does),
    /// otherwise `<commondir>/hooks`, shared by every worktree.
    public func hooksDirectory() throws -> (path: String, fromConfig: Bool) {
        guard let configured = try config().path("core.hooksPath"), !configured.isEmpty else {
            return (commondir + "/hooks", false)
        }
        if configured.hasPrefix("/") { return (configured, true) }
        let base = workdir ?? gitdir
        return (URL(fileURLWithPath: configured, relativeTo: URL(fileURLWithPath: base, isDirectory: true))
            .standardizedFileURL.path, true)
    }
}

extension Repository {
    /// Whether the index tracks `relativePath` or anything under it (a path relative to the
    /// work tree's root, with `/` separators).
    public func tracksAnything(under relativePath: String) throws -> Bool {
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "read the index")
        defer { git_index_free(index) }
        if git_index_get_bypath(index, relativePath, 0) != nil { return true }
        var position = 0
        return git_index_find_prefix(&position, index, relativePath.hasSuffix("/") ? relativePath : relativePath + "/") == 0
    }

    /// `path` relative to the work tree's root, if it lies inside the work tree.
    public func workTreeRelativePath(_ path: String) -> String? {
        guard let root = workdir else { return nil }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let base = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        if resolved == base { return "" }
        return resolved.hasPrefix(base + "/") ? String(resolved.dropFirst(base.count + 1)) : nil
    }
}
