import Foundation
import Testing
import TestSupport
@testable import GitKit

/// bm-git's own line diff against `git diff -U0` (which trims common tails as blame does) on
/// random edits of files full of the repeated lines that make diffs ambiguous.
/// `BM_DIFF_CASES` runs more cases than the default.
@Suite struct MyersDiffTests {
    private static let vocabulary = [
        "\n", "\n", "\n", "    pass\n", "}\n", "    return x\n", "def f():\n", "class A:\n", "        y = 1\n",
        "\tindented with a tab\n", "    # comment\n", "x = 1\n", "  \n", "    if a:\n", "        return b\n",
    ]

    private func randomFile(_ random: inout SeededGenerator, lines: Int) -> [String] {
        (0..<lines).map { _ in
            Int.random(in: 0..<4, using: &random) == 0
                ? "line \(Int.random(in: 0..<40, using: &random)) " + String(repeating: "z", count: Int.random(in: 0..<30, using: &random)) + "\n"
                : Self.vocabulary.randomElement(using: &random)!
        }
    }

    private func edited(_ lines: [String], _ random: inout SeededGenerator) -> [String] {
        var result = lines
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            let position = Int.random(in: 0...result.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: result.insert(contentsOf: randomFile(&random, lines: Int.random(in: 1...5, using: &random)), at: position)
            case 1 where position < result.count:
                result.removeSubrange(position..<min(result.count, position + Int.random(in: 1...4, using: &random)))
            case 2 where position < result.count: result[position] = Self.vocabulary.randomElement(using: &random)!
            default:
                let run = Array(result[max(0, position - 3)..<position])
                result.insert(contentsOf: run, at: position)
            }
        }
        return result
    }

    private func gitHunks(_ sandbox: Sandbox, _ old: String, _ new: String) throws -> [String] {
        try old.write(toFile: sandbox.root + "/old", atomically: false, encoding: .utf8)
        try new.write(toFile: sandbox.root + "/new", atomically: false, encoding: .utf8)
        let result = try Shell.run(Shell.which("git") ?? "/usr/bin/git",
                                   ["diff", "--no-index", "-U0", "--indent-heuristic", "--no-color", "old", "new"],
                                   in: sandbox.root, environment: sandbox.environment)
        return result.stdout.split(separator: "\n").filter { $0.hasPrefix("@@ ") }
            .map { $0.split(separator: " ")[1...2].joined(separator: " ") }
    }

    private func describe(_ hunk: LineHunk) -> String {
        func side(_ start: Int, _ count: Int) -> String {
            "\(count == 0 ? start : start + 1)" + (count == 1 ? "" : ",\(count)")
        }
        return "-" + side(hunk.oldStart, hunk.oldCount) + " +" + side(hunk.newStart, hunk.newCount)
    }

    @Test func agreesWithGitDiffOnRandomEdits() throws {
        let sandbox = try Sandbox()
        let cases = Int(ProcessInfo.processInfo.environment["BM_DIFF_CASES"] ?? "") ?? 150
        var random = SeededGenerator(seed: 42)
        var failures = 0
        for round in 0..<cases {
            let base = randomFile(&random, lines: Int.random(in: 0..<(round % 3 == 0 ? 200 : 40), using: &random))
            var old = base.joined(), new = edited(base, &random).joined()
            if round % 10 == 4 {
                // Long versions over a middling vocabulary with long shared runs between them:
                // costs past 256, where xdiff's snake heuristic cuts the search short.
                func block(_ count: Int) -> [String] { (0..<count).map { _ in "v\(Int.random(in: 0..<150, using: &random))\n" } }
                var oldParts: [String] = [], newParts: [String] = []
                for part in 0..<8 {
                    let run = (0..<40).map { "shared \(part) \($0)\n" }
                    oldParts += block(Int.random(in: 150...400, using: &random)) + run
                    newParts += block(Int.random(in: 150...400, using: &random)) + run
                }
                old = oldParts.joined()
                new = newParts.joined()
            }
            if round % 10 == 9 {
                // Large unrelated versions: edit costs past xdiff's heuristic thresholds.
                let shared = randomFile(&random, lines: 300)
                old = (randomFile(&random, lines: Int.random(in: 300...1200, using: &random)) + shared).joined()
                new = (shared + randomFile(&random, lines: Int.random(in: 300...1200, using: &random))).joined()
            }
            if round % 7 == 0, !old.isEmpty { old.removeLast() }  // no newline at the end
            if round % 11 == 0, !new.isEmpty { new.removeLast() }
            let git = try gitHunks(sandbox, old, new)
            let ours = LineDiff.hunks(from: Array(old.utf8), to: Array(new.utf8)).map(describe)
            if ours != git {
                failures += 1
                if failures <= 5 { Issue.record("case \(round): git \(git), bm-git \(ours)") }
            }
        }
        #expect(failures == 0)
    }

    @Test func agreesWithGitDiffOnHugeVersions() throws {
        // Past 65k compared lines xdiff's cost limit rises above 256, where its snake heuristic
        // may end a search early.
        let sandbox = try Sandbox()
        var random = SeededGenerator(seed: 7)
        for round in 0..<2 {
            let alphabet = round == 0 ? 20 : 60
            func block(_ count: Int) -> [String] { (0..<count).map { _ in "v\(Int.random(in: 0..<alphabet, using: &random))\n" } }
            var oldParts: [String] = [], newParts: [String] = []
            for part in 0..<40 {
                let run = (0..<60).map { "shared \(round) \(part) \($0)\n" }
                oldParts += block(Int.random(in: 500...1200, using: &random)) + run
                newParts += block(Int.random(in: 500...1200, using: &random)) + run
            }
            let old = oldParts.joined(), new = newParts.joined()
            let ours = LineDiff.hunks(from: Array(old.utf8), to: Array(new.utf8)).map(describe)
            #expect(ours == (try gitHunks(sandbox, old, new)), "round \(round)")
        }
    }
}
