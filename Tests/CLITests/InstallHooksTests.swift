import Foundation
import Testing
import TestSupport

@Suite struct InstallHooksTests {
    private let sourceShim = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../hooks/pre-push").standardizedFileURL.path

    @Test func installsTheShimFromHooksPrePushCallingThisBinary() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let result = try sandbox.bmGit(["install-hooks"], in: repo.path)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("installed bm-git's pre-push hook at \(repo.path)/.git/hooks/pre-push"))
        let hook = repo.path + "/.git/hooks/pre-push"
        let installed = try String(contentsOfFile: hook, encoding: .utf8)
        #expect(installed.contains("installed='\(BMGitBinary.path)'")
                || installed.contains("installed='\(URL(fileURLWithPath: BMGitBinary.path).resolvingSymlinksInPath().path)'"))
        let template = try String(contentsOfFile: sourceShim, encoding: .utf8)
        let line = installed.split(separator: "\n").first { $0.hasPrefix("installed='") }!
        #expect(installed.replacingOccurrences(of: String(line), with: "installed='@BM_GIT@'") == template)
        #expect(FileManager.default.isExecutableFile(atPath: hook))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: repo.path + "/.git/hooks"))
            .contains { $0.hasPrefix(".pre-push") })
    }

    @Test func installingBuildsTheAncestryCacheForTheMainBranch() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        #expect(FileManager.default.fileExists(atPath: fixture.work.path + "/.git/bm-git/ancestry-v2.idx"))
    }

    @Test func reinstallingIsIdempotent() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        #expect(try sandbox.bmGit(["install-hooks"], in: repo.path).status == 0)
        let before = try repo.snapshot()
        let again = try sandbox.bmGit(["install-hooks", "--json"], in: repo.path)
        #expect(again.status == 0)
        #expect(again.stdout.contains("\"action\" : \"unchanged\""))
        #expect(try repo.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/hooks/pre-push.bm-chained"))
    }

    @Test func createsAMissingHooksDirectory() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.git("config", "core.hooksPath", "tools/git-hooks")
        #expect(try sandbox.bmGit(["install-hooks"], in: repo.path).status == 0)
        #expect(FileManager.default.isExecutableFile(atPath: repo.path + "/tools/git-hooks/pre-push"))
    }

    @Test func anUnwritableHooksDirectoryIsAClearErrorAndChangesNothing() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["a-file": "x\n"])
        try repo.git("config", "core.hooksPath", "a-file/hooks")
        let before = try repo.snapshot()
        let result = try sandbox.bmGit(["install-hooks"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("bm-git: cannot write the hooks directory \(repo.path)/a-file/hooks"))
        #expect(try repo.snapshot() == before)
    }

    @Test func statusReportsWhatIsInstalled() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let none = try sandbox.bmGit(["install-hooks", "--status"], in: repo.path)
        #expect(none.status == 0)
        #expect(none.stdout.contains("not installed"))
        _ = try sandbox.bmGit(["install-hooks"], in: repo.path)
        let json = try sandbox.bmGit(["install-hooks", "--status", "--json"], in: repo.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["installed"] as? Bool == true)
        #expect(report["action"] is NSNull)
        #expect(report["chained"] as? Bool == false)
        #expect((report["binary"] as? String)?.hasSuffix("bm-git") == true)
        #expect(report["path"] as? String == repo.path + "/.git/hooks/pre-push")
    }

    @Test func uninstallLeavesAForeignHookAloneAndSaysSoWhenNothingIsInstalled() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let nothing = try sandbox.bmGit(["install-hooks", "--uninstall"], in: repo.path)
        #expect(nothing.status == 0)
        #expect(nothing.stdout.contains("not installed"))
        try repo.write(".git/hooks/pre-push", "#!/bin/sh\nexit 0\n")
        let before = try repo.snapshot()
        let refused = try sandbox.bmGit(["install-hooks", "--uninstall"], in: repo.path)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is not bm-git's hook"))
        #expect(try repo.snapshot() == before)
    }

    @Test func refusesWhenChainingWouldLoseAHook() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.write(".git/hooks/pre-push", "#!/bin/sh\necho mine\n")
        try repo.write(".git/hooks/pre-push.bm-chained", "#!/bin/sh\necho older\n")
        let before = try repo.snapshot()
        let result = try sandbox.bmGit(["install-hooks"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("already exists"))
        #expect(try repo.snapshot() == before)
    }

    /// --force keeps a dangling link aside, as the refusal promised, and uninstall puts it back.
    @Test func forceKeepsADanglingLinkAside() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try FileManager.default.createDirectory(atPath: repo.path + "/.git/hooks", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/.git/hooks/pre-push",
                                                   withDestinationPath: "/nonexistent/hook")
        let refused = try sandbox.bmGit(["install-hooks"], in: repo.path)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--force"))
        let forced = try sandbox.bmGit(["install-hooks", "--force"], in: repo.path)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try sandbox.bmGit(["install-hooks", "--status", "--json"], in: repo.path).stdout
            .contains("\"installed\" : true"))
        let kept = repo.path + "/.git/hooks/pre-push.bm-chained"
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: kept) == "/nonexistent/hook")
        #expect(try sandbox.bmGit(["install-hooks", "--uninstall"], in: repo.path).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: repo.path + "/.git/hooks/pre-push") == "/nonexistent/hook")
    }

    @Test func aShimOfAnEarlierVersionIsReportedAndUpgraded() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        #expect(try sandbox.bmGit(["install-hooks"], in: repo.path).status == 0)
        let hook = repo.path + "/.git/hooks/pre-push"
        let current = try String(contentsOfFile: hook, encoding: .utf8)
        // bm-git 0.1's shim refused every push once bm-git was gone.
        let start = try #require(current.range(of: "if [ -z \"$bm_git\" ]; then\n"))
        let end = try #require(current.range(of: "\nfi\n", range: start.upperBound..<current.endIndex))
        let earlier = current.replacingCharacters(in: start.lowerBound..<end.upperBound, with: """
            if [ -z "$bm_git" ]; then
                case ",${BM_SKIP:-}," in *,pre-push,*|*,all,*) exit 0 ;; esac
                echo "bm-git: the pre-push hook cannot find bm-git (not at $installed, not on PATH); bypass: BM_SKIP=pre-push git push, or remove the hook: bm-git install-hooks --uninstall (or rm $0)" >&2
                exit 1
            fi

            """)
        try earlier.write(toFile: hook, atomically: false, encoding: .utf8)
        let doctor = try sandbox.bmGit(["doctor"], in: repo.path)
        #expect(doctor.stdout.contains("an earlier version: run `bm-git install-hooks` to upgrade it"), "\(doctor.stdout)")
        #expect(try sandbox.bmGit(["doctor", "--json"], in: repo.path).stdout.contains("\"outdated\" : true"))
        #expect(try sandbox.bmGit(["install-hooks"], in: repo.path).status == 0)
        #expect(try String(contentsOfFile: hook, encoding: .utf8) == current)
        #expect(try sandbox.bmGit(["doctor", "--json"], in: repo.path).stdout.contains("\"outdated\" : false"))
    }

    @Test func rejectsContradictoryFlags() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        #expect(try sandbox.bmGit(["install-hooks", "--status", "--uninstall"], in: repo.path).status == 64)
        #expect(try sandbox.bmGit(["install-hooks", "--uninstall", "--force"], in: repo.path).status == 64)
    }

    @Test func theShimFallsBackToPathAndLetsPushesThroughOnceBmGitIsGone() throws {
        let sandbox = try Sandbox()
        let fixture = try PushFixture.make(in: sandbox)
        let hooks = fixture.work.path + "/.git/hooks"
        // A hook that was there before bm-git: it keeps running once bm-git is gone.
        try "#!/bin/sh\necho chained ran >&2\n".write(toFile: hooks + "/pre-push.bm-chained", atomically: false, encoding: .utf8)
        chmod(hooks + "/pre-push.bm-chained", 0o755)
        let shim = try String(contentsOfFile: hooks + "/pre-push", encoding: .utf8)
        let line = String(shim.split(separator: "\n").first { $0.hasPrefix("installed='") }!)
        try shim.replacingOccurrences(of: line, with: "installed='/nonexistent/bm-git'")
            .write(toFile: hooks + "/pre-push", atomically: false, encoding: .utf8)
        try fixture.work.git("branch", "feature")

        // bm-git on PATH: the shim uses it.
        let binDir = sandbox.root + "/bin"
        try FileManager.default.createDirectory(atPath: binDir, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: binDir + "/bm-git", withDestinationPath: BMGitBinary.path)
        let path = binDir + ":" + (sandbox.environment["PATH"] ?? "")
        try fixture.advanceMaster()
        let viaPath = try fixture.push("-q", "origin", "feature", environment: ["PATH": path])
        #expect(viaPath.stderr.contains("push of feature refused"))

        // Nowhere to be found (uninstalled): the push goes through with one line that says what
        // happened and how to remove the hook, and the chained hook still runs.
        let nowhere = try fixture.push("-q", "origin", "feature", environment: ["PATH": try sandbox.pathWithOnly()])
        #expect(nowhere.status == 0, "\(nowhere.stderr)")
        let notes = nowhere.stderr.split(separator: "\n").filter { $0.hasPrefix("bm-git:") }
        #expect(notes == ["bm-git: pre-push check skipped: bm-git is not installed (not at /nonexistent/bm-git, not on PATH); reinstall it, or remove this hook: rm '\(hooks)/pre-push' && mv '\(hooks)/pre-push.bm-chained' '\(hooks)/pre-push'"])
        #expect(nowhere.stderr.contains("chained ran"))
    }
}
