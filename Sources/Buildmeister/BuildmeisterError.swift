import GitKit

/// Every failure bm-git reports to a user. The one-line messages are built here and nowhere else.
public enum BuildmeisterError: Error, Sendable, Equatable {
    /// No repository at or above the directory.
    case notARepository(path: String)
    /// A `bm.*` (or other) config value bm-git cannot use.
    case invalidSetting(key: String, value: String, expected: String)
    /// A libgit2 call failed in a way bm-git has no more specific message for.
    case git(operation: String, message: String)

    public init(_ error: GitError) {
        self = .git(operation: error.operation, message: error.message)
    }

    /// The exit code this failure leaves with.
    public var exitStatus: ExitStatus {
        switch self {
        case .notARepository, .invalidSetting, .git: return .failed
        }
    }

    /// One line for the terminal, naming the cause and, where there is one, the way out.
    public var message: String {
        switch self {
        case .notARepository(let path):
            return "not a git repository (or any parent up to /): \(path); run bm-git inside a clone"
        case .invalidSetting(let key, let value, let expected):
            return "invalid value '\(value)' for \(key): expected \(expected); fix it with `git config \(key) <value>`"
        case .git(let operation, let message):
            return "\(operation) failed: \(message)"
        }
    }
}
