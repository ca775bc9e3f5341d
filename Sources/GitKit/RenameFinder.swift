/// Finds where a file came from when its path is new in a commit, the way `git blame` does it
/// (`find_rename` with `single_follow`): among the files the commit deleted, first one with the
/// same content (preferring the same basename), then the one file with the same basename if it
/// scores 75%, then the best-scoring file of at least 50%, scored with git's own estimate.
/// Unlike libgit2's `git_diff_find_similar`, no other new file can take the source away.
struct RenameFinder {
    /// A file in the parent's tree.
    struct Source {
        let path: String
        let blob: OID
        let mode: UInt32
    }

    let repository: Repository
    let blobs: BlobCache

    /// The file `path` (blob `blob`, mode `mode` in `tree`) was renamed from in `parentTree`,
    /// or nil when it is new there or its type changed.
    func source(of path: String, blob: OID, mode: UInt32, in tree: OID, parentTree: OID) throws -> Source? {
        let changes = try repository.fileChanges(from: parentTree, to: tree)
        guard changes.contains(where: { $0.path == path && $0.old == nil && $0.new != nil }) else { return nil }
        let sources = changes.compactMap { change -> Source? in
            guard change.new == nil, let old = change.old else { return nil }
            return Source(path: change.path, blob: old.id, mode: old.mode)
        }.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        guard !sources.isEmpty else { return nil }
        if let exact = exactMatch(path: path, blob: blob, mode: mode, among: sources) { return exact }
        guard Self.isRegular(mode) else { return nil }
        let destination = try blobs.content(blob)
        var destinationHash: SimilarityHash?
        func score(_ source: Source, minimum: Int) throws -> Int {
            guard Self.isRegular(source.mode) else { return 0 }
            return try RenameScore.estimate(sourceSize: try blobs.size(source.blob), destinationSize: destination.count,
                                            minimum: minimum) {
                let sourceHash = try blobs.content(source.blob).withBytes(SimilarityHash.init)
                if destinationHash == nil { destinationHash = destination.withBytes(SimilarityHash.init) }
                return (sourceHash, destinationHash!)
            }
        }
        let base = Self.basename(path)
        let sameBase = sources.filter { Self.basename($0.path) == base }
        if sameBase.count == 1, try score(sameBase[0], minimum: RenameScore.basenameMinimum) >= RenameScore.basenameMinimum {
            return sameBase[0]
        }
        var best = CandidateSlots()
        for source in sources {
            best.record(Candidate(source: source, score: try score(source, minimum: RenameScore.minimum),
                                  sameBasename: Self.basename(source.path) == base))
        }
        return best.winner(minimum: RenameScore.minimum)
    }

    /// git's `find_identical_files`: the first source with the same blob (and, unless both are
    /// regular files, the same mode), one with the same basename first.
    private func exactMatch(path: String, blob: OID, mode: UInt32, among sources: [Source]) -> Source? {
        let identical = sources.filter { $0.blob == blob && (Self.isRegular($0.mode) && Self.isRegular(mode) || $0.mode == mode) }
            .prefix(100)
        return identical.first { Self.basename($0.path) == Self.basename(path) } ?? identical.first
    }

    static func isRegular(_ mode: UInt32) -> Bool { mode & 0o170000 == 0o100000 }

    private static func basename(_ path: String) -> Substring {
        path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
    }
}

/// A scored rename source.
private struct Candidate {
    let source: RenameFinder.Source
    let score: Int
    let sameBasename: Bool

    /// git's `score_compare`: higher score first, then the same basename.
    func ranksBelow(_ other: Candidate) -> Bool {
        score != other.score ? score < other.score : (!sameBasename && other.sameBasename)
    }
}

/// git keeps the four best candidates per destination in fixed slots (`record_if_better`) and
/// takes the first of them after a stable sort; replaying that gives git's tie-breaks.
private struct CandidateSlots {
    private var slots: [Candidate?] = [nil, nil, nil, nil]

    mutating func record(_ candidate: Candidate) {
        var worst = 0
        for index in 1..<slots.count where sortsAfter(slots[index], slots[worst]) { worst = index }
        if sortsAfter(slots[worst], candidate) { slots[worst] = candidate }
    }

    func winner(minimum: Int) -> RenameFinder.Source? {
        var best: Candidate?
        for case let candidate? in slots where best.map({ $0.ranksBelow(candidate) }) ?? true { best = candidate }
        return best.flatMap { $0.score >= minimum ? $0.source : nil }
    }

    /// Whether `a` sorts after `b` (empty slots sink to the bottom).
    private func sortsAfter(_ a: Candidate?, _ b: Candidate?) -> Bool {
        guard let a else { return b != nil }
        guard let b else { return false }
        return a.ranksBelow(b)
    }
}
