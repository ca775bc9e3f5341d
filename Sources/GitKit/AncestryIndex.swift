/// Exact, fast reachability between commits, from generation numbers: git's own commit-graph
/// where the repository has one, and a cache file of bm-git's own (under the common git
/// directory) for the commits the graph lacks, or for all of them when there is no graph.
///
/// Commits known to neither are read through libgit2 and added in memory; the cache is
/// rewritten only when it was missing, stale or that addition grew large, so a query on a warm
/// cache costs a few binary searches. Answers never depend on commit dates, so clock skew is
/// harmless; dates only order the cheap first search of a repository that has no index yet.
public final class AncestryIndex {
    private let repository: Repository
    private let path: String
    private var graph: CommitGraph?
    private var shape: HistoryShape
    private var file: AncestryIndexFile?
    private var reader: CommitReader?
    /// Graph positions come first, then the file's nodes, then the commits added in memory.
    private var graphCount: Int
    private var fileCount: Int
    private var extras = AncestryIndexFile.Contents()
    private var extraNumbers = OIDTable()

    /// How many new commits make it worth rewriting the cache file.
    private static let rewriteThreshold = 256
    /// How many commits the first search of an unindexed repository may read.
    private static let quickSearchBudget = 2_000

    /// Opens the index of `repository`: its commit-graph, and the cache at
    /// `<commondir>/bm-git/ancestry-v2.idx` when that is sound and made for this history.
    public init(repository: Repository) {
        self.repository = repository
        path = repository.commondir + "/bm-git/ancestry-v2.idx"
        graph = repository.commitGraph()
        shape = HistoryShape(graph: graph, commondir: repository.commondir)
        graphCount = graph?.count ?? 0
        file = AncestryIndexFile(path: path, shape: shape)
        fileCount = file?.count ?? 0
        if file != nil, (try? generationsAreSound()) != true { forgetFile() }
    }

    /// Whether git's commit-graph is in use.
    public var usesCommitGraph: Bool { graph != nil }

    /// Whether bm-git's cache file is in use (it exists, is sound, and fits this history).
    public var usesCacheFile: Bool { file != nil }

    /// Whether `ancestor` is `descendant` or one of its ancestors, as `git merge-base --is-ancestor`.
    public func isAncestor(_ ancestor: OID, of descendant: OID) throws -> Bool {
        if ancestor == descendant { return true }
        if isUnindexed, try quickSearch(for: ancestor, from: descendant, firstParentOnly: false) { return true }
        return try withGraphFallback {
            let target = try node(ancestor), start = try node(descendant)
            let floor = try generation(target)
            var seen = Set<Int>(), stack = [start]
            while let current = stack.popLast() {
                if current == target { return true }
                guard try generation(current) > floor else { continue }
                try forEachParent(current) { parent in
                    if try generation(parent) >= floor, seen.insert(parent).inserted { stack.append(parent) }
                }
            }
            return false
        }
    }

    /// Whether `commit` is on the first-parent line of `tip` (as `git log --first-parent tip`).
    public func isOnFirstParentLine(_ commit: OID, of tip: OID) throws -> Bool {
        if commit == tip { return true }
        if isUnindexed, try quickSearch(for: commit, from: tip, firstParentOnly: true) { return true }
        return try withGraphFallback {
            let target = try node(commit)
            var current = try node(tip)
            let floor = try generation(target)
            while current != target {
                guard try generation(current) > floor, let first = try firstParent(current) else { return false }
                current = first
            }
            return true
        }
    }

    /// The commits reachable from `tip` but not from `base` (as `git rev-list base..tip`):
    /// how many, and the oldest committer time among them.
    public func missing(from tip: OID, notIn base: OID) throws -> (count: Int, oldestTime: Int64?) {
        var count = 0, oldest: Int64?
        try paintDown(from: tip, notIn: [base]) { node in
            count += 1
            let when = time(node)
            if oldest.map({ when < $0 }) ?? true { oldest = when }
        }
        return (count, oldest)
    }

    /// The commits reachable from `tip` but from none of `bases`, newest (highest generation)
    /// first: a topological order. Works in a shallow clone, where a walk that hides the bases
    /// would need the parents the clone lacks.
    public func commits(from tip: OID, notIn bases: [OID]) throws -> [OID] {
        var nodes: [Int] = []
        try paintDown(from: tip, notIn: bases) { nodes.append($0) }
        return nodes.map(oid)
    }

