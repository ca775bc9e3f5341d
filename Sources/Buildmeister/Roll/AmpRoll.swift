import Foundation
import GitKit

/// Rolls the amp submodule pointer forward to the tip of amp's remote branch and commits it,
/// in one process through libgit2: completed, or nothing changed (fetched objects and
/// remote-tracking refs aside).
public enum AmpRoll {
    /// Checks every rule and computes the roll; the only side effects are fetches (none in a
    /// dry run) and, for a submodule never cloned, cloning it.
    /// A checkout of a submodule (where HEAD is usually detached, and no amp is found) is the
    /// wrong place: say where the superproject is.
    private static func refuseInsideSubmodule(_ repository: Repository) throws {
        if let outer = repository.superproject() {
            throw BuildmeisterError.insideSubmodule(submodule: outer.submodule, superproject: outer.workTree)
        }
    }

    public static func plan(_ request: RollRequest, in repository: Repository, settings: Settings) throws -> RollPlan {
        do {
            guard !repository.isBare else { throw BuildmeisterError.bareRepository(command: "roll-amp") }
            try PublishJournal.refuseIfPresent(in: repository)
            guard repository.state == .none else { throw BuildmeisterError.operationInProgress(repository.state.rawValue) }
            let head = try repository.head()
            if case .unborn(let branch) = head { throw BuildmeisterError.noCommits(branch: branch) }
            guard case .branch(let branch, let tip) = head else {
                try refuseInsideSubmodule(repository)
                throw BuildmeisterError.detachedHead(command: "roll amp on")
            }
            if repository.isIndexLocked { throw BuildmeisterError.indexLocked(path: repository.gitdir + "/index.lock") }
            let status = try repository.status(untracked: false, workTree: false)
            if status.staged + status.conflicted > 0 {
                throw BuildmeisterError.stagedChanges(count: status.staged + status.conflicted)
            }
            let name = settings.submodule.value
            guard let info = try repository.submodule(named: name) else {
                try refuseInsideSubmodule(repository)
                throw BuildmeisterError.noSuchSubmodule(name)
            }
            if request.dryRun {
                var none: PublishJournal?
                return try planning(request, head: head, branch: branch, tip: tip, info: info, journal: &none,
                                    in: repository, settings: settings)
            }
            // From the first fetch on, a journal records what an interruption could leave
            // (fetch locks, a submodule clone), for `bm-git recover`.
            var journal: PublishJournal? = PublishJournal(operation: "roll-amp", gitdirs: [])
            journal?.fetchedInto = [repository.gitdir, repository.commondir + "/modules/" + info.name,
                                    (repository.workdir ?? repository.gitdir) + "/" + info.path + "/.git"]
            do {
                try journal?.save(in: repository)
                let plan = try planning(request, head: head, branch: branch, tip: tip, info: info, journal: &journal,
                                        in: repository, settings: settings)
                // A fetch that succeeded may still have failed to remove a lock it gave up.
                for gitdir in journal?.fetchedInto ?? [] { Recovery.removeFetchLocks(in: gitdir) }
                // Nothing to roll: the clone goes too, as nothing may change.
                if plan.commit == nil { abandon(plan.clone, in: repository) }
                return plan
            } catch {
                // A failed fetch may leave its ref locks: this process made them.
                for gitdir in journal?.fetchedInto ?? [] { Recovery.removeFetchLocks(in: gitdir) }
                abandon(journal?.clone, in: repository)
                throw error
            }
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    /// Planning from the upstream fetch on; `journal` (nil in a dry run) learns of a clone.
    private static func planning(_ request: RollRequest, head: Head, branch: String, tip: OID, info: SubmoduleInfo,
                                 journal: inout PublishJournal?, in repository: Repository,
                                 settings: Settings) throws -> RollPlan {
        let fastForward = request.pull ? try upstreamTip(of: branch, at: tip, in: repository, dryRun: request.dryRun) : nil
        let base = fastForward.flatMap { repository.contains($0) ? $0 : nil } ?? tip
        let followed = settings.submoduleBranch(declared: info.branch, head: head)
        guard let from = try repository.gitlink(in: repository.tree(ofCommit: base), at: info.path) else {
            throw BuildmeisterError.noSuchSubmodule(info.name)
        }
        var roll = Context(request: request, repository: repository, info: info,
                           url: try resolvedURL(of: info, in: repository, branch: branch), branch: branch,
                           tip: tip, base: base, fastForward: fastForward, followed: followed, from: from)
        guard journal != nil else {
            return try remotePlan(roll, inner: info.isCloned ? repository.openSubmodule(named: info.name) : nil)
        }
        roll.journalToken = journal?.token
        if let inner = try repository.openSubmodule(named: info.name) {
            return try fetchedPlan(roll, inner: inner)
        }
        try refuseSymbolicLink(at: info, in: repository)
        let (inner, clone) = try SubmoduleClone.make(info, url: roll.url, in: repository, journal: &journal!)
        roll.clone = clone
        return try fetchedPlan(roll, inner: inner)
    }

    /// Takes back a clone planning made (if it made one), then the journal.
    private static func abandon(_ clone: SubmoduleClone?, in repository: Repository) {
        clone?.remove(from: repository)
        PublishJournal.remove(from: repository)
    }

    /// Publishes a plan: the submodule is checked out at the target (its followed branch
    /// fast-forwarded if it was checked out), then the superproject's tree, index and branch
    /// move with a compare-and-swap. Any failure puts back what was done, down to a submodule
    /// clone made while planning.
    public static func execute(_ plan: RollPlan, push: Bool, in repository: Repository, settings: Settings) throws {
        guard let commit = plan.commit else { return }
        let inner: Repository
        do {
            guard let opened = try repository.openSubmodule(named: plan.submodule) else {
                throw BuildmeisterError.noSuchSubmodule(plan.submodule)
            }
            inner = opened
        } catch {
            abandon(plan.clone, in: repository)
            if let error = error as? GitError { throw BuildmeisterError(error) }
            throw error
        }
        do {
            try Publisher(repository: repository).publish(
                commit: commit, onBranch: plan.branch, expected: plan.expected,
                reflog: "commit: " + (plan.message.split(separator: "\n").first.map(String.init) ?? ""),
                operation: "roll-amp",
                submodule: .init(repository: inner, target: plan.to, followedBranch: plan.followedBranch,
                                 clone: plan.clone, journalToken: plan.journalToken))
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
        if push {
            try GuardedPush.push(branch: plan.branch, commit: commit, in: repository, settings: settings)
        }
    }

    // MARK: - Planning steps

    /// git refuses to clone a submodule into a symbolic link ("expected submodule path not to be
    /// a symbolic link"): it would write outside the work tree.
    private static func refuseSymbolicLink(at info: SubmoduleInfo, in repository: Repository) throws {
        var status = stat()
        let path = (repository.workdir ?? repository.gitdir) + "/" + info.path
        if lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK {
            throw BuildmeisterError.submodulePathIsLink(path: info.path)
        }
    }

    /// Fetches the branch's upstream (or, in a dry run, asks the remote) and returns the
    /// upstream tip when the branch can fast-forward to it; nil when there is nothing to pull.
    private static func upstreamTip(of branch: String, at tip: OID, in repository: Repository,
                                    dryRun: Bool) throws -> OID? {
        guard let upstream = try repository.trackedBranch(of: branch) else { return nil }
        let trackingRef = "refs/remotes/\(upstream.remote)/\(upstream.branch)"
        let remoteTip: OID?
        if dryRun {
            guard let url = try repository.remoteURL(upstream.remote) else { return nil }
            do {
                remoteTip = try repository.listRemoteBranches(url: url)[upstream.branch]
            } catch let error as GitError {
                throw BuildmeisterError.fetchFailed(remote: upstream.remote, reason: error.message)
            }
        } else {
            do {
                try repository.fetch(remote: upstream.remote,
                                     refspecs: ["+refs/heads/\(upstream.branch):\(trackingRef)"])
            } catch let error as GitError {
                throw BuildmeisterError.fetchFailed(remote: upstream.remote, reason: error.message)
            }
            remoteTip = try repository.resolve(trackingRef)
        }
        guard let remoteTip, remoteTip != tip else { return nil }
        guard repository.contains(remoteTip) else { return remoteTip }  // a dry run that fetched nothing
        let index = AncestryIndex(repository: repository)
        defer { index.saveIfWorthwhile() }
        if try index.isAncestor(remoteTip, of: tip) { return nil }
        if try index.isAncestor(tip, of: remoteTip) { return remoteTip }
        let ahead = try index.missing(from: tip, notIn: remoteTip).count
        let behind = try index.missing(from: remoteTip, notIn: tip).count
        throw BuildmeisterError.diverged(branch: branch, upstream: "\(upstream.remote)/\(upstream.branch)",
                                         ahead: ahead, behind: behind)
    }

    /// The submodule's URL, a relative one resolved against the superproject's remote as git does.
    private static func resolvedURL(of info: SubmoduleInfo, in repository: Repository, branch: String) throws -> String {
        guard let url = info.url else { throw BuildmeisterError.noSuchSubmodule(info.name) }
        guard RelativeURL.isRelative(url) else { return url }
        let remote = try repository.trackedBranch(of: branch)?.remote ?? "origin"
        let base = try repository.remoteURL(remote) ?? repository.workdir ?? repository.gitdir
        return RelativeURL.resolve(url, against: base, directory: repository.workdir ?? repository.gitdir)
    }

    /// Fetches the submodule's remote and plans the roll to its target.
    private static func fetchedPlan(_ roll: Context, inner: Repository) throws -> RollPlan {
        do {
            // Without --to only the followed branch matters, as in `git pull origin master`.
            let refspecs = roll.request.target == nil
                ? ["+refs/heads/\(roll.followed):refs/remotes/origin/\(roll.followed)"] : []
            // Pruned: when the remote no longer has the branch, its stale tracking ref must not
            // pass for the latest.
            try inner.fetch(remote: "origin", refspecs: refspecs, prune: roll.request.target == nil,
                            progress: roll.request.progress)
        } catch let error as GitError {
            throw BuildmeisterError.fetchFailed(remote: "\(roll.info.name) (\(Repository.printableURL(roll.url)))", reason: error.message)
        }
        let target = try targetCommit(roll.request.target, followed: roll.followed, submodule: roll.info.name, in: inner)
        return try finishPlan(roll, inner: inner, to: target)
    }

    private static func targetCommit(_ revision: String?, followed: String, submodule: String,
                                     in inner: Repository) throws -> OID {
        if let revision {
            // A branch name means the remote's branch, as just fetched: the team's "master" is
            // the latest master, not a local branch that may lag behind it.
            if let remote = try inner.resolve("refs/remotes/origin/\(revision)") { return remote }
            return try inner.commit(named: revision)
        }
        let ref = "refs/remotes/origin/\(followed)"
        guard let tip = try inner.resolve(ref) else {
            throw BuildmeisterError.submoduleBranchMissing(submodule: submodule, ref: "origin/\(followed)")
        }
        return tip
    }

    /// What planning has settled before the submodule's target is known.
    private struct Context {
        let request: RollRequest
        let repository: Repository
        let info: SubmoduleInfo
        let url: String
        let branch: String
        let tip: OID
        let base: OID
        let fastForward: OID?
        let followed: String
        let from: OID
        /// The submodule clone made for this roll, if one was, and the journal recording it.
        var clone: SubmoduleClone?
        var journalToken: String?

        var subject: String { request.subject ?? "Update \(info.name) pointer" }

        func plan(to target: OID, commits: [CommitInfo] = [], count: Int?, rewind: Bool = false,
                  message: String, commit: OID? = nil) -> RollPlan {
            RollPlan(branch: branch, expected: tip, base: base, fastForward: fastForward, submodule: info.name,
                     path: info.path, followedBranch: followed, from: from, to: target, commits: commits, count: count,
                     rewind: rewind, message: message, commit: commit, clone: clone, journalToken: journalToken)
        }
    }

    /// A dry run's plan: the target from the remote's advertisement (no fetch), the commit
    /// list only when the objects are already here.
    private static func remotePlan(_ roll: Context, inner: Repository?) throws -> RollPlan {
        let info = roll.info
        let target: OID
        if let revision = roll.request.target, let inner {
            target = try targetCommit(revision, followed: roll.followed, submodule: info.name, in: inner)
        } else if let revision = roll.request.target {
            // Not cloned yet: a branch as the remote advertises it, or a full commit id.
            let advertised: [String: OID]
            do {
                advertised = try roll.repository.listRemoteBranches(url: roll.url)
            } catch let error as GitError {
                throw BuildmeisterError.fetchFailed(remote: "\(info.name) (\(Repository.printableURL(roll.url)))", reason: error.message)
            }
            guard let named = advertised[revision] ?? OID(hex: revision) else {
                throw BuildmeisterError.unknownRevision("\(revision) (\(info.name) is not cloned yet: give a branch or a full commit id)")
            }
            target = named
        } else {
            let advertised: [String: OID]
            do {
                advertised = try (inner ?? roll.repository).listRemoteBranches(url: try inner?.remoteURL("origin") ?? roll.url)
            } catch let error as GitError {
                throw BuildmeisterError.fetchFailed(remote: "\(info.name) (\(Repository.printableURL(roll.url)))", reason: error.message)
            }
            guard let tipOfBranch = advertised[roll.followed] else {
                throw BuildmeisterError.submoduleBranchMissing(submodule: info.name, ref: "origin/\(roll.followed)")
            }
            target = tipOfBranch
        }
        guard let inner, inner.contains(target), inner.contains(roll.from) else {
            let message = RollMessage.build(subject: roll.subject, submodule: info.name, from: roll.from, to: target,
                                            commits: [], count: nil, rewind: false)
            return roll.plan(to: target, count: nil, message: message)
        }
        return try finishPlan(roll, inner: inner, to: target)
    }

    /// The checks that need the target's objects, the message, and the new commit.
    private static func finishPlan(_ roll: Context, inner: Repository, to target: OID) throws -> RollPlan {
        let info = roll.info, from = roll.from, repository = roll.repository
        if target == from { return roll.plan(to: target, count: 0, message: "") }
        guard inner.contains(from) else {
            throw BuildmeisterError.unknownRevision("\(info.name) pointer \(from.short()) (not on \(info.name)'s remote)")
        }
        // The rolled commits, oldest first, and whether the pointer is among the target's
        // ancestors (else the roll is a rewind); both exact in a shallow (CI) clone as well.
        let index = AncestryIndex(repository: inner)
        defer { index.saveIfWorthwhile() }
        let rolledIDs = try inner.commits(from: target, hiding: [from])
        let rewind = try !index.isAncestor(from, of: target)
        if rewind && !roll.request.allowRewind {
            throw BuildmeisterError.rewindRefused(submodule: info.name, from: from.short(), to: target.short())
        }
        let innerStatus = try inner.status(untracked: false, refresh: false)
        if !innerStatus.isClean {
            throw BuildmeisterError.submoduleDirty(submodule: info.name,
                                                   changes: innerStatus.staged + innerStatus.unstaged + innerStatus.conflicted)
        }
        // A HEAD at the pointer holds nothing the target lacks unless this is a rewind.
        if let innerHead = try inner.head().commit, innerHead != from || rewind {
            let unpushed = try inner.commits(from: innerHead, hiding: [target] + inner.referenceTargets(under: "refs/remotes/"))
            if !unpushed.isEmpty {
                throw BuildmeisterError.submoduleLocalCommits(submodule: info.name, count: unpushed.count)
            }
        }
        let rolled = try rolledIDs.suffix(RollMessage.listed).reversed().map(inner.commit)
        let message = RollMessage.build(subject: roll.subject, submodule: info.name, from: from, to: target,
                                        commits: rolled, count: rolledIDs.count, rewind: rewind)
        let (author, committer) = try CommitIdentity.signatures(for: repository)
        let tree = try repository.tree(repository.tree(ofCommit: roll.base), settingGitlink: info.path, to: target)
        let commit = try roll.request.dryRun ? nil : repository.createCommit(tree: tree, parents: [roll.base],
                                                                             message: message, author: author,
                                                                             committer: committer)
        return roll.plan(to: target, commits: rolled, count: rolledIDs.count, rewind: rewind, message: message,
                         commit: commit)
    }
}
