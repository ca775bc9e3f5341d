import Foundation
import GitKit

/// What is installed as the `pre-push` hook of a repository, and who manages it.
public struct HookStatus: Sendable, Equatable {
    /// Who else writes pre-push hooks, as far as bm-git can tell from the files.
    public enum Manager: String, Sendable, Codable {
        /// The pre-commit framework's generated script.
        case preCommit = "pre-commit"
        case lefthook
        /// husky: `core.hooksPath` is its `.husky/_` dispatcher directory.
        case husky
        /// `core.hooksPath` is a directory committed to the repository.
        case trackedDirectory = "tracked-directory"
        /// A hook bm-git does not recognise.
        case other
    }

    /// The effective hooks directory.
    public let directory: String
    /// Whether `core.hooksPath` chose that directory.
    public let fromHooksPath: Bool
    /// Whether a `pre-push` file exists there at all.
    public let present: Bool
    /// Whether that file is bm-git's shim (exactly, current or earlier version).
    public let isBmGit: Bool
    /// Whether it is an earlier version of the shim, which installing again upgrades.
    public let isOutdated: Bool
    /// Whether a previous hook is kept beside it, to be run first.
    public let chained: Bool
    /// The bm-git binary the installed shim calls first (it falls back to PATH).
    public let binaryPath: String?
    /// What the foreign `pre-push` hook (or, with bm-git's shim, the chained one) belongs to.
    public let manager: Manager?
    /// For husky or a committed hooks directory: the committed file bm-git's line goes into.
    public let trackedHook: String?
    /// Whether that committed file already runs the check.
    public let trackedHookHasCheck: Bool
    /// `pre-commit install` was run over bm-git's shim: pre-commit's script is `pre-push` and
    /// ours is `pre-push.legacy`, and every push fails until `bm-git install-hooks` repairs it.
    public let preCommitMigrationMode: Bool
    /// Another manager's install moved bm-git's shim aside under this name (`lefthook install`
    /// keeps it as `pre-push.old`, and never runs it): the check no longer runs.
    public let displacedShim: String?

    /// The name a previous, foreign pre-push hook is kept under.
    public static let chainedName = "pre-push.bm-chained"
    /// Where `pre-commit install` moves a hook it finds in its way.
    public static let legacyName = "pre-push.legacy"
    /// Where `lefthook install` keeps a hook it replaces.
    public static let lefthookOldName = "pre-push.old"
    /// The line that runs the check from a committed hook script (husky, `.githooks`).
    public static let trackedLine = #"bm-git hook pre-push "$@" || exit $?  # bm-git: refuse branches that lack the latest main branch"#

    public var hookPath: String { directory + "/pre-push" }

    /// Whether the check runs on push: bm-git's shim, or its line in the committed hook.
    public var checkInstalled: Bool { (isBmGit && !preCommitMigrationMode) || trackedHookHasCheck }

    /// Reads the hook state of `repository`, honouring `core.hooksPath`.
    public static func read(_ repository: Repository) throws -> HookStatus {
        let located: (path: String, fromConfig: Bool)
        do { located = try repository.hooksDirectory() } catch let error as GitError { throw BuildmeisterError(error) }
        let directory = located.path, hook = directory + "/pre-push"
        let files = FileManager.default
        let present = files.fileExists(atPath: hook)
        let contents = present ? read(hook) : nil
        let binary = contents.flatMap(HookShim.binaryPath(ofShim:))
        let chained = files.fileExists(atPath: directory + "/" + chainedName)
        let legacy = read(directory + "/" + legacyName)
        let migration = contents.map(isPreCommitScript) == true && legacy.flatMap(HookShim.binaryPath(ofShim:)) != nil
        let displaced = binary != nil || migration ? nil
            : read(directory + "/" + lefthookOldName).flatMap(HookShim.binaryPath(ofShim:)).map { _ in lefthookOldName }
        var manager: Manager?
        var trackedHook: String?
        if let committed = try committedHookDirectory(directory, in: repository) {
            manager = committed.manager
            trackedHook = committed.hookFile
        } else if let foreign = binary == nil ? contents : (chained ? read(directory + "/" + chainedName) : nil) {
            manager = generator(of: foreign) ?? .other
        } else if binary == nil && present {
            manager = .other
        }
        let trackedHasCheck = trackedHook.flatMap(read).map { $0.split(separator: "\n").contains { $0 == trackedLine } } ?? false
        return HookStatus(
            directory: directory, fromHooksPath: located.fromConfig, present: present,
            isBmGit: binary != nil, isOutdated: contents.map(HookShim.isEarlierVersion) ?? false,
            chained: chained, binaryPath: binary ?? legacy.flatMap(HookShim.binaryPath(ofShim:)),
            manager: manager, trackedHook: trackedHook, trackedHookHasCheck: trackedHasCheck,
            preCommitMigrationMode: migration, displacedShim: displaced
        )
    }

    /// The manager whose install generated a hook script: pre-commit or lefthook; nil for others.
    static func generator(of contents: String) -> Manager? {
        if isPreCommitScript(contents) { return .preCommit }
        return contents.contains("lefthook") ? .lefthook : nil
    }

    /// What pre-commit's generated hook scripts say of themselves.
    static func isPreCommitScript(_ contents: String) -> Bool {
        contents.contains("# File generated by pre-commit: https://pre-commit.com")
    }

    /// husky's dispatcher directory (`.husky/_`, holding `h` or `husky.sh`), whose committed
    /// scripts live one level up; or a hooks directory inside the work tree that the
    /// repository tracks. Either way bm-git must not write files there.
    private static func committedHookDirectory(_ directory: String, in repository: Repository) throws
        -> (manager: Manager, hookFile: String)? {
        let files = FileManager.default
        if (directory as NSString).lastPathComponent == "_",
           files.fileExists(atPath: directory + "/h") || files.fileExists(atPath: directory + "/husky.sh") {
            return (.husky, (directory as NSString).deletingLastPathComponent + "/pre-push")
        }
        guard let relative = repository.workTreeRelativePath(directory), !relative.isEmpty else { return nil }
        do {
            guard try repository.tracksAnything(under: relative) else { return nil }
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
        return (.trackedDirectory, directory + "/pre-push")
    }

    private static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
}
