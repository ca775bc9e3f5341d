import GitKit

/// Publishes a commit that was planned entirely in memory onto the current branch, following
/// "plan in memory, publish once": check every precondition, run any extra steps, check out
/// the new tree safely (which also writes the index), then move the branch with a
/// compare-and-swap. If a step fails, the steps already done are undone in reverse order.
public struct Publisher {
    /// Something to publish before the branch moves, with the way to put it back.
    public struct Step {
        let apply: () throws -> Void
        let undo: () -> Void

        public init(apply: @escaping () throws -> Void, undo: @escaping () -> Void) {
            self.apply = apply
            self.undo = undo
        }
    }

    let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    /// Fails unless HEAD is still `branch` at `expected` and the index is free.
    public func checkPreconditions(branch: String, expected: OID) throws {
        if repository.isIndexLocked { throw BuildmeisterError.indexLocked(path: repository.gitdir + "/index.lock") }
        do {
            guard case .branch(branch, let tip) = try repository.head(), tip == expected else {
                throw BuildmeisterError.branchMoved(branch: branch)
            }
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    /// Moves `branch` from `expected` to `commit`, after `steps`, or changes nothing.
    public func publish(commit: OID, onBranch branch: String, expected: OID, reflog: String,
                        steps: [Step] = []) throws {
        try checkPreconditions(branch: branch, expected: expected)
        var done: [Step] = []
        func rollBack() { done.reversed().forEach { $0.undo() } }
        do {
            let oldTree = try repository.tree(ofCommit: expected), newTree = try repository.tree(ofCommit: commit)
            for step in steps {
                try step.apply()
                done.append(step)
            }
            try repository.checkoutSafely(tree: newTree, from: oldTree)
            done.append(Step(apply: {}, undo: { try? self.repository.checkoutSafely(tree: oldTree, from: newTree) }))
            try repository.updateReference("refs/heads/" + branch, to: commit, expecting: expected, message: reflog)
        } catch let error as GitError {
            rollBack()
            if error.isModified { throw BuildmeisterError.branchMoved(branch: branch) }
            if error.isConflict { throw BuildmeisterError.wouldOverwriteLocalChanges }
            if error.isLocked { throw BuildmeisterError.indexLocked(path: repository.gitdir + "/index.lock") }
            throw BuildmeisterError(error)
        } catch {
            rollBack()
            throw error
        }
    }
}
