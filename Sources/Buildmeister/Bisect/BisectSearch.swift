import Foundation
import GitKit

/// One bisection: the runs so far, the search, the verification.
struct BisectSearch {
    let request: Bisect.Request
    let repository: Repository
    let settings: Settings
    let worktree: TemporaryWorktree
    let progress: (String) -> Void
    let interrupted: () -> Bool
    private var results: [Bisect.State: [BisectReport.Outcome]] = [:]
    private var runs: [BisectReport.Run] = []
    /// The amp submodule, when the repository has it checked out: its path and repository.
    private let submodule: (path: String, repository: Repository)?

    init(request: Bisect.Request, repository: Repository, settings: Settings, worktree: TemporaryWorktree,
         progress: @escaping (String) -> Void, interrupted: @escaping () -> Bool) {
        self.request = request
        self.repository = repository
        self.settings = settings
        self.worktree = worktree
        self.progress = progress
        self.interrupted = interrupted
        if let info = try? repository.submodule(named: settings.submodule.value),
           let inner = try? repository.openSubmodule(named: settings.submodule.value) {
            submodule = (info.path, inner)
        } else {
            submodule = nil
        }
    }

    mutating func run(good: OID, line: [OID]) throws -> BisectReport {
        let goodState = Bisect.State(commit: good), badState = Bisect.State(commit: line.last!)
        // 1. The range must be a regression: bad fails, good passes (each decided by majority
        //    when the first run disagrees).
        let atBad = try decided(badState, expecting: .bad)
        if atBad == .skip {
            return report(.inconclusive, explanation: "the test cannot run at the bad commit \(line.last!.short()) "
                          + "(its files are missing there, or pytest could not collect it)")
        }
        if atBad != .bad {
            return report(.flaky, explanation: "the test passes at the bad commit \(line.last!.short()) too: the break "
                          + "cannot be reproduced, so it is flaky (or outside the code)")
        }
        let atGood = try decided(goodState, expecting: .good)
        if atGood == .skip {
            return report(.inconclusive, explanation: "the test cannot run at the good commit \(good.short()) "
                          + "(its files are missing there, or pytest could not collect it)")
        }
        if atGood != .good {
            return report(.notARegression, explanation: "the test fails at the good commit \(good.short()) too: "
                          + "not a regression in this range")
        }
        // 2. culprit's top suspect and its parent: a right guess costs 2 runs.
        var found: (state: Bisect.State, parent: Bisect.State, rolledInBy: OID?)?
        if let guess = try topSuspect(line: line) {
            if try once(guess.state) == .bad, try once(guess.parent) == .good {
                // A merge or a roll is refined into the branch commit or submodule commit inside it.
                found = guess.state.submoduleCommit == nil ? try inside(guess.state.commit) : guess
            }
        }
        // 3. Halving the first-parent line, then inside the merge or roll it lands on.
        if found == nil {
            guard let landing = try halve(line, good: goodState, state: { Bisect.State(commit: $0) }) else {
                return report(.inconclusive, explanation: "every commit between the last good and the first bad one was skipped")
            }
            found = try inside(landing)
        }
        guard let answer = found else {
            return report(.inconclusive, explanation: "the search ended without an answer")
        }
        // 4. Verify: the break reproduces at the culprit and not at its parent.
        let verified = try reproduced(answer.state, .bad) && reproduced(answer.parent, .good)
        var result = report(verified ? .culprit : .inconclusive,
                            explanation: verified ? "fails at it and passes at its parent, each reproduced"
                                : "the answer did not reproduce: the test is flaky around it")
        let culprit = answer.state.submoduleCommit ?? answer.state.commit
        result.culprit = culprit.hex
        result.rolledInBy = answer.rolledInBy?.hex
        result.verified = verified
        let owner = answer.state.submoduleCommit != nil ? submodule?.repository ?? repository : repository
        if let info = try? owner.commit(culprit) {
            result.culpritSubject = info.subject
            result.culpritAuthor = "\(info.author.name) <\(info.author.email)>"
        }
        return result
    }

    private func report(_ verdict: BisectReport.Verdict, explanation: String) -> BisectReport {
        BisectReport(culprit: nil, rolledInBy: nil, verdict: verdict, runs: runs, verified: false, explanation: explanation)
    }

