import Foundation
import Testing
import TestSupport

/// The team's committed `.bm-git`: the lowest config level, read only when git tracks it, only
/// for `bm.*` keys, never through a link or an include; doctor shows each value's origin and
/// warns about unknown `bm.*` keys.
@Suite struct TeamConfigTests {
    private struct Report: Decodable {
        struct Setting: Decodable { let key: String; let value: String; let source: String; let origin: String? }
        struct Team: Decodable { let state: String; let entries: Int; let ignoredKeys: [String]; let reason: String? }
        struct Unknown: Decodable { let key: String; let origin: String?; let didYouMean: [String] }
        struct Submodule: Decodable { let name: String }
        let settings: [Setting]
        let teamConfig: Team
        let unknownSettings: [Unknown]
        let submodule: Submodule

        func setting(_ key: String) -> Setting? { settings.first { $0.key == key } }
    }

    private func doctor(_ repo: TestRepo, environment: [String: String] = [:]) throws -> Report {
        let result = try repo.sandbox.bmGit(["doctor", "--json"], in: repo.path, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    private let teamFile = """
        # shared by the team
        [bm]
        \tsubmodule = helpers_root
        \trevertWindow = 2h
        \tmainBrach = main
        [bm "prePush"]
        \tmaxBehind = 3
        [core]
        \thooksPath = elsewhere

        """

    @Test func aTrackedFileIsTheLowestLevel() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("team settings", files: [".bm-git": teamFile])
        var report = try doctor(repo)
        #expect(report.teamConfig.state == "read")
        #expect(report.teamConfig.entries == 4)
        #expect(report.teamConfig.ignoredKeys == ["core.hookspath"])
        #expect(report.submodule.name == "helpers_root")
        #expect(report.setting("bm.submodule")?.origin == "team")
        #expect(report.setting("bm.prePush.maxBehind")?.value == "3")
        #expect(report.setting("bm.remote")?.source == "default")
        #expect(report.unknownSettings.first?.key == "bm.mainbrach")
        #expect(report.unknownSettings.first?.didYouMean == ["bm.mainBranch"])
        #expect(report.unknownSettings.first?.origin == "team")
        // Only bm.* keys: the hook goes where git puts it, not where the file says.
        #expect(try sandbox.bmGit(["install-hooks"], in: repo.path).status == 0)
        #expect(FileManager.default.fileExists(atPath: repo.path + "/.git/hooks/pre-push"))

        // Every git level wins over the team file: global, local, then the environment.
        try sandbox.git(["config", "--global", "bm.revertWindow", "3h"], in: repo.path)
        #expect(try doctor(repo).setting("bm.revertWindow").map { "\($0.value) \($0.origin ?? "")" } == "3h global")
        try repo.git("config", "bm.revertWindow", "30m")
        report = try doctor(repo)
        #expect(report.setting("bm.revertWindow").map { "\($0.value) \($0.origin ?? "")" } == "30m local")
        let environment = ["GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "bm.revertWindow", "GIT_CONFIG_VALUE_0": "45m"]
        #expect(try doctor(repo, environment: environment).setting("bm.revertWindow").map { "\($0.value) \($0.origin ?? "")" }
                == "45m environment")
        // A flag wins over all.
        let flag = try sandbox.bmGit(["doctor", "--json", "--submodule", "amp"], in: repo.path)
        #expect(flag.stdout.contains("\"source\" : \"flag\""))
        // Commands read it too: revert-break's window comes from it when nothing else sets it.
        try repo.git("config", "--unset", "bm.revertWindow")
        try sandbox.git(["config", "--global", "--unset", "bm.revertWindow"], in: repo.path)
        #expect(try doctor(repo).setting("bm.revertWindow")?.value == "2h")
    }

    @Test func anUntrackedLinkedOrIncludingFileIsIgnored() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        try repo.write(".bm-git", teamFile)
        var report = try doctor(repo)
        #expect(report.teamConfig.state == "ignored")
        #expect(report.teamConfig.reason?.contains("does not track it") == true)
        #expect(report.setting("bm.submodule")?.value == "amp")
        // Staged is tracked.
        try repo.git("add", ".bm-git")
        #expect(try doctor(repo).setting("bm.submodule")?.value == "helpers_root")
        try repo.git("commit", "-qm", "team")

        // A tracked symbolic link is never followed.
        try repo.write("settings.cfg", teamFile)
        try repo.git("rm", "-q", ".bm-git")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/.bm-git", withDestinationPath: "settings.cfg")
        try repo.git("add", ".bm-git", "settings.cfg")
        try repo.git("commit", "-qm", "link")
        report = try doctor(repo)
        #expect(report.teamConfig.state == "ignored")
        #expect(report.teamConfig.reason == "it is a symbolic link")
        #expect(report.setting("bm.submodule")?.value == "amp")

        // An include would read another file: the whole file is refused.
        try FileManager.default.removeItem(atPath: repo.path + "/.bm-git")
        try repo.write(".bm-git", "[bm]\n\tsubmodule = x\n[include]\n\tpath = ../secret\n")
        try repo.git("add", ".bm-git")
        try repo.git("commit", "-qm", "include")
        report = try doctor(repo)
        #expect(report.teamConfig.state == "ignored")
        #expect(report.teamConfig.reason?.contains("include") == true)

        // Not git-config syntax: ignored with libgit2's reason, and the command still works.
        try repo.write(".bm-git", "this is [not config\n")
        report = try doctor(repo)
        #expect(report.teamConfig.state == "ignored")
        #expect(report.teamConfig.reason?.hasPrefix("it cannot be parsed") == true)
    }

