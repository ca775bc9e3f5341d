import Foundation
import GitKit

/// A clone of a never-cloned submodule that roll-amp made on its way, and how to take it back
/// when the roll does not complete: the submodule's git directory and work-tree files it
/// created, and the URL it wrote to the superproject's config. Only what the clone created is
/// removed; a directory that was there before stays.
struct SubmoduleClone: Sendable {
    /// The submodule's git directory, when the clone created it.
    private(set) var gitDirectory: String?
    let workTree: String
    /// The work tree did not exist before (removed whole), or was empty (emptied again).
    let createdWorkTree: Bool
    let emptyWorkTree: Bool
    /// The config key roll-amp set (`submodule.<name>.url`), when the submodule was not initialised.
    let urlKey: String?

    /// Initialises `info` when needed (with `url`) and clones it, as `git submodule update --init`.
    static func make(_ info: SubmoduleInfo, url: String, in repository: Repository) throws -> (Repository, SubmoduleClone) {
        let files = FileManager.default
        let predictedGitDirectory = repository.commondir + "/modules/" + info.name
        let gitDirectoryExisted = files.fileExists(atPath: predictedGitDirectory)
        let workTree = (repository.workdir ?? repository.gitdir) + "/" + info.path
        let contents = try? files.contentsOfDirectory(atPath: workTree)
        var clone = SubmoduleClone(gitDirectory: gitDirectoryExisted ? nil : predictedGitDirectory, workTree: workTree,
                                   createdWorkTree: !files.fileExists(atPath: workTree), emptyWorkTree: contents == [],
                                   urlKey: info.isInitialised ? nil : "submodule.\(info.name).url")
        do {
            if let urlKey = clone.urlKey { try repository.config().set(urlKey, url) }
            let inner = try repository.cloneSubmodule(named: info.name)
            if clone.gitDirectory != inner.gitdir { clone.gitDirectory = nil }  // not where expected: leave it
            return (inner, clone)
        } catch {
            clone.remove(from: repository)
            throw error
        }
    }

    /// Takes the clone back, as far as it can (best effort: this runs while another error is
    /// being reported).
    func remove(from repository: Repository) {
        let files = FileManager.default
        if createdWorkTree {
            try? files.removeItem(atPath: workTree)
        } else if emptyWorkTree {
            for entry in (try? files.contentsOfDirectory(atPath: workTree)) ?? [] {
                try? files.removeItem(atPath: workTree + "/" + entry)
            }
        }
        if let gitDirectory { try? files.removeItem(atPath: gitDirectory) }
        if let urlKey { try? repository.config().remove(urlKey) }
    }
}
