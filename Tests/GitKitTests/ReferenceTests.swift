import Testing
import TestSupport
@testable import GitKit

@Suite struct ReferenceTests {
    @Test func headOnABranchAndDetached() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let first = try repo.commit("one", files: ["f": "1\n"])
        let second = try repo.commit("two", files: ["f": "2\n"])
        let opened = try Repository.discover(from: repo.path)
        #expect(try opened.head() == .branch("master", commit: OID(hex: second)!))
        try repo.git("checkout", "-q", first)
        #expect(try opened.head() == .detached(OID(hex: first)!))
        #expect(try opened.head().branchName == nil)
    }

    @Test func resolvesReferencesAndReportsMissingOnesAsNil() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let sha = try repo.commit("one", files: ["f": "1\n"])
        let opened = try Repository.discover(from: repo.path)
        #expect(try opened.resolve("refs/heads/master")?.hex == sha)
        #expect(try opened.resolve("HEAD")?.hex == sha)
        #expect(try opened.resolve("refs/heads/nope") == nil)
        #expect(try opened.resolve("not a ref name") == nil)
    }

    @Test func findsTheUpstreamOfABranch() throws {
        let sandbox = try Sandbox()
        let origin = try sandbox.makeRepo("origin")
        try origin.commit("one", files: ["f": "1\n"])
        let clone = try sandbox.clone(origin.path, as: "clone")
        try clone.git("checkout", "-q", "-b", "local")
        let opened = try Repository.discover(from: clone.path)
        #expect(try opened.upstream(ofBranch: "master") == "refs/remotes/origin/master")
        #expect(try opened.upstream(ofBranch: "local") == nil)
    }

    @Test func countsAheadAndBehind() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let base = try repo.commit("base", files: ["f": "1\n"])
        try repo.git("checkout", "-q", "-b", "side")
        let side = try repo.commit("side", files: ["g": "1\n"])
        try repo.git("checkout", "-q", "master")
        try repo.commit("m1", files: ["h": "1\n"])
        let main = try repo.commit("m2", files: ["h": "2\n"])
        let opened = try Repository.discover(from: repo.path)
        let counts = try opened.aheadBehind(OID(hex: side)!, OID(hex: main)!)
        #expect(counts.ahead == 1 && counts.behind == 2)
        let same = try opened.aheadBehind(OID(hex: base)!, OID(hex: base)!)
        #expect(same.ahead == 0 && same.behind == 0)
    }
}