    // MARK: - Guess

    /// culprit's best suspect on the line (or inside a roll on it), when it has real evidence.
    private func topSuspect(line: [OID]) throws -> (state: Bisect.State, parent: Bisect.State, rolledInBy: OID?)? {
        guard !request.tests.isEmpty, let good = line.first.flatMap({ try? repository.commit($0).parents.first }) else { return nil }
        var culpritRequest = Culprit.Request(good: good.hex, bad: line.last!.hex)
        culpritRequest.ids = request.tests
        guard let report = try? Culprit.rank(culpritRequest, in: repository, settings: settings), report.verdict == .suspect,
              let top = report.suspects.first, let commit = OID(hex: top.commit) else { return nil }
        if let roll = top.rolledInBy.flatMap(OID.init(hex:)) {
            guard let parent = try submodule?.repository.commit(commit).parents.first else { return nil }
            return (Bisect.State(commit: roll, submoduleCommit: commit), Bisect.State(commit: roll, submoduleCommit: parent), roll)
        }
        guard let parent = try repository.commit(commit).parents.first else { return nil }
        return (Bisect.State(commit: commit), Bisect.State(commit: parent), nil)
    }

    // MARK: - Search

    /// The first bad element of `line` (oldest first), whose predecessor (or `good`) passes;
    /// skipped commits are stepped around; nil when everything in between was skipped.
    private mutating func halve(_ line: [OID], good: Bisect.State, state: (OID) -> Bisect.State) throws -> OID? {
        var low = -1, high = line.count - 1  // line[low] (or good) passes, line[high] fails
        var skipped = Set<Int>()
        while high - low > 1 {
            let middle = (low + high) / 2
            let candidates = ([middle] + (1..<(high - low)).flatMap { [middle + $0, middle - $0] })
                .filter { $0 > low && $0 < high && !skipped.contains($0) }
            guard let probe = candidates.first else { return nil }
            switch try once(state(line[probe])) {
            case .good: low = probe
            case .bad: high = probe
            case .skip: skipped.insert(probe)
            }
        }
        return line[high]
    }

    /// The answer inside the commit the line search landed on: a merge's branch, an amp roll's
    /// submodule commits, or the commit itself.
    private mutating func inside(_ landing: OID) throws -> (state: Bisect.State, parent: Bisect.State, rolledInBy: OID?)? {
        let commit = try repository.commit(landing)
        let parent = Bisect.State(commit: commit.parents[0])
        if commit.parents.count > 1 {
            let branch = try Bisect.firstParentLine(from: commit.parents[1], to: commit.parents[0], in: repository)
            if !branch.isEmpty, try once(Bisect.State(commit: commit.parents[1])) == .bad,
               let first = try halve(branch, good: parent, state: { Bisect.State(commit: $0) }) {
                let firstParent = try repository.commit(first).parents[0]
                return (Bisect.State(commit: first), Bisect.State(commit: firstParent), nil)
            }
        }
        if let sub = submodule,
           let change = try repository.changedPaths(of: landing).first(where: { $0.path == sub.path }),
           let old = change.oldGitlink, let new = change.newGitlink, sub.repository.contains(old), sub.repository.contains(new) {
            let rolled = try Bisect.firstParentLine(from: new, to: old, in: sub.repository)
            if let first = try halve(rolled, good: Bisect.State(commit: landing, submoduleCommit: old),
                                     state: { Bisect.State(commit: landing, submoduleCommit: $0) }) {
                let before = try sub.repository.commit(first).parents.first ?? old
                return (Bisect.State(commit: landing, submoduleCommit: first),
                        Bisect.State(commit: landing, submoduleCommit: before), landing)
            }
        }
        return (Bisect.State(commit: landing), parent, nil)
    }

    // MARK: - Runs

    /// The first result for `state`, running it if it has none.
    private mutating func once(_ state: Bisect.State) throws -> BisectReport.Outcome {
        if let first = results[state]?.first { return first }
        return try test(state)
    }

