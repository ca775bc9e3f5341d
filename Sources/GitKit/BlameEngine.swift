import Clibgit2

/// `git blame` for chosen line ranges, built on libgit2 primitives: it walks history from the
/// newest commit down (in commit-date order, as git does), passes each line to the first parent
/// whose version of the file holds it unchanged (whole files pass untouched when the blob is the
/// same, so commits that do not change a file cost one tree lookup), follows renames, and stops
/// when every requested line has its commit. Several files share one walk.
///
/// With `ignoring`, a line last changed by one of those commits is passed to the commit's first
/// parent, mapped by position inside the changed hunk (as `--ignore-rev` does for in-place edits).
public final class BlameEngine {
    private let repository: Repository
    private let ignoring: Set<OID>
    /// Each commit's tree, parents and time, read once.
    private var commits: [OID: (tree: OID, parents: [OID], time: Int64)] = [:]
    /// Tree entries already read, for the names blame looks for: (tree, name) → entry.
    private var entries: [TreeEntryKey: (id: OID, isBlob: Bool)] = [:]
    /// Trees whose wanted entries are all in `entries`.
    private var readTrees = Set<OID>()
    /// Path components as small numbers, and each path's components.
    private var nameNumbers: [String: Int] = [:]
    private var pathComponents: [String: [Int]] = [:]
    private static let entryCacheLimit = 40_000

    public init(repository: Repository, ignoring: Set<OID> = []) {
        self.repository = repository
        self.ignoring = ignoring
    }

    /// Lines of one request (0-based `suspect` lines in the origin's version of the file).
    private struct Entry {
        let request: Int
        var finalStart: Int
        var count: Int
        var suspectStart: Int
    }

    /// A file at a commit, with the entries it is suspected of.
    private struct Origin {
        let path: String
        let blob: OID
        var entries: [Entry]
    }

    /// The state of one walk.
    private struct Walk {
        var queue = CommitQueue()
        var origins: [OID: [String: Origin]] = [:]
        var hunks: [[BlameHunk]]
        var ignored: [Set<OID>]
    }

    /// Blames every request at `commit`. Ranges past the end of a file are clamped to it.
    public func blame(_ requests: [BlameRequest], at commit: OID) throws -> [BlameResult] {
        // libgit2's object cache would keep whole parsed trees and commits of the walk, tens of
        // megabytes on a long history; this walk keeps just the entries and facts it needs.
        LibGit2.setObjectCaching(false)
        defer { LibGit2.setObjectCaching(true) }
        var walk = Walk(hunks: Array(repeating: [], count: requests.count),
                        ignored: Array(repeating: [], count: requests.count))
        let tree = try repository.tree(ofCommit: commit)
        for request in requests { _ = components(of: request.path) }
        for (index, request) in requests.enumerated() {
            guard let blob = try blobID(in: tree, at: request.path) else {
                throw GitError(operation: "blame \(request.path)", message: "no such file at \(commit.short())",
                               code: GIT_ENOTFOUND.rawValue)
            }
            let lines = try repository.lineCount(ofBlob: blob)
            let entries = merged(request.ranges).compactMap { range -> Entry? in
                let start = max(range.lowerBound, 1), end = min(range.upperBound, lines)
                return start <= end ? Entry(request: index, finalStart: start - 1, count: end - start + 1,
                                            suspectStart: start - 1) : nil
            }
            try queue(entries, to: commit, path: request.path, blob: blob, in: &walk)
        }
        while let next = walk.queue.pop() {
            guard let origins = walk.origins.removeValue(forKey: next) else { continue }
            try process(next, origins: origins, in: &walk)
        }
        return zip(walk.hunks, walk.ignored).map { hunks, ignored in
            BlameResult(hunks: hunks.sorted { $0.startLine < $1.startLine }, ignoredRevisions: ignored)
        }
    }

