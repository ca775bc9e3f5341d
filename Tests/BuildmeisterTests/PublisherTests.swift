import Foundation
import GitKit
import Testing
import TestSupport
@testable import Buildmeister

/// The publish transaction: locks held throughout, a compare-and-swap as the commit point, and
/// everything put back on any failure before it.
@Suite struct PublisherTests {
    private func plannedRevert(_ sandbox: Sandbox) throws -> (TestRepo, Repository, Settings, RevertPlan) {
        let repo = try sandbox.makeRepo("r")
        try repo.commit("base", files: ["a.py": "1\n", "keep.py": "k\n", "gone/old.py": "o\n"])
        let breaking = try repo.commit("break", files: ["a.py": "2\n", "dir/new.py": "n\n", "gone/old.py": "changed\n"])
        let opened = try Repository.discover(from: repo.path)
        let settings = try Settings.load(from: opened)
        let plan = try RevertBreak.plan(RevertRequest(revision: breaking), in: opened, settings: settings,
                                        now: Int64(Date().timeIntervalSince1970))
        return (repo, opened, settings, plan)
    }

    private func publish(_ opened: Repository, _ plan: RevertPlan, before: @escaping () throws -> Void) throws {
        var publisher = Publisher(repository: opened)
        publisher.beforeCommitPoint = before
        try publisher.publish(commit: plan.commit, onBranch: "master", expected: plan.base, reflog: "test",
                              operation: "revert-break")
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

    @Test func aBranchMovedAtTheCommitPointPutsEveryFileBack() throws {
        let sandbox = try Sandbox()
        let (repo, opened, _, plan) = try plannedRevert(sandbox)
        let before = try repo.snapshot()
        let other = try repo.git("commit-tree", "-p", "HEAD", "-m", "elsewhere", "HEAD^{tree}")
        #expect(throws: BuildmeisterError.branchMoved(branch: "master")) {
            try publish(opened, plan) { try repo.git("update-ref", "refs/heads/master", other) }
        }
        let after = try repo.snapshot()
        #expect(after.index == before.index && after.status == before.status && after.files == before.files)
        #expect(try repo.head() == other)
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/index.lock"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/bm-git/publish-journal"))
    }

    @Test func aFailureBeforeTheCommitPointChangesNothing() throws {
        let sandbox = try Sandbox()
        let (repo, opened, _, plan) = try plannedRevert(sandbox)
        let before = try repo.snapshot()
        #expect(throws: BuildmeisterError.wouldOverwriteLocalChanges) {
            try publish(opened, plan) { throw BuildmeisterError.wouldOverwriteLocalChanges }
        }
        #expect(try repo.snapshot() == before)
    }

    @Test func aConcurrentGitCommitFailsInsteadOfBeingAbsorbed() throws {
        let sandbox = try Sandbox()
        let (repo, opened, _, plan) = try plannedRevert(sandbox)
        try repo.write("z.py", "z\n")
        nonisolated(unsafe) var concurrent: ProcessResult?
        try publish(opened, plan) {
            concurrent = try Shell.run(Shell.which("git")!, ["commit", "-q", "-am", "concurrent", "--allow-empty"],
                                       in: repo.path, environment: sandbox.environment)
            _ = try? Shell.run(Shell.which("git")!, ["add", "z.py"], in: repo.path, environment: sandbox.environment)
        }
        #expect(concurrent?.status != 0)
        #expect(concurrent?.stderr.contains("index.lock") == true)
        #expect(try repo.git("log", "-1", "--format=%s").hasPrefix("Revert"))
        #expect(try repo.git("status", "--porcelain") == "?? z.py")
        #expect(try repo.git("diff", "HEAD", "--stat") == "")
    }

    @Test func aLockedIndexIsRefusedNamingTheLock() throws {
        let sandbox = try Sandbox()
        let (repo, opened, settings, plan) = try plannedRevert(sandbox)
        try repo.write(".git/index.lock", "")
        let before = try repo.snapshot()
        let error = #expect(throws: BuildmeisterError.self) {
            try RevertBreak.execute(plan, push: false, in: opened, settings: settings)
        }
        #expect(error?.message.contains(repo.path + "/.git/index.lock exists") == true)
        #expect(try repo.snapshot() == before)
    }

    @Test func aLockedBranchIsNamedNotTheIndex() throws {
        let sandbox = try Sandbox()
        let (repo, opened, settings, plan) = try plannedRevert(sandbox)
        try repo.write(".git/refs/heads/master.lock", "")
        let error = #expect(throws: BuildmeisterError.self) {
            try RevertBreak.execute(plan, push: false, in: opened, settings: settings)
        }
        #expect(error?.message.contains("refs/heads/master.lock exists") == true)
        #expect(error?.message.contains("index.lock") == false)
        try FileManager.default.removeItem(atPath: repo.path + "/.git/refs/heads/master.lock")
        #expect(try repo.git("status", "--porcelain") == "")
        #expect(try repo.git("log", "-1", "--format=%s") == "break")
    }

    @Test func anInterruptedPublishIsRecoveredAndBlocksTheNextOne() throws {
        let sandbox = try Sandbox()
        let (repo, opened, settings, plan) = try plannedRevert(sandbox)
        let before = try repo.snapshot()
        // Interrupted after the files and index were written, before the branch moved: as a
        // kill would leave it, journal and lock included.
        struct Killed: Error {}
        #expect(throws: Killed.self) {
            try publish(opened, plan) {
                try FileManager.default.copyItem(atPath: repo.path + "/.git/bm-git/publish-journal",
                                                 toPath: repo.path + "/.git/journal.saved")
                try FileManager.default.copyItem(atPath: repo.path + "/.git/index.lock", toPath: repo.path + "/.git/lock.saved")
                try FileManager.default.copyItem(atPath: repo.path + "/a.py", toPath: repo.path + "/.git/a.saved")
                throw Killed()
            }
        }
        // Put the killed state back together: the journal, the staged lock (same inode as
        // journaled? no: a fresh copy, so recovery must leave it alone), and a new file.
        try FileManager.default.moveItem(atPath: repo.path + "/.git/journal.saved", toPath: repo.path + "/.git/bm-git/publish-journal")
        try FileManager.default.removeItem(atPath: repo.path + "/a.py")
        try FileManager.default.moveItem(atPath: repo.path + "/.git/a.saved", toPath: repo.path + "/a.py")
        #expect(throws: BuildmeisterError.interruptedPublish(operation: "revert-break")) {
            try RevertBreak.execute(plan, push: false, in: opened, settings: settings)
        }
        #expect(try Recovery.run(in: opened) == .rolledBack(operation: "revert-break", untouched: []))
        #expect(try Recovery.run(in: opened) == .nothingToRecover)
        let after = try repo.snapshot()
        #expect(after.files == before.files && after.index == before.index && after.head == before.head)
        try FileManager.default.removeItem(atPath: repo.path + "/.git/lock.saved")
    }

    @Test func aBranchMovedSinceTheInterruptionIsNotGuessedAtAndCanBeDiscarded() throws {
        let sandbox = try Sandbox()
        let (repo, opened, _, plan) = try plannedRevert(sandbox)
        struct Killed: Error {}
        #expect(throws: Killed.self) {
            try publish(opened, plan) {
                try FileManager.default.copyItem(atPath: repo.path + "/.git/bm-git/publish-journal",
                                                 toPath: repo.path + "/.git/journal.saved")
                throw Killed()
            }
        }
        try FileManager.default.moveItem(atPath: repo.path + "/.git/journal.saved", toPath: repo.path + "/.git/bm-git/publish-journal")
        try repo.commit("by hand", files: ["c.py": "c\n"], author: .bjorn)
        #expect(throws: BuildmeisterError.recoveryBranchMoved(branch: "master")) { try Recovery.run(in: opened) }
        #expect(try Recovery.discard(in: opened))
        #expect(try Recovery.run(in: opened) == .nothingToRecover)
        #expect(try repo.git("status", "--porcelain") == "")
    }
}
