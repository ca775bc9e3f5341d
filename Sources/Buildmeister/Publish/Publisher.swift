import Foundation
import GitKit

/// Publishes a commit that was planned entirely in memory onto the current branch (and, for a
/// roll, moves a submodule with it), as one transaction:
///
/// 1. take `index.lock` (the submodule's too) and keep it to the end, as git does;
/// 2. under it, check that HEAD is still where the plan began, read the index, and check every
///    path the checkout changes;
/// 3. write and sync a journal of everything about to change;
/// 4. replace the changed files one by one (each whole), write the new indexes into the locks,
///    move the submodule's HEAD;
/// 5. move the branch with a compare-and-swap: the commit point;
/// 6. rename the locks over the indexes, and remove the journal.
///
/// A failure before the commit point puts everything back and removes the journal; a kill
/// leaves the journal for `bm-git recover`. A concurrent git command finds the index locked
/// and fails; it is never absorbed into the publish or undone by its rollback.
public struct Publisher {
    /// A submodule to check out at `target` in the same transaction: its followed branch
    /// fast-forwards when it is checked out and can, else its HEAD is detached at `target`.
    public struct SubmoduleMove {
        let repository: Repository
        let target: OID
        let followedBranch: String
        /// A clone made for this roll (and the journal planning wrote for it): taken back
        /// unless the publish completes.
        let clone: SubmoduleClone?
        let journalToken: String?

        init(repository: Repository, target: OID, followedBranch: String, clone: SubmoduleClone?, journalToken: String?) {
            self.repository = repository
            self.target = target
            self.followedBranch = followedBranch
            self.clone = clone
            self.journalToken = journalToken
        }
    }

    let repository: Repository
    /// Runs just before the branch moves (tests use it to act as a concurrent process).
    var beforeCommitPoint: (() throws -> Void)?

    public init(repository: Repository) { self.repository = repository }

    /// Moves `branch` from `expected` to `commit` (checking out its tree), after moving
    /// `submodule`, or changes nothing.
    /// With `setsOrigHead`, ORIG_HEAD is left at `expected` as part of the publish.
    public func publish(commit: OID, onBranch branch: String, expected: OID, reflog: String, operation: String,
                        submodule: SubmoduleMove? = nil, setsOrigHead: Bool = false) throws {
        do {
            try PublishJournal.refuseIfPresent(in: repository, ownToken: submodule?.journalToken)
            var transaction = try Transaction.begin(repository: repository, branch: branch, expected: expected,
                                                    commit: commit, operation: operation, submodule: submodule,
                                                    origHead: setsOrigHead ? expected : nil)
            try transaction.run(reflog: reflog, beforeCommitPoint: beforeCommitPoint)
        } catch let error as GitError {
            throw BuildmeisterError(publishing: error, branch: branch)
        }
    }
}

/// One publish in progress: the locks held, the checkouts prepared, and the journal.
private struct Transaction {
    /// One repository's share.
    final class Part {
        let repository: Repository
        let lock: IndexLock
        let index: StagedIndex
        let checkout: TreeCheckout
        let head: PublishJournal.HeadMove
        var headMoved = false

        init(repository: Repository, lock: IndexLock, from baseline: OID, to target: OID, head: PublishJournal.HeadMove) throws {
            self.repository = repository
            self.lock = lock
            index = try lock.openIndex()
            checkout = try TreeCheckout.prepare(from: try repository.tree(ofCommit: baseline),
                                                to: try repository.tree(ofCommit: target), in: repository, index: index)
            self.head = head
        }

        var journal: PublishJournal.Part {
            PublishJournal.Part(gitdir: repository.gitdir, commondir: repository.commondir, workdir: repository.workdir ?? "",
                                lockInode: lock.inode,
                                stagedInode: nil, paths: checkout.paths, head: head)
        }
    }

    let repository: Repository
    let branch: String
    let expected: OID
    let commit: OID
    /// In publishing order: the submodule's part first, the main one last.
    let parts: [Part]
    var journal: PublishJournal

