import Foundation
import GitKit

/// Finds the commit that broke the tests by running them, in a temporary linked worktree (never
/// in the user's tree): first it checks that `good` passes and `bad` fails, then tries culprit's
/// top suspect and its parent (a right guess costs 2 runs), else searches the first-parent line by
/// halves, then inside the merge or the amp roll it lands on. Results that contradict earlier
/// ones are rerun and decided by majority, and the answer is verified by reproducing it.
public enum Bisect {
    public struct Request: Sendable {
        public var good: String
        public var bad: String
        /// Pytest ids (`--test`), or a command (`--run`).
        public var tests: [String] = []
        public var command: String?
        public var reruns = 3
        public var timeout: TimeInterval?
        public var timeoutSkip = false

        public init(good: String, bad: String) {
            self.good = good
            self.bad = bad
        }
    }

    /// A state to test: a superproject commit, and for a commit inside an amp roll, the
    /// submodule commit to check out instead of the recorded pointer.
    struct State: Hashable {
        let commit: OID
        var submoduleCommit: OID?
    }

    /// Ctrl-C stopped the bisection (the worktree is removed on the way out).
    public struct Interrupted: Error {}

    public static func run(_ request: Request, in repository: Repository, settings: Settings,
                           progress: @escaping (String) -> Void, interrupted: @escaping () -> Bool) throws -> BisectReport {
        do {
            let good = try repository.commit(named: request.good), bad = try repository.commit(named: request.bad)
            guard !repository.isBare else { throw BuildmeisterError.bareRepository(command: "bisect") }
            let line = try firstParentLine(from: bad, to: good, in: repository)
            guard !line.isEmpty else { throw BuildmeisterError.emptyRange(good: request.good, bad: request.bad) }
            // A bisection killed outright (kill -9) could not remove its worktree: this one does.
            TemporaryWorktree.removeLeftovers(in: repository)
            let worktree = try TemporaryWorktree(of: repository, at: bad)
            defer { worktree.remove() }
            var search = BisectSearch(request: request, repository: repository, settings: settings, worktree: worktree,
                                      progress: progress, interrupted: interrupted)
            return try search.run(good: good, line: line)
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    /// The first-parent commits after `good` up to `bad`, oldest first.
    static func firstParentLine(from bad: OID, to good: OID, in repository: Repository) throws -> [OID] {
        let index = AncestryIndex(repository: repository)
        var line: [OID] = [], current: OID? = bad
        while let commit = current, commit != good, try !index.isAncestor(commit, of: good) {
            line.append(commit)
            current = try repository.commit(commit).parents.first
        }
        return line.reversed()
    }
}
