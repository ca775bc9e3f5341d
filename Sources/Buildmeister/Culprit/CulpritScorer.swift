import GitKit

/// Scores every suspect of a range against the failures' evidence.
struct CulpritScorer {
    let repository: Repository
    let good: OID
    let bad: OID
    let failures: [FailureEvidence]
    let submodule: String

    /// One commit that may have caused the break, as scored so far.
    private struct Candidate {
        let commit: OID
        let rolledInBy: OID?
        /// The best weight per failure.
        var best: [Int]
        var reasons: [String] = []

        mutating func add(_ weight: Culprit.Weight, failure: Int, _ reason: String) {
            best[failure] = max(best[failure], weight.rawValue)
            if !reasons.contains(reason) { reasons.append(reason) }
        }

        var score: Int { best.reduce(0, +) }
    }

    init(repository: Repository, good: OID, bad: OID, failures: [FailureEvidence], submodule: String) throws {
        self.repository = repository
        self.good = good
        self.bad = bad
        self.failures = failures
        self.submodule = submodule
    }

    mutating func suspects() throws -> [CulpritReport.Suspect] {
        let range = try repository.commits(from: bad, hiding: [good])
        let inRange = Set(range)
        // The first-parent line: one suspect per commit (a merged pull request is one).
        var line: [OID] = [], current: OID? = bad
        while let commit = current, inRange.contains(commit) {
            line.append(commit)
            current = try repository.commit(commit).parents.first
        }
        var mergeOf: [OID: OID] = [:]
        for commit in line { mergeOf[commit] = commit }
        for merge in line {
            let parents = try repository.commit(merge).parents
            guard parents.count > 1 else { continue }
            for side in try repository.commits(from: merge, hiding: [parents[0]]) where mergeOf[side] == nil { mergeOf[side] = merge }
        }
        var candidates: [OID: Candidate] = [:]
        for commit in line { candidates[commit] = Candidate(commit: commit, rolledInBy: nil, best: failures.map { _ in 0 }) }

        try scoreLines(in: repository, at: bad, range: inRange, prefix: "", owner: { mergeOf[$0] }, into: &candidates)
        for commit in line {
            try scoreFiles(of: commit, changes: repository.changedPaths(of: commit), prefix: "", into: &candidates[commit]!)
        }
        // A merged pull request shows which of its branch's commits explain what.
        for (side, merge) in mergeOf where side != merge {
            var own = Candidate(commit: side, rolledInBy: nil, best: failures.map { _ in 0 })
            try scoreFiles(of: side, changes: repository.changedPaths(of: side), prefix: "", into: &own)
            for reason in own.reasons { candidates[merge]!.reasons.append(reason + " (in its branch commit \(side.short()))") }
            candidates[merge]!.best = zip(candidates[merge]!.best, own.best).map { max($0, $1) }
        }
        try expandRolls(line, into: &candidates)
        try discountRevertedReverts(range, into: &candidates)

        // Newest first along the line, each roll followed by the commits it rolled in.
        var order: [OID] = []
        for commit in line {
            order.append(commit)
            order += candidates.values.filter { $0.rolledInBy == commit }.map(\.commit).sorted { $0.hex < $1.hex }
        }
        let describer = try CommitDescriber(repository: repository)
        var inner: (repository: Repository, describer: CommitDescriber)?
        return try order.compactMap { candidates[$0] }
            .map { candidate in
                let described: CommitDescriber.Described
                if candidate.rolledInBy != nil {
                    if inner == nil, let opened = try repository.openSubmodule(named: submodule) {
                        inner = (opened, try CommitDescriber(repository: opened))
                    }
                    described = try inner!.describer.describe(candidate.commit)
                } else {
                    described = try describer.describe(candidate.commit)
                }
                return CulpritReport.Suspect(commit: candidate.commit.hex, rolledInBy: candidate.rolledInBy?.hex,
                                             score: candidate.score, reasons: candidate.reasons,
                                             author: .init(name: described.name, email: described.email),
                                             subject: described.subject)
            }
    }

