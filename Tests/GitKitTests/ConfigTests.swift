import Foundation
import Testing
import TestSupport
@testable import GitKit

@Suite struct ConfigTests {
    @Test func readsTypedValuesFromALiveConfig() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let config = try Repository.discover(from: repo.path).config()
        #expect(try config.string("bm.remote") == nil)
        try repo.git("config", "bm.remote", "upstream")
        try repo.git("config", "bm.prePush.fetch", "yes")
        try repo.git("config", "bm.prePush.maxBehind", "2k")
        try repo.git("config", "core.hooksPath", "~/hooks")
        // The same Config object sees values written after it was opened: it is live.
        #expect(try config.string("bm.remote") == "upstream")
        #expect(try config.bool("bm.prePush.fetch") == true)
        #expect(try config.int("bm.prePush.maxBehind") == 2048)
        // `~` expands with this process's HOME, as git's own expansion does.
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        #expect(try config.path("core.hooksPath") == home + "/hooks")
    }

    @Test func rejectsValuesOfTheWrongType() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.git("config", "bm.prePush.fetch", "perhaps")
        let config = try Repository.discover(from: repo.path).config()
        #expect(throws: GitError.self) { try config.bool("bm.prePush.fetch") }
        #expect(try config.string("bm.prePush.fetch") == "perhaps")
    }

    @Test func hooksDirectoryHonoursCoreHooksPath() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        try repo.git("worktree", "add", "-q", "-b", "wt", sandbox.root + "/wt")
        let linked = try Repository.discover(from: sandbox.root + "/wt")
        #expect(try linked.hooksDirectory() == (repo.path + "/.git/hooks", false))
        try repo.git("config", "core.hooksPath", ".githooks")
        #expect(try linked.hooksDirectory() == (sandbox.root + "/wt/.githooks", true))
        #expect(try Repository.discover(from: repo.path).hooksDirectory() == (repo.path + "/.githooks", true))
        try repo.git("config", "core.hooksPath", "/opt/hooks")
        #expect(try linked.hooksDirectory() == ("/opt/hooks", true))
    }
}