    @Test func aBadValueInTheTeamFileNamesIt() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("team settings", files: [".bm-git": "[bm]\n\trevertWindow = forever\n"])
        let before = try repo.snapshot()
        let result = try sandbox.bmGit(["revert-break", "HEAD", "--yes"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.stderr == "bm-git: invalid value 'forever' for bm.revertWindow in .bm-git: expected a duration such as 1h, 45m or 90s; fix it with `git config -f .bm-git bm.revertWindow <value>` and commit it, or override it with `git config bm.revertWindow <value>`\n")
        #expect(try repo.snapshot() == before)
        // Overridden locally, the command gets past it.
        try repo.git("config", "bm.revertWindow", "1h")
        #expect(!(try sandbox.bmGit(["revert-break", "HEAD", "--dry-run"], in: repo.path).stderr.contains("invalid value")))
    }

    @Test func aBareRepositoryReadsItFromHead() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("team settings", files: [".bm-git": teamFile])
        try sandbox.git(["clone", "-q", "--bare", "r", "r.git"], in: sandbox.root)
        let report = try doctor(TestRepo(sandbox: sandbox, path: sandbox.root + "/r.git"))
        #expect(report.teamConfig.state == "read")
        #expect(report.setting("bm.submodule")?.origin == "team")
    }

    @Test func unknownKeysInAnyLevelAreWarnedAbout() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        try repo.git("config", "bm.mainBrach", "main")
        try repo.git("config", "bm.prepush.fetch", "true")
        try repo.git("config", "bm.frobnicate", "1")
        let report = try doctor(repo)
        let unknown = Dictionary(uniqueKeysWithValues: report.unknownSettings.map { ($0.key, $0) })
        #expect(unknown["bm.mainbrach"]?.didYouMean == ["bm.mainBranch"])
        #expect(unknown["bm.mainbrach"]?.origin == "local")
        // Subsections are case-sensitive in git: bm.prepush.fetch is not bm.prePush.fetch.
        #expect(unknown["bm.prepush.fetch"]?.didYouMean == ["bm.prePush.fetch"])
        #expect(unknown["bm.frobnicate"]?.didYouMean == [])
        #expect(report.unknownSettings.count == 3)
        let text = try sandbox.bmGit(["doctor"], in: repo.path)
        #expect(text.stdout.contains("unknown setting bm.mainbrach (in local config): did you mean bm.mainBranch?"))
    }
}
