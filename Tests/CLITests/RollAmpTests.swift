import Foundation
import Testing
import TestSupport

/// `bm-git roll-amp` end to end on a superproject with an `amp` submodule and bare remotes.
@Suite struct RollAmpTests {
    private func roll(_ fixture: SuperprojectFixture, _ arguments: [String] = [], in directory: String? = nil,
                      environment: [String: String] = [:]) throws -> ProcessResult {
        try fixture.superproject.sandbox.bmGit(["roll-amp"] + arguments, in: directory ?? fixture.superproject.path,
                                               environment: environment)
    }

    private func amp(_ fixture: SuperprojectFixture) -> TestRepo {
        TestRepo(sandbox: fixture.superproject.sandbox, path: fixture.superproject.path + "/amp")
    }

    @Test func rollsToTheRemoteTipAndCommitsTheRolledCommits() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        let old = try fixture.superproject.git("rev-parse", "HEAD:amp")
        let new = try fixture.advanceAmp(by: 3)
        let parent = try fixture.superproject.head()
        let result = try roll(fixture)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Rolled amp \(old.prefix(10))..\(new[2].prefix(10)) (3 commits)"))
        let superproject = fixture.superproject
        #expect(try superproject.git("rev-parse", "HEAD:amp") == new[2])
        #expect(try superproject.git("rev-parse", "HEAD~1") == parent)
        #expect(try superproject.git("status", "--porcelain").isEmpty)
        #expect(try amp(fixture).head() == new[2])
        let message = try superproject.git("log", "-1", "--format=%B")
        #expect(message == """
            Update amp pointer

            amp: \(old.prefix(10))..\(new[2].prefix(10)) (3 commits)

            \(new[2].prefix(10)) amp: change 3 (Ana Lima)
            \(new[1].prefix(10)) amp: change 2 (Chen Wei 陈伟)
            \(new[0].prefix(10)) amp: change 1 (Ana Lima)

