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