    /// Paints both sides down in generation order, highest first, calling `body` with each
    /// commit reachable from `tip` only. A commit's paint is final when it is taken, since
    /// everything that reaches it has a higher generation; the walk ends when every commit
    /// still queued is reachable from a base.
    private func paintDown(from tip: OID, notIn bases: [OID], _ body: (Int) -> Void) throws {
        try withGraphFallback {
            let fromTip: UInt8 = 1, fromBase: UInt8 = 2
            let tipNode = try node(tip), baseNodes = try bases.map(node)
            if baseNodes.contains(tipNode) { return }
            graph?.prefault()
            file?.prefault()
            // Every node the walk can reach is known by now: paint fits in one flat array.
            var paint = [UInt8](repeating: 0, count: graphCount + fileCount + extras.oids.count)
            var queue = GenerationQueue()
            paint[tipNode] = fromTip
            queue.push(tipNode, generation: try generation(tipNode))
            for baseNode in baseNodes where paint[baseNode] == 0 {
                paint[baseNode] = fromBase
                queue.push(baseNode, generation: try generation(baseNode))
            }
            var tipOnlyQueued = 1
            while tipOnlyQueued > 0, let current = queue.pop() {
                let flags = paint[current]
                if flags == fromTip {
                    tipOnlyQueued -= 1
                    body(current)
                }
                try forEachParent(current) { parent in
                    let before = paint[parent]
                    let after = before | flags
                    guard after != before else { return }
                    paint[parent] = after
                    if before == 0 {
                        queue.push(parent, generation: try generation(parent))
                        if after == fromTip { tipOnlyQueued += 1 }
                    } else if before == fromTip {
                        tipOnlyQueued -= 1
                    }
                }
            }
        }
    }

    /// Reads the history of `tips` into the index and writes the cache file, so that later
    /// questions about it are answered from the file (the pre-push hook's first run is fast).
    public func prepare(_ tips: [OID]) throws {
        try withGraphFallback { for tip in tips { _ = try node(tip) } }
        saveIfWorthwhile()
    }

    /// Writes the cache file when it was missing or stale, or many commits were added; failure
    /// to write (a read-only repository, say) is not an error: the cache is only an accelerator.
    public func saveIfWorthwhile() {
        guard !extras.oids.isEmpty, file == nil || extras.oids.count >= Self.rewriteThreshold else { return }
        var contents = AncestryIndexFile.Contents()
        if let file {
            // The file's nodes keep their numbers: they come first, the additions after them.
            for node in 0..<fileCount {
                contents.oids.append(file.oid(node))
                contents.generations.append(file.generation(node))
                contents.times.append(file.time(node))
                file.forEachParent(node) { contents.parents.append($0) }
                contents.parentStarts.append(contents.parents.count)
            }
        }
        contents.oids += extras.oids
        contents.generations += extras.generations
        contents.times += extras.times
        let base = contents.parents.count
        contents.parents += extras.parents
        contents.parentStarts += extras.parentStarts.dropFirst().map { $0 + base }
        try? AncestryIndexFile.write(path: path, shape: shape, contents: contents)
    }

    // MARK: - Nodes

    /// Neither git's commit-graph nor a cache file: the first question of a new clone.
    private var isUnindexed: Bool { graph == nil && file == nil && extras.oids.isEmpty }

    /// Every cached node's generation exceeds its parents' (so no walk can loop, whatever the file says).
    private func generationsAreSound() throws -> Bool {
        for local in 0..<fileCount {
            let own = file!.generation(local)
            var sound = true
            try file!.forEachParent(local) { parent in if try generation(parent) >= own { sound = false } }
            if !sound { return false }
        }
        return true
    }

    private func forgetFile() {
        file = nil
        fileCount = 0
    }

