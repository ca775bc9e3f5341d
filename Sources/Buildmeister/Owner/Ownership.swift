import Foundation
import GitKit

/// Finds who owns failing tests: the lines of each test (as Python's `ast` sees them) are blamed
/// at a revision, and the author with the most lines (mailmap applied) is the owner.
public enum Ownership {
    /// The ownership of each id, in order. An id that cannot be answered carries its `error`;
    /// the others still get their answers. `directory` is the caller's directory, so that ids
    /// relative to it work from a subdirectory.
    /// An absolute path (a container's `/app/pkg/test_x.py`) loses `stripPrefix`, or else the
    /// leading directories that the repository does not have.
    public static func find(_ ids: [String], at revision: String?, ignoreRevs: Bool, in repository: Repository,
                            from directory: String, stripPrefix: String? = nil) throws -> [TestOwnership] {
        do {
            let commit = try repository.commit(named: revision ?? "HEAD")
            let tree = try repository.tree(ofCommit: commit)
            let prefix = relativePrefix(of: directory, in: repository)
            let place = Place(revision: revision ?? "HEAD", commit: commit, tree: tree, prefix: prefix, stripPrefix: stripPrefix)
            var results = ids.map(TestOwnership.init)
            var requests: [BlameRequest] = [], owners: [Int] = []
            var modules: [OID: (blocks: [PythonBlock], lines: Int)] = [:]
            let inSubmodules = try SubmoduleTests.route(ids, place, in: repository, ignoreRevs: ignoreRevs)
            for (index, id) in ids.enumerated() {
                if let answered = inSubmodules[index] {
                    results[index] = answered
                    continue
                }
                do {
                    let (path, blob) = try locateFile(id, place, in: repository)
                    if modules[blob] == nil {
                        let source = try repository.withBlob(blob) { String(decoding: $0, as: UTF8.self) }
                        modules[blob] = (PythonBlock.parse(source), try repository.lineCount(ofBlob: blob))
                    }
                    let module = modules[blob]!
                    let located = TestLocator.locate(PytestID(id)!.names, in: module.blocks, lineCount: module.lines)
                    if let missing = located.missing, !located.suggestions.isEmpty {
                        throw OwnerInputError("\(missing) is not in \(path) at \(place.described); did you mean "
                                              + located.suggestions.joined(separator: ", ") + "?")
                    }
                    results[index].path = path
                    results[index].startLine = located.range.lowerBound
                    results[index].endLine = located.range.upperBound
                    results[index].resolvedAs = located.resolvedAs.rawValue
                    requests.append(BlameRequest(path: path, ranges: [located.range]))
                    owners.append(index)
                } catch let error as OwnerInputError {
                    results[index].error = error.message
                }
            }
            let ignored = ignoreRevs ? try IgnoreRevs.load(repository) : []
            var blames = try BlameEngine(repository: repository, ignoring: ignored).blame(requests, at: commit)
            // Look through reverts among the blamed commits, a few rounds deep (a revert of a
            // revert of a revert is as far as teams go).
            var reverts = Set<OID>(), looked = [Set<OID>](repeating: [], count: requests.count)
            for _ in 0..<(ignoreRevs ? 4 : 0) {
                let blamed = Set(blames.flatMap { $0.hunks.map(\.commit) })
                let found = try RevertLookThrough.reverts(among: blamed, known: reverts.union(ignored), in: repository)
                guard !found.isEmpty else { break }
                for (request, blame) in blames.enumerated() {
                    looked[request].formUnion(blame.hunks.map(\.commit).filter(found.contains))
                }
                reverts.formUnion(found)
                blames = try BlameEngine(repository: repository, ignoring: ignored.union(reverts)).blame(requests, at: commit)
            }
            let describer = try CommitDescriber(repository: repository)
            let codeOwners = try CodeOwners.load(tree: tree, in: repository)
            for (request, (index, blame)) in zip(owners, blames).enumerated() {
                try summarise(blame, into: &results[index], describer: describer)
                results[index].codeowners = codeOwners?.owners(of: results[index].path ?? "") ?? []
                results[index].revertsLookedThrough = looked[request].map(\.hex).sorted()
                results[index].ignoredRevisions = blame.ignoredRevisions.subtracting(reverts).count
            }
            return results
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    /// Where `directory` is inside the work tree (`pkg/test/`), or "" at the root or outside it.
    private static func relativePrefix(of directory: String, in repository: Repository) -> String {
        guard let root = repository.workdir else { return "" }
        let resolvedRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard resolved.hasPrefix(resolvedRoot + "/") else { return "" }
        return String(resolved.dropFirst(resolvedRoot.count + 1)) + "/"
    }

    /// Where ids are looked up: the revision (as given, and its commit), its tree, the caller's
    /// directory in the work tree, and the prefix to take off absolute paths.
    struct Place {
        let revision: String
        let commit: OID
        let tree: OID
        let prefix: String
        let stripPrefix: String?

        /// "HEAD (1a2b3c4)", for messages.
        var described: String { "\(revision) (\(commit.short()))" }
    }

    /// The file an id names at the revision: relative to the root, else to the caller's directory.
    private static func locateFile(_ id: String, _ place: Place, in repository: Repository) throws -> (String, OID) {
        guard let parsed = PytestID(id) else { throw OwnerInputError("'\(id)' is not a pytest id (path.py::Class::test)") }
        var candidates = [parsed.path, place.prefix + parsed.path]
        if parsed.path.hasPrefix("/") { candidates = try absoluteCandidates(parsed.path, place, in: repository) }
        var tried: [String] = []
        for candidate in candidates where !tried.contains(candidate) {
            tried.append(candidate)
            guard let path = normalised(candidate) else { continue }
            switch try repository.treeEntryKind(in: place.tree, at: path) {
            case .file(let blob):
                guard path.hasSuffix(".py") else {
                    throw OwnerInputError("\(path) is not a Python file; bm-git owner takes pytest ids (path.py::test)")
                }
                return (path, blob)
            case .symlink: throw OwnerInputError("\(path) is a symbolic link; give the path of the test file itself")
            case .directory: throw OwnerInputError("\(path) is a directory at \(place.described); give a test file in it (path.py::test)")
            case .submodule, .none: continue
            }
        }
        if parsed.path.hasPrefix("/") {
            throw OwnerInputError("\(parsed.path) is not in the repository at \(place.described); "
                                  + "give --strip-prefix with the directory it was checked out at")
        }
        if normalised(parsed.path) == nil || normalised(place.prefix + parsed.path) == nil {
            throw OwnerInputError("\(parsed.path) is outside the repository")
        }
        throw OwnerInputError("\(parsed.path) does not exist at \(place.described)")
    }

    /// The repository paths an absolute path may stand for: without `--strip-prefix`, or else
    /// each of its tails, longest first (`/app/pkg/test_x.py`: `app/pkg/test_x.py`, `pkg/test_x.py`, ...).
    private static func absoluteCandidates(_ path: String, _ place: Place, in repository: Repository) throws -> [String] {
        if let strip = place.stripPrefix {
            let root = strip.hasSuffix("/") ? strip : strip + "/"
            guard path.hasPrefix(root) else {
                throw OwnerInputError("\(path) does not start with --strip-prefix \(strip)")
            }
            return [String(path.dropFirst(root.count))]
        }
        let parts = path.split(separator: "/")
        return parts.indices.map { parts[$0...].joined(separator: "/") }
    }

    /// `path` without `.` and `..` parts; nil when it climbs out of the repository.
    private static func normalised(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// Authors, owner, last change and hunks of one blame.
    private static func summarise(_ blame: BlameResult, into result: inout TestOwnership,
                                  describer: CommitDescriber) throws {
        struct Tally { var name: String; var email: String; var lines: Int; var newest: Int64 }
        var tallies: [String: Tally] = [:], order: [String] = []
        var last: (info: CommitDescriber.Described, id: OID)?
        for hunk in blame.hunks {
            let info = try describer.describe(hunk.commit)
            result.hunks.append(.init(startLine: hunk.startLine, lineCount: hunk.lineCount, commit: hunk.commit.hex,
                                      name: info.name, email: info.email, time: info.time,
                                      beyondShallowHistory: hunk.beyondShallowHistory))
            if hunk.beyondShallowHistory { result.shallowLines += hunk.lineCount }
            let key = info.email.lowercased()
            if tallies[key] == nil { order.append(key) }
            var tally = tallies[key] ?? Tally(name: info.name, email: info.email, lines: 0, newest: .min)
            tally.lines += hunk.lineCount
            tally.newest = max(tally.newest, info.time)
            tallies[key] = tally
            if last.map({ info.time > $0.info.time }) ?? true { last = (info, hunk.commit) }
        }
        let ranked = order.compactMap { tallies[$0] }.sorted {
            $0.lines != $1.lines ? $0.lines > $1.lines : $0.newest > $1.newest
        }
        result.authors = ranked.map { .init(name: $0.name, email: $0.email, lines: $0.lines) }
        result.owner = result.authors.first
        if let last {
            result.lastChange = .init(commit: last.id.hex, name: last.info.name, email: last.info.email,
                                      time: last.info.time, subject: last.info.subject)
        }
        result.ignoredRevisions = blame.ignoredRevisions.count
    }
}