    static func begin(repository: Repository, branch: String, expected: OID, commit: OID, operation: String,
                      submodule: Publisher.SubmoduleMove?, origHead: OID?) throws -> Transaction {
        var journal = PublishJournal(operation: operation,
                                     gitdirs: [repository.gitdir] + (submodule.map { [$0.repository.gitdir] } ?? []),
                                     clone: submodule?.clone)
        journal.origHead = origHead?.hex
        do {
            try journal.save(in: repository)
            let parts = try prepare(repository: repository, branch: branch, expected: expected, commit: commit,
                                    submodule: submodule, token: journal.token)
            journal.phase = .publishing
            journal.parts = parts.map(\.journal)
            try journal.save(in: repository)
            return Transaction(repository: repository, branch: branch, expected: expected, commit: commit, parts: parts,
                               journal: journal)
        } catch {
            // The locks go with the parts; nothing else was changed.
            journal.clone?.remove(from: repository)
            PublishJournal.remove(from: repository)
            throw error
        }
    }

    /// Steps 1 and 2: the locks (the main index first, then the submodule's) and the checks.
    private static func prepare(repository: Repository, branch: String, expected: OID, commit: OID,
                                submodule: Publisher.SubmoduleMove?, token: String) throws -> [Part] {
        let mainLock = try IndexLock.acquire(repository, token: token)
        guard case .branch(branch, let tip) = try repository.head(), tip == expected else {
            throw BuildmeisterError.branchMoved(branch: branch)
        }
        var parts: [Part] = []
        if let submodule {
            let inner = submodule.repository
            let lock = try IndexLock.acquire(inner, token: token)
            let head = try inner.head()
            guard let current = head.commit else {
                throw BuildmeisterError.git(operation: "roll the submodule", message: "its HEAD has no commit checked out")
            }
            let move: PublishJournal.HeadMove
            if case .branch(submodule.followedBranch, _) = head,
               try inner.commits(from: current, hiding: [submodule.target]).isEmpty {
                move = .branch(name: submodule.followedBranch, old: current.hex, new: submodule.target.hex)
            } else {
                move = .detach(branch: head.branchName, old: current.hex, new: submodule.target.hex)
            }
            parts.append(try Part(repository: inner, lock: lock, from: current, to: submodule.target, head: move))
        }
        parts.append(try Part(repository: repository, lock: mainLock, from: expected, to: commit,
                              head: .branch(name: branch, old: expected.hex, new: commit.hex)))
        return parts
    }

    /// Steps 4 to 6 (the new indexes are written beside their locks and journaled before they
    /// replace them); a failure before the branch moves rolls everything back.
    mutating func run(reflog: String, beforeCommitPoint: (() throws -> Void)?) throws {
        do {
            for (position, part) in parts.enumerated() {
                try part.checkout.apply()
                journal.parts[position].stagedInode = try part.lock.prepareStage(part.index)
            }
            try journal.save(in: repository)
            for (position, part) in parts.enumerated() {
                try part.lock.stage()
                if position < parts.count - 1 { try Self.move(part) }
            }
            try beforeCommitPoint?()
            try repository.updateReference("refs/heads/" + branch, to: commit, expecting: expected, message: reflog)
        } catch {
            rollBack()
            throw error
        }
        var failure: Error?
        for part in parts.reversed() {
            do {
                try part.lock.commit()
            } catch {
                part.lock.keepForRecovery()
                failure = failure ?? error
            }
        }
        if let failure {
            throw BuildmeisterError.publishUnfinished(reason: "\(failure)")
        }
        if let origHead = journal.origHead { Recovery.setOrigHead(origHead, in: repository, reason: reflog) }
        PublishJournal.remove(from: repository)
    }

    /// Moves a submodule part's HEAD as planned.
    private static func move(_ part: Part) throws {
        switch part.head {
        case .branch(let name, let old, let new):
            try part.repository.updateReference("refs/heads/" + name, to: OID(hex: new)!, expecting: OID(hex: old)!,
                                                message: "pull: fast-forward (bm-git roll-amp)")
        case .detach(_, _, let new):
            try part.repository.detachHead(at: OID(hex: new)!)
        }
        part.headMoved = true
    }

    /// Puts every part back, last first; the journal stays when something could not be put
    /// back, for `bm-git recover`.
    private func rollBack() {
        var complete = true
        for part in parts.reversed() {
            if part.headMoved {
                do { try Recovery.putBack(part.head, in: part.repository) } catch { complete = false }
            }
            do { try part.checkout.undo() } catch { complete = false }
            part.lock.release()
        }
        if complete {
            journal.clone?.remove(from: repository)
            PublishJournal.remove(from: repository)
        }
    }
}