    /// The result for `state` by majority, rerunning (up to `reruns` runs) while the runs
    /// disagree with `expected` and no majority is reached.
    private mutating func decided(_ state: Bisect.State, expecting expected: BisectReport.Outcome) throws -> BisectReport.Outcome {
        var outcome = try once(state)
        while outcome != expected, (results[state]?.count ?? 0) < max(request.reruns, 1) {
            _ = try test(state)
            let all = results[state]!
            let bad = all.filter { $0 == .bad }.count, good = all.filter { $0 == .good }.count
            outcome = bad > good ? .bad : good > bad ? .good : all.last!
        }
        return outcome
    }

    /// Whether `state` gives `expected` again (a second run), by majority if the two disagree.
    private mutating func reproduced(_ state: Bisect.State, _ expected: BisectReport.Outcome) throws -> Bool {
        if (results[state]?.count ?? 0) < 2 { _ = try test(state) }
        var all = results[state]!
        while all.filter({ $0 == expected }).count * 2 <= all.count, all.count < max(request.reruns, 2) + 1 {
            _ = try test(state)
            all = results[state]!
        }
        return all.filter { $0 == expected }.count * 2 > all.count
    }

    /// Runs the test once at `state` in the worktree.
    private mutating func test(_ state: Bisect.State) throws -> BisectReport.Outcome {
        if interrupted() { throw Bisect.Interrupted() }
        try worktree.checkout(state.commit)
        if let sub = submodule {
            let tree = try repository.tree(ofCommit: state.commit)
            let recorded = try repository.gitlink(in: tree, at: sub.path)
            if let pointer = state.submoduleCommit ?? recorded, sub.repository.contains(pointer) {
                try worktree.checkoutSubmodule(sub.path, of: sub.repository, at: pointer)
            }
        }
        let label = state.submoduleCommit.map { "\(settings.submodule.value) \($0.short())" } ?? state.commit.short()
        let outcome: BisectReport.Outcome, seconds: Double
        if !request.tests.isEmpty, try !testFilesExist(at: state) {
            (outcome, seconds) = (.skip, 0)
        } else {
            let runner = TestRun(command: command(), pytest: request.command == nil, timeout: request.timeout)
            let ran = try runner.run(in: worktree.path, interrupted: interrupted)
            if interrupted() { throw Bisect.Interrupted() }
            switch ran.result {
            case .good: outcome = .good
            case .bad: outcome = .bad
            case .skip: outcome = .skip
            case .timeout: outcome = request.timeoutSkip ? .skip : .bad
            case .abort(let status):
                throw BuildmeisterError.bisectAborted(commit: label, status: status)
            }
            seconds = ran.seconds
        }
        results[state, default: []].append(outcome)
        runs.append(.init(commit: (state.submoduleCommit ?? state.commit).hex, result: outcome, seconds: seconds))
        progress("\(label)  \(outcome.rawValue)  (\(String(format: "%.1f", seconds)) s)")
        return outcome
    }

    /// The command to run: `--run`, or `bm.bisect.command` / `python -m pytest -x -q` with the tests.
    private func command() -> String {
        if let command = request.command { return command }
        let quoted = request.tests.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let template = (try? repository.config().string("bm.bisect.command")).flatMap { $0 } ?? Settings.defaultBisectCommand
        return template.replacingOccurrences(of: "{tests}", with: quoted)
    }

    /// Whether the files of the tests exist at `state` (a test that does not exist yet is a
    /// skip); a file inside the submodule is looked for at the submodule commit checked out.
    private func testFilesExist(at state: Bisect.State) throws -> Bool {
        let tree = try repository.tree(ofCommit: state.commit)
        return try request.tests.compactMap { PytestID($0)?.path }.allSatisfy { path in
            var (source, sourceTree, sourcePath) = (repository, tree, path)
            if let sub = submodule, path.hasPrefix(sub.path + "/") {
                guard let pointer = try state.submoduleCommit ?? repository.gitlink(in: tree, at: sub.path),
                      sub.repository.contains(pointer) else { return false }
                (source, sourceTree, sourcePath) = (sub.repository, try sub.repository.tree(ofCommit: pointer),
                                                    String(path.dropFirst(sub.path.count + 1)))
            }
            if case .file? = try source.treeEntryKind(in: sourceTree, at: sourcePath) { return true }
            return false
        }
    }
}
