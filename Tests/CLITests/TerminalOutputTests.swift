import Foundation
import Testing
import TestSupport

/// Colour and sanitising as a user sees them: piped output is plain, a terminal gets colour
/// unless NO_COLOR is set, and control characters from repository data never get through.
@Suite struct TerminalOutputTests {
    /// Runs bm-git under `script(1)` so that its stdout is a pseudo-terminal.
    private func onTerminal(_ sandbox: Sandbox, _ arguments: String, in directory: String,
                            environment: [String: String] = [:]) throws -> String? {
        guard let script = Shell.which("script") else { return nil }
        let command = "'\(BMGitBinary.path)' \(arguments)"
        let result = try Shell.run(script, ["-qec", command, "/dev/null"], in: directory,
                                   environment: sandbox.environment.merging(environment) { $1 })
        return result.stdout
    }

    @Test func pipedOutputHasNoEscapeSequences() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        let result = try sandbox.bmGit(["doctor"], in: repo.path)
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(result.stdout.contains("repository"))
    }

    @Test func colourOnATerminalUnlessNoColor() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        guard let coloured = try onTerminal(sandbox, "doctor", in: repo.path, environment: ["TERM": "xterm"]),
              let plain = try onTerminal(sandbox, "doctor", in: repo.path,
                                         environment: ["TERM": "xterm", "NO_COLOR": "1"])
        else { return }
        #expect(coloured.contains("\u{1B}["))
        #expect(!plain.contains("\u{1B}"))
        #expect(plain.contains("repository"))
    }

    @Test func controlCharactersInRepositoryDataAreNeutralised() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["f": "1\n"])
        let hostile = sandbox.root + "/wt\u{1B}]0;pwned\u{07}\u{1B}[31mred\u{9B}2J"
        try repo.git("worktree", "add", "-q", "-b", "side", hostile)
        try repo.git("config", "bm.submodule", "amp\u{1B}[2Jx\u{202E}")
        let result = try sandbox.bmGit(["doctor"], in: hostile)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("\u{9B}"))
        #expect(!result.stdout.contains("\u{202E}"))
        #expect(result.stdout.contains("/wtred"))
        #expect(result.stdout.contains("ampx?"))
        // JSON keeps the exact data, escaped.
        let json = try sandbox.bmGit(["doctor", "--json"], in: hostile)
        #expect(!json.stdout.contains("\u{1B}"))
        #expect(json.stdout.contains("\\u001b"))
    }
}
