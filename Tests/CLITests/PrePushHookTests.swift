import Foundation
import Testing
import TestSupport

/// The pre-push guard end to end: real `git push` to a local bare remote through the installed hook.
@Suite struct PrePushHookTests {
    @Test func refusesABranchThatLacksTheLatestMaster() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("checkout", "-q", "-b", "feature")
        try fixture.work.commit("feature work", files: ["f.py": "x = 1\n"])
        try fixture.advanceMaster(by: 2)
        let before = try fixture.work.snapshot()
        let result = try fixture.push("-q", "origin", "feature")
        #expect(result.status != 0)
        #expect(result.stderr.contains("bm-git: push of feature refused: it lacks 2 commits of origin/master"))
        #expect(result.stderr.contains("the oldest from"))
        #expect(result.stderr.contains("git fetch origin && git merge origin/master"))
        #expect(result.stderr.contains("BM_SKIP=pre-push git push"))
        #expect(result.stderr.contains("--no-verify"))
        #expect(try !fixture.originHas("refs/heads/feature"))
        #expect(try fixture.work.snapshot() == before)
    }

    @Test func acceptsABranchThatMergedMaster() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("checkout", "-q", "-b", "feature")
        try fixture.work.commit("feature work", files: ["f.py": "x = 1\n"])
        try fixture.advanceMaster()
        try fixture.work.git("merge", "-q", "--no-edit", "origin/master")
        let result = try fixture.push("-q", "origin", "feature")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(try fixture.originHas("refs/heads/feature"))
    }

    @Test func checksBrandNewBranchesToo() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("branch", "stale")
        try fixture.advanceMaster()
        try fixture.work.git("branch", "fresh", "origin/master")
        #expect(try fixture.push("-q", "origin", "fresh").status == 0)
        #expect(try fixture.push("-q", "origin", "stale").status != 0)
        #expect(try !fixture.originHas("refs/heads/stale"))
    }

    @Test func theMainBranchItselfDeletesAndTagsPass() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("checkout", "-q", "-b", "old")
        try fixture.work.commit("old work", files: ["o.py": "1\n"])
        #expect(try fixture.push("-q", "origin", "old").status == 0)
        try fixture.advanceMaster()
        try fixture.work.git("tag", "v-old", "old")
        #expect(try fixture.push("-q", "origin", "v-old").status == 0)
        #expect(try fixture.push("-q", "origin", "--delete", "old").status == 0)
        #expect(try !fixture.originHas("refs/heads/old"))
        // Pushing master itself (a fast-forward of an older master) is not the guard's business.
        try fixture.work.git("checkout", "-q", "master")
        try fixture.work.git("merge", "-q", "--ff-only", "origin/master")
        try fixture.work.commit("on master", files: ["m.py": "1\n"])
        #expect(try fixture.push("-q", "origin", "master").status == 0)
    }

    @Test func reportsEveryRefusedRefOfAMultiRefPush() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("branch", "behind-one")
        try fixture.work.git("branch", "behind-two")
        try fixture.advanceMaster()
        try fixture.work.git("branch", "good", "origin/master")
        let result = try fixture.push("-q", "origin", "good", "behind-one", "behind-two")
        #expect(result.status != 0)
        #expect(result.stderr.contains("push of behind-one refused"))
        #expect(result.stderr.contains("push of behind-two refused"))
        #expect(!result.stderr.contains("push of good refused"))
        // Neither branch is checked out: each fix checks its branch out before merging.
        #expect(result.stderr.contains("fix it:  git fetch origin && git checkout behind-one && git merge origin/master"))
        #expect(result.stderr.contains("fix it:  git fetch origin && git checkout behind-two && git merge origin/master"))
        #expect(result.stderr.components(separatedBy: "fix it:").count == 3)
        #expect(try !fixture.originHas("refs/heads/good"))
    }

    @Test func bmSkipBypassesTheCheck() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("branch", "stale")
        try fixture.advanceMaster()
        let result = try fixture.push("-q", "origin", "stale", environment: ["BM_SKIP": "pre-push"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("skipped"))
        #expect(try fixture.originHas("refs/heads/stale"))
    }

    @Test func maxBehindToleratesAFewMissingCommits() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("branch", "stale")
        try fixture.advanceMaster(by: 2)
        try fixture.work.git("config", "bm.prePush.maxBehind", "2")
        let allowed = try fixture.push("-q", "origin", "stale")
        #expect(allowed.status == 0)
        #expect(allowed.stderr.contains("lacks 2 commits of origin/master (allowed: bm.prePush.maxBehind = 2)"))
        try fixture.work.git("config", "bm.prePush.maxBehind", "1")
        try fixture.work.git("branch", "stale2", "stale")
        #expect(try fixture.push("-q", "origin", "stale2").status != 0)
    }

    @Test func fetchesMasterFirstWhenAsked() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("branch", "looks-fresh")
        try fixture.advanceMaster(fetch: false)
        #expect(try fixture.push("-q", "origin", "looks-fresh").status == 0)
        try fixture.work.git("config", "bm.prePush.fetch", "true")
        try fixture.work.git("branch", "looks-fresh-too", "looks-fresh")
        let result = try fixture.push("-q", "origin", "looks-fresh-too")
        #expect(result.status != 0)
        #expect(result.stderr.contains("lacks 1 commit of origin/master"))
        #expect(try fixture.work.git("rev-parse", "origin/master") == fixture.other.head())
    }

    @Test func anUnreachableRemoteOnlyWarnsAndUsesTheCachedRef() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("remote", "add", "upstream", sandbox.root + "/does-not-exist.git")
        try fixture.work.git("update-ref", "refs/remotes/upstream/master", "origin/master")
        try fixture.work.git("config", "bm.remote", "upstream")
        try fixture.work.git("config", "bm.prePush.fetch", "true")
        try fixture.work.git("config", "bm.prePush.fetchTimeout", "3s")
        try fixture.work.git("branch", "fine")
        let result = try fixture.push("-q", "origin", "fine")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: could not fetch upstream master"))
        #expect(result.stderr.contains("checking against the last fetched upstream/master"))
    }

    @Test func aMissingTrackingRefIsRefusedWithTheCommandThatCreatesIt() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("config", "bm.mainBranch", "trunk")
        try fixture.work.git("branch", "feature")
        let result = try fixture.push("-q", "origin", "feature")
        #expect(result.status != 0)
        #expect(result.stderr.contains("refs/remotes/origin/trunk does not exist"))
        #expect(result.stderr.contains("git fetch origin trunk"))
    }

    @Test func worksWithCoreHooksPathRelativeAndAbsolute() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox, installHook: false)
        try fixture.work.git("config", "core.hooksPath", ".githooks")
        #expect(try sandbox.bmGit(["install-hooks"], in: fixture.work.path).status == 0)
        #expect(FileManager.default.fileExists(atPath: fixture.work.path + "/.githooks/pre-push"))
        try fixture.work.git("branch", "stale")
        try fixture.advanceMaster()
        #expect(try fixture.push("-q", "origin", "stale").status != 0)

        let absolute = sandbox.root + "/shared-hooks"
        try fixture.work.git("config", "core.hooksPath", absolute)
        #expect(try sandbox.bmGit(["install-hooks"], in: fixture.work.path + "/.githooks").status == 0)
        #expect(FileManager.default.fileExists(atPath: absolute + "/pre-push"))
        #expect(try fixture.push("-q", "origin", "stale").status != 0)
        #expect(try fixture.push("-q", "origin", "stale", environment: ["BM_SKIP": "all"]).status == 0)
    }

    @Test func worksFromALinkedWorktree() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox, installHook: false)
        let worktree = sandbox.root + "/wt"
        try fixture.work.git("worktree", "add", "-q", "-b", "wt-branch", worktree)
        #expect(try sandbox.bmGit(["install-hooks"], in: worktree).status == 0)
        #expect(FileManager.default.fileExists(atPath: fixture.work.path + "/.git/hooks/pre-push"))
        try fixture.advanceMaster()
        let result = try Shell.run(Shell.which("git")!, ["push", "-q", "origin", "wt-branch"], in: worktree,
                                   environment: sandbox.environment)
        #expect(result.status != 0)
        #expect(result.stderr.contains("push of wt-branch refused"))
    }

    @Test func aPreviousHookIsChainedGetsTheSameInputAndIsRestored() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox, installHook: false)
        let hooks = fixture.work.path + "/.git/hooks"
        let log = sandbox.root + "/chained.log"
        let original = "#!/bin/sh\necho \"args: $*\" >> '\(log)'\ncat >> '\(log)'\nexit ${CHAINED_EXIT:-0}\n"
        try fixture.work.write(".git/hooks/pre-push", original)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hooks + "/pre-push")

        let install = try sandbox.bmGit(["install-hooks"], in: fixture.work.path)
        #expect(install.status == 0)
        #expect(install.stdout.contains("pre-push.bm-chained"))
        #expect(try String(contentsOfFile: hooks + "/pre-push.bm-chained", encoding: .utf8) == original)
        #expect(try sandbox.bmGit(["install-hooks"], in: fixture.work.path).stdout.contains("already installed"))

        try fixture.work.git("branch", "feature")
        #expect(try fixture.push("-q", "origin", "feature").status == 0)
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        let sha = try fixture.work.sha("feature")
        #expect(logged.contains("args: origin \(fixture.origin.path)"))
        #expect(logged.contains("refs/heads/feature \(sha) refs/heads/feature \(String(repeating: "0", count: 40))"))

        try fixture.work.git("branch", "feature2")
        let refused = try fixture.push("-q", "origin", "feature2", environment: ["CHAINED_EXIT": "3"])
        #expect(refused.status != 0)
        #expect(try !fixture.originHas("refs/heads/feature2"))

        let status = try sandbox.bmGit(["install-hooks", "--status", "--json"], in: fixture.work.path)
        #expect(status.stdout.contains("\"chained\" : true"))
        let uninstall = try sandbox.bmGit(["install-hooks", "--uninstall"], in: fixture.work.path)
        #expect(uninstall.status == 0)
        #expect(try String(contentsOfFile: hooks + "/pre-push", encoding: .utf8) == original)
        #expect(!FileManager.default.fileExists(atPath: hooks + "/pre-push.bm-chained"))
    }

    @Test func readsThePushFromPreCommitEnvironment() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox, installHook: false)
        let stale = try fixture.work.head()
        try fixture.advanceMaster()
        let zero = String(repeating: "0", count: 40)
        var environment = ["PRE_COMMIT_FROM_REF": zero, "PRE_COMMIT_TO_REF": stale,
                           "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/feature", "PRE_COMMIT_REMOTE_NAME": "origin",
                           "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/feature"]
        let refused = try sandbox.bmGit(["hook", "pre-push", "--from-env"], in: fixture.work.path,
                                        environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("push of feature refused"))
        environment["PRE_COMMIT_TO_REF"] = try fixture.work.sha("origin/master")
        #expect(try sandbox.bmGit(["hook", "pre-push", "--from-env"], in: fixture.work.path,
                                  environment: environment).status == 0)
        // A push to an empty fork: pre-commit names only the local branch.
        try fixture.work.git("branch", "feature", stale)
        environment["PRE_COMMIT_TO_REF"] = nil
        environment["PRE_COMMIT_FROM_REF"] = nil
        let fork = try sandbox.bmGit(["hook", "pre-push", "--from-env"], in: fixture.work.path, environment: environment)
        #expect(fork.status == 1)
        #expect(fork.stderr.contains("push of feature refused"))
        // No ref at all (`pre-commit run --hook-stage pre-push` by hand): the current branch.
        try fixture.work.git("checkout", "-q", "feature")
        let byHand = try sandbox.bmGit(["hook", "pre-push", "--from-env"], in: fixture.work.path)
        #expect(byHand.stderr.contains("no pushed refs were given; checking the current branch, feature"))
        #expect(byHand.stderr.contains("fix it:  git fetch origin && git merge origin/master"))
        #expect(byHand.status == 1)
    }

    @Test(arguments: ["garbage\n", "refs/heads/a 123 refs/heads/a 456\n", "only three fields\n",
                      "refs/heads/a \(String(repeating: "g", count: 40)) refs/heads/a \(String(repeating: "0", count: 40))\n",
                      "\u{1B}[31m\u{00}\u{FF}binary\n"])
    func malformedInputExitsTwoAndChangesNothing(input: String) throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        let before = try fixture.work.snapshot()
        let result = try sandbox.bmGit(["hook", "pre-push", "origin", "url"], in: fixture.work.path, input: input)
        #expect(result.status == 2)
        #expect(result.stderr.contains("malformed pre-push input on line 1"))
        #expect(!result.stderr.contains("\u{1B}"))
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.hasPrefix("bm-git: bypass:  BM_SKIP=pre-push git push") == true)
        #expect(try fixture.work.snapshot() == before)
    }

    /// With `origin/HEAD -> origin/main` and an old `origin/master` left beside it, the guard
    /// compares with main, and doctor says why.
    @Test func theMainBranchComesFromOriginHEAD() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        let work = fixture.work
        try work.git("branch", "stale")
        try fixture.advanceMaster()
        try work.git("update-ref", "refs/remotes/origin/main", "origin/master")
        try work.git("update-ref", "refs/remotes/origin/master", "origin/master~1")
        try work.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
        let refused = try fixture.push("-q", "origin", "stale")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("push of stale refused: it lacks 1 commit of origin/main"))
        let doctor = try sandbox.bmGit(["doctor", "--json"], in: work.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8)) as? [String: Any])
        let main = try #require(report["main"] as? [String: Any])
        #expect(main["branch"] as? String == "main")
        #expect(main["reason"] as? String == "origin/HEAD points to it")
        #expect(try sandbox.bmGit(["doctor"], in: work.path).stdout.contains("(main branch: origin/HEAD points to it)"))
    }

    @Test func aMissingRemoteIsNamedWithTheWayOutAndTheBypass() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("branch", "feature")
        try fixture.work.git("config", "bm.remote", "upstream")
        let before = try fixture.work.snapshot()
        let result = try fixture.push("-q", "origin", "feature")
        #expect(result.status != 0)
        #expect(result.stderr.contains("bm-git: cannot check the push: there is no remote named upstream; set bm.remote to one of: origin"))
        #expect(result.stderr.contains("bm-git: bypass:  BM_SKIP=pre-push git push"))
        #expect(try fixture.work.snapshot() == before)
        try fixture.work.git("remote", "remove", "origin")
        let none = try sandbox.bmGit(["hook", "pre-push", "x", "y"], in: fixture.work.path,
                                     input: "refs/heads/feature \(try fixture.work.head()) refs/heads/feature \(String(repeating: "0", count: 40))\n")
        #expect(none.status == 2)
        #expect(none.stderr.contains("the repository has no remote; add one"))
    }

    /// bm.mainBranch (and so every refusal line) may hold C1 controls and bidi overrides; none
    /// reach the terminal.
    @Test func refusalLinesAreSanitised() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        try fixture.work.git("branch", "stale")
        try fixture.advanceMaster()
        let name = "ma\u{202E}st\u{9B}er"
        try fixture.work.git("update-ref", "refs/remotes/origin/\(name)", "origin/master")
        try fixture.work.git("config", "bm.mainBranch", name)
        let result = try fixture.push("-q", "origin", "stale")
        #expect(result.status == 1)
        // U+009B is a CSI introducer: it and its sequence (up to the final "e") are dropped.
        #expect(result.stderr.contains("lacks 1 commit of origin/ma?str,"))
        #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x9B })
    }

    /// The shim fails closed: a bm-git that ends in any way but 0, 1 or 2 (a lost command line
    /// answered with usage's 64, a crash) refuses the push and says so.
    @Test(arguments: ["exit 64", "kill -SEGV $$"])
    func theShimFailsClosedOnAnUnexpectedExit(ending: String) throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        let fake = sandbox.root + "/fake-bm-git"
        try "#!/bin/sh\ncat >/dev/null\n\(ending)\n".write(toFile: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        let hook = fixture.work.path + "/.git/hooks/pre-push"
        let shim = try String(contentsOfFile: hook, encoding: .utf8)
        let line = shim.split(separator: "\n").first { $0.hasPrefix("installed='") }!
        try shim.replacingOccurrences(of: String(line), with: "installed='\(fake)'").write(toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        try fixture.work.git("branch", "feature")
        let result = try fixture.push("-q", "origin", "feature")
        #expect(result.status != 0)
        #expect(result.stderr.contains("the pre-push check ended unexpectedly"))
        #expect(result.stderr.contains("BM_SKIP=pre-push git push"))
        #expect(try !fixture.originHas("refs/heads/feature"))
    }

    @Test func noSubcommandIsAUsageError() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.bmGit([], in: sandbox.root)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("bm-git: no command given"))
    }

    @Test func emptyInputPasses() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        let result = try sandbox.bmGit(["hook", "pre-push", "origin", "url"], in: fixture.work.path, input: "\n")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }
}