    /// Runs `body`; if git's commit-graph turns out corrupt, forgets it (and everything numbered
    /// after it) and runs `body` again without it.
    private func withGraphFallback<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch is CommitGraph.Corrupt {
            graph = nil
            graphCount = 0
            shape = HistoryShape(graph: nil, commondir: repository.commondir)
            forgetFile()
            file = AncestryIndexFile(path: path, shape: shape)
            fileCount = file?.count ?? 0
            extras = AncestryIndexFile.Contents()
            extraNumbers = OIDTable()
            return try body()
        }
    }

    @inline(__always)
    private func generation(_ node: Int) throws -> UInt64 {
        if node < graphCount { return try graph!.generation(node) }
        if node < graphCount + fileCount { return file!.generation(node - graphCount) }
        return extras.generations[node - graphCount - fileCount]
    }

    private func oid(_ node: Int) -> OID {
        if node < graphCount { return graph!.oid(node) }
        if node < graphCount + fileCount { return file!.oid(node - graphCount) }
        return extras.oids[node - graphCount - fileCount]
    }

    private func time(_ node: Int) -> Int64 {
        if node < graphCount { return graph!.time(node) }
        if node < graphCount + fileCount { return file!.time(node - graphCount) }
        return extras.times[node - graphCount - fileCount]
    }

    @inline(__always)
    private func forEachParent(_ node: Int, _ body: (Int) throws -> Void) throws {
        if node < graphCount { return try graph!.forEachParent(node, body) }
        if node < graphCount + fileCount { return try file!.forEachParent(node - graphCount, body) }
        let extra = node - graphCount - fileCount
        for index in extras.parentStarts[extra]..<extras.parentStarts[extra + 1] { try body(extras.parents[index]) }
    }

    private func firstParent(_ node: Int) throws -> Int? {
        var first: Int?
        try forEachParent(node) { parent in if first == nil { first = parent } }
        return first
    }

    private func known(_ oid: OID) -> Int? {
        if let position = graph?.position(of: oid) { return position }
        if let local = file?.find(oid) { return graphCount + local }
        return extraNumbers[oid]
    }

    private func commitReader() throws -> CommitReader {
        if let reader { return reader }
        let made = try CommitReader(repository)
        reader = made
        return made
    }

    /// The node number of commit `oid`, reading it and any unknown ancestors through libgit2.
    private func node(_ oid: OID) throws -> Int {
        if let number = known(oid) { return number }
        let reader = try commitReader()
        // Commits read once need no place in libgit2's object cache.
        LibGit2.setObjectCaching(false)
        defer { LibGit2.setObjectCaching(true) }
        // Depth-first, so that every parent has its generation before its child does.
        var pending: [(oid: OID, parents: [OID]?, time: Int64)] = [(oid, nil, 0)]
        var parents: [OID] = []
        while let top = pending.last {
            if known(top.oid) != nil { pending.removeLast(); continue }
            guard let read = top.parents else {
                parents.removeAll(keepingCapacity: true)
                let time = try reader.read(top.oid) { parents.append($0) }
                pending[pending.count - 1] = (top.oid, parents, time)
                for parent in parents where known(parent) == nil { pending.append((parent, nil, 0)) }
                continue
            }
            pending.removeLast()
            var generation: UInt64 = 0
            for parent in read {
                let number = known(parent)!
                extras.parents.append(number)
                generation = max(generation, try self.generation(number))
            }
            extras.parentStarts.append(extras.parents.count)
            extraNumbers.insert(top.oid, graphCount + fileCount + extras.oids.count)
            extras.oids.append(top.oid)
            extras.generations.append(generation + 1)
            extras.times.append(top.time)
        }
        return known(oid)!
    }

    /// Looks for `target` among the first commits reachable from `start` (newest committer
    /// time first; first parents only if asked), reading them directly. True means found;
    /// false means not found within the budget, which proves nothing.
    private func quickSearch(for target: OID, from start: OID, firstParentOnly: Bool) throws -> Bool {
        let reader = try commitReader()
        var queue = CommitQueue(), parentsOf: [OID: [OID]] = [:], budget = Self.quickSearchBudget
        func discover(_ commit: OID) throws {
            var parents: [OID] = []
            let time = try reader.read(commit) { parent in
                if !firstParentOnly || parents.isEmpty { parents.append(parent) }
            }
            parentsOf[commit] = parents
            queue.push(commit, time: time)
            budget -= 1
        }
        try discover(start)
        while budget > 0, let current = queue.pop() {
            for parent in parentsOf[current]! where parentsOf[parent] == nil {
                if parent == target { return true }
                try discover(parent)
            }
        }
        return false
    }
}
