import Foundation
import Testing
import TestSupport
@testable import GitKit

/// AncestryIndex must agree exactly with `git merge-base --is-ancestor` and `git rev-list --count`,
/// whatever the commit dates say.
@Suite struct AncestryIndexTests {
    /// A graph with criss-cross merges and commit dates that run backwards.
    private func skewedCrissCross(_ sandbox: Sandbox) throws -> TestRepo {
        let repo = try sandbox.makeRepo("graph")
        var day: Int64 = 1_900_000_000
        func commit(_ message: String) throws {
            day -= 86_400  // each commit is "older" than its parent: clock skew everywhere
            try sandbox.git(["commit", "-q", "--allow-empty", "-m", message], in: repo.path,
                            environment: ["GIT_AUTHOR_DATE": "@\(day) +0000", "GIT_COMMITTER_DATE": "@\(day) +0000"])
        }
        func merge(_ branch: String) throws {
            day -= 86_400
            try sandbox.git(["merge", "-q", "--no-ff", "-m", "merge \(branch)", branch], in: repo.path,
                            environment: ["GIT_AUTHOR_DATE": "@\(day) +0000", "GIT_COMMITTER_DATE": "@\(day) +0000"])
        }
        try commit("root")
        try repo.git("branch", "a")
        try repo.git("branch", "b")
        for round in 0..<3 {
            try repo.git("checkout", "-q", "a"); try commit("a\(round)")
            try repo.git("checkout", "-q", "b"); try commit("b\(round)")
            // criss-cross: each side merges the other's previous tip
            try repo.git("checkout", "-q", "a"); try merge("b")
            try repo.git("checkout", "-q", "b"); try merge("a~1")
        }
        try repo.git("checkout", "-q", "master")
        try commit("m1")
        try merge("a")
        try commit("m2")
        return repo
    }

    @Test func agreesWithGitOnEveryPairUnderClockSkewAndCrissCross() throws {
        let sandbox = try Sandbox()
        let repo = try skewedCrissCross(sandbox)
        let shas = try repo.git("rev-list", "--all").split(separator: "\n").map(String.init)
        let index = AncestryIndex(repository: try Repository.discover(from: repo.path))
        // `git rev-list --count d..a` itself trusts commit dates and miscounts under this much
        // skew, so the oracle for counts is the exact set difference of two full listings.
        var reachable: [String: Set<Substring>] = [:]
        for sha in shas { reachable[sha] = Set(try repo.git("rev-list", sha).split(separator: "\n")) }
        for ancestor in shas {
            for descendant in shas {
                let gitSays = (try? repo.git("merge-base", "--is-ancestor", ancestor, descendant)) != nil
                #expect(try index.isAncestor(OID(hex: ancestor)!, of: OID(hex: descendant)!) == gitSays,
                        "\(ancestor) ancestor of \(descendant)")
                let count = reachable[ancestor]!.subtracting(reachable[descendant]!).count
                #expect(try index.missing(from: OID(hex: ancestor)!, notIn: OID(hex: descendant)!).count == count,
                        "\(descendant)..\(ancestor)")
            }
        }
    }

    @Test func reportsTheOldestMissingCommitTime() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let base = try repo.commit("base", files: ["f": "0\n"])
        try repo.commit("one", files: ["f": "1\n"])
        let tip = try repo.commit("two", files: ["f": "2\n"])
        let index = AncestryIndex(repository: try Repository.discover(from: repo.path))
        let missing = try index.missing(from: OID(hex: tip)!, notIn: OID(hex: base)!)
        #expect(missing.count == 2)
        #expect(missing.oldestTime == Int64(try repo.git("log", "-1", "--format=%ct", "HEAD~1")))
        #expect(try index.missing(from: OID(hex: base)!, notIn: OID(hex: tip)!).count == 0)
    }

    @Test func cacheFileIsWrittenAndStaysCorrectAsHistoryGrows() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        for n in 0..<5 { try repo.commit("c\(n)", files: ["f": "\(n)\n"]) }
        let first = try repo.sha("HEAD~4"), fifth = try repo.head()
        let opened = try Repository.discover(from: repo.path)
        let cold = AncestryIndex(repository: opened)
        #expect(try cold.isAncestor(OID(hex: first)!, of: OID(hex: fifth)!))
        cold.saveIfWorthwhile()
        let cache = repo.path + "/.git/bm-git/ancestry-v1.idx"
        #expect(FileManager.default.fileExists(atPath: cache))

        try repo.git("checkout", "-q", "-b", "side", first)
        let side = try repo.commit("side", files: ["g": "1\n"])
        let warm = AncestryIndex(repository: opened)
        #expect(try warm.isAncestor(OID(hex: first)!, of: OID(hex: side)!))
        #expect(try !warm.isAncestor(OID(hex: fifth)!, of: OID(hex: side)!))
        #expect(try warm.missing(from: OID(hex: fifth)!, notIn: OID(hex: side)!).count == 4)
    }

    @Test func ignoresACorruptCacheFile() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let a = try repo.commit("a", files: ["f": "1\n"])
        let b = try repo.commit("b", files: ["f": "2\n"])
        try FileManager.default.createDirectory(atPath: repo.path + "/.git/bm-git", withIntermediateDirectories: true)
        try Data("BMAI garbage that is not an index".utf8).write(to: URL(fileURLWithPath: repo.path + "/.git/bm-git/ancestry-v1.idx"))
        let index = AncestryIndex(repository: try Repository.discover(from: repo.path))
        #expect(try index.isAncestor(OID(hex: a)!, of: OID(hex: b)!))
        #expect(try !index.isAncestor(OID(hex: b)!, of: OID(hex: a)!))
    }

    @Test func throwsForAnUnknownCommit() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let a = try repo.commit("a", files: ["f": "1\n"])
        let index = AncestryIndex(repository: try Repository.discover(from: repo.path))
        #expect(throws: GitError.self) {
            try index.isAncestor(OID(hex: String(repeating: "1", count: 40))!, of: OID(hex: a)!)
        }
    }
}