            Amp-Roll: \(old)..\(new[2])
            """)
        #expect(try superproject.git("log", "-1", "--format=%an <%ae>|%cn") == "Test Runner <runner@example.com>|Test Runner")
        #expect(try superproject.git("diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD") == "amp")
    }

    @Test func alreadyUpToDateChangesNothing() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        let before = try fixture.superproject.snapshot()
        let result = try roll(fixture, ["--json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"commit\" : null"))
        #expect(result.stdout.contains("\"commits\" : 0"))
        #expect(try fixture.superproject.snapshot() == before)
        #expect(try roll(fixture).stdout.contains("already at"))
    }

    @Test func rollsToAGivenRevisionAndRefusesARewindUnlessAllowed() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        let new = try fixture.advanceAmp(by: 3)
        #expect(try roll(fixture, ["--to", new[0]]).status == 0)
        #expect(try fixture.superproject.git("rev-parse", "HEAD:amp") == new[0])
        #expect(try roll(fixture, ["--to", "origin/master"]).status == 0)
        #expect(try fixture.superproject.git("rev-parse", "HEAD:amp") == new[2])

        let before = try fixture.superproject.snapshot()
        let ampBefore = try amp(fixture).snapshot()
        let refused = try roll(fixture, ["--to", new[0]])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is not a descendant of amp's current pointer"))
        #expect(refused.stderr.contains("--allow-rewind"))
        #expect(try fixture.superproject.snapshot() == before)
        #expect(try amp(fixture).snapshot().ignoringRemoteTracking == ampBefore.ignoringRemoteTracking)

        let rewound = try roll(fixture, ["--to", new[0], "--allow-rewind"])
        #expect(rewound.status == 0, "\(rewound.stderr)")
        #expect(try fixture.superproject.git("rev-parse", "HEAD:amp") == new[0])
        #expect(try fixture.superproject.git("log", "-1", "--format=%B").contains("(rewind)"))
        #expect(try roll(fixture, ["--to", "no-such-rev"]).stderr.contains("unknown revision 'no-such-rev'"))
    }

    @Test func refusesStagedChangesButLeavesUnstagedOnesAlone() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 1)
        try fixture.superproject.write("pkg/test/test_utils.py", "# staged\n")
        try fixture.superproject.git("add", "pkg/test/test_utils.py")
        let before = try fixture.superproject.snapshot()
        let refused = try roll(fixture)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("1 staged change would go into the roll commit"))
        #expect(try fixture.superproject.snapshot() == before)

        try fixture.superproject.git("reset", "-q")
        let rolled = try roll(fixture)
        #expect(rolled.status == 0, "\(rolled.stderr)")
        #expect(try fixture.superproject.git("status", "--porcelain") == "M pkg/test/test_utils.py")
        #expect(try String(contentsOfFile: fixture.superproject.path + "/pkg/test/test_utils.py", encoding: .utf8) == "# staged\n")
    }

    @Test func refusesADirtySubmoduleAndLocalSubmoduleCommits() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 2)
        let inner = amp(fixture)
        try inner.write("amp.py", "local edit\n")
        var before = try fixture.superproject.snapshot()
        var ampBefore = try inner.snapshot()
        let dirty = try roll(fixture)
        #expect(dirty.status == 2)
        #expect(dirty.stderr.contains("amp has 1 uncommitted change"))
        #expect(try fixture.superproject.snapshot() == before)
        #expect(try inner.snapshot().ignoringRemoteTracking == ampBefore.ignoringRemoteTracking)

        try inner.git("checkout", "-q", "--", "amp.py")
        try inner.commit("local work", files: ["local.py": "1\n"])
        before = try fixture.superproject.snapshot()
        ampBefore = try inner.snapshot()
        let local = try roll(fixture)
        #expect(local.status == 2)
        #expect(local.stderr.contains("amp's HEAD has 1 commit that no remote has"))
        #expect(try fixture.superproject.snapshot() == before)
        #expect(try inner.snapshot().ignoringRemoteTracking == ampBefore.ignoringRemoteTracking)
    }

    @Test func refusesADetachedHead() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 1)
        try fixture.superproject.git("checkout", "-q", "--detach")
        let before = try fixture.superproject.snapshot()
        let result = try roll(fixture)
        #expect(result.status == 2)
        #expect(result.stderr.contains("HEAD is detached"))
        #expect(try fixture.superproject.snapshot() == before)
    }

    @Test func initialisesAndClonesAnUninitialisedSubmoduleResolvingItsRelativeURLFromASubdirectory() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox, initialise: false)
        let new = try fixture.advanceAmp(by: 2)
        // Run from a subdirectory: a relative URL must resolve against the superproject's remote.
        let result = try roll(fixture, in: fixture.superproject.path + "/pkg/test")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try fixture.superproject.git("rev-parse", "HEAD:amp") == new[1])
        #expect(try amp(fixture).head() == new[1])
        #expect(try fixture.superproject.git("config", "submodule.amp.url") == sandbox.root + "/amp.git")
    }

    @Test(arguments: [["--to", "nonsense"], ["--allow-rewind", "--to", "HEAD"]])
    func aRollRefusedAfterCloningTakesTheCloneBack(arguments: [String]) throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox, initialise: false)
        let before = try fixture.superproject.snapshot()
        // --to nonsense fails after the clone; --to HEAD of a fresh clone is the pointer: nothing to do.
        let result = try roll(fixture, arguments)
        #expect(result.status == (arguments.contains("nonsense") ? 2 : 0), "\(result.stderr)")
        #expect(try fixture.superproject.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: fixture.superproject.path + "/.git/modules/amp"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.superproject.path + "/amp") == [])
        #expect((try? fixture.superproject.git("config", "submodule.amp.url")) == nil)
    }

    @Test func anUnreachableRemoteChangesNothing() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 1)
        try amp(fixture).git("remote", "set-url", "origin", sandbox.root + "/nowhere.git")
        let before = try fixture.superproject.snapshot()
        let ampBefore = try amp(fixture).snapshot()
        let result = try roll(fixture, ["--no-pull"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("could not fetch amp"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try fixture.superproject.snapshot() == before)
        #expect(try amp(fixture).snapshot() == ampBefore)

        try fixture.superproject.git("remote", "set-url", "origin", sandbox.root + "/nowhere-super.git")
        let pull = try roll(fixture)
        #expect(pull.status == 2)
        #expect(pull.stderr.contains("could not fetch origin"))
        #expect(try fixture.superproject.snapshot() == before)
    }

    @Test func aLockedIndexChangesNothing() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 1)
        try fixture.superproject.write(".git/index.lock", "")
        let before = try fixture.superproject.snapshot()
        let ampBefore = try amp(fixture).snapshot()
        let result = try roll(fixture)
        #expect(result.status == 2)
        #expect(result.stderr.contains("the index is locked"))
        #expect(try fixture.superproject.snapshot() == before)
        #expect(try amp(fixture).snapshot() == ampBefore)
    }

    @Test func fastForwardsFromTheUpstreamFirstAndRefusesADivergedBranch() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        let colleague = try sandbox.clone(fixture.origin.path, as: "colleague")
        let upstream = try colleague.commit("Colleague's change", files: ["c.py": "1\n"], author: .bjorn)
        try colleague.git("push", "-q", "origin", "master")
        try fixture.advanceAmp(by: 1)
        let result = try roll(fixture)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Fast-forwarded master to \(upstream.prefix(10))"))
        #expect(try fixture.superproject.git("rev-parse", "HEAD~1") == upstream)
        #expect(FileManager.default.fileExists(atPath: fixture.superproject.path + "/c.py"))

        try colleague.commit("Another", files: ["d.py": "1\n"], author: .bjorn)
        try colleague.git("push", "-q", "origin", "master")
        try fixture.superproject.commit("Local work", files: ["e.py": "1\n"])
        try fixture.advanceAmp(by: 1)
        let before = try fixture.superproject.snapshot()
        let diverged = try roll(fixture)
        #expect(diverged.status == 2)
        #expect(diverged.stderr.contains("master and origin/master have diverged (2 and 1 commits)"))
        // the remote-tracking ref may move; nothing else may
        let after = try fixture.superproject.snapshot()
        #expect(after.head == before.head && after.index == before.index && after.status == before.status)
        #expect(try roll(fixture, ["--no-pull"]).status == 0)
    }

    @Test func dryRunChangesNothingNotEvenRemoteTrackingRefs() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        let new = try fixture.advanceAmp(by: 2)
        let before = try fixture.superproject.snapshot()
        let ampBefore = try amp(fixture).snapshot()
        let result = try roll(fixture, ["--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Would roll amp"))
        #expect(result.stdout.contains(String(new[1].prefix(10))))
        #expect(try fixture.superproject.snapshot() == before)
        #expect(try amp(fixture).snapshot() == ampBefore)
        let json = try roll(fixture, ["--dry-run", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["to"] as? String == new[1])
        #expect(report["dryRun"] as? Bool == true)
        #expect(report["commit"] is NSNull)
        #expect(report["submodule"] as? String == "amp" && report["path"] as? String == "amp")
        #expect(try amp(fixture).snapshot() == ampBefore)
    }

    @Test func fastForwardsTheSubmodulesMasterWhenItIsCheckedOut() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try amp(fixture).git("checkout", "-q", "-B", "master", "origin/master")
        let new = try fixture.advanceAmp(by: 2)
        #expect(try roll(fixture).status == 0)
        #expect(try amp(fixture).git("symbolic-ref", "HEAD") == "refs/heads/master")
        #expect(try amp(fixture).git("rev-parse", "master") == new[1])
    }

    @Test func listsAtMostFiftyCommits() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 53)
        #expect(try roll(fixture, ["--message", "Roll amp for the release"]).status == 0)
        let message = try fixture.superproject.git("log", "-1", "--format=%B")
        #expect(message.hasPrefix("Roll amp for the release\n\namp: "))
        #expect(message.contains("(53 commits)"))
        #expect(message.contains("... and 3 more"))
        #expect(message.split(separator: "\n").filter { $0.contains("amp: change") }.count == 50)
    }

    @Test func refusesToMakeAnUnsignedCommitWhenSigningIsRequired() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 1)
        try fixture.superproject.git("config", "commit.gpgSign", "true")
        let before = try fixture.superproject.snapshot()
        let result = try roll(fixture)
        #expect(result.status == 2)
        #expect(result.stderr.contains("commit.gpgSign is true"))
        #expect(try fixture.superproject.snapshot() == before)
    }

    @Test func pushesToTheUpstream() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        let new = try fixture.advanceAmp(by: 1)
        let result = try roll(fixture, ["--push", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"pushed\" : true"))
        #expect(try fixture.origin.git("rev-parse", "master:amp") == new[0])
    }

    @Test func anUnknownSubmoduleIsAClearError() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        let result = try roll(fixture, ["--submodule", "nope"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no submodule named nope"))
    }

    /// `--to master` means the remote's master (just fetched), not a local master that lags.
    @Test func toABranchNameMeansTheRemotesBranch() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try amp(fixture).git("checkout", "-q", "-B", "master", "origin/master")
        let shas = try fixture.advanceAmp(by: 3)
        let result = try roll(fixture, ["--to", "master"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(3 commits)"))
        #expect(try fixture.superproject.git("rev-parse", "HEAD:amp") == shas.last!)
    }

    /// A CI checkout's submodule is shallow: rolling forward is still a roll, not a rewind.
    @Test func rollsForwardInAShallowSubmodule() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox, initialise: false)
        let work = fixture.superproject
        try work.git("config", "submodule.amp.url", "file://" + fixture.ampOrigin.path)
        try work.git("submodule", "update", "-q", "--init", "--depth", "1")
        #expect(FileManager.default.fileExists(atPath: work.path + "/.git/modules/amp/shallow"))
        let shas = try fixture.advanceAmp(by: 3)
        let result = try roll(fixture)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(3 commits)"))
        #expect(try work.git("rev-parse", "HEAD:amp") == shas.last!)
    }

    /// A dry run before the submodule is cloned cannot count the commits, and says so.
    @Test func aDryRunOnAnUninitialisedSubmoduleSaysTheCountIsUnknown() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox, initialise: false)
        try fixture.advanceAmp(by: 4)
        let result = try roll(fixture, ["--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("commits unknown until the submodule is fetched"))
        #expect(!result.stdout.contains("0 commits"))
        let named = try roll(fixture, ["--dry-run", "--to", "master"])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout.contains(String(try fixture.ampWork.head().prefix(10))))
    }

    /// Run inside the submodule's checkout, roll-amp and doctor point at the superproject.
    @Test func insideTheSubmoduleItPointsAtTheSuperproject() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        let inside = fixture.superproject.path + "/amp"
        let result = try roll(fixture, in: inside)
        #expect(result.status == 2)
        #expect(result.stderr.contains("this is the submodule amp of the superproject at \(fixture.superproject.path)"))
        let doctor = try sandbox.bmGit(["doctor"], in: inside)
        #expect(doctor.stdout.contains("the checkout of submodule amp of \(fixture.superproject.path): run bm-git there"))
        #expect(!doctor.stdout.contains("run `git merge"))
    }

    /// A bare repository has no work tree to roll in or revert on: said plainly.
    @Test func aBareRepositoryNeedsAWorkTree() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        for command in [["roll-amp"], ["revert-break", "HEAD"]] {
            let result = try sandbox.bmGit(command, in: fixture.origin.path)
            #expect(result.status == 2)
            #expect(result.stderr.contains("\(command[0]) needs a work tree, and this repository is bare"), "\(result.stderr)")
        }
    }
}
