import Buildmeister
import Foundation
import GitKit
import Testing
import TestSupport

/// The publish sequence: a branch moved by someone else between planning and publishing is
/// caught by the compare-and-swap, and everything is put back.
@Suite struct PublisherTests {
    private func plannedRevert(_ sandbox: Sandbox) throws -> (TestRepo, Repository, Settings, RevertPlan) {
        let repo = try sandbox.makeRepo("r")
        try repo.commit("base", files: ["a.py": "1\n"])
        let breaking = try repo.commit("break", files: ["a.py": "2\n"])
        let opened = try Repository.discover(from: repo.path)
        let settings = try Settings.load(from: opened)
        let plan = try RevertBreak.plan(RevertRequest(revision: breaking), in: opened, settings: settings,
                                        now: Int64(Date().timeIntervalSince1970))
        return (repo, opened, settings, plan)
    }

    @Test func aBranchMovedAfterPlanningIsCaughtAndNothingChanges() throws {
        let sandbox = try Sandbox()
        let (repo, opened, settings, plan) = try plannedRevert(sandbox)
        try repo.commit("someone else", files: ["b.py": "1\n"], author: .bjorn)
        let before = try repo.snapshot()
        #expect(throws: BuildmeisterError.branchMoved(branch: "master")) {
            try RevertBreak.execute(plan, push: false, in: opened, settings: settings)
        }
        #expect(try repo.snapshot() == before)
    }

    @Test func aRefMovedDuringPublishingIsRolledBack() throws {
        let sandbox = try Sandbox()
        let (repo, opened, _, plan) = try plannedRevert(sandbox)
        let before = try repo.snapshot()
        // A step that runs after the preconditions, as another process committing at that moment.
        let intruder = Publisher.Step(apply: {
            try repo.git("commit", "-q", "--allow-empty", "-m", "someone else", author: .bjorn)
        }, undo: {})
        #expect(throws: BuildmeisterError.branchMoved(branch: "master")) {
            try Publisher(repository: opened).publish(commit: plan.commit, onBranch: "master", expected: plan.base,
                                                      reflog: "test", steps: [intruder])
        }
        let after = try repo.snapshot()
        #expect(after.index == before.index)
        #expect(after.status == before.status)
        #expect(try repo.git("log", "-1", "--format=%s") == "someone else")
    }

    @Test func aLockedIndexIsRefusedBeforeAnythingChanges() throws {
        let sandbox = try Sandbox()
        let (repo, opened, settings, plan) = try plannedRevert(sandbox)
        try repo.write(".git/index.lock", "")
        let before = try repo.snapshot()
        #expect(throws: BuildmeisterError.indexLocked(path: repo.path + "/.git/index.lock")) {
            try RevertBreak.execute(plan, push: false, in: opened, settings: settings)
        }
        #expect(try repo.snapshot() == before)
    }

    @Test func aFailingStepUndoesTheStepsBeforeIt() throws {
        let sandbox = try Sandbox()
        let (repo, opened, _, plan) = try plannedRevert(sandbox)
        let before = try repo.snapshot()
        nonisolated(unsafe) var undone: [String] = []
        let first = Publisher.Step(apply: {}, undo: { undone.append("first") })
        let failing = Publisher.Step(apply: { throw BuildmeisterError.wouldOverwriteLocalChanges }, undo: { undone.append("failing") })
        #expect(throws: BuildmeisterError.wouldOverwriteLocalChanges) {
            try Publisher(repository: opened).publish(commit: plan.commit, onBranch: "master", expected: plan.base,
                                                      reflog: "test", steps: [first, failing])
        }
        #expect(undone == ["first"])
        #expect(try repo.snapshot() == before)
    }
}
