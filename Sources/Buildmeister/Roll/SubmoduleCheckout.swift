import GitKit

/// The submodule half of publishing a roll: check out the target, fast-forward the followed
/// branch when it is checked out (as `git pull` would), otherwise detach HEAD; and the way back.
struct SubmoduleCheckout {
    let repository: Repository
    let target: OID
    let followedBranch: String
    private let originalHead: Head
    private let originalCommit: OID
    /// The followed branch is checked out and can fast-forward to the target.
    private let fastForwardsBranch: Bool

    init(repository: Repository, target: OID, followedBranch: String) throws {
        self.repository = repository
        self.target = target
        self.followedBranch = followedBranch
        originalHead = try repository.head()
        guard let commit = originalHead.commit else {
            throw BuildmeisterError.git(operation: "roll the submodule", message: "its HEAD has no commit checked out")
        }
        originalCommit = commit
        if case .branch(followedBranch, _) = originalHead {
            fastForwardsBranch = try repository.commits(from: commit, hiding: [target]).isEmpty
        } else {
            fastForwardsBranch = false
        }
    }

    func apply() throws {
        try repository.checkoutSafely(tree: repository.tree(ofCommit: target), from: repository.tree(ofCommit: originalCommit))
        if fastForwardsBranch {
            try repository.updateReference("refs/heads/" + followedBranch, to: target, expecting: originalCommit,
                                           message: "pull: fast-forward (bm-git roll-amp)")
        } else {
            try repository.detachHead(at: target)
        }
    }

    func undo() {
        try? repository.checkoutSafely(tree: repository.tree(ofCommit: originalCommit), from: repository.tree(ofCommit: target))
        switch originalHead {
        case .branch(let name, _):
            if fastForwardsBranch {
                try? repository.updateReference("refs/heads/" + name, to: originalCommit, expecting: target,
                                                message: "bm-git roll-amp: put back")
            } else {
                try? repository.attachHead(toBranch: name)
            }
        case .detached, .unborn:
            try? repository.detachHead(at: originalCommit)
        }
    }
}
