import GitKit

/// A revert computed entirely in memory: the new commit exists in the object database but
/// no ref, index or work-tree file has changed yet.
public struct RevertPlan: Sendable {
    public let branch: String
    /// The branch tip the revert was planned on (the compare-and-swap's expected value).
    public let base: OID
    public let reverted: CommitInfo
    public let commit: OID
    public let message: String
    public let mainline: Int?
    /// The merge's mainline was chosen by default (the merge is on the first-parent line).
    public let mainlineDefaulted: Bool
    public let brokenAt: Int64
    public let windowEndsAt: Int64
    /// Reverted before the window closed, with `--now`.
    public let early: Bool
    public let changes: [FileChange]
}
