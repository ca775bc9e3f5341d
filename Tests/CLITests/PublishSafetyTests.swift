import Foundation
import Testing
import TestSupport

/// What the fault-injection run found in revert-break and roll-amp, each reproduced on a
/// purpose-built repository: the command completes or changes nothing.
@Suite struct PublishSafetyTests {
    private func repoWithBreak(_ sandbox: Sandbox) throws -> (repo: TestRepo, breaking: String) {
        let repo = try sandbox.makeRepo("r")
        try repo.commit("base", files: ["pkg/a.py": "1\n", "pkg/b.py": "1\n", "old/gone.py": "g\n"])
        let breaking = try repo.commit("break", files: ["pkg/a.py": "2\n", "pkg/b.py": "2\n", "new/added.py": "n\n"],
                                       author: .chen)
        try repo.commit("later", files: ["pkg/later.py": "l\n"])
        return (repo, breaking)
    }

    private var strace: String? { Shell.which("strace") }

    /// For runs under strace: LeakSanitizer (in the sanitizer build) cannot work under ptrace.
    private func traced(_ sandbox: Sandbox) -> [String: String] {
        sandbox.environment.merging(["ASAN_OPTIONS": "detect_leaks=0"]) { $1 }
    }

    @Test func aReadOnlyTrackedFileIsReplacedAsGitRevertReplacesIt() throws {
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: repo.path + "/pkg/a.py")
        let result = try sandbox.bmGit(["revert-break", "--now", breaking], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: repo.path + "/pkg/a.py", encoding: .utf8) == "1\n")
        #expect(try repo.git("status", "--porcelain") == "")
    }

    @Test func anInjectedWriteFailureMidCheckoutPutsEveryFileBack() throws {
        guard let strace else { return }
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        let before = try repo.snapshot()
        // The second file replacement fails, after the first one was done.
        let result = try Shell.run(strace, ["-f", "-qq", "-o", "/dev/null", "-e", "trace=rename",
                                            "-e", "inject=rename:error=EIO:when=2", "--", BMGitBinary.path,
                                            "revert-break", "--now", breaking],
                                   in: repo.path, environment: traced(sandbox))
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("bm-git: "))
        #expect(try repo.snapshot() == before)
    }

    @Test func aKillMidPublishIsRecoveredAndRecoverIsIdempotent() throws {
        guard let strace else { return }
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        let head = try repo.head()
        // Kills at each rename of the publish: journal, index, ref update, index commit.
        for when in 1...7 {
            try repo.git("reset", "-q", "--hard", head)
            let before = try repo.snapshot()
            _ = try Shell.run(strace, ["-f", "-qq", "-o", "/dev/null", "-e", "trace=rename",
                                       "-e", "inject=rename:signal=SIGKILL:when=\(when)", "--", BMGitBinary.path,
                                       "revert-break", "--now", breaking],
                              in: repo.path, environment: traced(sandbox))
            if FileManager.default.fileExists(atPath: repo.path + "/.git/bm-git/publish-journal") {
                let refused = try sandbox.bmGit(["revert-break", "--now", breaking], in: repo.path)
                #expect(refused.status == 2 && refused.stderr.contains("bm-git recover"))
                #expect(try sandbox.bmGit(["doctor"], in: repo.path).stdout.contains("bm-git recover"))
            }
            let recovered = try sandbox.bmGit(["recover"], in: repo.path)
            #expect(recovered.status == 0, "\(when): \(recovered.stderr)")
            #expect(try sandbox.bmGit(["recover"], in: repo.path).stdout.contains("Nothing to recover"))
            let after = try repo.snapshot()
            if try repo.head() == head {
                #expect(after == before, "kill at rename #\(when)")
            } else {
                #expect(try repo.git("log", "-1", "--format=%s").hasPrefix("Revert"), "kill at rename #\(when)")
                #expect(after.status == "" && after.stateFiles.filter { $0 != "ORIG_HEAD" } == [], "kill at rename #\(when)")
            }
        }
    }

    @Test func aKillInALinkedWorktreeIsRecoveredFromThere() throws {
        guard let strace else { return }
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        try repo.git("worktree", "add", "-q", "-b", "duty", sandbox.root + "/wt")
        let worktree = TestRepo(sandbox: sandbox, path: sandbox.root + "/wt")
        let before = try worktree.snapshot()
        // Killed at the branch update (the fourth rename: journal twice, index, then the ref).
        _ = try Shell.run(strace, ["-f", "-qq", "-o", "/dev/null", "-e", "trace=rename",
                                   "-e", "inject=rename:signal=SIGKILL:when=5", "--", BMGitBinary.path,
                                   "revert-break", "--now", breaking],
                          in: worktree.path, environment: traced(sandbox))
        let recovered = try sandbox.bmGit(["recover"], in: worktree.path)
        #expect(recovered.status == 0, "\(recovered.stderr)")
        #expect(try worktree.git("status", "--porcelain") == "")
        if try worktree.head() == before.head.split(separator: " ").last.map(String.init) {
            #expect(try worktree.snapshot() == before)
        }
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/refs/heads/duty.lock"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/worktrees/wt/index.lock"))
    }

    @Test func aStaleSubmoduleHeadLockFailsTheRollNamingItAndChangesNothing() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 2)
        let amp = TestRepo(sandbox: sandbox, path: fixture.superproject.path + "/amp")
        try amp.git("checkout", "-q", "--detach")
        try fixture.superproject.write(".git/modules/amp/HEAD.lock", "")
        // Fetch first, so that only the publish can differ from before.
        try amp.git("fetch", "-q", "origin")
        let before = try fixture.superproject.snapshot(), ampBefore = try amp.snapshot()
        let result = try sandbox.bmGit(["roll-amp", "--no-pull"], in: fixture.superproject.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("modules/amp/HEAD.lock exists"), "\(result.stderr)")
        #expect(try fixture.superproject.snapshot() == before)
        #expect(try amp.snapshot().ignoringRemoteTracking == ampBefore.ignoringRemoteTracking)
    }

    @Test func fetchHeadStaysByteIdenticalWhetherTheRollHappensOrIsRefused() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 1)
        let content = "0123456789012345678901234567890123456789\t\tbranch 'x' of elsewhere\n"
        try fixture.superproject.write(".git/FETCH_HEAD", content)
        try fixture.superproject.write(".git/modules/amp/FETCH_HEAD", content)
        try fixture.superproject.write("amp/amp.py", "local work\n")
        let refused = try sandbox.bmGit(["roll-amp"], in: fixture.superproject.path)
        #expect(refused.status == 2, "\(refused.stderr)")
        try TestRepo(sandbox: sandbox, path: fixture.superproject.path + "/amp").git("checkout", "-q", "--", "amp.py")
        let rolled = try sandbox.bmGit(["roll-amp"], in: fixture.superproject.path)
        #expect(rolled.status == 0, "\(rolled.stderr)")
        for path in [".git/FETCH_HEAD", ".git/modules/amp/FETCH_HEAD"] {
            #expect(try String(contentsOfFile: fixture.superproject.path + "/" + path, encoding: .utf8) == content)
        }
    }

    @Test func aReadOnlyRepositoryCanBeInspectedAndPlannedIn() throws {
        guard getuid() == 0, let setpriv = Shell.which("setpriv") else { return }
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        let home = sandbox.root + "/nobody"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try "[safe]\n\tdirectory = \(repo.path)\n[user]\n\tname = N\n\temail = n@example.com\n"
            .write(toFile: home + "/.gitconfig", atomically: true, encoding: .utf8)
        _ = try Shell.run("/bin/chmod", ["-R", "a+rX", sandbox.root], in: sandbox.root, environment: sandbox.environment)
        let before = try repo.snapshot()
        for arguments in [["doctor"], ["revert-break", "--dry-run", "--now", breaking]] {
            let result = try Shell.run(setpriv, ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "env",
                                                 "HOME=\(home)", BMGitBinary.path] + arguments,
                                       in: repo.path, environment: sandbox.environment)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        #expect(try repo.snapshot() == before)
    }

    @Test func aSymlinkedSubmodulePathIsNeverClonedThrough() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox, initialise: false)
        try fixture.advanceAmp(by: 1)
        let outside = sandbox.root + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: fixture.superproject.path + "/amp")
        try FileManager.default.createSymbolicLink(atPath: fixture.superproject.path + "/amp", withDestinationPath: outside)
        let result = try sandbox.bmGit(["roll-amp"], in: fixture.superproject.path)
        #expect(result.status == 2 && result.stderr.contains("symbolic link"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == [])
        #expect(!FileManager.default.fileExists(atPath: fixture.superproject.path + "/.git/modules/amp"))
    }

    @Test func aBranchTheRemoteNoLongerHasIsNotReadFromTheStaleTrackingRef() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 1)
        let amp = TestRepo(sandbox: sandbox, path: fixture.superproject.path + "/amp")
        try amp.git("fetch", "-q", "origin")
        try fixture.ampOrigin.git("branch", "-m", "master", "main")
        let result = try sandbox.bmGit(["roll-amp", "--no-pull"], in: fixture.superproject.path)
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stderr.contains("origin/master"))
    }

    @Test func aFailedFirstCloneLeavesNoEmptyConfigSection() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox, initialise: false)
        try FileManager.default.moveItem(atPath: sandbox.root + "/amp.git", toPath: sandbox.root + "/amp-moved.git")
        let config = try String(contentsOfFile: fixture.superproject.path + "/.git/config", encoding: .utf8)
        let result = try sandbox.bmGit(["roll-amp"], in: fixture.superproject.path)
        #expect(result.status == 2)
        #expect(try String(contentsOfFile: fixture.superproject.path + "/.git/config", encoding: .utf8) == config)
    }

    @Test func hugeTimesAndAClosedStdoutNeitherTrap() throws {
        let sandbox = try Sandbox()
        let (repo, breaking) = try repoWithBreak(sandbox)
        let huge = "9223372036854775807", head = try repo.head()
        for arguments in [["--window", huge], ["--broken-at", huge], ["--broken-at=-" + huge]] {
            let result = try sandbox.bmGit(["revert-break", breaking] + arguments, in: repo.path)
            #expect([0, 1, 2].contains(result.status), "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.status == 0 || result.stderr.hasPrefix("bm-git: "))
            try repo.git("reset", "-q", "--hard", head)
        }
        #expect(try sandbox.bmGit(["revert-break", breaking, "--broken-at", "2999-01-01T00:00:00Z"], in: repo.path)
            .stderr.contains("in the future"))
        let closed = try Shell.run("/bin/sh", ["-c", "'\(BMGitBinary.path)' revert-break --now \(breaking) >&-; echo $?"],
                                   in: repo.path, environment: sandbox.environment)
        #expect(closed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(try repo.git("log", "-1", "--format=%s").hasPrefix("Revert"))
    }
}
