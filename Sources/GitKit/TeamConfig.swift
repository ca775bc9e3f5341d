import Clibgit2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The settings a team shares: a `.bm-git` file committed at the root of the repository, in
/// git-config syntax. It is the lowest configuration level, below the system, global and
/// repository files (as git-lfs reads `.lfsconfig`), so anyone can override it locally.
/// Only `bm.*` keys are taken from it, and only when git tracks it: the work tree's copy is read
/// when the file is in HEAD's tree or in the index (a bare repository reads `HEAD:.bm-git`), never
/// through a symbolic link, and never with an include, so a checked-out branch cannot point bm-git
/// at other files or change how git itself behaves.
public struct TeamConfig: Sendable {
    /// The file's name at the root of the work tree.
    public static let fileName = ".bm-git"
    /// The libgit2 level the file is read at: below `GIT_CONFIG_LEVEL_PROGRAMDATA`.
    static let level = git_config_level_t(rawValue: 0)
    /// The largest file read; a bigger one is ignored.
    static let maximumSize = 64 * 1024

    /// What was found at the root.
    public enum State: Sendable, Equatable {
        /// No `.bm-git`.
        case absent
        /// Read: its `bm.*` entries, and the keys it sets outside `bm.*` (ignored).
        case read(from: String, entries: Int, ignoredKeys: [String])
        /// Present but not read, and why.
        case ignored(reason: String)
    }

    public let state: State
    /// The private file holding the `bm.*` entries, for libgit2; nil unless `.read`.
    let file: String?

    /// Looks for the team file of `repository` (one `lstat` when there is none).
    static func load(for repository: Repository) -> TeamConfig {
        let bytes: [UInt8], source: String
        switch repository.teamFileBytes() {
        case .none: return TeamConfig(state: .absent, file: nil)
        case .failure(let refusal): return TeamConfig(state: .ignored(reason: refusal.reason), file: nil)
        case .success(let read): (bytes, source) = read
        }
        // libgit2 cannot parse a file without following its includes: a file that has one is
        // refused whole before libgit2 sees it.
        if hasIncludeSection(bytes) {
            return TeamConfig(state: .ignored(reason: "it has an include or includeIf section, which a shared file may not have"), file: nil)
        }
        guard let copy = PrivateConfigFile.copy(bytes) else {
            return TeamConfig(state: .ignored(reason: "it could not be copied to a private file"), file: nil)
        }
        var config: OpaquePointer?
        let result = git_config_open_ondisk(&config, copy)
        guard result == 0 else {
            let detail = GitError(code: result, operation: "parse \(Self.fileName)").message
            return TeamConfig(state: .ignored(reason: "it cannot be parsed: \(detail)"), file: nil)
        }
        let parsed = Config(pointer: config!)
        let all = (try? parsed.entries(matching: ".*")) ?? []
        let kept = all.filter { $0.name.hasPrefix("bm.") }
        let ignored = all.filter { !$0.name.hasPrefix("bm.") }.map(\.name)
        guard let file = PrivateConfigFile.write(kept.map { ($0.name, $0.value) }) else {
            return TeamConfig(state: .ignored(reason: "its settings could not be copied to a private file"), file: nil)
        }
        return TeamConfig(state: .read(from: source, entries: kept.count, ignoredKeys: Array(Set(ignored)).sorted()),
                          file: file)
    }

    /// Whether `[` is followed, after blanks, by `include` in any case (`[include]`,
    /// `[includeIf "..."]`); a plain scan, as this runs before every pre-push check.
    static func hasIncludeSection(_ bytes: [UInt8]) -> Bool {
        let word = Array("include".utf8)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "[") {
            var at = index + 1
            while at < bytes.count, bytes[at] == UInt8(ascii: " ") || bytes[at] == UInt8(ascii: "\t") { at += 1 }
            guard at + word.count <= bytes.count else { continue }
            if zip(bytes[at..<at + word.count], word).allSatisfy({ $0 | 0x20 == $1 }) { return true }
        }
        return false
    }

    /// Adds the file's level to `config` (a snapshot) when it was read.
    func apply(to config: OpaquePointer, repository: OpaquePointer) throws {
        guard let file else { return }
        try check(git_config_add_file_ondisk(config, file, Self.level, repository, 1), "read \(Self.fileName)")
    }
}

extension Repository {
    /// `.bm-git`'s bytes and where they came from: nil when there is none, a reason when it
    /// must not be read.
    fileprivate func teamFileBytes() -> Result<(bytes: [UInt8], source: String), TeamFileRefusal>? {
        let name = TeamConfig.fileName
        guard let root = workdir else {
            guard let bytes = try? blobContent(named: "HEAD:" + name) else { return nil }
            return bytes.count > TeamConfig.maximumSize ? .failure(.init("HEAD:\(name) is larger than 64 KiB"))
                : .success((bytes, "HEAD:\(name)"))
        }
        let path = (root.hasSuffix("/") ? root : root + "/") + name
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        if info.st_mode & S_IFMT == S_IFLNK { return .failure(.init("it is a symbolic link")) }
        if info.st_mode & S_IFMT != S_IFREG { return .failure(.init("it is not a regular file")) }
        guard tracksRegularFile(name) else {
            return .failure(.init("git does not track it (commit it to share it with the team)"))
        }
        let descriptor = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(.init("it cannot be read: \(String(cString: strerror(errno)))")) }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return .failure(.init("it is not a regular file"))
        }
        guard Int(info.st_size) <= TeamConfig.maximumSize else { return .failure(.init("it is larger than 64 KiB")) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0 else { return .failure(.init("it cannot be read: \(String(cString: strerror(errno)))")) }
        return .success((Array(bytes.prefix(count)), path))
    }

    /// Whether HEAD's tree, else the index, has `name` at the root as a regular file.
    private func tracksRegularFile(_ name: String) -> Bool {
        let regular: Set<UInt32> = [GIT_FILEMODE_BLOB.rawValue, GIT_FILEMODE_BLOB_EXECUTABLE.rawValue]
        if let mode = try? withRevision("HEAD", as: GIT_OBJECT_TREE, "a tree", { tree -> UInt32? in
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, tree, name) == 0 else { return nil }
            defer { git_tree_entry_free(entry) }
            return git_tree_entry_filemode(entry).rawValue
        }) {
            return regular.contains(mode)
        }
        var index: OpaquePointer?
        guard git_repository_index(&index, pointer) == 0 else { return false }
        defer { git_index_free(index) }
        guard let entry = git_index_get_bypath(index, name, 0) else { return false }
        return regular.contains(entry.pointee.mode)
    }
}

/// Why `.bm-git` was not read.
struct TeamFileRefusal: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
