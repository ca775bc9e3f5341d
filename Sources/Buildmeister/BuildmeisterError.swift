import GitKit

/// Every failure bm-git reports to a user. The one-line messages are built here and nowhere else.
public enum BuildmeisterError: Error, Sendable, Equatable {
    /// No repository at or above the directory.
    case notARepository(path: String)
    /// A `bm.*` (or other) config value bm-git cannot use.
    case invalidSetting(key: String, value: String, expected: String)
    /// The pre-push hook's stdin has a line that is not `<local-ref> <sha> <remote-ref> <sha>`.
    case malformedPushInput(line: Int, text: String)
    /// The pre-push hook was run without ref lines on stdin, as when typed by hand.
    case noPushInput
    /// `--from-env` without the pre-commit framework's variables.
    case missingPreCommitEnvironment(variable: String)
    /// The remote-tracking ref of the main branch does not exist.
    case mainRefMissing(ref: String, remote: String, branch: String)
    /// A commit id that the repository does not hold.
    case unknownCommit(String)
    /// The hooks directory cannot be created or written.
    case hooksDirectoryUnwritable(path: String, reason: String)
    /// A pre-push hook exists but cannot be read, so it cannot be chained safely.
    case hookUnreadable(path: String)
    /// A foreign pre-push hook exists and so does a chained one: chaining would lose one.
    case hookChainOccupied(hook: String, chained: String)
    /// `--uninstall` found a pre-push hook that bm-git did not install.
    case hookNotOurs(path: String)
    /// A libgit2 call failed in a way bm-git has no more specific message for.
    case git(operation: String, message: String)

    public init(_ error: GitError) {
        self = .git(operation: error.operation, message: error.message)
    }

    /// The exit code this failure leaves with.
    public var exitStatus: ExitStatus {
        switch self {
        case .mainRefMissing: return .refused
        case .notARepository, .invalidSetting, .git, .malformedPushInput, .noPushInput,
             .missingPreCommitEnvironment, .unknownCommit, .hooksDirectoryUnwritable, .hookUnreadable,
             .hookChainOccupied, .hookNotOurs:
            return .failed
        }
    }

    /// One line for the terminal, naming the cause and, where there is one, the way out.
    public var message: String {
        switch self {
        case .notARepository(let path):
            return "not a git repository (or any parent up to /): \(path); run bm-git inside a clone"
        case .invalidSetting(let key, let value, let expected):
            return "invalid value '\(value)' for \(key): expected \(expected); fix it with `git config \(key) <value>`"
        case .malformedPushInput(let line, let text):
            return "malformed pre-push input on line \(line): '\(text)'; expected "
                + "'<local-ref> <local-sha> <remote-ref> <remote-sha>', as git push writes it (githooks(5))"
        case .noPushInput:
            return "no refs on stdin: `bm-git hook pre-push` is run by git push; use `bm-git doctor` to check by hand"
        case .missingPreCommitEnvironment(let variable):
            return "--from-env needs \(variable), which the pre-commit framework sets for pre-push hooks"
        case .mainRefMissing(let ref, let remote, let branch):
            return "cannot check the push: \(ref) does not exist; create it with `git fetch \(remote) \(branch)`"
        case .unknownCommit(let sha):
            return "commit \(sha) is not in this repository"
        case .hooksDirectoryUnwritable(let path, let reason):
            return "cannot write the hooks directory \(path): \(reason); nothing was changed"
        case .hookUnreadable(let path):
            return "\(path) exists but cannot be read; use --force to keep it as pre-push.bm-chained and install"
        case .hookChainOccupied(let hook, let chained):
            return "\(hook) is not bm-git's and \(chained) already exists; move one of them aside, then install again"
        case .hookNotOurs(let path):
            return "\(path) is not bm-git's hook; leaving it alone"
        case .git(let operation, let message):
            return "\(operation) failed: \(message)"
        }
    }
}
