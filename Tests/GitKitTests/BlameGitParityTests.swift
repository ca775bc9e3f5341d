import Foundation
import Testing
import TestSupport
@testable import GitKit

/// Histories where libgit2's primitives give other answers than `git blame`: each builds one,
/// and bm-git's blame must agree with git's for every line.
@Suite struct BlameGitParityTests {
    /// Commit per line from `git blame --line-porcelain` of the whole file at HEAD.
    private func gitBlame(_ repo: TestRepo, _ path: String, ignoring: String? = nil) throws -> [String] {
        var arguments = ["blame", "--line-porcelain"]
        if let ignoring { arguments += ["--ignore-revs-file", ignoring] }
        let output = try repo.sandbox.git(arguments + ["HEAD", "--", path], in: repo.path)
        return output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count >= 3, fields[0].count == 40, fields[0].allSatisfy(\.isHexDigit) else { return nil }
            return String(fields[0])
        }
    }

    private func bmBlame(_ repo: TestRepo, _ path: String, ignoring: Set<OID> = []) throws -> [String] {
        let opened = try Repository.discover(from: repo.path)
        let head = try #require(try opened.head().commit)
        let result = try BlameEngine(repository: opened, ignoring: ignoring)
            .blame([BlameRequest(path: path, ranges: [1...100_000])], at: head)[0]
        return result.hunks.flatMap { Array(repeating: $0.commit.hex, count: $0.lineCount) }
    }

    private func body(_ name: String, lines: Int, salt: String = "") -> String {
        (0..<lines).map { "    value_\(name)_\($0) = compute(\($0), '\(salt)')  # line \($0)\n" }.joined()
    }

    @Test func followsTheFileItselfWhenAnotherNewFileIsMoreLikeItsSource() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let original = "def test_source():\n" + body("a", lines: 40)
        try repo.commit("Add", files: ["old/test_source.py": original], author: .ana)
        // One commit deletes the source and adds two files: a near copy, and the followed
        // file, which keeps 60% of the source. libgit2 gives the source to the near copy.
        try repo.git("rm", "-q", "old/test_source.py")
        let copy = original.replacingOccurrences(of: "line 39", with: "line thirty-nine")
        let followed = "def test_source():\n" + body("a", lines: 24) + body("b", lines: 16, salt: "new")
        try repo.commit("Reorganise", files: ["new/test_copy.py": copy, "new/test_followed.py": followed], author: .bjorn)
        #expect(try bmBlame(repo, "new/test_followed.py") == (try gitBlame(repo, "new/test_followed.py")))
        #expect(try gitBlame(repo, "new/test_followed.py").first == (try repo.sha("HEAD~1")))
    }

    @Test func aSameNamedSourceNeedsThreeQuartersAndOtherwiseTheBestScoreWins() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("Add", files: ["a/test_x.py": "def test_x():\n" + body("x", lines: 30),
                                       "a/test_y.py": "def test_y():\n" + body("y", lines: 30)], author: .ana)
        try repo.git("rm", "-q", "-r", "a")
        // test_x.py keeps 65% of a/test_x.py (not enough for the basename rule) and 0% of test_y.
        let moved = "def test_x():\n" + body("x", lines: 20) + body("z", lines: 10, salt: "q")
        try repo.commit("Move", files: ["b/test_x.py": moved], author: .chen)
        #expect(try bmBlame(repo, "b/test_x.py") == (try gitBlame(repo, "b/test_x.py")))
    }

    @Test func aMergeRenamedOnOneSidePassesWholeToTheParentWithTheSamePath() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("Add", files: ["t.py": "def test_a():\n" + body("a", lines: 10)], author: .ana)
        try repo.git("checkout", "-q", "-b", "side")
        try repo.git("mv", "t.py", "test_t.py")
        try repo.commit("Rename on side", author: .chen)
        try repo.git("checkout", "-q", "master")
        try repo.commit("Unrelated", files: ["other.py": "x = 1\n"], author: .bjorn)
        try sandbox.git(["merge", "-q", "--no-ff", "-m", "Merge side", "side"], in: repo.path, author: .bjorn)
        #expect(try bmBlame(repo, "test_t.py") == (try gitBlame(repo, "test_t.py")))
    }

    @Test func ignoredReformatsGiveEachLineToItsMostSimilarOldLine() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("Add", files: ["t.py": """
            def test_a():
                result = compute(first_argument, second_argument, third_argument, fourth_argument)
                assert result == expected_value
                other = helper(1, 2)


            def test_b():
                assert make(alpha, beta) == gamma
            """], author: .ana)
        try repo.commit("Edit", files: ["t.py": """
            def test_a():
                result = compute(first_argument, second_argument, third_argument, fourth_argument)
                assert result == expected_value
                other = helper(1, 3)


            def test_b():
                assert make(alpha, beta) == gamma
            """], author: .chen)
        let reformat = try repo.commit("Reformat", files: ["t.py": """
            def test_a():
                result = compute(
                    first_argument,
                    second_argument,
                    third_argument,
                    fourth_argument,
                )
                assert result == expected_value
                other = helper(
                    1,
                    3,
                )


            def test_b():
                assert make(
                    alpha, beta
                ) == gamma
            """], author: Author(name: "formatter", email: "bot@example.com"))
        try repo.write("ignore.txt", reformat + "\n")
        let ignored: Set<OID> = [try #require(OID(hex: reformat))]
        let git = try gitBlame(repo, "t.py", ignoring: "ignore.txt")
        #expect(try bmBlame(repo, "t.py", ignoring: ignored) == git)
        // The lines the reformat split off go to the authors of the code, none to the formatter.
        #expect(Set(git) == [try repo.sha("HEAD~2"), try repo.sha("HEAD~1")])
    }

    @Test func trimmedTailsAlignRepeatedBlankLinesAsGitDoes() throws {
        // git diff -U0 trims common tails as blame does. A blank line inserted into a run of blank
        // lines that the trimming cuts lands elsewhere than in the untrimmed diff.
        let sandbox = try Sandbox()
        var random = SeededGenerator(seed: 3)
        var trimmedRounds = 0
        for round in 0..<60 {
            let head = (0..<Int.random(in: 2...6, using: &random)).map { _ in
                ["    pass\n", "x = 1\n", "def f():\n", "\n"].randomElement(using: &random)!
            }.joined()
            let run = Int.random(in: 2...8, using: &random)
            var tail = ""
            while tail.utf8.count < 1000 + Int.random(in: 0...40, using: &random) {
                tail += ["    y = 2\n", "def g():\n", "    return 3\n"].randomElement(using: &random)!
            }
            let old = head + String(repeating: "\n", count: run) + tail
            let new = head + String(repeating: "\n", count: run + 1) + tail
            try old.write(toFile: sandbox.root + "/old\(round)", atomically: true, encoding: .utf8)
            try new.write(toFile: sandbox.root + "/new\(round)", atomically: true, encoding: .utf8)
            let result = try Shell.run(Shell.which("git") ?? "/usr/bin/git",
                                       ["diff", "--no-index", "-U0", "--indent-heuristic", "old\(round)", "new\(round)"],
                                       in: sandbox.root, environment: sandbox.environment)
            let git = result.stdout.split(separator: "\n").filter { $0.hasPrefix("@@") }
                .map { $0.split(separator: " ")[1...2].joined(separator: " ") }
            let ours = LineDiff.hunks(from: Array(old.utf8), to: Array(new.utf8)).map { hunk in
                "-\(hunk.oldCount == 0 ? hunk.oldStart : hunk.oldStart + 1)\(hunk.oldCount == 1 ? "" : ",\(hunk.oldCount)") "
                    + "+\(hunk.newCount == 0 ? hunk.newStart : hunk.newStart + 1)\(hunk.newCount == 1 ? "" : ",\(hunk.newCount)")"
            }
            #expect(ours == git, "round \(round)")
            if LineDiff.trimmedTail(Array(old.utf8), Array(new.utf8)) > 0 { trimmedRounds += 1 }
        }
        #expect(trimmedRounds > 10)
    }
}
