import Foundation
import Testing
import TestSupport

/// The habits git users bring: `-C`, `-q`, `-v`, `--color` with `color.ui`/`color.bm`, "did you
/// mean" for a mistyped command, and usage errors as one `bm-git:` line plus the usage.
@Suite struct GlobalOptionsTests {
    @Test func dashCChangesDirectoryAsGitDoes() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        let result = try sandbox.bmGit(["-C", "r", "doctor", "--json"], in: sandbox.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"branch\" : \"master\""))
        // Repeated -C options are relative to each other, and the attached form works too.
        try FileManager.default.createDirectory(atPath: repo.path + "/sub", withIntermediateDirectories: true)
        let nested = try sandbox.bmGit(["-C", "r", "-Csub", "doctor", "--json"], in: sandbox.root)
        #expect(nested.status == 0, "\(nested.stderr)")
        // Global options before the command come in any order, as git takes them.
        let mixed = try sandbox.bmGit(["-v", "--no-color", "-C", "r", "-q", "doctor", "--json"], in: sandbox.root)
        #expect(mixed.status == 0, "\(mixed.stderr)")
        #expect(mixed.stdout.contains("\"branch\" : \"master\""))
        let missing = try sandbox.bmGit(["-C", "nowhere", "doctor"], in: sandbox.root)
        #expect(missing.status == 64)
        #expect(missing.stderr.hasPrefix("bm-git: cannot change to 'nowhere': No such file or directory\n"))
        let bare = try sandbox.bmGit(["-C"], in: sandbox.root)
        #expect(bare.status == 64)
        #expect(bare.stderr.hasPrefix("bm-git: -C needs a directory\n"))
    }

    @Test func quietKeepsOnlyErrorsAndAnswers() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        let loud = try sandbox.bmGit(["install-hooks"], in: repo.path)
        #expect(loud.status == 0, "\(loud.stderr)")
        #expect(!loud.stdout.isEmpty)
        let quiet = try sandbox.bmGit(["install-hooks", "--uninstall", "-q"], in: repo.path)
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty)
        // A status query is an answer: -q does not hide it. Errors are never hidden.
        #expect(!(try sandbox.bmGit(["--quiet", "install-hooks", "--status"], in: repo.path).stdout.isEmpty))
        let failed = try sandbox.bmGit(["-q", "revert-break", "nosuchcommit", "--yes"], in: repo.path)
        #expect(failed.status == 2)
        #expect(failed.stderr.hasPrefix("bm-git: "))
    }

    @Test func verboseTracesTransfersWithoutSecrets() throws {
        let sandbox = try Sandbox()
        let fixture = try SuperprojectFixture.make(in: sandbox)
        try fixture.advanceAmp(by: 1)
        let secret = "ghp_notarealtokenbutsecret"
        let dryRun = try sandbox.bmGit(["-v", "roll-amp", "--dry-run"], in: fixture.superproject.path)
        #expect(dryRun.stderr.contains("bm-git: trace: list the branches of \(sandbox.root)/amp.git\n"))
        let result = try sandbox.bmGit(["roll-amp", "--verbose"], in: fixture.superproject.path,
                                       environment: ["BM_GIT_TOKEN": secret])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("bm-git: trace: fetch origin ("), "\(result.stderr)")
        #expect(!result.stderr.contains(secret))
        let silent = try sandbox.bmGit(["roll-amp", "--dry-run"], in: fixture.superproject.path)
        #expect(!silent.stderr.contains("trace:"))
    }

    @Test func colourFollowsTheOptionThenColorBmThenColorUi() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        func coloured(_ arguments: [String], environment: [String: String] = [:]) throws -> Bool {
            let result = try sandbox.bmGit(arguments + ["doctor"], in: repo.path, environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.contains("\u{1B}[")
        }
        #expect(try !coloured([]))
        #expect(try coloured(["--color=always"]))
        #expect(try coloured(["--color"]))
        #expect(try coloured(["--color=always"], environment: ["NO_COLOR": "1"]))
        try repo.git("config", "color.ui", "always")
        #expect(try coloured([]))
        #expect(try !coloured(["--no-color"]))
        #expect(try !coloured(["--color=never"]))
        #expect(try !coloured(["--color=auto"]))
        try repo.git("config", "color.bm", "false")
        #expect(try !coloured([]))
        let wrong = try sandbox.bmGit(["--color=sometimes", "doctor"], in: repo.path)
        #expect(wrong.status == 64)
        #expect(wrong.stderr.hasPrefix("bm-git: --color takes auto, always or never, not 'sometimes'\n"))
    }

    @Test func aMistypedCommandGetsDidYouMean() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.bmGit(["onwer", "tests/test_a.py::test_b"], in: sandbox.root)
        #expect(result.status == 64)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first == "bm-git: 'onwer' is not a bm-git command; did you mean owner?")
        #expect(lines.count == 2 && lines[1].hasPrefix("usage: bm-git "))
        let help = try sandbox.bmGit(["help", "ownr"], in: sandbox.root)
        #expect(help.status == 64)
        #expect(help.stderr.hasPrefix("bm-git: 'ownr' is not a bm-git command; did you mean owner?\n"))
        for options in [["--color"], ["-q"], ["-C", "."]] {
            let none = try sandbox.bmGit(options, in: sandbox.root)
            #expect(none.status == 64, "\(options)")
            #expect(none.stderr.hasPrefix("bm-git: no command given; see bm-git --help\n"), "\(options)")
        }
        let far = try sandbox.bmGit(["frobnicate"], in: sandbox.root)
        #expect(far.status == 64)
        #expect(far.stderr.hasPrefix("bm-git: 'frobnicate' is not a bm-git command; see bm-git --help\n"))
    }

    @Test func usageErrorsAreOneLinePlusTheUsage() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        for arguments in [["culprit", "--good"], ["owner", "--bogus"], ["revert-break"], ["roll-amp", "a", "b"]] {
            let result = try sandbox.bmGit(arguments, in: repo.path)
            #expect(result.status == 64, "\(arguments)")
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            #expect(lines.count == 2, "\(arguments): \(result.stderr)")
            #expect(lines.first?.hasPrefix("bm-git: ") == true, "\(arguments)")
            #expect(lines.last?.hasPrefix("usage: bm-git \(arguments[0]) ") == true, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Error:") && !result.stderr.contains("See 'bm-git"))
        }
        // Options get "did you mean" too, the parser's and bm-git's in one form.
        for (typo, meant) in [("--colour", "--color"), ("--jsn", "--json"), ("--main-brnch", "--main-branch")] {
            let result = try sandbox.bmGit(["doctor", typo], in: repo.path)
            #expect(result.status == 64)
            #expect(result.stderr.hasPrefix("bm-git: unknown option '\(typo)'; did you mean \(meant)?\n"), "\(result.stderr)")
        }
    }
}
