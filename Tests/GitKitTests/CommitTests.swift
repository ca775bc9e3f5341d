import Testing
import TestSupport
@testable import GitKit

@Suite struct CommitTests {
    @Test func readsAuthorCommitterSubjectAndParents() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let first = try repo.commit("first", files: ["f": "1\n"])
        let second = try repo.commit("Second line one\nstill the subject\n\nbody text", files: ["f": "2\n"],
                                     author: .chen)
        let opened = try Repository.discover(from: repo.path)
        let info = try opened.commit(OID(hex: second)!)
        #expect(info.id.hex == second)
        #expect(info.parents.map(\.hex) == [first])
        #expect(info.author.name == "Chen Wei 陈伟")
        #expect(info.author.email == "chen@example.com")
        #expect(info.committer.name == "Chen Wei 陈伟")
        #expect(info.author.time == Int64(try repo.git("log", "-1", "--format=%at")))
        #expect(info.subject == "Second line one still the subject")
        #expect(info.message.hasSuffix("body text\n"))
    }

    @Test func readsBothParentsOfAMerge() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("base", files: ["f": "1\n"])
        try repo.git("checkout", "-q", "-b", "side")
        let side = try repo.commit("side", files: ["g": "1\n"])
        try repo.git("checkout", "-q", "master")
        let main = try repo.commit("main", files: ["h": "1\n"])
        try sandbox.git(["merge", "-q", "--no-ff", "-m", "merge side", "side"], in: repo.path, author: .ana)
        let merge = try Repository.discover(from: repo.path).commit(OID(hex: try repo.head())!)
        #expect(merge.parents.map(\.hex) == [main, side])
    }

    @Test func oidParsesOnlyFullHex() throws {
        #expect(OID(hex: "abc") == nil)
        #expect(OID(hex: String(repeating: "g", count: 40)) == nil)
        let sha = String(repeating: "ab", count: 20)
        let oid = try #require(OID(hex: sha.uppercased()))
        #expect(oid.hex == sha)
        #expect(oid.short() == "abababa")
        #expect(!oid.isZero)
        #expect(OID(hex: String(repeating: "0", count: 40))!.isZero)
        #expect(Set([oid, OID(hex: sha)!]).count == 1)
    }
}
