import Foundation
import Testing
import TestSupport
@testable import GitKit

@Suite struct CheckoutTests {
    @Test func checksOutOnlyChangedPathsAndLeavesOtherLocalEditsAlone() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let old = try repo.commit("one", files: ["a.txt": "1\n", "b.txt": "1\n"])
        let new = try repo.commit("two", files: ["a.txt": "2\n"])
        try repo.git("reset", "-q", "--hard", old)
        try repo.write("b.txt", "local edit\n")
        let opened = try Repository.discover(from: repo.path)
        try opened.checkoutSafely(tree: opened.tree(ofCommit: OID(hex: new)!), from: opened.tree(ofCommit: OID(hex: old)!))
        #expect(try String(contentsOfFile: repo.path + "/a.txt", encoding: .utf8) == "2\n")
        #expect(try String(contentsOfFile: repo.path + "/b.txt", encoding: .utf8) == "local edit\n")
        #expect(try repo.git("diff", "--cached", "--name-only", new) == "")
    }

    @Test func refusesToOverwriteALocalChangeBeforeWritingAnything() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let old = try repo.commit("one", files: ["a.txt": "1\n", "b.txt": "1\n"])
        let new = try repo.commit("two", files: ["a.txt": "2\n", "b.txt": "2\n"])
        try repo.git("reset", "-q", "--hard", old)
        try repo.write("b.txt", "local edit\n")
        let opened = try Repository.discover(from: repo.path)
        let error = #expect(throws: GitError.self) {
            try opened.checkoutSafely(tree: opened.tree(ofCommit: OID(hex: new)!), from: opened.tree(ofCommit: OID(hex: old)!))
        }
        #expect(error?.isConflict == true)
        #expect(try String(contentsOfFile: repo.path + "/a.txt", encoding: .utf8) == "1\n")
    }

    @Test func appliesEndOfLineConversionWhenAttributesAskForIt() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("attributes", files: [".gitattributes": "*.txt text eol=crlf\n"])
        let old = try repo.commit("one", files: ["dir/a.txt": "1\n"])
        let new = try repo.commit("two", files: ["dir/a.txt": "2\nmore\n"])
        try repo.git("reset", "-q", "--hard", old)
        let opened = try Repository.discover(from: repo.path)
        try opened.checkoutSafely(tree: opened.tree(ofCommit: OID(hex: new)!), from: opened.tree(ofCommit: OID(hex: old)!))
        #expect(try String(contentsOfFile: repo.path + "/dir/a.txt", encoding: .utf8) == "2\r\nmore\r\n")
    }

    // MARK: - Whole-file replacement

    /// Checks out `new` over `old` through checkoutSafely.
    private func checkOut(_ repo: TestRepo, from old: String, to new: String) throws {
        let opened = try Repository.discover(from: repo.path)
        try opened.checkoutSafely(tree: opened.tree(ofCommit: OID(hex: new)!), from: opened.tree(ofCommit: OID(hex: old)!))
    }

    /// Whether checking out `new` over `old` passes every check (and so would write).
    private func prepares(_ repo: TestRepo, from old: String, to new: String) throws -> Bool {
        let opened = try Repository.discover(from: repo.path)
        let lock = try IndexLock.acquire(opened)
        defer { lock.release() }
        do {
            _ = try TreeCheckout.prepare(from: opened.tree(ofCommit: OID(hex: old)!), to: opened.tree(ofCommit: OID(hex: new)!),
                                         in: opened, index: lock.openIndex())
            return true
        } catch let error as GitError where error.isConflict {
            return false
        }
    }

    @Test func replacesFilesWholeLeavingAFreshIndexLikeGits() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let old = try repo.commit("one", files: ["long.txt": "a long first version\n", "short.txt": "1\n",
                                                 "was-empty.txt": "", "becomes-empty.txt": "full\n",
                                                 "gone/deep/x.txt": "x\n", "kept/y.txt": "y\n", "kept/z.txt": "z\n"])
        try repo.git("rm", "-q", "gone/deep/x.txt", "kept/z.txt")
        try repo.write("long.txt", "short\n")
        try repo.write("was-empty.txt", "now something\n")
        try repo.write("becomes-empty.txt", "")
        try repo.write("short.txt", "a much longer second version\n")
        try repo.write("new/nested/n.txt", "n\n")
        try repo.write("run.sh", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.path + "/run.sh")
        let new = try repo.commit("two")
        try repo.git("reset", "-q", "--hard", old)

        #expect(try prepares(repo, from: old, to: new))
        try checkOut(repo, from: old, to: new)

        #expect(try String(contentsOfFile: repo.path + "/long.txt", encoding: .utf8) == "short\n")
        #expect(try String(contentsOfFile: repo.path + "/was-empty.txt", encoding: .utf8) == "now something\n")
        #expect(try String(contentsOfFile: repo.path + "/becomes-empty.txt", encoding: .utf8) == "")
        #expect(try String(contentsOfFile: repo.path + "/short.txt", encoding: .utf8) == "a much longer second version\n")
        #expect(try String(contentsOfFile: repo.path + "/new/nested/n.txt", encoding: .utf8) == "n\n")
        #expect(FileManager.default.isExecutableFile(atPath: repo.path + "/run.sh"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/gone"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/kept/z.txt"))
        #expect(FileManager.default.fileExists(atPath: repo.path + "/kept/y.txt"))
        // The index matches the tree, and its stat data matches the files (diff-files does not
        // refresh, so a stale entry would show up here).
        #expect(try repo.git("diff", "--cached", "--name-only", new) == "")
        #expect(try repo.git("diff-files", "--name-only") == "")
        // Nothing unstaged or untracked (HEAD is still at `old`, so the changes show as staged).
        let status = try repo.git("status", "--porcelain", "--untracked-files=all").split(separator: "\n")
        #expect(status.filter { $0.dropFirst().first != " " } == [])
    }

    @Test func worksAcrossMoreDirectoriesThanItKeepsOpen() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let directories = (0..<300).map { "d\($0 % 3)/e\($0)" }
        let old = try repo.commit("one", files: Dictionary(uniqueKeysWithValues: directories.map { ($0 + "/f.txt", "1\n") }))
        let new = try repo.commit("two", files: Dictionary(uniqueKeysWithValues: directories.map { ($0 + "/f.txt", "22\n") }))
        try repo.git("reset", "-q", "--hard", old)
        #expect(try prepares(repo, from: old, to: new))
        try checkOut(repo, from: old, to: new)
        #expect(try repo.git("diff", "--cached", "--name-only", new) == "")
        #expect(try repo.git("diff-files", "--name-only") == "")
    }

    @Test func hashesAFileWhoseStatDataChangedButNotItsContent() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let old = try repo.commit("one", files: ["a.txt": "1\n"])
        let new = try repo.commit("two", files: ["a.txt": "2\n"])
        try repo.git("reset", "-q", "--hard", old)
        try repo.write("a.txt", "1\n")  // same content, new mtime and ctime
        #expect(try prepares(repo, from: old, to: new))
        try checkOut(repo, from: old, to: new)
        #expect(try String(contentsOfFile: repo.path + "/a.txt", encoding: .utf8) == "2\n")
        #expect(try repo.git("diff", "--cached", "--name-only", new) == "")
        #expect(try repo.git("diff-files", "--name-only") == "")
    }

    @Test func refusesAnUntrackedFileInTheWayOfANewOne() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let old = try repo.commit("one", files: ["a.txt": "1\n"])
        let new = try repo.commit("two", files: ["a.txt": "2\n", "b.txt": "tracked\n"])
        try repo.git("reset", "-q", "--hard", old)
        try repo.write("b.txt", "untracked, precious\n")
        #expect(try !prepares(repo, from: old, to: new))
        let before = try repo.snapshot()
        let error = #expect(throws: GitError.self) { try checkOut(repo, from: old, to: new) }
        #expect(error?.isConflict == true)
        #expect(try repo.snapshot() == before)
    }

    @Test func refusesAStagedChangeToAPathItWouldUpdate() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let old = try repo.commit("one", files: ["a.txt": "1\n"])
        let new = try repo.commit("two", files: ["a.txt": "2\n"])
        try repo.git("reset", "-q", "--hard", old)
        try repo.write("a.txt", "staged\n")
        try repo.git("add", "a.txt")
        #expect(try !prepares(repo, from: old, to: new))
        let before = try repo.snapshot()
        let error = #expect(throws: GitError.self) { try checkOut(repo, from: old, to: new) }
        #expect(error?.isConflict == true)
        #expect(try repo.snapshot() == before)
    }

    @Test func neverWritesThroughASymlinkedDirectory() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let old = try repo.commit("one", files: ["dir/a.txt": "1\n"])
        let new = try repo.commit("two", files: ["dir/a.txt": "2\n"])
        try repo.git("reset", "-q", "--hard", old)
        let outside = sandbox.root + "/outside"
        try FileManager.default.moveItem(atPath: repo.path + "/dir", toPath: outside)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/dir", withDestinationPath: outside)
        #expect(try !prepares(repo, from: old, to: new))
        _ = try? checkOut(repo, from: old, to: new)
        #expect(try String(contentsOfFile: outside + "/a.txt", encoding: .utf8) == "1\n")
    }

    @Test func movesASubmodulePointerInTheIndexOnly() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let first = String(repeating: "1", count: 40), second = String(repeating: "2", count: 40)
        try repo.git("update-index", "--add", "--cacheinfo", "160000,\(first),amp")
        try repo.git("commit", "-q", "-m", "pointer one")
        let old = try repo.head()
        try repo.git("update-index", "--cacheinfo", "160000,\(second),amp")
        try repo.git("commit", "-q", "-m", "pointer two")
        let new = try repo.head()
        try repo.git("update-index", "--cacheinfo", "160000,\(first),amp")
        try repo.git("reset", "-q", "--soft", old)
        #expect(try prepares(repo, from: old, to: new))
        try checkOut(repo, from: old, to: new)
        #expect(try repo.git("ls-files", "-s", "amp") == "160000 \(second) 0\tamp")
    }
}
