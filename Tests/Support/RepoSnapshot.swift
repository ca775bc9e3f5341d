import Foundation

/// HEAD, refs, index, work tree status, hooks and in-progress state files of a repository.
/// Two equal snapshots mean a command left the repository exactly as it was.
public struct RepoSnapshot: Equatable, CustomStringConvertible {
    public let head: String
    public private(set) var refs: String
    public let index: String
    public let status: String
    public let hooks: [String: String]
    public let stateFiles: [String]

    init(_ repo: TestRepo) throws {
        let bare = try repo.git("rev-parse", "--is-bare-repository") == "true"
        head = ((try? repo.git("symbolic-ref", "-q", "HEAD")) ?? "detached") + " "
            + ((try? repo.git("rev-parse", "-q", "--verify", "HEAD")) ?? "unborn")
        refs = try repo.git("for-each-ref", "--format=%(refname) %(objectname) %(symref)")
        index = bare ? "" : try repo.git("ls-files", "--stage")
        status = bare ? "" : try repo.git("status", "--porcelain=v1", "--untracked-files=all", "--ignore-submodules=none")
        let commonDir = try repo.git("rev-parse", "--path-format=absolute", "--git-common-dir")
        var hookDirs = [commonDir + "/hooks"]
        if let configured = try? repo.git("config", "core.hooksPath") {
            hookDirs.append(configured.hasPrefix("/") ? configured : repo.path + "/" + configured)
        }
        var hooks: [String: String] = [:]
        for dir in hookDirs {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
                let contents = FileManager.default.contents(atPath: dir + "/" + name) ?? Data()
                let mode = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + name)[.posixPermissions]) ?? 0
                hooks[dir + "/" + name] = "\(mode) " + String(decoding: contents, as: UTF8.self)
            }
        }
        self.hooks = hooks
        let gitDir = try repo.git("rev-parse", "--absolute-git-dir")
        stateFiles = ["MERGE_HEAD", "REVERT_HEAD", "CHERRY_PICK_HEAD", "MERGE_MSG", "index.lock",
                      "ORIG_HEAD", "rebase-merge", "rebase-apply"]
            .filter { FileManager.default.fileExists(atPath: gitDir + "/" + $0) }
    }

    /// The same snapshot without remote-tracking refs, which a fetch may move legitimately.
    public var ignoringRemoteTracking: RepoSnapshot {
        var copy = self
        copy.refs = refs.split(separator: "\n").filter { !$0.hasPrefix("refs/remotes/") }.joined(separator: "\n")
        return copy
    }

    public var description: String {
        "HEAD \(head)\nrefs:\n\(refs)\nindex:\n\(index)\nstatus:\n\(status)\nhooks: \(hooks)\nstate: \(stateFiles)"
    }
}
