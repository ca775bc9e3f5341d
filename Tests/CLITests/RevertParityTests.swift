import Foundation
import Testing
import TestSupport

/// Where `git revert --no-edit` succeeds, bm-git's revert has the identical tree; where git
/// conflicts (or finds nothing to revert), bm-git refuses and changes nothing.
@Suite struct RevertParityTests {
    private enum Outcome: Equatable {
        case tree(String)
        case conflict
        case empty
    }

    @Test func matchesGitRevertOnSampledCommitsOfASyntheticHistory() throws {
        let sandbox = try Sandbox()
        let history = try SyntheticHistory.make(in: sandbox, commits: 700)
        let ours = try sandbox.clone(history.path, as: "ours")
        let theirs = try sandbox.clone(history.path, as: "theirs")
        let recent = try history.git("rev-list", "-n", "250", "master").split(separator: "\n").map(String.init)
        let merges = Set(try history.git("rev-list", "--merges", "-n", "250", "master").split(separator: "\n").map(String.init))
        var random = SeededGenerator(seed: 2026)
        var sample = Array(recent.filter { !merges.contains($0) }.shuffled(using: &random).prefix(48))
        sample += merges.sorted().shuffled(using: &random).prefix(12)
        #expect(sample.count >= 50)
        #expect(sample.contains { merges.contains($0) })

        var agreed = 0, outcomes: [Outcome] = []
        for sha in sample {
            let isMerge = merges.contains(sha)
            try ours.git("reset", "-q", "--hard", "origin/master")
            let before = try ours.snapshot()
            let bm = try sandbox.bmGit(["revert-break", sha], in: ours.path)
            let mine: Outcome
            if bm.status == 0 && bm.stdout.contains("nothing to do") {
                #expect(try ours.snapshot() == before, "bm-git changed the repository with nothing to do for \(sha)")
                mine = .empty
            } else if bm.status == 0 {
                mine = .tree(try ours.git("rev-parse", "HEAD^{tree}"))
            } else {
                #expect(try ours.snapshot() == before, "bm-git changed the repository while refusing \(sha)")
                mine = .conflict
                #expect(bm.status == 2, "\(sha): \(bm.stderr)")
            }

            try theirs.git("reset", "-q", "--hard", "origin/master")
            let arguments = ["revert", "--no-edit"] + (isMerge ? ["-m", "1"] : []) + [sha]
            let git = try Shell.run(Shell.which("git")!, arguments, in: theirs.path, environment: sandbox.environment)
            let reference: Outcome
            if git.status == 0 {
                reference = .tree(try theirs.git("rev-parse", "HEAD^{tree}"))
            } else {
                let text = git.stdout + git.stderr
                reference = text.contains("nothing to commit") || text.contains("nothing added") ? .empty : .conflict
                _ = try? theirs.git("revert", "--abort")
            }
            #expect(mine == reference, "\(sha) (merge: \(isMerge)): bm-git \(mine), git \(reference); \(bm.stderr)")
            if mine == reference { agreed += 1 }
            outcomes.append(reference)
        }
        #expect(agreed == sample.count)
        #expect(outcomes.contains { if case .tree = $0 { return true } else { return false } })
    }
}
