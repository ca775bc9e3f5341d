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
    /// Every work-tree file (outside `.git`): its mode and content, symbolic links as their target.
    public let files: [String: String]
    /// FETCH_HEAD's content (empty when there is none).
    public let fetchHead: String

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
        fetchHead = (try? String(contentsOfFile: gitDir + "/FETCH_HEAD", encoding: .utf8)) ?? ""
        files = bare ? [:] : Self.files(under: repo.path)
    }

    private static func files(under root: String) -> [String: String] {
        var result: [String: String] = [:]
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: root) else { return [:] }
        while let relative = walker.nextObject() as? String {
            if relative == ".git" || relative.hasPrefix(".git/") {
                walker.skipDescendants()
                continue
            }
            let path = root + "/" + relative
            let attributes = (try? manager.attributesOfItem(atPath: path)) ?? [:]
            let mode = attributes[.posixPermissions].map { "\($0)" } ?? "?"
            switch attributes[.type] as? FileAttributeType {
            case .typeSymbolicLink?: result[relative] = "link " + ((try? manager.destinationOfSymbolicLink(atPath: path)) ?? "")
            case .typeDirectory?: result[relative] = "dir \(mode)"
            default: result[relative] = "\(mode) " + String(decoding: manager.contents(atPath: path) ?? Data(), as: UTF8.self)
            }
        }
        return result
    }

    /// The same snapshot without remote-tracking refs, which a fetch may move legitimately.
    public var ignoringRemoteTracking: RepoSnapshot {
        var copy = self
        copy.refs = refs.split(separator: "\n").filter { !$0.hasPrefix("refs/remotes/") }.joined(separator: "\n")
        return copy
    }

    public var description: String {
        "HEAD \(head)\nrefs:\n\(refs)\nindex:\n\(index)\nstatus:\n\(status)\nhooks: \(hooks)\nstate: \(stateFiles)\n"
            + "files: \(files.keys.sorted())\nFETCH_HEAD: \(fetchHead)"
    }
}
