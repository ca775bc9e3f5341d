import Clibgit2
import Foundation

/// An open git repository. Owns its libgit2 handle; use it from one thread at a time.
public final class Repository {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_repository_free(pointer) }

    /// Finds the repository that contains `path`, as git does: searching parent directories,
    /// following a linked worktree's `.git` file, and opening bare repositories.
    /// When `GIT_DIR` is set in the environment it wins, together with `GIT_WORK_TREE`,
    /// like the git command line tools.
    public static func discover(from path: String) throws -> Repository {
        LibGit2.ensureInitialised()
        var repo: OpaquePointer?
        if ProcessInfo.processInfo.environment["GIT_DIR"] != nil {
            try check(git_repository_open_ext(&repo, nil, GIT_REPOSITORY_OPEN_FROM_ENV.rawValue, nil),
                      "open repository from GIT_DIR")
        } else {
            let ceilings = ProcessInfo.processInfo.environment["GIT_CEILING_DIRECTORIES"]
            try check(git_repository_open_ext(&repo, path, 0, ceilings), "open repository at \(path)")
        }
        return Repository(pointer: repo!)
    }

    /// Opens the repository whose git directory or work tree is exactly `path`, without searching.
    public static func open(at path: String) throws -> Repository {
        LibGit2.ensureInitialised()
        var repo: OpaquePointer?
        try check(git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
                  "open repository at \(path)")
        return Repository(pointer: repo!)
    }

    /// The work tree's root, without a trailing slash; nil for a bare repository.
    public var workdir: String? {
        git_repository_workdir(pointer).map { Self.trimmed(String(cString: $0)) }
    }

    /// This repository's own git directory (for a linked worktree, `.git/worktrees/<name>`).
    public var gitdir: String { Self.trimmed(String(cString: git_repository_path(pointer))) }

    /// The directory shared by all worktrees: objects, refs, config and hooks live here.
    public var commondir: String { Self.trimmed(String(cString: git_repository_commondir(pointer))) }

    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    /// Whether this is a linked worktree (made by `git worktree add`), not the main one.
    public var isLinkedWorktree: Bool { git_repository_is_worktree(pointer) == 1 }

    /// Whether the repository has no references at all, as after `git init`, whatever the
    /// name of its unborn branch. (libgit2's own check assumes `init.defaultBranch`.)
    public var isEmpty: Bool {
        var iterator: OpaquePointer?
        guard git_reference_iterator_new(&iterator, pointer) == 0 else { return false }
        defer { git_reference_iterator_free(iterator) }
        var name: UnsafePointer<CChar>?
        return git_reference_next_name(&name, iterator) == GIT_ITEROVER.rawValue
    }

    /// The repository's live configuration, with all levels (system, global, local, worktree).
    public func config() throws -> Config {
        var config: OpaquePointer?
        try check(git_repository_config(&config, pointer), "read configuration")
        return Config(pointer: config!)
    }

    private static func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