    /// Line evidence: each frame line and each test's lines blamed at `tip` within `range`; the
    /// commit that last changed a line (or the merge whose branch holds it) explains it.
    private func scoreLines(in repository: Repository, at tip: OID, range: Set<OID>, prefix: String,
                            owner: (OID) -> OID?, into candidates: inout [OID: Candidate]) throws {
        var requests: [BlameRequest] = [], meaning: [(failure: Int, weight: Culprit.Weight, reason: String)] = []
        for (index, failure) in failures.enumerated() {
            for frame in failure.frames where frame.path.hasPrefix(prefix) {
                requests.append(BlameRequest(path: String(frame.path.dropFirst(prefix.count)), ranges: [frame.line...frame.line]))
                meaning.append((index, .frameLine, "changes \(frame.path):\(frame.line) (\(frame.function)), where the traceback of \(failure.id) points"))
            }
            if let path = failure.testPath, path.hasPrefix(prefix), let lines = failure.testLines {
                requests.append(BlameRequest(path: String(path.dropFirst(prefix.count)), ranges: [lines]))
                meaning.append((index, .testLines, "changes the lines of the failing test \(failure.id)"))
            }
        }
        guard !requests.isEmpty else { return }
        // A path missing at the tip (a frame from another version) is not evidence: blame each alone on failure.
        let blames: [BlameResult?]
        if let all = try? BlameEngine(repository: repository).blame(requests, at: tip, within: range) {
            blames = all
        } else {
            blames = requests.map { try? BlameEngine(repository: repository).blame([$0], at: tip, within: range).first }
        }
        for (blame, (failure, weight, reason)) in zip(blames, meaning) {
            for hunk in blame?.hunks ?? [] where range.contains(hunk.commit) {
                guard let suspect = owner(hunk.commit), candidates[suspect] != nil else { continue }
                let via = suspect == hunk.commit ? "" : " (in its branch commit \(hunk.commit.short()))"
                candidates[suspect]!.add(weight, failure: failure, reason + via)
            }
        }
    }

    /// File evidence from the paths `commit` changes (`prefix` for a submodule's commits).
    private func scoreFiles(of commit: OID, changes: [PathChange], prefix: String, into candidate: inout Candidate) throws {
        let paths = changes.map { prefix + $0.path }
        for (index, failure) in failures.enumerated() {
            for path in paths {
                if failure.frames.contains(where: { $0.path == path }) {
                    candidate.add(.frameFile, failure: index, "changes \(path), a file in the traceback of \(failure.id)")
                } else if path == failure.testPath {
                    candidate.add(.testFile, failure: index, "changes the failing test's file \(path)")
                } else if let chain = failure.imports[path] {
                    candidate.add(.importClosure, failure: index,
                                  "changes \(path), which \(failure.testPath ?? failure.id) imports (via \(chain.joined(separator: " → ")))")
                } else if !path.hasSuffix(".py"), isTestData(path, for: failure) {
                    candidate.add(.data, failure: index, "changes \(path), a file the tests may read")
                }
            }
        }
    }

    /// A non-Python file the failing test may read: named in its source, or a data, fixture or
    /// test-configuration file near it.
    private func isTestData(_ path: String, for failure: FailureEvidence) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if failure.testSource.contains(name) { return true }
        let parts = path.split(separator: "/").map(String.init)
        if parts.contains(where: { ["data", "fixtures", "testdata", "test_data"].contains($0) }) { return true }
        return ["conftest.py", "pytest.ini", "setup.cfg", "tox.ini", "pyproject.toml"].contains(name)
    }

    /// An amp roll on the line is expanded into the submodule's commits between the old and the
    /// new pointer, each scored on its own, with the roll as `rolledInBy`.
    private func expandRolls(_ line: [OID], into candidates: inout [OID: Candidate]) throws {
        guard let info = try repository.submodule(named: submodule) else { return }
        var inner: Repository?
        for roll in line {
            guard let change = try repository.changedPaths(of: roll).first(where: { $0.path == info.path }),
                  let old = change.oldGitlink, let new = change.newGitlink else { continue }
            if inner == nil { inner = try repository.openSubmodule(named: submodule) }
            guard let inner, inner.contains(old), inner.contains(new) else { continue }
            let subRange = try inner.commits(from: new, hiding: [old])
            var subCandidates: [OID: Candidate] = [:]
            for commit in subRange {
                subCandidates[commit] = Candidate(commit: commit, rolledInBy: roll, best: failures.map { _ in 0 })
                try scoreFiles(of: commit, changes: inner.changedPaths(of: commit), prefix: info.path + "/",
                               into: &subCandidates[commit]!)
            }
            try scoreLines(in: inner, at: new, range: Set(subRange), prefix: info.path + "/", owner: { $0 },
                           into: &subCandidates)
            for (commit, candidate) in subCandidates { candidates[commit] = candidate }
        }
    }

    /// A revert that a later commit of the range reverts again explains nothing.
    private func discountRevertedReverts(_ range: [OID], into candidates: inout [OID: Candidate]) throws {
        var reverted = Set<OID>()
        for commit in range {
            for text in RevertHistory.revertedIDs(in: try repository.commit(commit).message) {
                if let target = try? repository.commit(named: text) { reverted.insert(target) }
            }
        }
        for commit in range where reverted.contains(commit) {
            guard !RevertHistory.revertedIDs(in: try repository.commit(commit).message).isEmpty, var candidate = candidates[commit] else { continue }
            candidate.best = candidate.best.map { _ in 0 }
            candidate.reasons = ["a revert that was itself reverted later in the range"]
            candidates[commit] = candidate
        }
    }
}
