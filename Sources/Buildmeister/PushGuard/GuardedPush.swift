import GitKit

/// Pushes a branch to its upstream through libgit2, after running the pre-push guard's check
/// in-process (libgit2 runs no hooks).
public enum GuardedPush {
    /// Pushes local `branch` (now at `commit`) to the branch it tracks.
    public static func push(branch: String, commit: OID, in repository: Repository,
                            settings: Settings) throws {
        let upstream: (remote: String, branch: String)
        do {
            guard let tracked = try repository.trackedBranch(of: branch) else {
                throw BuildmeisterError.noUpstream(branch: branch)
            }
            upstream = tracked
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
        let update = PushUpdate(localRef: "refs/heads/" + branch, localCommit: commit,
                                remoteRef: "refs/heads/" + upstream.branch, remoteCommit: .zero)
        let verdict = try PushGuard.check([update], in: repository, settings: settings)
        if let refused = verdict.refused.first, case .behind(let missing, _) = refused.outcome {
            throw BuildmeisterError.pushRefused(
                commit: commit.short(), branch: branch,
                reason: "it lacks \(missing) commit\(missing == 1 ? "" : "s") of \(settings.remote.value)/\(settings.mainBranch.value) (pre-push guard)")
        }
        do {
            try repository.push(remote: upstream.remote, refspec: "refs/heads/\(branch):refs/heads/\(upstream.branch)")
        } catch let error as GitError {
            throw BuildmeisterError.pushFailed(commit: commit.short(), branch: branch, reason: error.message)
        }
    }
}
