import Foundation
import Testing
import TestSupport

/// `bm-git doctor` end to end, one repository shape per test, read through `--json`.
@Suite struct DoctorCommandTests {
    private func doctor(_ sandbox: Sandbox, in directory: String,
                        environment: [String: String] = [:]) throws -> [String: Any] {
        let result = try sandbox.bmGit(["doctor", "--json"], in: directory, environment: environment)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func section(_ report: [String: Any], _ key: String) -> [String: Any] {
        report[key] as? [String: Any] ?? [:]
    }

    private func cloneWithOrigin(_ sandbox: Sandbox) throws -> (origin: TestRepo, clone: TestRepo) {
        let origin = try sandbox.makeRepo("origin")
        try origin.commit("one", files: ["pkg/test/test_a.py": "def test_a():\n    pass\n"])
        return (origin, try sandbox.clone(origin.path, as: "clone"))
    }

    @Test func reportsAPlainClone() throws {
        let sandbox = try Sandbox()
        let (origin, clone) = try cloneWithOrigin(sandbox)
        try clone.commit("local work", files: ["x": "1\n"])
        try origin.commit("two", files: ["y": "1\n"])
        try origin.commit("three", files: ["y": "2\n"])
        try clone.git("fetch", "-q")
        let before = try clone.snapshot()
        let report = try doctor(sandbox, in: clone.path)
        #expect(try clone.snapshot() == before)

        let repository = section(report, "repository")
        #expect(repository["root"] as? String == clone.path)
        #expect(repository["gitDir"] as? String == clone.path + "/.git")
        #expect(repository["bare"] as? Bool == false)
        #expect(repository["linkedWorktree"] as? Bool == false)
        #expect(repository["empty"] as? Bool == false)
        let head = section(report, "head")
        #expect(head["branch"] as? String == "master")
        #expect(head["detached"] as? Bool == false)
        #expect(head["commit"] as? String == (try clone.head()))
        let upstream = section(report, "upstream")
        #expect(upstream["ref"] as? String == "refs/remotes/origin/master")
        #expect(upstream["ahead"] as? Int == 1)
        #expect(upstream["behind"] as? Int == 2)
        let main = section(report, "main")
        #expect(main["branch"] as? String == "master" && main["remote"] as? String == "origin")
        let tracking = main["tracking"] as? [String: Any] ?? [:]
        #expect(tracking["exists"] as? Bool == true)
        #expect(tracking["behind"] as? Int == 2)
        #expect(section(report, "status")["staged"] as? Int == 0)
        #expect(section(report, "submodule")["present"] as? Bool == false)
        let hook = section(report, "hook")
        #expect(hook["installed"] as? Bool == false)
        #expect(hook["directory"] as? String == clone.path + "/.git/hooks")
        let settings = report["settings"] as? [[String: Any]] ?? []
        #expect(settings.first?["key"] as? String == "bm.remote")
        #expect(settings.first?["source"] as? String == "default")
        #expect((section(report, "libgit2")["version"] as? String)?.isEmpty == false)
    }

    @Test func reportsTheSameRootFromASubdirectory() throws {
        let sandbox = try Sandbox()
        let (_, clone) = try cloneWithOrigin(sandbox)
        let report = try doctor(sandbox, in: clone.path + "/pkg/test")
        #expect(section(report, "repository")["root"] as? String == clone.path)
        #expect(section(report, "head")["branch"] as? String == "master")
    }

    @Test func reportsALinkedWorktreeWithSharedHooks() throws {
        let sandbox = try Sandbox()
        let (_, clone) = try cloneWithOrigin(sandbox)
        try clone.git("worktree", "add", "-q", "-b", "fix", sandbox.root + "/wt")
        let report = try doctor(sandbox, in: sandbox.root + "/wt")
        let repository = section(report, "repository")
        #expect(repository["root"] as? String == sandbox.root + "/wt")
        #expect(repository["linkedWorktree"] as? Bool == true)
        #expect(repository["commonDir"] as? String == clone.path + "/.git")
        #expect(section(report, "head")["branch"] as? String == "fix")
        #expect(section(report, "hook")["directory"] as? String == clone.path + "/.git/hooks")
        let tracking = section(report, "main")["tracking"] as? [String: Any] ?? [:]
        #expect(tracking["behind"] as? Int == 0)
    }

    @Test func reportsABareRepository() throws {
        let sandbox = try Sandbox()
        let (origin, _) = try cloneWithOrigin(sandbox)
        try sandbox.git(["clone", "-q", "--bare", origin.path, "bare.git"], in: sandbox.root)
        let report = try doctor(sandbox, in: sandbox.root + "/bare.git")
        let repository = section(report, "repository")
        #expect(repository["bare"] as? Bool == true)
        #expect(repository["root"] is NSNull)
        #expect(report["status"] is NSNull)
        #expect(section(report, "head")["branch"] as? String == "master")
        #expect(section(report, "hook")["directory"] as? String == sandbox.root + "/bare.git/hooks")
    }

    @Test func reportsADetachedHead() throws {
        let sandbox = try Sandbox()
        let (_, clone) = try cloneWithOrigin(sandbox)
        let first = try clone.head()
        try clone.commit("two", files: ["z": "1\n"])
        try clone.git("checkout", "-q", first)
        let report = try doctor(sandbox, in: clone.path)
        let head = section(report, "head")
        #expect(head["detached"] as? Bool == true)
        #expect(head["branch"] is NSNull)
        #expect(head["commit"] as? String == first)
        #expect(report["upstream"] is NSNull)
    }

    @Test func reportsARepositoryWithNoCommits() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("empty")
        let report = try doctor(sandbox, in: repo.path)
        #expect(section(report, "repository")["empty"] as? Bool == true)
        let head = section(report, "head")
        #expect(head["unborn"] as? Bool == true)
        #expect(head["branch"] as? String == "master")
        #expect(head["commit"] is NSNull)
        let tracking = section(report, "main")["tracking"] as? [String: Any] ?? [:]
        #expect(tracking["exists"] as? Bool == false)
        #expect(tracking["behind"] is NSNull)
        let text = try sandbox.bmGit(["doctor"], in: repo.path)
        #expect(text.status == 0)
        #expect(text.stdout.contains("no commits yet"))
    }

