import GitKit

/// The pre-push guard's answer for each ref of a push.
public struct PushVerdict: Sendable {
    /// What the guard decided for one ref.
    public enum Outcome: Sendable, Equatable {
        /// Not checked: a delete, a tag or other non-branch ref, or the main branch itself.
        case notChecked(String)
        /// The main branch's tip is in the pushed commit's history.
        case merged
        /// Behind, but by no more than `bm.prePush.maxBehind`.
        case tolerated(missing: Int)
        /// Lacks `missing` main-branch commits; the oldest was committed at `oldestTime`.
        case behind(missing: Int, oldestTime: Int64)
    }

    public struct Check: Sendable {
        public let update: PushUpdate
        public let outcome: Outcome

        public var isRefused: Bool {
            if case .behind = outcome { return true }
            return false
        }
    }

    /// The remote-tracking ref every branch was compared with, such as `refs/remotes/origin/master`.
    public let mainRef: String
    public let checks: [Check]
    /// Problems that did not stop the check, such as a fetch that failed.
    public let warnings: [String]
    /// The branch checked out when a push was refused (the fix merges into the pushed branch,
    /// which may be another one); nil when HEAD is detached or nothing was refused.
    public let checkedOutBranch: String?

    public var refused: [Check] { checks.filter(\.isRefused) }
}
