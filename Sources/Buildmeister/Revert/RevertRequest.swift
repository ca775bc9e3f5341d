import GitKit

/// What `bm-git revert-break` was asked to do.
public struct RevertRequest: Sendable {
    /// The commit that broke the build: any revision expression.
    public var revision: String
    /// Revert even though the fix-it window is still open.
    public var now = false
    /// When the build broke (unix seconds); defaults to when the commit landed.
    public var brokenAt: Int64?
    /// The parent to keep when reverting a merge (1-based).
    public var mainline: Int?
    public var runURL: String?
    public var issueURL: String?
    public var failingTests: [String] = []
    /// The revision may be a branch name (whose tip is reverted): `--yes`, or confirmed on a terminal.
    public var branchNameConfirmed = false

    public init(revision: String) { self.revision = revision }
}
