import Foundation
import Testing
import TestSupport
@testable import GitKit

@Suite struct RepositoryTests {
    @Test func discoversFromASubdirectory() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("plain")
        try repo.commit("init", files: ["a/b/c.txt": "x\n"])
        let opened = try Repository.discover(from: repo.path + "/a/b")
        #expect(opened.workdir == repo.path)
        #expect(opened.gitdir == repo.path + "/.git")
        #expect(opened.commondir == repo.path + "/.git")
        #expect(!opened.isBare)
        #expect(!opened.isLinkedWorktree)
        #expect(!opened.isEmpty)
    }

    @Test func discoversALinkedWorktree() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("main")
        try repo.commit("init", files: ["f": "1\n"])
        try repo.git("worktree", "add", "-q", "-b", "side", sandbox.root + "/wt")
        let opened = try Repository.discover(from: sandbox.root + "/wt")
        #expect(opened.workdir == sandbox.root + "/wt")
        #expect(opened.isLinkedWorktree)
        #expect(opened.gitdir == repo.path + "/.git/worktrees/wt")
        #expect(opened.commondir == repo.path + "/.git")
        #expect(try opened.head() == .branch("side", commit: OID(hex: try repo.head())!))
    }

    @Test func discoversABareRepository() throws {
        let sandbox = try Sandbox()
        let bare = try sandbox.makeRepo("bare.git", bare: true)
        let opened = try Repository.discover(from: bare.path)
        #expect(opened.isBare)
        #expect(opened.workdir == nil)
        #expect(opened.gitdir == bare.path)
        #expect(opened.isEmpty)
        #expect(try opened.head() == .unborn("master"))
    }

    @Test func failsOutsideARepositoryWithNotFound() throws {
        let sandbox = try Sandbox()
        let error = #expect(throws: GitError.self) { try Repository.discover(from: sandbox.root) }
        #expect(error?.isNotFound == true)
        #expect(error?.message.isEmpty == false)
    }

    @Test func reportsAnEmptyRepositoryWhateverItsBranchName() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("empty")
        try repo.git("symbolic-ref", "HEAD", "refs/heads/trunk")
        let opened = try Repository.discover(from: repo.path)
        #expect(opened.isEmpty)
        #expect(try opened.head() == .unborn("trunk"))
    }

    @Test func openAtDoesNotSearchParents() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("plain")
        try FileManager.default.createDirectory(atPath: repo.path + "/sub", withIntermediateDirectories: true)
        #expect(throws: GitError.self) { try Repository.open(at: repo.path + "/sub") }
        #expect(try Repository.open(at: repo.path).workdir == repo.path)
    }

    @Test func libgit2ReportsItsVersionAndFeatures() {
        #expect(LibGit2.version.split(separator: ".").count == 3)
        #expect(LibGit2.features.contains("threads"))
    }
}
