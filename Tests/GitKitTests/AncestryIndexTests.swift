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
        // An octopus merge: its third and fourth parents are in the commit-graph's EDGE chunk.
        for name in ["o1", "o2", "o3"] {
            try repo.git("checkout", "-q", "-b", name, "b~1"); try commit(name)
        }
        try repo.git("checkout", "-q", "master")
        day -= 86_400
        try sandbox.git(["merge", "-q", "-m", "octopus", "o1", "o2", "o3"], in: repo.path,
                        environment: ["GIT_AUTHOR_DATE": "@\(day) +0000", "GIT_COMMITTER_DATE": "@\(day) +0000"])
        try commit("m3")
        return repo
    }

    /// Checks a fresh index against git on every pair of commits: ancestry, first-parent
    /// lines and `missing` counts.
    private func expectAgreement(_ repo: TestRepo, _ comment: String) throws {
        let shas = try repo.git("rev-list", "--all").split(separator: "\n").map(String.init)
        let index = AncestryIndex(repository: try Repository.discover(from: repo.path))
        // `git rev-list --count d..a` itself trusts commit dates and miscounts under this much
        // skew, so the oracle for counts is the exact set difference of two full listings.
        var reachable: [String: Set<Substring>] = [:], firstParents: [String: Set<Substring>] = [:]
        for sha in shas {
            reachable[sha] = Set(try repo.git("rev-list", sha).split(separator: "\n"))
            firstParents[sha] = Set(try repo.git("rev-list", "--first-parent", sha).split(separator: "\n"))
        }
        for ancestor in shas {
            for descendant in shas {
                let (a, d) = (OID(hex: ancestor)!, OID(hex: descendant)!)
                #expect(try index.isAncestor(a, of: d) == reachable[descendant]!.contains(Substring(ancestor)),
                        "\(comment): \(ancestor) ancestor of \(descendant)")
                #expect(try index.isOnFirstParentLine(a, of: d) == firstParents[descendant]!.contains(Substring(ancestor)),
                        "\(comment): \(ancestor) on the first-parent line of \(descendant)")
                let count = reachable[ancestor]!.subtracting(reachable[descendant]!).count
                #expect(try index.missing(from: a, notIn: d).count == count, "\(comment): \(descendant)..\(ancestor)")
            }
        }
    }

    @Test func agreesWithGitOnEveryPairUnderClockSkewAndCrissCross() throws {
        let sandbox = try Sandbox()
        let repo = try skewedCrissCross(sandbox)
        try expectAgreement(repo, "no index")
        let index = AncestryIndex(repository: try Repository.discover(from: repo.path))
        try index.prepare([OID(hex: try repo.head())!])
        try expectAgreement(repo, "cache file")
    }

    /// git's commit-graph, in each form git writes it: corrected commit dates (GDA2) or
    /// topological levels only, one file or a split chain, and with commits it does not have yet.
    @Test func agreesWithGitThroughEveryFormOfCommitGraph() throws {
        let sandbox = try Sandbox()
        let repo = try skewedCrissCross(sandbox)
        try repo.git("commit-graph", "write", "--reachable")
        #expect(AncestryIndex(repository: try Repository.discover(from: repo.path)).usesCommitGraph)
        try expectAgreement(repo, "single file, corrected dates")
        try repo.git("-c", "commitGraph.generationVersion=1", "commit-graph", "write", "--reachable")
        try expectAgreement(repo, "single file, topological levels")

        try FileManager.default.removeItem(atPath: repo.path + "/.git/objects/info/commit-graph")
        try repo.git("checkout", "-q", "-b", "later", "a")
        try repo.commit("later one", files: ["l": "1\n"])
        try repo.git("commit-graph", "write", "--reachable", "--split=no-merge")
        try repo.commit("later two", files: ["l": "2\n"])
        try repo.git("merge", "-q", "--no-edit", "master")
        try repo.git("commit-graph", "write", "--reachable", "--split=no-merge")
        let chain = try String(contentsOfFile: repo.path + "/.git/objects/info/commit-graphs/commit-graph-chain", encoding: .utf8)
        #expect(chain.split(separator: "\n").count == 2)
        try expectAgreement(repo, "split chain")
        try repo.commit("not in the graph", files: ["l": "3\n"])
        try repo.git("checkout", "-q", "-b", "newer", "HEAD~2")
        try repo.commit("not in the graph either", files: ["n": "1\n"])
        try expectAgreement(repo, "chain and new commits")
        try repo.git("config", "core.commitGraph", "false")
        #expect(!AncestryIndex(repository: try Repository.discover(from: repo.path)).usesCommitGraph)
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
        // A "yes" found by the first cheap search reads too little to be worth caching.
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/bm-git/ancestry-v2.idx"))
        #expect(try cold.missing(from: OID(hex: fifth)!, notIn: OID(hex: first)!).count == 4)
        cold.saveIfWorthwhile()
        let cache = repo.path + "/.git/bm-git/ancestry-v2.idx"
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
        try Data("BMAI garbage that is not an index".utf8).write(to: URL(fileURLWithPath: repo.path + "/.git/bm-git/ancestry-v2.idx"))
        let index = AncestryIndex(repository: try Repository.discover(from: repo.path))
        #expect(try index.isAncestor(OID(hex: a)!, of: OID(hex: b)!))
        #expect(try !index.isAncestor(OID(hex: b)!, of: OID(hex: a)!))
    }

    /// Every single flipped byte of a cache file (seeded, so a failure can be replayed) is
    /// caught: the answers stay git's, and the next save replaces the file with a sound one.
    @Test(arguments: [1, 2, 3]) func survivesSeededByteFlipsInTheCacheFile(seed: UInt64) throws {
        let sandbox = try Sandbox()
        let repo = try skewedCrissCross(sandbox)
        let opened = try Repository.discover(from: repo.path)
        let tip = OID(hex: try repo.head())!, old = OID(hex: try repo.sha("a~2"))!, side = OID(hex: try repo.sha("o2"))!
        try AncestryIndex(repository: opened).prepare([tip])
        let path = repo.path + "/.git/bm-git/ancestry-v2.idx"
        let pristine = try Data(contentsOf: URL(fileURLWithPath: path))
        let behind = Int(try repo.git("rev-list", "--count", "o2..HEAD"))!
        var random = SeededRandom(seed: seed)
        for _ in 0..<60 {
            var bytes = [UInt8](pristine)
            let at = Int(random.next() % UInt64(bytes.count))
            bytes[at] ^= UInt8(1 + random.next() % 255)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let index = AncestryIndex(repository: opened)
            #expect(!index.usesCacheFile, "flip at \(at) went unnoticed")
            #expect(try index.isAncestor(old, of: tip))
            #expect(try !index.isAncestor(tip, of: side))
            #expect(try index.missing(from: tip, notIn: side).count == behind)
            index.saveIfWorthwhile()
            #expect(AncestryIndex(repository: opened).usesCacheFile, "the flipped file was not replaced")
        }
    }

    /// A file whose checksum is right but whose parents form a cycle (or point outside it) is
    /// refused: no walk can loop on it.
    @Test func refusesACraftedCacheFileWithACycle() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let a = try repo.commit("a", files: ["f": "1\n"])
        let b = try repo.commit("b", files: ["f": "2\n"])
        let opened = try Repository.discover(from: repo.path)
        try AncestryIndex(repository: opened).prepare([OID(hex: b)!])
        let path = repo.path + "/.git/bm-git/ancestry-v2.idx"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // Two nodes, one parent: the parent list's only entry is the last four bytes before the checksum.
        let parentAt = bytes.count - 8 - 4
        let parent = bytes[parentAt]
        bytes[parentAt] = parent == 0 ? 1 : 0  // b's parent becomes b itself
        let checksum = bytes.withUnsafeBytes { Checksum64.of(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 8)])) }
        withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange((bytes.count - 8)..., with: $0) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let index = AncestryIndex(repository: opened)
        #expect(!index.usesCacheFile)
        #expect(try index.isAncestor(OID(hex: a)!, of: OID(hex: b)!))
        #expect(try !index.isAncestor(OID(hex: b)!, of: OID(hex: a)!))
    }

    /// A commit-graph whose parent positions point outside it is abandoned mid-walk; the answer
    /// is read from the objects instead.
    @Test func fallsBackWhenTheCommitGraphIsCorrupt() throws {
        let sandbox = try Sandbox()
        let repo = try skewedCrissCross(sandbox)
        let tip = OID(hex: try repo.head())!, root = OID(hex: try repo.git("rev-list", "--max-parents=0", "HEAD"))!
        try repo.git("commit-graph", "write", "--reachable")
        let path = repo.path + "/.git/objects/info/commit-graph"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // Every first parent becomes 0x6fffffff: in range of the format, far outside this graph.
        let cdat = try chunkOffset(bytes, "CDAT"), count = Int(try repo.git("rev-list", "--all", "--count"))!
        for commit in 0..<count where bytes[cdat + commit * 36 + 20] != 0x70 {
            bytes.replaceSubrange((cdat + commit * 36 + 20)..<(cdat + commit * 36 + 24), with: [0x6f, 0xff, 0xff, 0xff])
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let index = AncestryIndex(repository: try Repository.discover(from: repo.path))
        #expect(index.usesCommitGraph)
        #expect(try index.isAncestor(root, of: tip))
        #expect(try !index.isAncestor(tip, of: root))
        #expect(!index.usesCommitGraph)
    }

    private func chunkOffset(_ bytes: [UInt8], _ name: String) throws -> Int {
        let id = Array(name.utf8)
        for entry in 0..<Int(bytes[6]) where Array(bytes[(8 + entry * 12)..<(12 + entry * 12)]) == id {
            return bytes[(12 + entry * 12)..<(20 + entry * 12)].reduce(0) { $0 << 8 | Int($1) }
        }
        throw TestFailure("no \(name) chunk")
    }

    /// A cache made while the clone was shallow has parentless boundary commits; after
    /// `git fetch --unshallow` it must not be trusted, or a branch lacking three commits
    /// would pass for one lacking two.
    @Test func aShallowCacheIsDroppedAfterUnshallowing() throws {
        let sandbox = try Sandbox()
        let origin = try sandbox.makeRepo("origin")
        for n in 0..<8 { try origin.commit("c\(n)", files: ["f": "\(n)\n"]) }
        let clone = try sandbox.clone("file://" + origin.path, as: "clone", arguments: ["--depth", "2"])
        let tip = OID(hex: try clone.head())!
        try AncestryIndex(repository: try Repository.discover(from: clone.path)).prepare([tip])
        try clone.git("fetch", "-q", "--unshallow")
        let stale = OID(hex: try clone.sha("HEAD~3"))!
        let index = AncestryIndex(repository: try Repository.discover(from: clone.path))
        #expect(!index.usesCacheFile)
        #expect(try index.missing(from: tip, notIn: stale).count == 3)
        #expect(try index.isAncestor(stale, of: tip))
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

/// splitmix64: a tiny deterministic generator, so that a failing seed can be replayed.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
