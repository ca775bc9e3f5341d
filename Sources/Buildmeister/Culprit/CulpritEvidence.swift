import Foundation
import GitKit

/// What is known of one failing test at the bad commit: its file and lines, the traceback's
/// repository frames, and the files its imports reach.
struct FailureEvidence {
    let id: String
    let testPath: String?
    let testLines: ClosedRange<Int>?
    let frames: [TriageFailure.Frame]
    /// Files of the test's static import closure, with the import chain that reaches each.
    let imports: [String: [String]]
    /// The test file's text (a data file it names is weak evidence).
    let testSource: String
}

enum CulpritEvidence {
    /// The failures of `request` (ids, logs, JUnit, lastfailed or triage's JSON) at `bad`.
    static func failures(_ request: Culprit.Request, at bad: OID, in repository: Repository,
                         submodule: String) throws -> [FailureEvidence] {
        let tree = try repository.tree(ofCommit: bad)
        // Files inside the submodule are read from its repository, at the pointer `bad` records.
        var inner: (path: String, repository: Repository, tree: OID)?
        if let info = try repository.submodule(named: submodule), let opened = try repository.openSubmodule(named: submodule),
           let pointer = try repository.gitlink(in: tree, at: info.path), opened.contains(pointer) {
            inner = (info.path, opened, try opened.tree(ofCommit: pointer))
        }
        var texts: [String: String?] = [:]
        func read(_ path: String) -> String? {
            if let known = texts[path] { return known }
            var text: String?
            var (source, sourceTree, sourcePath) = (repository, tree, path)
            if let inner, path.hasPrefix(inner.path + "/") {
                (source, sourceTree, sourcePath) = (inner.repository, inner.tree, String(path.dropFirst(inner.path.count + 1)))
            }
            if case .file(let blob)? = try? source.treeEntryKind(in: sourceTree, at: sourcePath) {
                text = try? source.withBlob(blob) { String(decoding: $0, as: UTF8.self) }
            }
            texts[path] = text
            return text
        }
        var failures = request.ids.map { TriageFailure(id: $0, outcome: .failed, phase: .call) }
        for file in request.from {
            for failure in try fromFile(file, isFile: { read($0) != nil }) where !failures.contains(where: { $0.id == failure.id }) {
                failures.append(failure)
            }
        }
        guard !failures.isEmpty else { throw BuildmeisterError.noFailuresGiven }
        var closure = ImportClosure(read: read)
        if let inner { closure.roots.append(inner.path + "/") }
        return failures.filter { $0.outcome != .flaky }.map { failure in
            let parsed = PytestID(failure.id)
            let path = parsed.flatMap { read($0.path) != nil ? $0.path : nil }
            var lines: ClosedRange<Int>?
            if let path, let parsed, !parsed.names.isEmpty, let source = read(path) {
                let located = TestLocator.locate(parsed.names, in: source, lineCount: source.split(separator: "\n", omittingEmptySubsequences: false).count)
                if located.resolvedAs != .file { lines = located.range }
            }
            var frames = failure.frames
            for index in frames.indices where !frames[index].inRepo {
                if let resolved = Triage.repositoryPath(frames[index].path, isFile: { read($0) != nil }) {
                    frames[index].path = resolved
                    frames[index].inRepo = true
                }
            }
            return FailureEvidence(id: failure.id, testPath: path, testLines: lines, frames: frames.filter(\.inRepo),
                                   imports: path.map { closure.closure(of: $0) } ?? [:], testSource: path.flatMap(read) ?? "")
        }
    }

    /// Failures from a file: triage's `--json` output, or anything triage reads.
    private static func fromFile(_ path: String, isFile: (String) -> Bool) throws -> [TriageFailure] {
        if let data = FileManager.default.contents(atPath: path),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let listed = object["failures"] as? [[String: Any]] {
            return listed.compactMap { entry in
                guard let id = entry["id"] as? String else { return nil }
                let outcome = TriageFailure.Outcome(rawValue: entry["outcome"] as? String ?? "") ?? .failed
                var failure = TriageFailure(id: id, outcome: outcome, phase: .call)
                failure.frames = (entry["frames"] as? [[String: Any]] ?? []).compactMap { frame in
                    guard let file = frame["path"] as? String, let line = frame["line"] as? Int else { return nil }
                    return .init(path: file, line: line, function: frame["function"] as? String ?? "",
                                 inRepo: frame["inRepo"] as? Bool ?? false)
                }
                return failure
            }
        }
        var failures = try TriageInput.read(path: path, isFile: isFile).failures
        for index in failures.indices {
            for frame in failures[index].frames.indices {
                if let resolved = Triage.repositoryPath(failures[index].frames[frame].path, isFile: isFile) {
                    failures[index].frames[frame].path = resolved
                    failures[index].frames[frame].inRepo = true
                }
            }
        }
        return failures
    }
}
