import Foundation
import Testing
import TestSupport
@testable import GitKit

@Suite struct StatusTests {
    private let files = FileManager.default

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

    /// A repository whose files are older than its index, so no entry is racily clean.
    private func settledRepo(_ sandbox: Sandbox, directories: Int = 3) throws -> TestRepo {
        let repo = try sandbox.makeRepo("r")
        var contents = ["a": "1\n", "dir/b": "1\n", "dir/deeper/c": "1\n"]
        for number in 3..<max(3, directories) { contents["more/d\(number)/f"] = "1\n" }
        try repo.commit("one", files: contents)
        for path in try repo.git("ls-files").split(separator: "\n") {
            try files.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)],
                                    ofItemAtPath: repo.path + "/" + path)
        }
        try repo.git("update-index", "-q", "--refresh")
        return repo
    }

    @Test(arguments: [3, 300])
    func cachedDataProvesACleanTreeWithoutAScan(directories: Int) throws {
        let sandbox = try Sandbox()
        let repo = try settledRepo(sandbox, directories: directories)
        let opened = try Repository.discover(from: repo.path)
        #expect(opened.isCleanByCachedData(workTree: true))
        #expect(opened.isCleanByCachedData(workTree: false))
    }

    @Test(arguments: ["edit", "touch", "stage", "delete", "replaceDirectoryWithSymlink"])
    func cachedDataNeverCallsAChangedTreeClean(change: String) throws {
        let sandbox = try Sandbox()
        let repo = try settledRepo(sandbox)
        switch change {
        case "edit": try repo.write("dir/b", "2\n")  // same size
        case "touch": try files.setAttributes([.modificationDate: Date()], ofItemAtPath: repo.path + "/a")
        case "stage": try repo.write("a", "22\n"); try repo.git("add", "a"); try repo.write("a", "1\n")
        case "delete": try files.removeItem(atPath: repo.path + "/dir/deeper/c")
        default:
            try files.moveItem(atPath: repo.path + "/dir", toPath: repo.path + "/moved")
            try files.createSymbolicLink(atPath: repo.path + "/dir", withDestinationPath: "moved")
        }
        let opened = try Repository.discover(from: repo.path)
        #expect(!opened.isCleanByCachedData(workTree: true))
        // The full status still gives git's answer.
        let gitSays = try repo.git("status", "--porcelain", "--untracked-files=no").isEmpty
        #expect(try opened.status(untracked: false).isClean == gitSays)
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
