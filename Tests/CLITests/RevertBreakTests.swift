import Foundation
import Testing
import TestSupport

/// `bm-git revert-break` end to end.
@Suite struct RevertBreakTests {
    /// A clone of a bare origin with a few commits; the last one "broke the build".
    private func repoWithBreak(_ sandbox: Sandbox) throws -> (repo: TestRepo, breaking: String) {
        let repo = try sandbox.makeRepo("r")
        try repo.commit("Add utils", files: ["pkg/utils.py": "def clean(s):\n    return s.strip()\n"])
        try repo.commit("Add tests", files: ["pkg/test_utils.py": "def test_clean():\n    assert True\n"], author: .bjorn)
        let breaking = try repo.commit("Break clean()", files: ["pkg/utils.py": "def clean(s):\n    return s\n"],
                                       author: .chen)
        return (repo, breaking)
    }

    private func run(_ sandbox: Sandbox, _ repo: TestRepo, _ arguments: [String]) throws -> ProcessResult {
        try sandbox.bmGit(["revert-break"] + arguments, in: repo.path)
    }

    @Test func revertsAsOneCommitWithGitsMessageAndTrailers() throws {
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        let result = try run(sandbox, repo, [String(breaking.prefix(9)), "--run-url", "https://ci.example/run/7",
                                             "--issue", "https://issues.example/42",
                                             "--test", "pkg/test_utils.py::test_clean", "--test", "pkg/b.py::test_b"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Reverted \(breaking.prefix(7)) \"Break clean()\" by Chen Wei 陈伟 <chen@example.com>"))
        #expect(result.stdout.contains("1 file changed, 1 insertion(+), 1 deletion(-)"))
        let message = try repo.git("log", "-1", "--format=%B")
        #expect(message == """
            Revert "Break clean()"

            This reverts commit \(breaking).

            Build broken since 2026-01-01 00:02 UTC; fix-it-or-revert window of 1h passed.

            Reverts: \(breaking)
            Build-Run: https://ci.example/run/7
            Build-Issue: https://issues.example/42
            Failing-Test: pkg/test_utils.py::test_clean
            Failing-Test: pkg/b.py::test_b
            """)
        #expect(try repo.git("rev-parse", "HEAD~1") == breaking)
        #expect(try repo.git("rev-parse", "HEAD^{tree}") == repo.git("rev-parse", "HEAD~2^{tree}"))
        #expect(try repo.git("status", "--porcelain").isEmpty)
        #expect(try repo.git("log", "-1", "--format=%an <%ae>") == "Test Runner <runner@example.com>")
        #expect(try repo.git("reflog", "-1", "--format=%gs") == "revert: Revert \"Break clean()\"")
    }

    @Test func theWindowRefusesThenNowOrAnEarlierBreakAllow() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("base", files: ["a.py": "1\n"])
        let now = Int64(Date().timeIntervalSince1970)
        try sandbox.git(["commit", "-q", "--allow-empty", "-m", "Fresh break"], in: repo.path,
                        environment: ["GIT_AUTHOR_NAME": "Dana Scott", "GIT_AUTHOR_EMAIL": "dana@example.com",
                                      "GIT_COMMITTER_DATE": "@\(now - 600) +0000", "GIT_AUTHOR_DATE": "@\(now - 600) +0000"])
        try repo.write("a.py", "2\n")
        try sandbox.git(["commit", "-q", "-am", "Fresh break 2"], in: repo.path,
                        environment: ["GIT_AUTHOR_NAME": "Dana Scott", "GIT_AUTHOR_EMAIL": "dana@example.com",
                                      "GIT_COMMITTER_DATE": "@\(now - 600) +0000"])
        let before = try repo.snapshot()
        let refused = try run(sandbox, repo, ["HEAD"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the fix-it window for"))
        #expect(refused.stderr.contains("still open: 50m") || refused.stderr.contains("still open: 49m"))
        #expect(refused.stderr.contains("ask Dana Scott <dana@example.com> for a fix"))
        #expect(try repo.snapshot() == before)
        let json = try run(sandbox, repo, ["HEAD", "--json"])
        #expect(json.status == 1 && json.stdout.contains("\"exitCode\" : 1"))
        #expect(try run(sandbox, repo, ["HEAD", "--window", "5m"]).status == 0)
        try repo.git("reset", "-q", "--hard", "HEAD~1")

        let early = try run(sandbox, repo, ["HEAD", "--now"])
        #expect(early.status == 0)
        #expect(try repo.git("log", "-1", "--format=%B").contains("reverted early with --now."))
        try repo.git("reset", "-q", "--hard", "HEAD~1")

        let past = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now - 7_200)))
        let allowed = try run(sandbox, repo, ["HEAD", "--broken-at", past])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try repo.git("log", "-1", "--format=%B").contains("fix-it-or-revert window of 1h passed."))
        try repo.git("reset", "-q", "--hard", "HEAD~1")
        #expect(try run(sandbox, repo, ["HEAD", "--broken-at", "\(now - 7_200)"]).status == 0)
        try repo.git("reset", "-q", "--hard", "HEAD~1")
        // git's relative dates.
        let relative = try run(sandbox, repo, ["HEAD", "--broken-at", "2 hours ago"])
        #expect(relative.status == 0, "\(relative.stderr)")
        #expect(try repo.git("log", "-1", "--format=%B").contains("fix-it-or-revert window of 1h passed."))
        try repo.git("reset", "-q", "--hard", "HEAD~1")
        let settled = try repo.snapshot()
        let vague = try run(sandbox, repo, ["HEAD", "--broken-at", "the other day"])
        #expect(vague.status == 2)
        #expect(vague.stderr.contains("\"2 hours ago\""))
        #expect(try run(sandbox, repo, ["HEAD", "--broken-at", "@\(now + 7_200)"]).stderr.contains("is in the future"))
        // A bad --window is the flag's error (a usage error), also when it looks like an option.
        for window in ["5x", "-5m"] {
            let bad = try run(sandbox, repo, ["HEAD", "--window", window])
            #expect(bad.status == 64, "\(window): \(bad.stderr)")
            #expect(bad.stderr.contains("invalid value '\(window)' for --window"), "\(bad.stderr)")
        }
        #expect(try repo.snapshot() == settled)
    }

    /// A branch name reverts whatever its tip is by now: that needs --yes (or a yes on a
    /// terminal). Every revert leaves ORIG_HEAD and says how to undo it.
    @Test func aBranchNameNeedsYesAndEveryRevertSaysHowToUndoIt() throws {
        let sandbox = try Sandbox()
        let (repo, _) = try repoWithBreak(sandbox)
        let tip = try repo.head()
        let before = try repo.snapshot()
        let refused = try run(sandbox, repo, ["master", "--now"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("master is a branch, not a commit"))
        #expect(refused.stderr.contains("add --yes"))
        #expect(try repo.snapshot() == before)
        let done = try run(sandbox, repo, ["master", "--now", "--yes"])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("Undo: git reset --keep ORIG_HEAD (ORIG_HEAD is \(tip.prefix(7))"))
        #expect(try repo.sha("ORIG_HEAD") == tip)
        try repo.git("reset", "-q", "--keep", "ORIG_HEAD")
        #expect(try repo.head() == tip)
    }

    @Test func anAlreadyRevertedCommitIsRefusedUnlessTheRevertWasReverted() throws {
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        try repo.git("revert", "--no-edit", breaking)
        let revert = try repo.head()
        let before = try repo.snapshot()
        // Already reverted is nothing to do: exit 0, said on stdout (and as nothingToDo in JSON).
        let refused = try run(sandbox, repo, [breaking])
        #expect(refused.status == 0)
        #expect(refused.stdout.contains("already reverted by \(revert.prefix(7))"))
        #expect(refused.stdout.contains("nothing to do"))
        #expect(try repo.snapshot() == before)
        let json = try run(sandbox, repo, [breaking, "--json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"nothingToDo\""))

        try repo.git("revert", "--no-edit", revert)  // the fix was wrong: the break is live again
        let again = try run(sandbox, repo, [breaking])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try repo.git("rev-parse", "HEAD^{tree}") == repo.git("rev-parse", "\(breaking)~1^{tree}"))
    }

    @Test func aTrailerCountsAsARevertAndRevertingARevertReappliesIt() throws {
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        #expect(try run(sandbox, repo, [breaking]).status == 0)
        let revert = try repo.head()
        #expect(try run(sandbox, repo, [breaking]).stdout.contains("already reverted"))
        // The revert was made just now, so its own window is open: reapplying needs --now.
        #expect(try run(sandbox, repo, [revert]).status == 1)
        let reapply = try run(sandbox, repo, [revert, "--now"])
        #expect(reapply.status == 0)
        #expect(try repo.git("log", "-1", "--format=%s") == "Reapply \"Break clean()\"")
    }

    @Test func aMergeOnTheFirstParentLineDefaultsToMainlineOne() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("base", files: ["a.py": "1\n"])
        try repo.git("checkout", "-q", "-b", "feature")
        try repo.commit("feature", files: ["b.py": "1\n"])
        try repo.git("checkout", "-q", "master")
        try repo.commit("main", files: ["c.py": "1\n"])
        try sandbox.git(["merge", "-q", "--no-ff", "-m", "Merge pull request #7", "feature"], in: repo.path, author: .ana)
        let merge = try repo.head()
        let json = try run(sandbox, repo, [merge, "--dry-run", "--json"])
        #expect(json.stdout.contains("\"mainline\" : 1"))
        let result = try run(sandbox, repo, [merge])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("--mainline 1"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/b.py"))
        #expect(try repo.git("log", "-1", "--format=%B").contains("reversing\nchanges made to \(try repo.sha(merge + "^1"))."))
    }

    @Test func aMergeOffTheFirstParentLineNeedsMainlineAndMainlineNeedsAMerge() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let base = try repo.commit("base", files: ["a.py": "1\n"])
        try repo.git("checkout", "-q", "-b", "feature")
        try repo.commit("feature", files: ["b.py": "1\n"])
        try repo.git("checkout", "-q", "-b", "sync", "master")
        try repo.commit("side", files: ["c.py": "1\n"])
        try repo.git("checkout", "-q", "feature")
        try sandbox.git(["merge", "-q", "--no-ff", "-m", "Merge sync into feature", "sync"], in: repo.path, author: .ana)
        let innerMerge = try repo.head()
        try repo.git("checkout", "-q", "master")
        try sandbox.git(["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"], in: repo.path, author: .ana)
        let before = try repo.snapshot()
        let refused = try run(sandbox, repo, [innerMerge])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--mainline N (1-2)"))
        #expect(try repo.snapshot() == before)
        let notMerge = try run(sandbox, repo, [base, "--mainline", "1"])
        #expect(notMerge.status == 2)
        #expect(notMerge.stderr.contains("is not a merge"))
        #expect(try run(sandbox, repo, [innerMerge, "--mainline", "3"]).stderr.contains("out of range"))
        #expect(try repo.snapshot() == before)
        let explicit = try run(sandbox, repo, [innerMerge, "--mainline", "1"])
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/c.py"))
    }

    @Test func aConflictChangesNothingAndListsThePaths() throws {
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        try repo.commit("Later edit on the same line", files: ["pkg/utils.py": "def clean(s):\n    return s.lower()\n"])
        let before = try repo.snapshot()
        let result = try run(sandbox, repo, [breaking])
        #expect(result.status == 2)
        #expect(result.stderr.contains("conflicts with later changes in pkg/utils.py"))
        #expect(try repo.snapshot() == before)
    }

    @Test func refusesADirtyTreeDetachedHeadAndOperationsInProgress() throws {
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        try repo.write("pkg/test_utils.py", "edited\n")
        var before = try repo.snapshot()
        let dirty = try run(sandbox, repo, [breaking])
        #expect(dirty.status == 2 && dirty.stderr.contains("1 unstaged"))
        #expect(try repo.snapshot() == before)
        try repo.git("add", "pkg/test_utils.py")
        before = try repo.snapshot()
        #expect(try run(sandbox, repo, [breaking]).stderr.contains("1 staged"))
        #expect(try repo.snapshot() == before)
        try repo.git("reset", "-q", "--hard")

        try repo.git("checkout", "-q", "--detach")
        before = try repo.snapshot()
        let detached = try run(sandbox, repo, [breaking])
        #expect(detached.status == 2 && detached.stderr.contains("HEAD is detached"))
        #expect(try repo.snapshot() == before)
        try repo.git("checkout", "-q", "master")

        try repo.write(".git/MERGE_HEAD", breaking + "\n")
        before = try repo.snapshot()
        let merging = try run(sandbox, repo, [breaking])
        #expect(merging.status == 2 && merging.stderr.contains("a merge is in progress"))
        #expect(try repo.snapshot() == before)
    }

    @Test func aLockedIndexChangesNothing() throws {
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        try repo.write(".git/index.lock", "")
        let before = try repo.snapshot()
        let result = try run(sandbox, repo, [breaking])
        #expect(result.status == 2)
        #expect(result.stderr.contains(repo.path + "/.git/index.lock exists"))
        #expect(try repo.snapshot() == before)
    }

    @Test func badRevisionsAreClearErrors() throws {
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        let before = try repo.snapshot()
        let unknown = try run(sandbox, repo, ["0123456789abcdef"])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown revision '0123456789abcdef'"))
        #expect(try run(sandbox, repo, ["not a revision"]).status == 2)
        #expect(try run(sandbox, repo, ["HEAD:pkg"]).stderr.contains("unknown revision 'HEAD:pkg'"))
        #expect(try run(sandbox, repo, ["\(breaking)~99"]).status == 2)
        #expect(try repo.snapshot() == before)
    }

    @Test func anAmbiguousShortShaIsNamedAsSuch() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        // Make enough objects that two share a 4-digit prefix (git's minimum abbreviation).
        var files: [String: String] = [:]
        for n in 0..<400 { files["f\(n).txt"] = "\(n)\n" }
        try repo.commit("many blobs", files: files)
        let shas = try repo.git("rev-list", "--objects", "--all").split(separator: "\n").map { String($0.prefix(40)) }
        var seen: [Substring: String] = [:]
        var prefix: String?
        for sha in shas {
            if seen[sha.prefix(4)] != nil { prefix = String(sha.prefix(4)); break }
            seen[sha.prefix(4)] = sha
        }
        let shared = try #require(prefix)
        let result = try run(sandbox, repo, [shared])
        #expect(result.status == 2)
        #expect(result.stderr.contains("ambiguous revision '\(shared)'"))
    }

    @Test func aCommitNotOnTheBranchNamesTheBranchToSwitchTo() throws {
        let sandbox = try Sandbox()
        let (repo, _) = try repoWithBreak(sandbox)
        try repo.git("checkout", "-q", "-b", "release")
        let elsewhere = try repo.commit("Release fix", files: ["r.txt": "1\n"])
        try repo.git("checkout", "-q", "master")
        let before = try repo.snapshot()
        let result = try run(sandbox, repo, [elsewhere])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is not in the history of master; switch to release (git switch release)"))
        #expect(try repo.snapshot() == before)
    }

    @Test func revertingAnAmpRollSaysWhichRangeIsRolledBack() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("base", files: ["a.py": "1\n"])
        let old = String(repeating: "a", count: 40), new = String(repeating: "b", count: 40)
        try repo.commit("Update amp pointer\n\namp: aaaaaaa..bbbbbbb (2 commits)\n\nAmp-Roll: \(old)..\(new)",
                        files: ["a.py": "2\n"])
        #expect(try run(sandbox, repo, ["HEAD"]).status == 0)
        #expect(try repo.git("log", "-1", "--format=%B").contains("This rolls amp back from \(new) to \(old)"))
    }

    @Test func dryRunPrintsTheMessageAndDiffstatAndChangesNothing() throws {
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        let before = try repo.snapshot()
        let result = try run(sandbox, repo, [breaking, "--dry-run"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Would revert"))
        #expect(result.stdout.contains("    Revert \"Break clean()\""))
        #expect(result.stdout.contains("    This reverts commit \(breaking)."))
        #expect(result.stdout.contains(" pkg/utils.py | 2 +-"))
        #expect(try repo.snapshot() == before)
        let json = try run(sandbox, repo, [breaking, "--dry-run", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["commit"] is NSNull)
        #expect(report["dryRun"] as? Bool == true)
        #expect(report["reverted"] as? String == breaking)
        #expect((report["author"] as? [String: Any])?["email"] as? String == "chen@example.com")
        #expect(report["mainline"] is NSNull)
        #expect(report["windowEndsAt"] as? Int == (report["brokenAt"] as? Int ?? 0) + 3_600)
        #expect(try repo.snapshot() == before)
    }

    @Test func pushesToTheUpstreamAfterTheGuard() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox, installHook: false)
        let breaking = try fixture.work.commit("Break it", files: ["app.py": "boom\n"], author: .chen)
        try fixture.work.git("push", "-q", "origin", "master")
        let result = try sandbox.bmGit(["revert-break", breaking, "--push", "--json"], in: fixture.work.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"pushed\" : true"))
        #expect(try fixture.origin.git("rev-parse", "master") == fixture.work.head())
        #expect(try fixture.work.git("rev-parse", "origin/master") == fixture.work.head())
    }

    @Test func aFailedPushKeepsTheCommitAndSaysSo() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox, installHook: false)
        let breaking = try fixture.work.commit("Break it", files: ["app.py": "boom\n"], author: .chen)
        try fixture.work.git("push", "-q", "origin", "master")
        try fixture.work.git("remote", "set-url", "origin", sandbox.root + "/gone.git")
        let result = try sandbox.bmGit(["revert-break", breaking, "--push"], in: fixture.work.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("but the push failed"))
        #expect(try fixture.work.git("log", "-1", "--format=%s") == "Revert \"Break it\"")
    }

    @Test func anEmptyRepositoryIsAClearError() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("empty")
        let before = try repo.snapshot()
        for command in [["revert-break", "HEAD"], ["roll-amp"]] {
            let result = try sandbox.bmGit(command, in: repo.path)
            #expect(result.status == 2)
            #expect(result.stderr == "bm-git: master has no commits yet; there is nothing to work on\n")
        }
        #expect(try repo.snapshot() == before)
    }

    /// In a shallow CI clone the history walks that look for earlier reverts stop where the
    /// clone's history does, instead of failing on a missing parent.
    @Test func worksInAShallowClone() throws {
        let sandbox = try Sandbox()
        let (origin, _) = try repoWithBreak(sandbox)
        let clone = try sandbox.clone("file://" + origin.path, as: "ci", arguments: ["--depth", "2"])
        let result = try run(sandbox, clone, ["HEAD", "--now"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try clone.git("log", "-1", "--format=%s") == "Revert \"Break clean()\"")
        // At depth 1 the commit's parent is missing: say so, and how to deepen.
        let shallowest = try sandbox.clone("file://" + origin.path, as: "ci1", arguments: ["--depth", "1"])
        let before = try shallowest.snapshot()
        let refused = try run(sandbox, shallowest, ["HEAD", "--now"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("parent is not in this shallow clone") && refused.stderr.contains("git fetch --deepen=1"))
        #expect(try shallowest.snapshot() == before)
    }
}
