import GitKit

/// An amp roll computed before anything visible changes.
public struct RollPlan: Sendable {
    public let branch: String
    /// The branch tip when planning: the compare-and-swap's expected value.
    public let expected: OID
    /// The commit the roll is made on: `expected`, or the upstream tip it fast-forwards to.
    public let base: OID
    /// Set when the branch is first fast-forwarded to its upstream (or would be, in a dry run).
    public let fastForward: OID?
    public let submodule: String
    public let path: String
    public let followedBranch: String
    public let from: OID
    public let to: OID
    /// The newest rolled commits, newest first, as many as the message lists (50); empty for a
    /// dry run that could not see them.
    public let commits: [CommitInfo]
    /// How many commits `to` has that `from` lacks; nil when unknown (a dry run without objects).
    public let count: Int?
    public let rewind: Bool
    public let message: String
    /// The new superproject commit; nil when already up to date or in a dry run.
    public let commit: OID?
    /// The submodule clone planning made (the submodule had never been cloned), which a failed
    /// publish takes back.
    let clone: SubmoduleClone?
    /// The journal that records the clone, which the publish takes over.
    let journalToken: String?

    /// Nothing to do: the pointer is already at the target.
    public var isUpToDate: Bool { from == to }
}
