import Foundation
import GitKit

/// What is installed as the `pre-push` hook of a repository.
public struct HookStatus: Sendable, Equatable {
    /// The effective hooks directory.
    public let directory: String
    /// Whether `core.hooksPath` chose that directory.
    public let fromHooksPath: Bool
    /// Whether a `pre-push` file exists there at all.
    public let present: Bool
    /// Whether that file is bm-git's shim.
    public let isBmGit: Bool
    /// Whether a previous hook is kept beside it, to be run first.
    public let chained: Bool

    /// The marker line every bm-git shim carries.
    public static let marker = "# bm-git pre-push shim"
    /// The name a previous, foreign pre-push hook is kept under.
    public static let chainedName = "pre-push.bm-chained"

    public var hookPath: String { directory + "/pre-push" }

    /// Reads the hook state of `repository`, honouring `core.hooksPath`.
    public static func read(_ repository: Repository) throws -> HookStatus {
        let located: (path: String, fromConfig: Bool)
        do { located = try repository.hooksDirectory() } catch let error as GitError { throw BuildmeisterError(error) }
        let hook = located.path + "/pre-push"
        let files = FileManager.default
        let present = files.fileExists(atPath: hook)
        let contents = present ? (try? String(contentsOfFile: hook, encoding: .utf8)) : nil
        return HookStatus(
            directory: located.path,
            fromHooksPath: located.fromConfig,
            present: present,
            isBmGit: contents?.contains(marker) ?? false,
            chained: files.fileExists(atPath: located.path + "/" + chainedName)
        )
    }
}
