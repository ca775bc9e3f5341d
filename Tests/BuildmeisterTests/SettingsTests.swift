import Buildmeister
import GitKit
import Testing
import TestSupport

@Suite struct SettingsTests {
    @Test func usesDefaultsWhenNothingIsConfigured() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        let repository = try Repository.discover(from: repo.path)
        let settings = try Settings.load(from: repository)
        let entries = try settings.entries(from: repository.config())
        #expect(settings.remote.value == "origin" && settings.remote.source == .default)
        #expect(settings.mainBranch.value == "master")
        #expect(settings.submodule.value == "amp")
        #expect(settings.revertWindow.value == TimeSpan(seconds: 3_600))
        #expect(settings.prePushFetch.value == false)
        #expect(settings.prePushFetchTimeout.value == TimeSpan(seconds: 5))
        #expect(settings.prePushMaxBehind.value == 0)
        #expect(settings.mainTrackingRef == "refs/remotes/origin/master")
        #expect(entries.map(\.key) == ["bm.remote", "bm.mainBranch", "bm.submodule", "bm.revertWindow",
                                                "bm.prePush.fetch", "bm.prePush.fetchTimeout", "bm.prePush.maxBehind",
                                                "bm.repoName", "bm.testTypes", "bm.bisect.command"])
        #expect(entries.map(\.key) == Settings.knownKeys)
        #expect(entries.allSatisfy { $0.source == .default && $0.origin == nil })
    }

    @Test func readsGitConfigAndLetsFlagsOverrideIt() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        try repo.git("config", "bm.remote", "upstream")
        try repo.git("config", "bm.mainBranch", "trunk")
        try repo.git("config", "bm.submodule", "lib")
        try repo.git("config", "bm.revertWindow", "30m")
        try repo.git("config", "bm.prePush.fetch", "true")
        try repo.git("config", "bm.prePush.fetchTimeout", "2s")
        try repo.git("config", "bm.prePush.maxBehind", "3")
        let opened = try Repository.discover(from: repo.path)
        let configured = try Settings.load(from: opened)
        #expect(configured.remote.value == "upstream" && configured.remote.source == .config)
        #expect(configured.mainBranch.value == "trunk")
        #expect(configured.submodule.value == "lib")
        #expect(configured.revertWindow.value.seconds == 1_800)
        #expect(configured.prePushFetch.value && configured.prePushFetch.source == .config)
        #expect(configured.prePushFetchTimeout.value.seconds == 2)
        #expect(configured.prePushMaxBehind.value == 3)

        let flagged = try Settings.load(from: opened, overrides: .init(remote: "fork", mainBranch: "dev",
                                                                       submodule: "amp", revertWindow: "2h"))
        #expect(flagged.remote.value == "fork" && flagged.remote.source == .flag)
        #expect(flagged.mainBranch.value == "dev")
        #expect(flagged.submodule.value == "amp")
        #expect(flagged.revertWindow.value.seconds == 7_200)
    }

    @Test func mainBranchFallsBackToMainWhenOnlyMainExists() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.git("symbolic-ref", "HEAD", "refs/heads/main")
        try repo.commit("one", files: ["f": "1\n"])
        let settings = try Settings.load(from: Repository.discover(from: repo.path))
        #expect(settings.mainBranch.value == "main" && settings.mainBranch.source == .detected)
        try repo.git("branch", "master")
        #expect(try Settings.load(from: Repository.discover(from: repo.path)).mainBranch.value == "master")
    }

    @Test func mainBranchSeesTheRemoteOnlyBranch() throws {
        let sandbox = try Sandbox()
        let origin = try sandbox.makeRepo("origin")
        try origin.git("symbolic-ref", "HEAD", "refs/heads/main")
        try origin.commit("one", files: ["f": "1\n"])
        let clone = try sandbox.clone(origin.path, as: "clone")
        try clone.git("checkout", "-q", "-b", "feature")
        try clone.git("branch", "-q", "-D", "main")
        #expect(try Settings.load(from: Repository.discover(from: clone.path)).mainBranch.value == "main")
    }

    @Test(arguments: [("bm.revertWindow", "soon"), ("bm.prePush.fetch", "maybe"),
                      ("bm.prePush.maxBehind", "-1"), ("bm.prePush.maxBehind", "lots"),
                      ("bm.prePush.fetchTimeout", "5 seconds")])
    func rejectsInvalidValuesNamingTheKey(key: String, value: String) throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.git("config", key, value)
        let error = #expect(throws: BuildmeisterError.self) {
            try Settings.load(from: Repository.discover(from: repo.path))
        }
        #expect(error?.exitStatus == .failed)
        #expect(error?.message.contains(key) == true)
        #expect(error?.message.contains(value) == true)
    }

    @Test func rejectsAnInvalidWindowFlag() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        // The error names the flag the value came from, not the config key it overrides.
        #expect(throws: BuildmeisterError.invalidFlag(flag: "--window", value: "later",
                                                      expected: "a duration such as 1h, 45m or 90s")) {
            try Settings.load(from: Repository.discover(from: repo.path), overrides: .init(revertWindow: "later"))
        }
    }

    @Test func submoduleBranchPrefersGitmodulesThenExplicitMainThenMaster() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.git("symbolic-ref", "HEAD", "refs/heads/main")
        try repo.commit("one", files: ["f": "1\n"])
        let opened = try Repository.discover(from: repo.path)
        let head = try opened.head()
        let detected = try Settings.load(from: opened)
        #expect(detected.submoduleBranch(declared: nil, head: head) == "master")
        #expect(detected.submoduleBranch(declared: "stable", head: head) == "stable")
        #expect(detected.submoduleBranch(declared: ".", head: head) == "main")
        try repo.git("config", "bm.mainBranch", "trunk")
        #expect(try Settings.load(from: opened).submoduleBranch(declared: nil, head: head) == "trunk")
    }
}