    private func merged(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound + 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    private func queue(_ entries: [Entry], to commit: OID, path: String, blob: OID, in walk: inout Walk) throws {
        guard !entries.isEmpty else { return }
        if walk.origins[commit] == nil {
            walk.origins[commit] = [:]
            walk.queue.push(commit, time: try facts(commit).time)
        }
        walk.origins[commit]![path, default: Origin(path: path, blob: blob, entries: [])].entries += entries
    }

    private func process(_ commit: OID, origins: [String: Origin], in walk: inout Walk) throws {
        let (tree, parents, _) = try facts(commit)
        let parentTrees = try parents.map { try facts($0).tree }
        var renames: [Int: [String: String]] = [:]
        for origin in origins.values.sorted(by: { $0.path < $1.path }) {
            // The file in each parent: same path, else the path it was renamed from.
            var candidates: [(parent: OID, path: String, blob: OID)?] = []
            var passedWhole = false
            for (index, parent) in parents.enumerated() {
                var path = origin.path
                var blob = parentTrees[index] == tree ? origin.blob : try blobID(in: parentTrees[index], at: path)
                if blob == nil {
                    if renames[index] == nil { renames[index] = try repository.renames(from: parentTrees[index], to: tree) }
                    if let old = renames[index]![origin.path] {
                        path = old
                        blob = try blobID(in: parentTrees[index], at: old)
                    }
                }
                guard let found = blob else { candidates.append(nil); continue }
                if found == origin.blob {
                    try queue(origin.entries, to: parent, path: path, blob: found, in: &walk)
                    passedWhole = true
                    break
                }
                let duplicate = candidates.contains { $0?.blob == found }
                candidates.append(duplicate ? nil : (parent, path, found))
            }
            if passedWhole { continue }

            var remaining = origin.entries
            var firstDiff: [LineHunk]?
            for candidate in candidates {
                guard let candidate, !remaining.isEmpty else { continue }
                let hunks = try repository.lineHunks(from: candidate.blob, to: origin.blob)
                if firstDiff == nil, candidate.parent == parents.first { firstDiff = hunks }
                let split = split(remaining, by: hunks)
                remaining = split.kept
                try queue(split.passed, to: candidate.parent, path: candidate.path, blob: candidate.blob, in: &walk)
            }
            if ignoring.contains(commit), !remaining.isEmpty, let first = candidates.first ?? nil, let hunks = firstDiff {
                let mapped = mapThroughChanges(remaining, by: hunks)
                for entry in mapped.passed { walk.ignored[entry.request].insert(commit) }
                remaining = mapped.kept
                try queue(mapped.passed, to: first.parent, path: first.path, blob: first.blob, in: &walk)
            }
            for entry in remaining {
                walk.hunks[entry.request].append(BlameHunk(
                    startLine: entry.finalStart + 1, lineCount: entry.count, commit: commit,
                    originalPath: origin.path, originalStartLine: entry.suspectStart + 1))
            }
        }
    }

    /// The blob at `path` in `tree`, component by component through the entry cache.
    private func blobID(in tree: OID, at path: String) throws -> OID? {
        let components = self.components(of: path)
        var current = tree
        for (index, name) in components.enumerated() {
            guard let entry = try entry(in: current, named: name) else { return nil }
            if index == components.count - 1 { return entry.isBlob ? entry.id : nil }
            guard !entry.isBlob else { return nil }
            current = entry.id
        }
        return nil
    }

    private func components(of path: String) -> [Int] {
        if let known = pathComponents[path] { return known }
        let numbers = path.split(separator: "/").map { part -> Int in
            let name = String(part)
            if let number = nameNumbers[name] { return number }
            nameNumbers[name] = nameNumbers.count
            readTrees.removeAll(keepingCapacity: true)  // trees read so far did not look for it
            return nameNumbers.count - 1
        }
        pathComponents[path] = numbers
        return numbers
    }

    /// One entry of a tree; reading a tree records every entry whose name blame looks for, so
    /// the other files being blamed find theirs without reading it again.
    private func entry(in tree: OID, named name: Int) throws -> (id: OID, isBlob: Bool)? {
        let key = TreeEntryKey(tree: tree, name: name)
        if let known = entries[key] { return known }
        if readTrees.contains(tree) { return nil }
        if entries.count > Self.entryCacheLimit {
            entries.removeAll(keepingCapacity: true)
            readTrees.removeAll(keepingCapacity: true)
        }
        try repository.forEachEntry(in: tree) { entryName, id, mode in
            // Files and symbolic links are blobs; directories and submodules are not.
            let isBlob = mode & 0o170000 == 0o100000 || mode & 0o170000 == 0o120000
            if let number = nameNumbers[entryName] { entries[TreeEntryKey(tree: tree, name: number)] = (id, isBlob) }
        }
        readTrees.insert(tree)
        return entries[key]
    }

    private func facts(_ commit: OID) throws -> (tree: OID, parents: [OID], time: Int64) {
        if let known = commits[commit] { return known }
        let read = try repository.commitFacts(commit)
        commits[commit] = read
        return read
    }

    /// Splits entries into the lines unchanged by `hunks` (passed, renumbered to the old side)
    /// and the lines the change introduced (kept).
    private func split(_ entries: [Entry], by hunks: [LineHunk]) -> (passed: [Entry], kept: [Entry]) {
        var passed: [Entry] = [], kept: [Entry] = []
        for entry in entries {
            var cursor = entry.suspectStart
            let end = entry.suspectStart + entry.count
            var newPosition = 0, oldPosition = 0
            for hunk in hunks + [LineHunk(oldStart: Int.max / 2, oldCount: 0, newStart: Int.max / 2, newCount: 0)] {
                // Unchanged stretch: new [newPosition, hunk.newStart) ↔ old [oldPosition, ...).
                let unchangedEnd = min(hunk.newStart, end)
                if cursor < unchangedEnd {
                    let begin = max(cursor, newPosition)
                    if begin < unchangedEnd {
                        passed.append(piece(entry, from: begin, to: unchangedEnd, suspect: oldPosition + (begin - newPosition)))
                        cursor = unchangedEnd
                    }
                }
                let changedEnd = min(hunk.newStart + hunk.newCount, end)
                if cursor < changedEnd {
                    kept.append(piece(entry, from: cursor, to: changedEnd, suspect: cursor))
                    cursor = changedEnd
                }
                newPosition = hunk.newStart + hunk.newCount
                oldPosition = hunk.oldStart + hunk.oldCount
                if cursor >= end { break }
            }
        }
        return (passed, kept)
    }

    /// For an ignored revision: each changed line goes to the line at the same offset in the
    /// hunk's old side, when there is one.
    private func mapThroughChanges(_ entries: [Entry], by hunks: [LineHunk]) -> (passed: [Entry], kept: [Entry]) {
        var passed: [Entry] = [], kept: [Entry] = []
        for entry in entries {
            for line in entry.suspectStart..<(entry.suspectStart + entry.count) {
                let single = piece(entry, from: line, to: line + 1, suspect: line)
                if let hunk = hunks.first(where: { line >= $0.newStart && line < $0.newStart + $0.newCount }),
                   line - hunk.newStart < hunk.oldCount {
                    passed.append(Entry(request: entry.request, finalStart: single.finalStart, count: 1,
                                        suspectStart: hunk.oldStart + (line - hunk.newStart)))
                } else {
                    kept.append(single)
                }
            }
        }
        return (passed, kept)
    }

    /// The part of `entry` covering suspect lines [from, to), renumbered to start at `suspect`.
    private func piece(_ entry: Entry, from: Int, to: Int, suspect: Int) -> Entry {
        Entry(request: entry.request, finalStart: entry.finalStart + (from - entry.suspectStart), count: to - from,
              suspectStart: suspect)
    }
}

/// A name (by number) in a tree.
private struct TreeEntryKey: Hashable {
    let tree: OID
    let name: Int
}

/// A changed region between two versions of a file, 0-based: old lines [oldStart, oldStart +
/// oldCount) became new lines [newStart, newStart + newCount).
struct LineHunk {
    let oldStart: Int
    let oldCount: Int
    let newStart: Int
    let newCount: Int
}
