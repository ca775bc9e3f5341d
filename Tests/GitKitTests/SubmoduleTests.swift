import Testing
import TestSupport
@testable import GitKit

@Suite struct SubmoduleTests {
    @Test func describesAnInitialisedSubmodule() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        let repo = try Repository.discover(from: fixture.superproject.path)
        let amp = try #require(try repo.submodule(named: "amp"))
        let pointer = try fixture.superproject.git("rev-parse", "HEAD:amp")
        #expect(amp.name == "amp" && amp.path == "amp")
        #expect(amp.url == fixture.ampOrigin.path)
        #expect(amp.headCommit?.hex == pointer)
        #expect(amp.indexCommit?.hex == pointer)
        #expect(amp.checkedOutCommit?.hex == pointer)
        #expect(amp.isInitialised && amp.isCloned)
        let inner = try #require(try repo.openSubmodule(named: "amp"))
        #expect(inner.workdir == fixture.superproject.path + "/amp")
    }

    @Test func describesAnUninitialisedSubmodule() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox, initialise: false)
        let repo = try Repository.discover(from: fixture.superproject.path)
        let amp = try #require(try repo.submodule(named: "amp"))
        #expect(amp.url == "../amp.git")
        #expect(!amp.isInitialised && !amp.isCloned)
        #expect(amp.checkedOutCommit == nil)
        #expect(try repo.openSubmodule(named: "amp") == nil)
    }

    @Test func isNilForAnUnknownName() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        #expect(try Repository.discover(from: repo.path).submodule(named: "amp") == nil)
    }
}
