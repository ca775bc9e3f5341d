import Foundation
import GitKit

/// A clone of a never-cloned submodule that roll-amp made on its way, and how to take it back
/// when the roll does not complete: the submodule's git directory and work-tree files it
/// created, and the URL it wrote to the superproject's config. Only what the clone created is
/// removed; a directory that was there before stays.
public struct SubmoduleClone: Sendable, Codable, Equatable {
    /// The submodule's git directory, when the clone created it.
    private(set) var gitDirectory: String?
    let workTree: String
    /// The work tree did not exist before (removed whole), or was empty (emptied again).
    let createdWorkTree: Bool
    let emptyWorkTree: Bool
    /// The config key roll-amp set (`submodule.<name>.url`), when the submodule was not initialised.
    let urlKey: String?

    /// Initialises `info` when needed (with `url`) and clones it, as `git submodule update --init`,
    /// after recording in `journal` what it is about to create (so that `bm-git recover` can take
    /// a clone back that a kill interrupted). On failure it takes back what it made.
    static func make(_ info: SubmoduleInfo, url: String, in repository: Repository,
                     journal: inout PublishJournal) throws -> (Repository, SubmoduleClone) {
        let files = FileManager.default
        let predictedGitDirectory = repository.commondir + "/modules/" + info.name
        let gitDirectoryExisted = files.fileExists(atPath: predictedGitDirectory)
        let workTree = (repository.workdir ?? repository.gitdir) + "/" + info.path
        let contents = try? files.contentsOfDirectory(atPath: workTree)
        var clone = SubmoduleClone(gitDirectory: gitDirectoryExisted ? nil : predictedGitDirectory, workTree: workTree,
                                   createdWorkTree: !files.fileExists(atPath: workTree), emptyWorkTree: contents == [],
                                   urlKey: info.isInitialised ? nil : "submodule.\(info.name).url")
        journal.clone = clone
        do {
            try journal.save(in: repository)
            if let urlKey = clone.urlKey { try repository.localConfig().set(urlKey, url) }
            let inner = try repository.cloneSubmodule(named: info.name)
            if clone.gitDirectory != inner.gitdir { clone.gitDirectory = nil }  // not where expected: leave it
            // Nothing else uses the fresh clone yet: a lock (or a checkout's temporary file) in it
            // is one the clone failed to remove.
            if clone.gitDirectory != nil {
                Self.removeLeftovers(under: inner.gitdir) { $0.hasSuffix(".lock") }
                Self.removeLeftovers(under: workTree) { ($0 as NSString).lastPathComponent.hasPrefix("_git2_") }
            }
            // A clone whose work tree setting was not written opens elsewhere: not done.
            let expected = URL(fileURLWithPath: workTree).resolvingSymlinksInPath().path
            guard let actual = inner.workdir, URL(fileURLWithPath: actual).resolvingSymlinksInPath().path == expected else {
                throw BuildmeisterError.git(operation: "clone submodule \(info.name)",
                                            message: "the clone's work tree is not \(info.path); its configuration was not written")
            }
            return (inner, clone)
        } catch {
            clone.remove(from: repository)
            throw error
        }
    }

    /// Takes the clone back, as far as it can (best effort: this runs while another error is
    /// being reported).
    func remove(from repository: Repository) {
        // Each step is tried twice: a passing failure (a signal, a full disk freeing up) must
        // not leave half a clone behind.
        for _ in 0..<2 { removeOnce(from: repository) }
    }

    private func removeOnce(from repository: Repository) {
        let files = FileManager.default
        if createdWorkTree {
            try? files.removeItem(atPath: workTree)
        } else if emptyWorkTree {
            for entry in (try? files.contentsOfDirectory(atPath: workTree)) ?? [] {
                try? files.removeItem(atPath: workTree + "/" + entry)
            }
        }
        if let gitDirectory { try? files.removeItem(atPath: gitDirectory) }
        if let urlKey {
            try? repository.localConfig().remove(urlKey)
            Self.removeEmptySection(urlKey, from: repository.commondir + "/config")
        }
    }

    private static func removeLeftovers(under directory: String, matching matches: (String) -> Bool) {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        while let relative = walker.nextObject() as? String {
            if matches(relative) { unlink(directory + "/" + relative) }
        }
    }

    /// Removing the last key of a section leaves its empty `[section "name"]` header in the file
    /// (libgit2 has no call to remove a section); take it out, through `config.lock` as git does.
    private static func removeEmptySection(_ key: String, from path: String) {
        let parts = key.split(separator: ".")
        guard parts.count >= 3, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let header = "[\(parts[0]) \"\(parts[1..<(parts.count - 1)].joined(separator: "."))\"]"
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == header }) else { return }
        let rest = lines[(start + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("[") }
        guard rest.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return }
        lines.remove(at: start)
        let lock = path + ".lock"
        let descriptor = open(lock, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { return }  // someone else is writing the config
        let bytes = Array(lines.joined(separator: "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        if written != bytes.count || rename(lock, path) != 0 { unlink(lock) }
    }
}
