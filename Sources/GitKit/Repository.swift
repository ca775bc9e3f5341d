import Clibgit2
import Foundation

/// An open git repository. Owns its libgit2 handle; use it from one thread at a time.
public final class Repository {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_repository_free(pointer) }

    /// The team's committed `.bm-git` settings, looked for once per handle.
    public private(set) lazy var teamConfig = TeamConfig.load(for: self)

    /// Finds the repository that contains `path`, as git does: searching parent directories
    /// (up to `GIT_CEILING_DIRECTORIES`), following a linked worktree's `.git` file, and opening
    /// bare repositories. When `GIT_DIR` is set it wins, with `GIT_WORK_TREE` if that is set too,
    /// like the git command line tools. Relative values are taken from `path`.
    public static func discover(from path: String) throws -> Repository {
        LibGit2.ensureInitialised()
        let environment = Environment.values(["GIT_DIR", "GIT_WORK_TREE", "GIT_CEILING_DIRECTORIES"])
        var repo: OpaquePointer?
        if let gitDir = environment["GIT_DIR"], !gitDir.isEmpty {
            try check(git_repository_open_ext(&repo, absolute(gitDir, from: path),
                                              GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
                      "open repository at GIT_DIR \(gitDir)")
            let repository = Repository(pointer: repo!)
            if let workTree = environment["GIT_WORK_TREE"], !workTree.isEmpty {
                // libgit2 1.5 refuses GIT_WORK_TREE in its from-environment mode, so apply it here.
                try check(git_repository_set_workdir(repo, absolute(workTree, from: path), 0),
                          "use GIT_WORK_TREE \(workTree)")
            }
            return repository
        }
        try check(git_repository_open_ext(&repo, path, 0, environment["GIT_CEILING_DIRECTORIES"]),
                  "open repository at \(path)")
        return Repository(pointer: repo!)
    }

    private static func absolute(_ path: String, from base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: base, isDirectory: true))
            .standardizedFileURL.path
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

    /// Whether this is a shallow clone (`.git/shallow` lists where its history is cut).
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

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

    /// The repository's configuration, with all levels (the team's `.bm-git`, system, global,
    /// local) and the environment's as git reads them (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_COUNT`
    /// entries). For reading; `localConfig()` writes.
    public func config() throws -> Config {
        var config: OpaquePointer?
        let team = teamConfig
        guard EnvironmentConfig.isActive || team.file != nil else {
            try check(git_repository_config(&config, pointer), "read configuration")
            return Config(pointer: config!)
        }
        try check(git_repository_config_snapshot(&config, pointer), "read configuration")
        let snapshot = Config(pointer: config!)
        try team.apply(to: config!, repository: pointer)
        try EnvironmentConfig.apply(to: config!, repository: pointer)
        return snapshot
    }

    /// The repository's own `.git/config`, for writing.
    public func localConfig() throws -> Config {
        var config: OpaquePointer?, local: OpaquePointer?
        try check(git_repository_config(&config, pointer), "read configuration")
        defer { git_config_free(config) }
        try check(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "open the repository's configuration")
        return Config(pointer: local!)
    }

    /// Whether the object database holds `oid`.
    public func contains(_ oid: OID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, pointer) == 0 else { return false }
        defer { git_odb_free(odb) }
        var raw = oid.raw
        return git_odb_exists(odb, &raw) == 1
    }

    private static func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

extension Repository {
    /// From now on, objects this handle writes (trees and commits a dry run computes) are kept
    /// in memory instead of the object database, so that a read-only repository can be planned
    /// in, and nothing is left behind.
    public func keepNewObjectsInMemory() throws {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "open the object database")
        defer { git_odb_free(odb) }
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try check(git_mempack_new(&backend), "make an in-memory object store")
        // The highest priority: written objects go to it; reads still find the repository's.
        try check(git_odb_add_backend(odb, backend, 1000), "make an in-memory object store")
    }
}
