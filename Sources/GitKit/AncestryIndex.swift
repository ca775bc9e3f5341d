import Clibgit2

/// Exact, fast reachability between commits, from generation numbers (as in git's
/// commit-graph) kept in a cache file of bm-git's own under the common git directory.
///
/// Commits missing from the cache are read through libgit2 and added in memory; the cache is
/// rewritten only when it did not exist or that addition grew large, so a query on a warm cache
/// costs a few binary searches. Answers never depend on commit dates, so clock skew is harmless.
public final class AncestryIndex {
    private let repository: Repository
    private let path: String
    private let file: AncestryIndexFile?
    /// A shallow clone lacks some parents; only then is each parent's presence checked.
    private let shallow: Bool
    /// Commits not in the file, numbered from `file.count` on.
    private var extraNumbers: [OID: Int] = [:]
    private var extraOids: [OID] = []
    private var extraGenerations: [UInt32] = []
    private var extraTimes: [Int64] = []
    private var extraParents: [[Int]] = []

    /// How many new commits make it worth rewriting the cache file.
    private static let rewriteThreshold = 256

    /// Opens the index of `repository`, stored at `<commondir>/bm-git/ancestry-v1.idx`.
    public init(repository: Repository) {
        self.repository = repository
        path = repository.commondir + "/bm-git/ancestry-v1.idx"
        file = AncestryIndexFile(path: path)
        shallow = git_repository_is_shallow(repository.pointer) == 1
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors, as `git merge-base --is-ancestor`.
    public func isAncestor(_ ancestor: OID, of descendant: OID) throws -> Bool {
        let target = try node(ancestor), start = try node(descendant)
        if target == start { return true }
        let floor = generation(target)
        var seen = Set<Int>(), stack = [start]
        while let current = stack.popLast() {
            if current == target { return true }
            guard generation(current) > floor else { continue }
            forEachParent(current) { parent in
                if generation(parent) >= floor, seen.insert(parent).inserted { stack.append(parent) }
            }
        }
        return false
    }

    /// The commits reachable from `tip` but not from `base` (as `git rev-list base..tip`):
    /// how many, and the oldest committer time among them.
    public func missing(from tip: OID, notIn base: OID) throws -> (count: Int, oldestTime: Int64?) {
        let tipNode = try node(tip), baseNode = try node(base)
        var inBase = [Bool](repeating: false, count: total)
        mark(from: baseNode, in: &inBase)
        var seen = inBase, stack = [tipNode], count = 0, oldest: Int64?
        guard !seen[tipNode] else { return (0, nil) }
        seen[tipNode] = true
        while let current = stack.popLast() {
            count += 1
            let when = time(current)
            if oldest.map({ when < $0 }) ?? true { oldest = when }
            forEachParent(current) { parent in
                if !seen[parent] { seen[parent] = true; stack.append(parent) }
            }
        }
        return (count, oldest)
    }

    /// Reads the history of `tips` into the index and writes the cache file, so that later
    /// questions about it are answered from the file (the pre-push hook's first run is fast).
    public func prepare(_ tips: [OID]) throws {
        for tip in tips { _ = try node(tip) }
        saveIfWorthwhile()
    }

    /// Writes the cache file when it was missing or many commits were added; failure to write
    /// (a read-only repository, say) is not an error, since the cache is only an accelerator.
    public func saveIfWorthwhile() {
        guard !extraOids.isEmpty, file == nil || extraOids.count >= Self.rewriteThreshold else { return }
        var oids: [OID] = [], generations: [UInt32] = [], times: [Int64] = [], parents: [[Int]] = []
        let stored = file?.count ?? 0
        oids.reserveCapacity(total)
        for node in 0..<stored {
            oids.append(file!.oid(node))
            generations.append(file!.generation(node))
            times.append(file!.time(node))
            var list: [Int] = []
            file!.forEachParent(node) { list.append($0) }
            parents.append(list)
        }
        try? AncestryIndexFile.write(path: path, oids: oids + extraOids, generations: generations + extraGenerations,
                                     times: times + extraTimes, parents: parents + extraParents)
    }

    // MARK: - Nodes

    private var total: Int { (file?.count ?? 0) + extraOids.count }

    private func firstParent(_ node: Int) -> Int? {
        var first: Int?
        forEachParent(node) { parent in if first == nil { first = parent } }
        return first
    }

    fileprivate func generation(_ node: Int) -> UInt32 {
        if let file, node < file.count { return file.generation(node) }
        return extraGenerations[node - (file?.count ?? 0)]
    }

    private func time(_ node: Int) -> Int64 {
        if let file, node < file.count { return file.time(node) }
        return extraTimes[node - (file?.count ?? 0)]
    }

    @inline(__always)
    private func forEachParent(_ node: Int, _ body: (Int) -> Void) {
        if let file, node < file.count { return file.forEachParent(node, body) }
        extraParents[node - (file?.count ?? 0)].forEach(body)
    }

    private func mark(from start: Int, in marks: inout [Bool]) {
        var stack = [start]
        marks[start] = true
        while let current = stack.popLast() {
            forEachParent(current) { parent in
                if !marks[parent] { marks[parent] = true; stack.append(parent) }
            }
        }
    }

    private func known(_ oid: OID) -> Int? {
        file?.find(oid) ?? extraNumbers[oid]
    }

    /// The node number of commit `oid`, reading it and any unknown ancestors through libgit2.
    fileprivate func node(_ oid: OID) throws -> Int {
        if let number = known(oid) { return number }
        // Depth-first, so that every parent has its generation before its child does.
        var pending: [(oid: OID, parents: [OID]?, time: Int64)] = [(oid, nil, 0)]
        while let top = pending.last {
            if known(top.oid) != nil { pending.removeLast(); continue }
            guard let parents = top.parents else {
                let commit = try readCommit(top.oid)
                pending[pending.count - 1] = (top.oid, commit.parents, commit.time)
                for parent in commit.parents where known(parent) == nil { pending.append((parent, nil, 0)) }
                continue
            }
            pending.removeLast()
            let numbers = parents.compactMap(known)
            let generation = (numbers.map(self.generation).max() ?? 0) + 1
            extraNumbers[top.oid] = total
            extraOids.append(top.oid)
            extraGenerations.append(generation)
            extraTimes.append(top.time)
            extraParents.append(numbers)
        }
        return known(oid)!
    }

    /// A commit's parents (those present: a shallow clone lacks some) and committer time.
    private func readCommit(_ oid: OID) throws -> (parents: [OID], time: Int64) {
        let facts = try repository.commitFacts(oid)
        return (shallow ? facts.parents.filter(repository.contains) : facts.parents, facts.time)
    }
}

extension AncestryIndex {
    /// Whether `commit` is on the first-parent line of `tip` (as `git log --first-parent tip`).
    public func isOnFirstParentLine(_ commit: OID, of tip: OID) throws -> Bool {
        let target = try node(commit)
        var current = try node(tip)
        let floor = generation(target)
        while current != target {
            guard generation(current) > floor, let first = firstParent(current) else { return false }
            current = first
        }
        return true
    }
}
