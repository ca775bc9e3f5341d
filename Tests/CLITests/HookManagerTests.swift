import Foundation
import Testing
import TestSupport

/// The guard under the hook managers teams really use: lefthook and pre-commit themselves
/// (installed from the Python package index), a husky-style dispatcher, and bm-git's own shim.
/// Each runs the same real pushes: a stale branch that is not checked out, a multi-ref push
/// with one stale ref, pushes to an empty fork, and a branch whose only change is a deletion.
@Suite(.serialized) struct HookManagerTests {
    private static let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardizedFileURL.path

    /// A push fixture whose master has `config` committed (the manager's own files), then the
    /// branches: `stale` and `deletes` (only deletes a file) lack master's newest commit;
    /// `good` has it and is checked out; `fork` is an empty remote.
    private func scenario(_ sandbox: Sandbox, config: [String: String]) throws -> PushFixture {
        let fixture = try PushFixture.make(in: sandbox, installHook: false)
        let work = fixture.work
        if !config.isEmpty {
            for (path, text) in config {
                try work.write(path, text)
                // Committed hook scripts are executable, or git ignores them.
                if !path.hasSuffix(".yml") && !path.hasSuffix(".yaml") {
                    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: work.path + "/" + path)
                }
            }
            try work.git("add", "-A")
            try work.git("commit", "-q", "-m", "hook manager configuration")
            try work.git("push", "-q", "origin", "master")
            try fixture.other.git("pull", "-q", "origin", "master")
        }
        try work.git("checkout", "-q", "-b", "stale")
        try work.commit("stale work", files: ["stale.py": "1\n"])
        try work.git("checkout", "-q", "-b", "deletes", "master")
        try work.git("rm", "-q", "app.py")
        try work.git("commit", "-q", "-m", "delete app.py")
        try fixture.advanceMaster()
        try work.git("checkout", "-q", "-b", "good", "origin/master")
        try work.commit("good work", files: ["good.py": "1\n"])
        _ = try sandbox.makeRepo("fork.git", bare: true)
        try work.git("remote", "add", "fork", sandbox.root + "/fork.git")
        return fixture
    }

    /// PATH with bm-git's directory and the hook managers first.
    private func toolPath() throws -> [String: String] {
        let bmGit = URL(fileURLWithPath: BMGitBinary.path).deletingLastPathComponent().path
        return ["PATH": "\(try PythonTools.binDirectory()):\(bmGit):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"]
    }

    /// The four pushes every manager must get right.
    private func expectGuardHolds(_ fixture: PushFixture, _ manager: String, multiRefOrder: [String] = ["stale", "good"]) throws {
        let environment = try toolPath()
        // pre-commit prints its hooks' output on stdout, git on stderr: read both.
        let stale = try fixture.push("origin", "stale", environment: environment)
        let staleOutput = stale.stdout + stale.stderr
        #expect(stale.status != 0, "\(manager): a stale branch that is not checked out was pushed")
        #expect(staleOutput.contains("push of stale refused"), "\(manager): \(staleOutput)")
        #expect(staleOutput.contains("git checkout stale && git merge origin/master"), "\(manager)")
        #expect(try !fixture.originHas("refs/heads/stale"))

        let multi = try fixture.push(["origin"] + multiRefOrder, environment: environment)
        #expect(multi.status != 0, "\(manager): a multi-ref push with a stale ref went through")
        #expect(try !fixture.originHas("refs/heads/stale") && !fixture.originHas("refs/heads/good"), "\(manager)")

        let forkGood = try fixture.push("fork", "good", environment: environment)
        #expect(forkGood.status == 0, "\(manager): a good branch could not be pushed to an empty fork: \(forkGood.stderr)")
        let forkStale = try fixture.push("fork", "stale", environment: environment)
        #expect(forkStale.status != 0, "\(manager): a stale branch was pushed to an empty fork")

        let deletes = try fixture.push("origin", "deletes", environment: environment)
        #expect(deletes.status != 0, "\(manager): a branch that only deletes files was pushed")
        #expect((deletes.stdout + deletes.stderr).contains("push of deletes refused"), "\(manager): \(deletes.stderr)")
    }

    @Test func bmGitsOwnShim() throws {
        let sandbox = try Sandbox()
        let fixture = try scenario(sandbox, config: [:])
        #expect(try sandbox.bmGit(["install-hooks"], in: fixture.work.path).status == 0)
        try expectGuardHolds(fixture, "bm-git shim", multiRefOrder: ["good", "stale"])
    }

    @Test func lefthookWithTheReadmeSnippet() throws {
        let sandbox = try Sandbox()
        let snippet = """
        pre-push:
          commands:
            bm-merged-master:
              run: bm-git hook pre-push {1} {2}
              use_stdin: true

        """
        let fixture = try scenario(sandbox, config: ["lefthook.yml": snippet])
        let install = try Shell.run(try PythonTools.binDirectory() + "/lefthook", ["install"], in: fixture.work.path,
                                    environment: sandbox.environment.merging(try toolPath()) { $1 })
        #expect(install.status == 0, "\(install.stderr)")
        try expectGuardHolds(fixture, "lefthook", multiRefOrder: ["good", "stale"])
        let status = try sandbox.bmGit(["install-hooks", "--status"], in: fixture.work.path)
        #expect(status.stdout.contains("another pre-push hook"))

        // `lefthook install` after bm-git's: lefthook keeps our shim as pre-push.old and never
        // runs it. Status says the check is not running; installing again puts it in front.
        #expect(try sandbox.bmGit(["install-hooks"], in: fixture.work.path).status == 0)
        let again = try Shell.run(try PythonTools.binDirectory() + "/lefthook", ["install", "--force"], in: fixture.work.path,
                                  environment: sandbox.environment.merging(try toolPath()) { $1 })
        #expect(again.status == 0, "\(again.stderr)")
        let displaced = try sandbox.bmGit(["install-hooks", "--status"], in: fixture.work.path)
        #expect(displaced.stdout.contains("not running") && displaced.stdout.contains("pre-push.old"), "\(displaced.stdout)")
        #expect(try sandbox.bmGit(["install-hooks"], in: fixture.work.path).status == 0)
        #expect(!FileManager.default.fileExists(atPath: fixture.work.path + "/.git/hooks/pre-push.old"))
        try fixture.origin.git("update-ref", "-d", "refs/heads/good")
        try expectGuardHolds(fixture, "lefthook chained behind bm-git", multiRefOrder: ["good", "stale"])
    }

    /// This repository's own `.pre-commit-hooks.yaml`, as a team would use it.
    private func preCommitScenario(_ sandbox: Sandbox) throws -> PushFixture {
        let hooks = try sandbox.makeRepo("bm-hooks")
        let manifest = try String(contentsOfFile: Self.sourceRoot + "/.pre-commit-hooks.yaml", encoding: .utf8)
        try hooks.commit("hooks", files: [".pre-commit-hooks.yaml": manifest])
        try hooks.git("tag", "v1")
        let config = """
        repos:
          - repo: \(hooks.path)
            rev: v1
            hooks:
              - id: bm-merged-master

        """
        let fixture = try scenario(sandbox, config: [".pre-commit-config.yaml": config])
        try preCommit(["install", "--hook-type", "pre-push"], fixture, sandbox)
        return fixture
    }

    private func preCommit(_ arguments: [String], _ fixture: PushFixture, _ sandbox: Sandbox) throws {
        let result = try Shell.run(try PythonTools.binDirectory() + "/pre-commit", arguments, in: fixture.work.path,
                                   environment: sandbox.environment.merging(try toolPath()) { $1 })
        guard result.status == 0 else { throw TestFailure("pre-commit \(arguments): \(result.stdout) \(result.stderr)") }
    }

    @Test func preCommitWithThisRepositorysManifest() throws {
        let sandbox = try Sandbox()
        let fixture = try preCommitScenario(sandbox)
        // pre-commit passes its hooks only the first ref with new commits: put the stale one first.
        try expectGuardHolds(fixture, "pre-commit", multiRefOrder: ["stale", "good"])
        let byHand = try Shell.run(try PythonTools.binDirectory() + "/pre-commit",
                                   ["run", "--hook-stage", "pre-push", "bm-merged-master"], in: fixture.work.path,
                                   environment: sandbox.environment.merging(try toolPath()) { $1 })
        #expect(byHand.status == 0, "a run by hand checks the current branch, good: \(byHand.stdout)")
    }

    /// What pre-commit cannot pass on (a second ref) is caught when bm-git's shim runs in front
    /// of pre-commit, as the README recommends; `--status` says why.
    @Test func preCommitMissesASecondRefWhichTheShimCatches() throws {
        let sandbox = try Sandbox()
        let fixture = try preCommitScenario(sandbox)
        let environment = try toolPath()
        let missed = try fixture.push("origin", "good", "stale", environment: environment)
        #expect(missed.status == 0, "pre-commit now passes every ref? \(missed.stderr)")
        try fixture.origin.git("update-ref", "-d", "refs/heads/stale")
        try fixture.origin.git("update-ref", "-d", "refs/heads/good")
        #expect(try sandbox.bmGit(["install-hooks"], in: fixture.work.path).status == 0)
        let status = try sandbox.bmGit(["install-hooks", "--status"], in: fixture.work.path)
        #expect(status.stdout.contains("pre-commit passes its pre-push hooks only the first ref"))
        let caught = try fixture.push("origin", "good", "stale", environment: environment)
        #expect(caught.status != 0)
        #expect(caught.stderr.contains("push of stale refused"))
    }

    /// `pre-commit install` run again over bm-git's shim enters pre-commit's migration mode,
    /// where every push fails; install-hooks explains it and repairs it.
    @Test func preCommitMigrationModeIsExplainedAndRepaired() throws {
        let sandbox = try Sandbox()
        let fixture = try preCommitScenario(sandbox)
        #expect(try sandbox.bmGit(["install-hooks"], in: fixture.work.path).status == 0)
        try preCommit(["install", "--hook-type", "pre-push"], fixture, sandbox)
        let environment = try toolPath()
        #expect(try fixture.push("fork", "good", environment: environment).status != 0)
        let status = try sandbox.bmGit(["install-hooks", "--status"], in: fixture.work.path)
        #expect(status.stdout.contains("migration mode"))
        let repair = try sandbox.bmGit(["install-hooks"], in: fixture.work.path)
        #expect(repair.status == 0)
        #expect(repair.stdout.hasPrefix("repaired"))
        try expectGuardHolds(fixture, "pre-commit after repair", multiRefOrder: ["good", "stale"])
    }

    /// husky v9's layout: `core.hooksPath=.husky/_`, whose `pre-push` sources the dispatcher
    /// `h`, which runs the committed `.husky/pre-push` with `sh -e`.
    @Test func huskyStyleDispatcher() throws {
        let sandbox = try Sandbox()
        let dispatcher = """
        #!/usr/bin/env sh
        n=$(basename "$0")
        s=$(dirname "$(dirname "$0")")/$n
        [ ! -f "$s" ] && exit 0
        [ "${HUSKY-}" = "0" ] && exit 0
        sh -e "$s" "$@"
        c=$?
        [ $c != 0 ] && echo "husky - $n script failed (code $c)"
        exit $c

        """
        let fixture = try scenario(sandbox, config: [".husky/pre-push": "echo team checks ran\n"])
        let work = fixture.work
        try work.write(".husky/_/h", dispatcher)
        try work.write(".husky/_/pre-push", "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"\n")
        try work.write(".husky/_/.gitignore", "*\n")
        for file in ["h", "pre-push"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: work.path + "/.husky/_/" + file)
        }
        try work.git("config", "core.hooksPath", ".husky/_")
        let before = try work.snapshot()
        let refused = try sandbox.bmGit(["install-hooks"], in: work.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("husky manages this repository's hooks"))
        #expect(refused.stderr.contains(#"bm-git hook pre-push "$@" || exit $?"#))
        #expect(try work.snapshot() == before)
        #expect(FileManager.default.fileExists(atPath: work.path + "/.husky/_/pre-push"))

        let added = try sandbox.bmGit(["install-hooks", "--tracked"], in: work.path)
        #expect(added.status == 0)
        let script = try String(contentsOfFile: work.path + "/.husky/pre-push", encoding: .utf8)
        #expect(script.contains("echo team checks ran"))
        try expectGuardHolds(fixture, "husky", multiRefOrder: ["good", "stale"])
        let good = try fixture.push("origin", "good", environment: try toolPath())
        #expect(good.status == 0)
        #expect(good.stdout.contains("team checks ran") || good.stderr.contains("team checks ran"))

        let removed = try sandbox.bmGit(["install-hooks", "--uninstall"], in: work.path)
        #expect(removed.status == 0)
        #expect(try String(contentsOfFile: work.path + "/.husky/pre-push", encoding: .utf8) == "echo team checks ran\n")
    }

    /// A committed `core.hooksPath` directory is never rewritten: install refuses and leaves
    /// the work tree clean (so revert-break still runs), and `--tracked` adds the line.
    @Test func aTrackedHooksDirectoryIsNotRewritten() throws {
        let sandbox = try Sandbox()
        let fixture = try scenario(sandbox, config: [".githooks/pre-push": "#!/bin/sh\necho team hook\n"])
        let work = fixture.work
        try work.git("config", "core.hooksPath", ".githooks")
        let before = try work.snapshot()
        let refused = try sandbox.bmGit(["install-hooks"], in: work.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("this repository commits its hooks"))
        #expect(try work.snapshot() == before)
        #expect(try work.git("status", "--porcelain").isEmpty)
        #expect(try sandbox.bmGit(["install-hooks", "--tracked"], in: work.path).status == 0)
        #expect(try String(contentsOfFile: work.path + "/.githooks/pre-push", encoding: .utf8)
            == "#!/bin/sh\n\(#"bm-git hook pre-push "$@" || exit $?  # bm-git: refuse branches that lack the latest main branch"#)\necho team hook\n")
        try expectGuardHolds(fixture, "tracked .githooks", multiRefOrder: ["good", "stale"])
    }

    /// A foreign hook that merely quotes the shim's marker line is chained, not overwritten,
    /// and comes back on uninstall.
    @Test func aForeignHookQuotingTheMarkerIsChainedNotReplaced() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let foreign = "#!/bin/sh\n# bm-git pre-push shim\necho team hook\n"
        try repo.write(".git/hooks/pre-push", foreign)
        let install = try sandbox.bmGit(["install-hooks"], in: repo.path)
        #expect(install.status == 0)
        #expect(try String(contentsOfFile: repo.path + "/.git/hooks/pre-push.bm-chained", encoding: .utf8) == foreign)
        #expect(try sandbox.bmGit(["install-hooks", "--uninstall"], in: repo.path).status == 0)
        #expect(try String(contentsOfFile: repo.path + "/.git/hooks/pre-push", encoding: .utf8) == foreign)
    }
}
