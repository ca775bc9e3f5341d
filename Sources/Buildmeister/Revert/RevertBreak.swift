import GitKit

/// "Fix it or revert": reverts the commit that broke the build as one clean commit on the
/// current branch, when the fix-it window has passed (or `--now`), or changes nothing.
public enum RevertBreak {
    /// Checks every rule and computes the revert in memory. Nothing visible changes.
    public static func plan(_ request: RevertRequest, in repository: Repository, settings: Settings,
                            now: Int64) throws -> RevertPlan {
        do {
            guard !repository.isBare else { throw BuildmeisterError.bareRepository(command: "revert-break") }
            try PublishJournal.refuseIfPresent(in: repository)
            guard repository.state == .none else { throw BuildmeisterError.operationInProgress(repository.state.rawValue) }
            let head = try repository.head()
            if case .unborn(let branch) = head { throw BuildmeisterError.noCommits(branch: branch) }
            guard case .branch(let branch, let tip) = head else { throw BuildmeisterError.detachedHead(command: "revert on") }
            let target = try repository.commit(named: request.revision)
            if !request.branchNameConfirmed, let name = try repository.movingReferenceName(request.revision) {
                let display = name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count))
                    : name.hasPrefix("refs/remotes/") ? String(name.dropFirst("refs/remotes/".count)) : name
                throw BuildmeisterError.branchNameGiven(name: display, commit: target.short(),
                                                        subject: try repository.commit(target).subject)
            }
            let index = AncestryIndex(repository: repository)
            defer { index.saveIfWorthwhile() }
            guard try index.isAncestor(target, of: tip) else {
                let containing = try repository.localBranches().filter { try index.isAncestor(target, of: $0.tip) }
                throw BuildmeisterError.notOnBranch(commit: target.short(), branch: branch,
                                                    containing: containing.map(\.name))
            }
            let reverted = try repository.commit(target)
            if repository.isShallow, reverted.parents.contains(where: { !repository.contains($0) }) {
                throw BuildmeisterError.beyondShallowHistory(commit: target.short())
            }
            if let revert = try RevertHistory.activeRevert(of: target, tip: tip, in: repository) {
                throw BuildmeisterError.alreadyReverted(commit: target.short(), by: revert.id.short(),
                                                        subject: revert.subject)
            }
            let (mainline, defaulted) = try chooseMainline(request.mainline, for: reverted, tip: tip, index: index)

            let window = settings.revertWindow.value
            if let brokenAt = request.brokenAt, brokenAt > now + 60 {
                throw BuildmeisterError.futureTime(Timestamp.utc(brokenAt))
            }
            let brokenAt = request.brokenAt ?? reverted.committer.time
            // User input: saturate instead of trapping on overflow.
            let (sum, overflowed) = brokenAt.addingReportingOverflow(window.seconds)
            let windowEndsAt = overflowed ? (window.seconds > 0 ? Int64.max : Int64.min) : sum
            if now < windowEndsAt && !request.now {
                let (left, leftOverflowed) = windowEndsAt.subtractingReportingOverflow(now)
                throw BuildmeisterError.revertWindowOpen(
                    commit: target.short(), left: TimeSpan(seconds: leftOverflowed ? Int64.max : left),
                    endsAt: Timestamp.utc(windowEndsAt), author: "\(reverted.author.name) <\(reverted.author.email)>")
            }

            let status = try repository.status(untracked: false, refresh: false)
            guard status.isClean else {
                throw BuildmeisterError.dirtyWorkTree(staged: status.staged, unstaged: status.unstaged + status.conflicted)
            }
            let result = try repository.revert(target, onto: tip, mainline: mainline ?? 0)
            guard let tree = result.tree else {
                throw BuildmeisterError.revertConflicts(commit: target.short(), paths: result.conflicts)
            }
            let baseTree = try repository.tree(ofCommit: tip)
            guard tree != baseTree else { throw BuildmeisterError.nothingToRevert(commit: target.short()) }

            let (author, committer) = try CommitIdentity.signatures(for: repository)
            let early = now < windowEndsAt
            let message = RevertMessage.build(reverted: reverted, mainlineParent: mainline.map { reverted.parents[$0 - 1] },
                                              brokenAt: brokenAt, window: window, early: early, request: request)
            let commit = try repository.createCommit(tree: tree, parents: [tip], message: message,
                                                     author: author, committer: committer)
            return RevertPlan(branch: branch, base: tip, reverted: reverted, commit: commit, message: message,
                              mainline: mainline, mainlineDefaulted: defaulted, brokenAt: brokenAt,
                              windowEndsAt: windowEndsAt, early: early,
                              changes: try repository.diffstat(from: baseTree, to: tree))
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    /// Publishes a plan: safe checkout, index, compare-and-swap on the branch; then pushes if asked.
    public static func execute(_ plan: RevertPlan, push: Bool, in repository: Repository,
                               settings: Settings) throws {
        let subject = plan.message.split(separator: "\n").first.map(String.init) ?? ""
        // ORIG_HEAD is left at the old tip, as git does, so that `git reset --keep ORIG_HEAD`
        // undoes the revert.
        try Publisher(repository: repository).publish(commit: plan.commit, onBranch: plan.branch, expected: plan.base,
                                                      reflog: "revert: \(subject)", operation: "revert-break",
                                                      setsOrigHead: true)
        if push {
            try GuardedPush.push(branch: plan.branch, commit: plan.commit, in: repository, settings: settings)
        }
    }

    /// The mainline for a merge: as given, else 1 when the merge is on the branch's first-parent
    /// line (a merged pull request); nil for an ordinary commit.
    private static func chooseMainline(_ requested: Int?, for commit: CommitInfo, tip: OID,
                                       index: AncestryIndex) throws -> (Int?, Bool) {
        let parents = commit.parents.count
        if let requested {
            guard parents > 1, (1...parents).contains(requested) else {
                throw BuildmeisterError.invalidMainline(commit: commit.id.short(), mainline: requested, parents: parents)
            }
            return (requested, false)
        }
        guard parents > 1 else { return (nil, false) }
        guard try index.isOnFirstParentLine(commit.id, of: tip) else {
            throw BuildmeisterError.mainlineRequired(commit: commit.id.short(), parents: parents)
        }
        return (1, true)
    }
}
