import CLibgit2Shims
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
    private var entries: [TreeEntryKey: TreeEntry] = [:]
    /// Trees whose wanted entries are all in `entries`.
    private var readTrees = Set<OID>()
    /// Path components as small numbers, and each path's components.
    private var nameNumbers: [String: Int] = [:]
    private var pathComponents: [String: [Int]] = [:]
    private static let entryCacheLimit = 40_000
    private let blobs: BlobCache
    private let renames: RenameFinder
    /// A shallow clone lacks the parents of its boundary commits: blame stops there.
    private let shallow: Bool
    /// Commits whose parents the shallow clone does not have.
    private var boundary = Set<OID>()
    /// With `blame(_:at:within:)`: the commits of the range; lines reaching any other commit
    /// stop there, as `git blame good..bad` stops at its boundary.
    private var range: Set<OID>?

    public init(repository: Repository, ignoring: Set<OID> = []) {
        self.repository = repository
        self.ignoring = ignoring
        shallow = git_repository_is_shallow(repository.pointer) == 1
        blobs = BlobCache(repository: repository)
        renames = RenameFinder(repository: repository, blobs: blobs)
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
        let mode: UInt32
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
    /// Blames `requests` at `commit` within `range` (the commits of `good..bad`): a line whose
    /// last change is older is attributed to the first commit outside the range that holds it.
    public func blame(_ requests: [BlameRequest], at commit: OID, within range: Set<OID>) throws -> [BlameResult] {
        self.range = range
        defer { self.range = nil }
        return try blame(requests, at: commit)
    }

    public func blame(_ requests: [BlameRequest], at commit: OID) throws -> [BlameResult] {
        // libgit2's object cache would keep whole parsed trees and commits of the walk, tens of
        // megabytes on a long history; this walk keeps just the entries and facts it needs.
        LibGit2.setObjectCaching(false)
        defer { LibGit2.setObjectCaching(true) }
        Self.keepFreedMemory()
        var walk = Walk(hunks: Array(repeating: [], count: requests.count),
                        ignored: Array(repeating: [], count: requests.count))
        let tree = try repository.tree(ofCommit: commit)
        for request in requests { _ = components(of: request.path) }
        for (index, request) in requests.enumerated() {
            guard let file = try entry(in: tree, at: request.path), file.mode & 0o170000 != 0o160000 else {
                throw GitError(operation: "blame \(request.path)", message: "no such file at \(commit.short())",
                               code: GIT_ENOTFOUND.rawValue)
            }
            let lines = try repository.lineCount(ofBlob: file.id)
            let entries = merged(request.ranges).compactMap { range -> Entry? in
                let start = max(range.lowerBound, 1), end = min(range.upperBound, lines)
                return start <= end ? Entry(request: index, finalStart: start - 1, count: end - start + 1,
                                            suspectStart: start - 1) : nil
            }
            try queue(entries, to: commit, file: ParentFile(parent: commit, path: request.path, blob: file.id, mode: file.mode),
                      in: &walk)
        }
        while let next = walk.queue.pop() {
            guard let origins = walk.origins.removeValue(forKey: next) else { continue }
            try process(next, origins: origins, in: &walk)
            // Done with it: only commits still to come keep their facts, so memory follows the
            // walk's frontier rather than the history's length.
            commits.removeValue(forKey: next)
        }
        return zip(walk.hunks, walk.ignored).map { hunks, ignored in
            let marked = hunks.map { hunk in
                var hunk = hunk
                hunk.beyondShallowHistory = boundary.contains(hunk.commit)
                return hunk
            }
            return BlameResult(hunks: marked.sorted { $0.startLine < $1.startLine }, ignoredRevisions: ignored)
        }
    }

    /// Every diff allocates and frees buffers of a few hundred kilobytes; by default glibc maps
    /// and unmaps each one (or trims the heap after it), and the page faults that follow cost a
    /// tenth of a whole-file blame. Keeping freed memory for reuse does not raise the peak.
    private static func keepFreedMemory() {
        bm_keep_freed_memory()
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

    private func queue(_ entries: [Entry], to commit: OID, file: ParentFile, in walk: inout Walk) throws {
        guard !entries.isEmpty else { return }
        if walk.origins[commit] == nil {
            walk.origins[commit] = [:]
            walk.queue.push(commit, time: try facts(commit).time)
        }
        walk.origins[commit]![file.path, default: Origin(path: file.path, blob: file.blob, mode: file.mode, entries: [])]
            .entries += entries
    }

    /// A parent's version of an origin's file.
    private struct ParentFile {
        let parent: OID
        let path: String
        let blob: OID
        let mode: UInt32
    }

    private func process(_ commit: OID, origins: [String: Origin], in walk: inout Walk) throws {
        let (tree, parents, _) = try facts(commit)
        for origin in origins.values.sorted(by: { $0.path < $1.path }) {
            guard let found = try parentFiles(of: origin, commit: commit, tree: tree, parents: parents, in: &walk) else {
                continue
            }
            var remaining = origin.entries
            let content = try blobs.take(origin.blob)
            var diffs: [OID: [LineHunk]] = [:]
            func hunks(from candidate: ParentFile) throws -> [LineHunk] {
                if let known = diffs[candidate.blob] { return known }
                let parentData = try blobs.content(candidate.blob)
                let hunks = parentData.withBytes { old in
                    content.withBytes { MyersDiff.hunks(from: old, parentData.lines, to: $0, content.lines) }
                }
                diffs[candidate.blob] = hunks
                return hunks
            }
            for candidate in found where !remaining.isEmpty {
                let split = split(remaining, by: try hunks(from: candidate))
                remaining = split.kept
                try queue(split.passed, to: candidate.parent, file: candidate, in: &walk)
            }
            if ignoring.contains(commit), !remaining.isEmpty {
                let fingerprints = content.withBytes(LineFingerprint.lines)
                for candidate in found where !remaining.isEmpty {
                    var matcher = IgnoredLineMatcher(parent: try blobs.content(candidate.blob).withBytes(LineFingerprint.lines),
                                                     target: fingerprints)
                    let mapped = mapIgnoring(remaining, by: try hunks(from: candidate), matcher: &matcher)
                    for entry in mapped.passed { walk.ignored[entry.request].insert(commit) }
                    remaining = mapped.kept
                    try queue(mapped.passed, to: candidate.parent, file: candidate, in: &walk)
                }
            }
            for entry in remaining {
                walk.hunks[entry.request].append(BlameHunk(
                    startLine: entry.finalStart + 1, lineCount: entry.count, commit: commit,
                    originalPath: origin.path, originalStartLine: entry.suspectStart + 1))
            }
        }
    }

    /// git's `pass_blame` search: each parent's file at the same path (of the same type), then,
    /// for parents without one, the file it was renamed from. When a parent has the very same
    /// blob, every line passes to it and nil is returned; a parent whose blob an earlier parent
    /// already has is left out.
    private func parentFiles(of origin: Origin, commit: OID, tree: OID, parents: [OID],
                             in walk: inout Walk) throws -> [ParentFile]? {
        var found: [ParentFile?] = Array(repeating: nil, count: parents.count)
        for pass in 0..<2 {
            for (index, parent) in parents.enumerated() where found[index] == nil {
                let parentTree = try facts(parent).tree
                var file: ParentFile?
                if pass == 0 {
                    if parentTree == tree {
                        file = ParentFile(parent: parent, path: origin.path, blob: origin.blob, mode: origin.mode)
                    } else if let entry = try self.entry(in: parentTree, at: origin.path),
                              entry.mode & 0o170000 == origin.mode & 0o170000 {
                        file = ParentFile(parent: parent, path: origin.path, blob: entry.id, mode: entry.mode)
                    }
                } else if let source = try renames.source(of: origin.path, blob: origin.blob, mode: origin.mode,
                                                          in: tree, parentTree: parentTree) {
                    _ = components(of: source.path)
                    file = ParentFile(parent: parent, path: source.path, blob: source.blob, mode: source.mode)
                }
                guard let file else { continue }
                if file.blob == origin.blob {
                    try queue(origin.entries, to: parent, file: file, in: &walk)
                    return nil
                }
                if !found[..<index].contains(where: { $0?.blob == file.blob }) { found[index] = file }
            }
        }
        return found.compactMap { $0 }
    }

    /// The non-tree entry (file, symbolic link, submodule) at `path` in `tree`, component by
    /// component through the entry cache.
    private func entry(in tree: OID, at path: String) throws -> TreeEntry? {
        let components = self.components(of: path)
        var current = tree
        for (index, name) in components.enumerated() {
            guard let entry = try entry(in: current, named: name) else { return nil }
            let isTree = entry.mode & 0o170000 == 0o040000
            if index == components.count - 1 { return isTree ? nil : entry }
            guard isTree else { return nil }
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
    private func entry(in tree: OID, named name: Int) throws -> TreeEntry? {
        let key = TreeEntryKey(tree: tree, name: name)
        if let known = entries[key] { return known }
        if readTrees.contains(tree) { return nil }
        if entries.count > Self.entryCacheLimit {
            entries.removeAll(keepingCapacity: true)
            readTrees.removeAll(keepingCapacity: true)
        }
        try repository.entries(in: tree, named: nameNumbers) { number, id, mode in
            entries[TreeEntryKey(tree: tree, name: number)] = TreeEntry(id: id, mode: mode)
        }
        readTrees.insert(tree)
        return entries[key]
    }

    private func facts(_ commit: OID) throws -> (tree: OID, parents: [OID], time: Int64) {
        if let known = commits[commit] { return known }
        var read = try repository.commitFacts(commit)
        if let range, !range.contains(commit) { read.parents = [] }
        if shallow {
            // A boundary commit of a shallow clone takes the blame for whatever came before it.
            let present = read.parents.filter(repository.contains)
            if present.count < read.parents.count {
                boundary.insert(commit)
                read.parents = present
            }
        }
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

    /// For an ignored revision: each line inside a changed hunk goes to the parent line that
    /// `matcher` finds for it (or stays, when none), every other line to its unchanged twin.
    /// Every hunk is matched, in order, as git does, because matching uses up parent lines.
    private func mapIgnoring(_ entries: [Entry], by hunks: [LineHunk],
                             matcher: inout IgnoredLineMatcher) -> (passed: [Entry], kept: [Entry]) {
        var matched: [Int: Int?] = [:]
        for hunk in hunks where hunk.newCount > 0 {
            let lines = matcher.match(targetStart: hunk.newStart, targetCount: hunk.newCount,
                                      parentStart: hunk.oldStart, parentCount: hunk.oldCount)
            for (offset, line) in lines.enumerated() { matched[hunk.newStart + offset] = line }
        }
        var passed: [Entry] = [], kept: [Entry] = []
        for entry in entries {
            for line in entry.suspectStart..<(entry.suspectStart + entry.count) {
                let single = piece(entry, from: line, to: line + 1, suspect: line)
                switch matched[line] {
                case .some(.some(let parentLine)): append(single, suspect: parentLine, to: &passed)
                case .some(.none): append(single, suspect: line, to: &kept)
                case .none:
                    let shift = hunks.reduce(0) { $1.newStart + $1.newCount <= line ? $0 + $1.oldCount - $1.newCount : $0 }
                    append(single, suspect: line + shift, to: &passed)
                }
            }
        }
        return (passed, kept)
    }

    /// Adds a one-line entry, joined to the last one when both lines follow on.
    private func append(_ line: Entry, suspect: Int, to list: inout [Entry]) {
        if let last = list.last, last.request == line.request, last.finalStart + last.count == line.finalStart,
           last.suspectStart + last.count == suspect {
            list[list.count - 1] = Entry(request: last.request, finalStart: last.finalStart, count: last.count + 1,
                                         suspectStart: last.suspectStart)
        } else {
            list.append(Entry(request: line.request, finalStart: line.finalStart, count: 1, suspectStart: suspect))
        }
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

/// A tree entry blame looked at: its object and file mode.
private struct TreeEntry {
    let id: OID
    let mode: UInt32
}
