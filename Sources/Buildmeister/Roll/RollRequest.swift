import GitKit

/// What `bm-git roll-amp` was asked to do. The submodule's name comes from `Settings`.
public struct RollRequest: Sendable {
    /// Roll to this revision of the submodule instead of its remote branch tip.
    public var target: String?
    /// Replaces the "Update amp pointer" subject.
    public var subject: String?
    /// Fast-forward the superproject's branch from its upstream first (as `git pull`).
    public var pull = true
    /// Allow a target that is not a descendant of the current pointer.
    public var allowRewind = false
    /// Plan only: fetch nothing, change nothing.
    public var dryRun = false
    /// Receives fetch progress (objects received, total).
    public var progress: FetchProgress?

    public init() {}
}
