import Foundation
import Testing
import TestSupport
@testable import GitKit

@Suite struct BlameEngineTests {
    /// The commit `git blame --porcelain -L start,end` names for each line.
    private func gitBlame(_ repo: TestRepo, _ path: String, _ range: ClosedRange<Int>) throws -> [String] {
        let output = try repo.git("blame", "--porcelain", "-L", "\(range.lowerBound),\(range.upperBound)", "HEAD", "--", path)
        var commits: [String] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let fields = line.split(separator: " ")
            if fields.count >= 3, fields[0].count == 40, fields[0].allSatisfy(\.isHexDigit), Int(fields[1]) != nil {
                commits.append(String(fields[0]))
            }
        }
        return commits
    }

    private func lines(_ result: BlameResult) -> [String] {
        result.hunks.flatMap { Array(repeating: $0.commit.hex, count: $0.lineCount) }
    }

    @Test func agreesWithGitBlameLineForLineOnASyntheticHistory() throws {
        let sandbox = try Sandbox()
        let repo = try SyntheticHistory.make(in: sandbox, commits: 1_500, seed: 7)
        let ids = try String(contentsOfFile: repo.path + ".ids.tsv", encoding: .utf8).split(separator: "\n")
        var random = SeededGenerator(seed: 11)
        let sample = ids.shuffled(using: &random).prefix(120).map { line -> (String, ClosedRange<Int>) in
            let fields = line.split(separator: "\t")
            let path = String(fields[0].split(separator: ":").first!)
            return (path, Int(fields[1])!...Int(fields[2])!)
        }
        #expect(sample.count >= 100)
        let opened = try Repository.discover(from: repo.path)
        let head = try #require(try opened.head().commit)
        let results = try BlameEngine(repository: opened).blame(sample.map { BlameRequest(path: $0.0, ranges: [$0.1]) }, at: head)
        var mismatches = 0
        for ((path, range), result) in zip(sample, results) {
            let expected = try gitBlame(repo, path, range)
            if lines(result) != expected {
                mismatches += 1
                Issue.record("\(path) \(range): bm \(lines(result).map { $0.prefix(7) }) git \(expected.map { $0.prefix(7) })")
            }
        }
        #expect(mismatches == 0)
    }
}
