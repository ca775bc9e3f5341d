import Foundation
@testable import Buildmeister
import GitKit
import Testing
import TestSupport

@Suite struct AmpRollTests {
    @Test func aBranchMovedAfterPlanningIsCaughtAndTheSubmoduleIsPutBack() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 2)
        let superproject = try Repository.discover(from: fixture.superproject.path)
        let settings = try Settings.load(from: superproject)
        let plan = try AmpRoll.plan(RollRequest(), in: superproject, settings: settings)
        #expect(plan.count == 2)

        let amp = TestRepo(sandbox: sandbox, path: fixture.superproject.path + "/amp")
        try fixture.superproject.commit("someone else committed meanwhile", files: ["x.py": "1\n"], author: .bjorn)
        let before = try fixture.superproject.snapshot()
        let ampBefore = try amp.snapshot()
        #expect(throws: BuildmeisterError.branchMoved(branch: "master")) {
            try AmpRoll.execute(plan, push: false, in: superproject, settings: settings)
        }
        #expect(try fixture.superproject.snapshot() == before)
        #expect(try amp.snapshot() == ampBefore)
    }

    @Test func aFailedPublishTakesBackTheCloneItMade() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox, initialise: false)
        try fixture.advanceAmp(by: 1)
        let superproject = try Repository.discover(from: fixture.superproject.path)
        let settings = try Settings.load(from: superproject)
        let before = try fixture.superproject.snapshot()
        let plan = try AmpRoll.plan(RollRequest(), in: superproject, settings: settings)
        #expect(FileManager.default.fileExists(atPath: fixture.superproject.path + "/.git/modules/amp"))

        try fixture.superproject.commit("someone else committed meanwhile", files: ["x.py": "1\n"], author: .bjorn)
        let moved = try fixture.superproject.snapshot()
        #expect(throws: BuildmeisterError.branchMoved(branch: "master")) {
            try AmpRoll.execute(plan, push: false, in: superproject, settings: settings)
        }
        // As after the other commit, less the clone's files.
        let after = try fixture.superproject.snapshot()
        #expect(after.head == moved.head && after.refs == moved.refs && after.index == moved.index)
        #expect(after.status == moved.status && after.stateFiles == moved.stateFiles)
        #expect(after.files == moved.files.filter { !$0.key.hasPrefix("amp/") })
        #expect(before.status == moved.status)
        #expect(!FileManager.default.fileExists(atPath: fixture.superproject.path + "/.git/modules/amp"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.superproject.path + "/amp") == [])
        #expect((try? fixture.superproject.git("config", "submodule.amp.url")) == nil)
    }

    @Test(arguments: [
        ("../amp.git", "/srv/git/super.git", "/srv/git/amp.git"),
        ("../amp.git", "/srv/git/super.git/", "/srv/git/amp.git"),
        ("./amp.git", "/srv/git/super", "/srv/git/super/amp.git"),
        ("../../libs/amp", "https://git.example.com/team/super", "https://git.example.com/libs/amp"),
        ("../amp.git", "git@git.example.com:team/super.git", "git@git.example.com:team/amp.git"),
        ("../../amp.git", "git@git.example.com:team/super.git", "git@git.example.com:amp.git"),
        ("https://other.example.com/amp.git", "/srv/git/super.git", "https://other.example.com/amp.git"),
        ("../amp.git", "../remotes/super.git", "/home/dev/remotes/amp.git"),
    ])
    func relativeURLsResolveAgainstTheRemoteAsGitDoes(url: String, base: String, expected: String) {
        #expect(RelativeURL.resolve(url, against: base, directory: "/home/dev/work") == expected)
    }
}
