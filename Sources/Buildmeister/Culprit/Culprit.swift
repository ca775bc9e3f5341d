import Foundation
import GitKit

/// Ranks the commits between the last green run and the first red one by the evidence each can
/// explain, from git alone: a traceback frame's line that the commit last changed (blamed within
/// the range, so later commits' edits are mapped through), a frame's file, the failing test's own
/// lines or file, a module in the test's static import closure, or a non-Python file the tests
/// read. A merge on the first-parent line is one suspect (its branch's commits carry their line
/// evidence to it); an amp roll is expanded into the submodule's own commits.
public enum Culprit {
    /// What each kind of evidence is worth: Chromium's finder scores a line 20, a file 10.
    enum Weight: Int { case frameLine = 20, frameFile = 10, testLines = 8, testFile = 6, importClosure = 3, data = 1 }

    /// Evidence below this is no evidence: a data file alone, or nothing.
    static let threshold = Weight.importClosure.rawValue

    public struct Request: Sendable {
        public var good: String
        public var bad: String
        /// Pytest ids, and/or files triage reads (logs, JUnit, lastfailed) or its `--json` output.
        public var ids: [String] = []
        public var from: [String] = []

        public init(good: String, bad: String) {
            self.good = good
            self.bad = bad
        }
    }

    public static func rank(_ request: Request, in repository: Repository, settings: Settings) throws -> CulpritReport {
        do {
            let good = try repository.commit(named: request.good), bad = try repository.commit(named: request.bad)
            let failures = try CulpritEvidence.failures(request, at: bad, in: repository, submodule: settings.submodule.value)
            var scorer = try CulpritScorer(repository: repository, good: good, bad: bad, failures: failures,
                                           submodule: settings.submodule.value)
            let suspects = try scorer.suspects()
            // By score; ties keep the line's order, newest first.
            let ranked = suspects.enumerated().sorted { ($1.element.score, $0.offset) < ($0.element.score, $1.offset) }.map(\.element)
            let verdict: CulpritReport.Verdict = (ranked.first?.score ?? 0) >= threshold ? .suspect : .noSuspect
            return CulpritReport(good: good.hex, bad: bad.hex, suspects: ranked, verdict: verdict,
                                 submodule: settings.submodule.value)
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }
}
