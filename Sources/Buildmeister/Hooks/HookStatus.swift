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
    /// The bm-git binary the installed shim calls first (it falls back to PATH).
    public let binaryPath: String?

    /// The marker line every bm-git shim carries.
    public static let marker = "# bm-git pre-push shim"
    /// The name a previous, foreign pre-push hook is kept under.
    public static let chainedName = "pre-push.bm-chained"

    public var hookPath: String { directory + "/pre-push" }

    /// The path in the shim's `installed='...'` line, with sh's `'\''` quoting undone.
    private static func shimBinary(_ shim: String) -> String? {
        let prefix = "installed='"
        guard let line = shim.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
              line.hasSuffix("'") else { return nil }
        return String(line.dropFirst(prefix.count).dropLast()).replacingOccurrences(of: "'\\''", with: "'")
    }

    /// Reads the hook state of `repository`, honouring `core.hooksPath`.
    public static func read(_ repository: Repository) throws -> HookStatus {
        let located: (path: String, fromConfig: Bool)
        do { located = try repository.hooksDirectory() } catch let error as GitError { throw BuildmeisterError(error) }
        let hook = located.path + "/pre-push"
        let files = FileManager.default
        let present = files.fileExists(atPath: hook)
        let contents = present ? (try? String(contentsOfFile: hook, encoding: .utf8)) : nil
        let isBmGit = contents?.contains(marker) ?? false
        return HookStatus(
            directory: located.path,
            fromHooksPath: located.fromConfig,
            present: present,
            isBmGit: isBmGit,
            chained: files.fileExists(atPath: located.path + "/" + chainedName),
            binaryPath: isBmGit ? contents.flatMap(shimBinary) : nil
        )
    }
}