    @Test func reportsAnUninitialisedAmp() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox, initialise: false)
        let report = try doctor(sandbox, in: fixture.superproject.path)
        let amp = section(report, "submodule")
        #expect(amp["present"] as? Bool == true)
        #expect(amp["path"] as? String == "amp")
        #expect(amp["initialised"] as? Bool == false)
        #expect(amp["cloned"] as? Bool == false)
        #expect(amp["pointer"] as? String == (try fixture.superproject.git("rev-parse", "HEAD:amp")))
        #expect(amp["checkedOut"] is NSNull)
        #expect(amp["tracking"] is NSNull)
        let text = try sandbox.bmGit(["doctor"], in: fixture.superproject.path)
        #expect(text.stdout.contains("not initialised"))
        #expect(text.stdout.contains("git submodule update --init amp"))
    }

    @Test func reportsAnAmpPointerThreeCommitsBehindItsRemote() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        let pointer = try fixture.superproject.git("rev-parse", "HEAD:amp")
        let newest = try fixture.advanceAmp(by: 3).last
        try sandbox.git(["fetch", "-q", "origin"], in: fixture.superproject.path + "/amp")
        let report = try doctor(sandbox, in: fixture.superproject.path)
        let amp = section(report, "submodule")
        #expect(amp["initialised"] as? Bool == true)
        #expect(amp["cloned"] as? Bool == true)
        #expect(amp["branch"] as? String == "master")
        #expect(amp["pointer"] as? String == pointer)
        #expect(amp["checkedOut"] as? String == pointer)
        #expect(amp["url"] as? String == sandbox.root + "/amp.git")
        let tracking = amp["tracking"] as? [String: Any] ?? [:]
        #expect(tracking["ref"] as? String == "refs/remotes/origin/master")
        #expect(tracking["commit"] as? String == newest)
        #expect(tracking["behind"] as? Int == 3)
        #expect(tracking["ahead"] as? Int == 0)
        let text = try sandbox.bmGit(["doctor"], in: fixture.superproject.path)
        #expect(text.stdout.contains("3 behind origin/master"))
    }

    @Test func honoursBmSubmoduleAndItsBranch() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.superproject.git("config", "bm.submodule", "nope")
        let report = try doctor(sandbox, in: fixture.superproject.path)
        #expect(section(report, "submodule")["name"] as? String == "nope")
        #expect(section(report, "submodule")["present"] as? Bool == false)
        let flagged = try sandbox.bmGit(["doctor", "--json", "--submodule", "amp"], in: fixture.superproject.path)
        #expect(flagged.stdout.contains("\"present\" : true"))
    }

    @Test func findsTheRepositoryFromGitDir() throws {
        let sandbox = try Sandbox()
        let (_, clone) = try cloneWithOrigin(sandbox)
        let report = try doctor(sandbox, in: sandbox.root,
                                environment: ["GIT_DIR": clone.path + "/.git", "GIT_WORK_TREE": clone.path])
        #expect(section(report, "repository")["root"] as? String == clone.path)
        #expect(section(report, "head")["branch"] as? String == "master")
        let relative = try doctor(sandbox, in: clone.path + "/pkg", environment: ["GIT_DIR": "../.git"])
        #expect(section(relative, "repository")["gitDir"] as? String == clone.path + "/.git")
    }

    @Test func seesAnInstalledHookThroughCoreHooksPath() throws {
        let sandbox = try Sandbox()
        let (_, clone) = try cloneWithOrigin(sandbox)
        try clone.git("config", "core.hooksPath", ".githooks")
        #expect(try sandbox.bmGit(["install-hooks"], in: clone.path).status == 0)
        var hook = section(try doctor(sandbox, in: clone.path), "hook")
        #expect(hook["directory"] as? String == clone.path + "/.githooks")
        #expect(hook["hooksPath"] as? Bool == true)
        #expect(hook["installed"] as? Bool == true)
        // A foreign hook that quotes the shim's marker line is still not bm-git's.
        try clone.write(".githooks/pre-push", "#!/bin/sh\n# bm-git pre-push shim\nexit 0\n")
        hook = section(try doctor(sandbox, in: clone.path), "hook")
        #expect(hook["installed"] as? Bool == false)
        #expect(hook["foreign"] as? Bool == true)
    }

    @Test func failsOutsideARepositoryWithExitTwo() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.bmGit(["doctor"], in: sandbox.root,
                                       environment: ["GIT_CEILING_DIRECTORIES": sandbox.root])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("bm-git: not a git repository"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        let json = try sandbox.bmGit(["doctor", "--json"], in: sandbox.root,
                                     environment: ["GIT_CEILING_DIRECTORIES": sandbox.root])
        #expect(json.status == 2)
        #expect(json.stdout.contains("\"exitCode\" : 2"))
    }

    @Test func failsOnAnInvalidSettingWithExitTwoAndChangesNothing() throws {
        let sandbox = try Sandbox()
        let (_, clone) = try cloneWithOrigin(sandbox)
        try clone.git("config", "bm.prePush.maxBehind", "many")
        let before = try clone.snapshot()
        let result = try sandbox.bmGit(["doctor"], in: clone.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("bm.prePush.maxBehind"))
        #expect(try clone.snapshot() == before)
    }

    @Test func rejectsUnknownArgumentsWithExit64() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.bmGit(["doctor", "--bogus"], in: sandbox.root).status == 64)
        #expect(try sandbox.bmGit(["no-such-command"], in: sandbox.root).status == 64)
    }
}
