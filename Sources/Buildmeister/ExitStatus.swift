/// bm-git's documented exit codes.
public enum ExitStatus: Int32, Sendable {
    /// Done, or nothing to do.
    case ok = 0
    /// Refused by policy: a push blocked, a revert window still open.
    case refused = 1
    /// Could not do it (bad input, conflict, missing remote); the repository is untouched.
    case failed = 2
    /// The command line itself was wrong.
    case usage = 64
}
