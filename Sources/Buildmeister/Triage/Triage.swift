import Foundation
import GitKit

/// From a red CI run to ready-to-file break issues: reads the inputs, resolves the traceback
/// frames into the repository at the revision, groups the failures by root cause, finds the
/// owners (the owner engine) and each cause's suspect change (blame of the line that raised),
/// and drafts one issue per cause.
public enum Triage {
    /// What the caller knows about the run (flags, then config); the inputs fill in the rest.
    public struct Request: Sendable {
        /// Files to read, `-` for stdin.
        public var inputs: [String] = []
        public var repo: String?
        public var testType: String?
        public var runID: String?
        public var runURL: String?
        public var revision: String?

        public init() {}
    }

    public static func run(_ request: Request, in repository: Repository) throws -> TriageReport {
        do {
            let commit = try repository.commit(named: request.revision ?? "HEAD")
            let tree = try repository.tree(ofCommit: commit)
            var files: [String: Bool] = [:]
            let isFile: (String) -> Bool = { path in
                if let known = files[path] { return known }
                let found: Bool
                if case .file? = try? repository.treeEntryKind(in: tree, at: path) { found = true } else { found = false }
                files[path] = found
                return found
            }
            var failures: [TriageFailure] = [], summary: TriageSummary?, logURL: String?, jobs: [String] = []
            for input in request.inputs {
                let read = try TriageInput.read(path: input, isFile: isFile)
                merge(read.failures, into: &failures)
                if summary == nil || (read.summary.complete && summary?.complete != true) { summary = read.summary }
                logURL = logURL ?? read.runURL
                if let job = read.jobName { jobs.append(job) }
            }
            for index in failures.indices {
                for frame in failures[index].frames.indices {
                    if let path = repositoryPath(failures[index].frames[frame].path, isFile: isFile) {
                        failures[index].frames[frame].path = path
                        failures[index].frames[frame].inRepo = true
                    }
                }
            }
            let settings = try repository.config()
            let url = request.runURL ?? logURL
            let configuredName = nonEmpty(try settings.string("bm.repoName"))
            let run = TriageReport.Run(
                repo: request.repo ?? configuredName ?? repositoryName(repository),
                testType: request.testType ?? testType(from: settings, names: jobs + request.inputs + [url ?? ""]),
                runId: request.runID ?? url.flatMap(runID), url: url)
            var clusters = try clustersOf(&failures, repository: repository, commit: commit, tree: tree)
            clusters.sort { $0.tests.count != $1.tests.count ? $0.tests.count > $1.tests.count : $0.key < $1.key }
            let drafts = clusters.map { cluster in
                TriageReport.Draft(cluster: cluster.key, title: TriageDrafts.title(run, cluster: clusters.count > 1 ? cluster : nil),
                                   body: TriageDrafts.body(run, cluster: cluster, failures: failures))
            }
            return TriageReport(run: run, summary: summary ?? TriageSummary(), failures: failures, clusters: clusters, drafts: drafts)
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    /// Adds `new` failures; one seen already (the same run in another format) keeps the more
    /// detailed record.
    private static func merge(_ new: [TriageFailure], into failures: inout [TriageFailure]) {
        for failure in new {
            if let index = failures.firstIndex(where: { $0.id == failure.id }) {
                if failures[index].frames.isEmpty && !failure.frames.isEmpty { failures[index] = failure }
            } else {
                failures.append(failure)
            }
        }
    }

    /// A frame's path as a repository path: as given, or, for an absolute path (another
    /// checkout, a container), its longest tail that is a file at the revision.
    static func repositoryPath(_ path: String, isFile: (String) -> Bool) -> String? {
        if !path.hasPrefix("/") { return isFile(path) ? path : nil }
        let parts = path.split(separator: "/")
        for start in parts.indices {
            let tail = parts[start...].joined(separator: "/")
            if tail.contains("site-packages") || tail.contains("dist-packages") { return nil }
            if isFile(tail) { return tail }
        }
        return nil
    }

    private static func clustersOf(_ failures: inout [TriageFailure], repository: Repository, commit: OID,
                                   tree: OID) throws -> [TriageReport.Cluster] {
        var byCause: [TriageClusters.Cause: [Int]] = [:], order: [TriageClusters.Cause] = []
        for index in failures.indices where failures[index].outcome != .flaky {
            let cause = TriageClusters.cause(of: failures[index])
            if byCause[cause] == nil { order.append(cause) }
            byCause[cause, default: []].append(index)
            failures[index].cluster = TriageClusters.key(of: cause)
        }
        let broken = failures.filter { $0.outcome != .flaky }
        let owners = try testOwners(broken.map(\.id), repository: repository, commit: commit)
        let codeOwners = try CodeOwners.load(tree: tree, in: repository)
        let describer = try CommitDescriber(repository: repository)
        // Every cause's raising line, blamed in one walk.
        let raisers = order.map { cause in
            failures[byCause[cause]![0]].frames.last { $0.inRepo && !TriageClusters.isTestFile($0.path) }
        }
        let requests = raisers.compactMap { $0 }.map { BlameRequest(path: $0.path, ranges: [$0.line...$0.line]) }
        let blames = (try? BlameEngine(repository: repository, ignoring: try IgnoreRevs.load(repository))
            .blame(requests, at: commit)) ?? []
        var blamed = blames.makeIterator()
        return try order.enumerated().map { position, cause in
            let members = byCause[cause]!.map { failures[$0] }
            let first = members[0]
            let frame = raisers[position]
            var cluster = TriageReport.Cluster(
                key: TriageClusters.key(of: cause), exception: cause.exception, message: first.message,
                frame: frame.map { .init(path: $0.path, line: $0.line, function: $0.function) },
                tests: TriageClusters.ordered(members.map(\.id)))
            for id in cluster.tests { cluster.testOwners[id] = owners[id] }
            let counted = Dictionary(grouping: cluster.tests.compactMap { owners[$0] }, by: { $0.email.lowercased() })
            cluster.owner = counted.values.max { $0.count < $1.count }?.first
            if frame != nil, let hunk = blamed.next()?.hunks.first {
                let described = try describer.describe(hunk.commit)
                cluster.suspect = .init(commit: hunk.commit.hex, name: described.name, email: described.email,
                                        time: described.time, subject: described.subject)
            }
            let paths = cluster.tests.compactMap { PytestID($0)?.path } + (frame.map { [$0.path] } ?? [])
            var seen = Set<String>()
            cluster.codeowners = paths.flatMap { codeOwners?.owners(of: $0) ?? [] }.filter { seen.insert($0).inserted }
            return cluster
        }
    }

    /// The owner of each test's lines, through the owner engine (one blame walk for all).
    private static func testOwners(_ ids: [String], repository: Repository, commit: OID) throws -> [String: TriageReport.Person] {
        guard !ids.isEmpty else { return [:] }
        let results = try Ownership.find(ids, at: commit.hex, ignoreRevs: true, in: repository,
                                         from: repository.workdir ?? repository.gitdir)
        var owners: [String: TriageReport.Person] = [:]
        for result in results {
            if let owner = result.owner { owners[result.id] = .init(name: owner.name, email: owner.email) }
        }
        return owners
    }

    /// The run id at the end of `.../actions/runs/<id>`.
    private static func runID(_ url: String) -> String? {
        guard let range = url.range(of: "/runs/") else { return nil }
        let id = url[range.upperBound...].prefix { $0.isNumber }
        return id.isEmpty ? nil : String(id)
    }

    /// `bm.testTypes`, a multi-valued `<name>=<pattern>` map (`git config --add bm.testTypes
    /// fast_tests=fast`): the first name whose pattern occurs in the CI job's name, the inputs'
    /// names or the run URL.
    private static func testType(from config: Config, names: [String]) -> String? {
        let entries = (try? config.entries(matching: #"^bm\.testtypes$"#)) ?? []
        for entry in entries {
            guard let equals = entry.value.firstIndex(of: "=") else { continue }
            let name = entry.value[..<equals].trimmingCharacters(in: .whitespaces)
            let pattern = entry.value[entry.value.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, !pattern.isEmpty, names.contains(where: { $0.contains(pattern) }) { return name }
        }
        return nil
    }

    /// The repository's name: its origin's last path component, else its directory's.
    private static func repositoryName(_ repository: Repository) -> String? {
        let url = (try? repository.remoteURL("origin")) ?? nil
        let base = url ?? repository.workdir ?? ""
        var name = base.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? ""
        if name.hasSuffix(".git") { name.removeLast(4) }
        return name.isEmpty ? nil : name
    }

    private static func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
}
