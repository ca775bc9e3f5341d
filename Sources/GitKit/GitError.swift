import Clibgit2
import Glibc

/// A failed libgit2 call, with the message libgit2 recorded for it on the calling thread.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// The `git_error_code` the call returned.
    public let code: Int32
    /// What bm-git was doing, such as "open repository".
    public let operation: String
    /// libgit2's own message, or a generic one when it left none.
    public let message: String

    /// Captures `git_error_last()`; call it right after the failing call, on the same thread.
    init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        if let last = git_error_last(), let text = last.pointee.message, text.pointee != 0 {
            message = String(cString: text)
        } else {
            message = Self.meaning(of: code)
        }
    }

    /// What a libgit2 error code means, for calls that leave no message.
    private static func meaning(of code: Int32) -> String {
        let meanings: [Int32: String] = [
            GIT_ENOTFOUND.rawValue: "not found", GIT_EEXISTS.rawValue: "already exists",
            GIT_EAMBIGUOUS.rawValue: "ambiguous", GIT_EUSER.rawValue: "stopped by bm-git",
            GIT_EBAREREPO.rawValue: "the repository has no work tree", GIT_EUNBORNBRANCH.rawValue: "the branch has no commits",
            GIT_EUNMERGED.rawValue: "a merge is in progress", GIT_ENONFASTFORWARD.rawValue: "not a fast-forward",
            GIT_EINVALIDSPEC.rawValue: "not a valid name", GIT_ECONFLICT.rawValue: "it conflicts with local changes",
            GIT_ELOCKED.rawValue: "a lock file exists, or a file cannot be written",
            GIT_EMODIFIED.rawValue: "it changed meanwhile", GIT_EAUTH.rawValue: "authentication failed",
            GIT_ECERTIFICATE.rawValue: "the server certificate is not trusted", GIT_EEOF.rawValue: "unexpected end of data",
            GIT_EINVALID.rawValue: "invalid data", GIT_EUNCOMMITTED.rawValue: "uncommitted changes",
            GIT_EDIRECTORY.rawValue: "it is a directory", GIT_EMERGECONFLICT.rawValue: "merge conflicts",
            GIT_EOWNER.rawValue: "the repository is owned by another user (see git config safe.directory)",
        ]
        return meanings[code] ?? "libgit2 error \(code)"
    }

    /// An error bm-git raises itself in GitKit, not from a libgit2 return code.
    init(operation: String, message: String, code: Int32 = GIT_ERROR.rawValue) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    /// A failed system call, with `errno`'s message; make it right after the call.
    static func system(_ operation: String) -> GitError {
        GitError(operation: operation, message: String(cString: strerror(errno)))
    }

    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
    public var isLocked: Bool { code == GIT_ELOCKED.rawValue }

    /// For a lock failure: which lock file, and what to do, in one phrase. libgit2 reports a
    /// missing permission as a lock failure too, so that is told apart.
    public var lockDescription: String {
        let lockPath = message.split(separator: "'").first { $0.hasSuffix(".lock") }.map(String.init)
        if message.contains("Permission denied") {
            return "cannot write \(lockPath ?? "a lock file"): permission denied"
        }
        if message.hasSuffix("another git process is using the repository, or one was interrupted "
                             + "(if no git command is running, remove the file)") || lockPath == nil {
            return message
        }
        return "\(lockPath!) exists: another git process is using the repository, or one was interrupted "
            + "(if no git command is running, remove the file)"
    }
    public var isAmbiguous: Bool { code == GIT_EAMBIGUOUS.rawValue }
    /// A reference did not have the value a compare-and-swap expected.
    public var isModified: Bool { code == GIT_EMODIFIED.rawValue }
    /// Checkout would overwrite local changes.
    public var isConflict: Bool { code == GIT_ECONFLICT.rawValue }


    public var description: String { "\(operation): \(message)" }
}

/// Throws a `GitError` for a negative libgit2 return code; returns the code otherwise.
@discardableResult
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    if result < 0 { throw GitError(code: result, operation: operation()) }
    return result
}
