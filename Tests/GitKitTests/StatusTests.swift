import Testing
import TestSupport
@testable import GitKit

@Suite struct StatusTests {
    @Test func tellsCleanStagedUnstagedAndUntrackedApart() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["a": "1\n", "b": "1\n"])
        let opened = try Repository.discover(from: repo.path)
        #expect(try opened.status() == StatusSummary())
        #expect(try opened.status().isClean)

        try repo.write("new", "x\n")
        var status = try opened.status()
        #expect(status.untracked == 1 && status.isClean)

        try repo.write("a", "2\n")
        status = try opened.status()
        #expect(status.unstaged == 1 && status.staged == 0 && !status.isClean)

        try repo.git("add", "a")
        status = try opened.status()
        #expect(status.staged == 1 && status.unstaged == 0 && !status.isClean)
    }

    @Test func countsConflicts() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("base", files: ["a": "base\n"])
        try repo.git("checkout", "-q", "-b", "side")
        try repo.commit("side", files: ["a": "side\n"])
        try repo.git("checkout", "-q", "master")
        try repo.commit("main", files: ["a": "main\n"])
        _ = try? repo.git("merge", "-q", "side")
        #expect(try Repository.discover(from: repo.path).status().conflicted == 1)
    }

    @Test func failsInABareRepository() throws {
        let sandbox = try Sandbox()
        let bare = try sandbox.makeRepo("b.git", bare: true)
        #expect(throws: GitError.self) { try Repository.discover(from: bare.path).status() }
    }
}
