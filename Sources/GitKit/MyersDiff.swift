/// The line diff of `git blame`, written anew from git's xdiff (Myers' O(ND) algorithm with
/// xdiff's heuristics, its discarding of lines without a match, and its sliding of changed
/// groups with the indent heuristic), so that blame assigns every line exactly as git does.
///
/// It works on `LineIndex`es: lines compare by their hashes, the lines both versions share at
/// the start and end are never looked at one by one beyond that comparison, and each version's
/// lines are split and hashed once however many diffs it takes part in.
struct MyersDiff {
    /// One side of the diff: the first `count` lines of a version.
    private struct Side {
        let bytes: UnsafeRawBufferPointer
        let lines: LineIndex
        let count: Int
        /// Changed-line marks, offset by one so that index -1 and `count` read as unchanged.
        var changed: [Bool]

        init(bytes: UnsafeRawBufferPointer, lines: LineIndex, count: Int) {
            self.bytes = bytes
            self.lines = lines
            self.count = count
            changed = Array(repeating: false, count: count + 2)
        }

        func isChanged(_ line: Int) -> Bool { changed[line + 1] }
        mutating func mark(_ line: Int, _ value: Bool) { changed[line + 1] = value }
        func same(_ a: Int, _ b: Int) -> Bool { lines.hashes[a] == lines.hashes[b] }

        /// git's `get_indent`: the line's indentation (tabs to multiples of 8, at most 200), or
        /// -1 for a line of only whitespace.
        func indent(_ line: Int) -> Int {
            var result = 0
            for offset in lines.starts[line]..<lines.starts[line + 1] {
                switch bytes[offset] {
                case 0x20: result += 1
                case 0x09: result += 8 - result % 8
                case 0x0A, 0x0D: break
                default: return result
                }
                if result >= 200 { return 200 }
            }
            return -1
        }
    }

    private var a: Side
    private var b: Side

    /// The changed regions from `old` to `new`, as `git blame` (and `git diff -U0`) finds them.
    static func hunks(from old: UnsafeRawBufferPointer, _ oldLines: LineIndex,
                      to new: UnsafeRawBufferPointer, _ newLines: LineIndex) -> [LineHunk] {
        // git's trim_common_tail: identical 1 KiB blocks at the end are not diffed.
        let trimmed = LineDiff.trimmedTail(old, new)
        func lineCount(_ lines: LineIndex, size: Int) -> Int {
            guard trimmed > 0 else { return lines.count }
            var low = 0, high = lines.count
            while low < high {
                let middle = (low + high) / 2
                if lines.starts[middle] < size { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var diff = MyersDiff(a: Side(bytes: old, lines: oldLines, count: lineCount(oldLines, size: old.count - trimmed)),
                             b: Side(bytes: new, lines: newLines, count: lineCount(newLines, size: new.count - trimmed)))
        diff.compare()
        compact(&diff.a, other: &diff.b)
        compact(&diff.b, other: &diff.a)
        return diff.script()
    }

    // MARK: - Preparing: trimmed ends and discarded lines (xprepare.c)

    private mutating func compare() {
        let common = min(a.count, b.count)
        var start = 0
        while start < common && a.lines.hashes[start] == b.lines.hashes[start] { start += 1 }
        var tail = 0
        while tail < common - start && a.lines.hashes[a.count - 1 - tail] == b.lines.hashes[b.count - 1 - tail] { tail += 1 }
        let endA = a.count - tail, endB = b.count - tail
        guard start < endA || start < endB else { return }

        // How often each line of the middles occurs in the whole of each side.
        var counts = CountTable(capacity: (endA - start) + (endB - start))
        for line in start..<endA { counts.add(a.lines.hashes[line], toFirst: true) }
        for line in start..<endB { counts.add(b.lines.hashes[line], toFirst: false) }
        for line in 0..<start { counts.addShared(a.lines.hashes[line]) }
        for line in endA..<a.count { counts.addShared(a.lines.hashes[line]) }

        let keptA = kept(side: &a, from: start, to: endA, limit: Self.matchLimit(a.count)) { counts.inSecond($0) }
        let keptB = kept(side: &b, from: start, to: endB, limit: Self.matchLimit(b.count)) { counts.inFirst($0) }
        var search = MyersSearch(a: keptA.hashes, b: keptB.hashes)
        search.run()
        for index in search.changedA { a.mark(keptA.lines[index], true) }
        for index in search.changedB { b.mark(keptB.lines[index], true) }
    }

    /// xdiff's `XDL_MAX_EQLIMIT`-capped square root: a line occurring this often on the other
    /// side may be discarded.
    private static func matchLimit(_ count: Int) -> Int {
        var root = 1, n = count
        while n > 0 {
            root <<= 1
            n >>= 2
        }
        return min(root, 1024)
    }

    /// git's `xdl_cleanup_records`: lines with no match on the other side are changed outright;
    /// lines with very many matches are too when they sit among such lines. The rest go to the
    /// search, as (original line, hash).
    private func kept(side: inout Side, from start: Int, to end: Int, limit: Int,
                      matches: (UInt64) -> Int) -> (lines: [Int], hashes: [UInt64]) {
        guard start < end else { return ([], []) }
        var kinds = [UInt8](repeating: 0, count: end - start)
        for line in start..<end {
            let found = matches(side.lines.hashes[line])
            kinds[line - start] = found == 0 ? 0 : found >= limit ? 2 : 1
        }
        var lines: [Int] = [], hashes: [UInt64] = []
        for line in start..<end {
            let kind = kinds[line - start]
            if kind == 1 || (kind == 2 && !Self.discardsMultimatch(kinds, at: line - start)) {
                lines.append(line)
                hashes.append(side.lines.hashes[line])
            } else {
                side.mark(line, true)
            }
        }
        return (lines, hashes)
    }

    /// git's `xdl_clean_mmatch`: whether a line with many matches lies in a run of lines with
    /// none (scanning at most 100 lines each way).
    private static func discardsMultimatch(_ kinds: [UInt8], at index: Int) -> Bool {
        let first = max(0, index - 100), last = min(kinds.count - 1, index + 100)
        var noMatchBefore = 0, multiBefore = 1
        var offset = 1
        while index - offset >= first {
            let kind = kinds[index - offset]
            if kind == 0 { noMatchBefore += 1 } else if kind == 2 { multiBefore += 1 } else { break }
            offset += 1
        }
        if noMatchBefore == 0 { return false }
        var noMatchAfter = 0, multiAfter = 1
        offset = 1
        while index + offset <= last {
            let kind = kinds[index + offset]
            if kind == 0 { noMatchAfter += 1 } else if kind == 2 { multiAfter += 1 } else { break }
            offset += 1
        }
        if noMatchAfter == 0 { return false }
        let noMatch = noMatchAfter + noMatchBefore, multi = multiAfter + multiBefore
        return multi * 4 < multi + noMatch
    }

    // MARK: - Sliding changed groups (xdiffi.c: xdl_change_compact)

    private struct Group {
        var start = 0
        var end = 0
    }

    private static func firstGroup(_ side: Side) -> Group {
        var group = Group()
        while side.isChanged(group.end) { group.end += 1 }
        return group
    }

    private static func next(_ side: Side, _ group: inout Group) -> Bool {
        if group.end == side.count { return false }
        group.start = group.end + 1
        group.end = group.start
        while side.isChanged(group.end) { group.end += 1 }
        return true
    }

    private static func previous(_ side: Side, _ group: inout Group) -> Bool {
        if group.start == 0 { return false }
        group.end = group.start - 1
        group.start = group.end
        while side.isChanged(group.start - 1) { group.start -= 1 }
        return true
    }

    private static func slideDown(_ side: inout Side, _ group: inout Group) -> Bool {
        guard group.end < side.count, side.same(group.start, group.end) else { return false }
        side.mark(group.start, false)
        group.start += 1
        side.mark(group.end, true)
        group.end += 1
        while side.isChanged(group.end) { group.end += 1 }
        return true
    }

    private static func slideUp(_ side: inout Side, _ group: inout Group) -> Bool {
        guard group.start > 0, side.same(group.start - 1, group.end - 1) else { return false }
        group.start -= 1
        side.mark(group.start, true)
        group.end -= 1
        side.mark(group.end, false)
        while side.isChanged(group.start - 1) { group.start -= 1 }
        return true
    }

    /// Slides each group of changed lines of one side as far up as it goes, then down, lines it
    /// up with a change on the other side when it can, and otherwise puts it where the indent
    /// heuristic scores best.
    private static func compact(_ side: inout Side, other: inout Side) {
        var group = Self.firstGroup(side), otherGroup = Self.firstGroup(other)
        while true {
            if group.end != group.start {
                var size = 0, earliestEnd = 0, endMatchingOther = -1
                repeat {
                    size = group.end - group.start
                    endMatchingOther = -1
                    while Self.slideUp(&side, &group) { _ = Self.previous(other, &otherGroup) }
                    earliestEnd = group.end
                    if otherGroup.end > otherGroup.start { endMatchingOther = group.end }
                    while Self.slideDown(&side, &group) {
                        _ = Self.next(other, &otherGroup)
                        if otherGroup.end > otherGroup.start { endMatchingOther = group.end }
                    }
                } while size != group.end - group.start
                if group.end == earliestEnd {
                    // It cannot move.
                } else if endMatchingOther != -1 {
                    while otherGroup.end == otherGroup.start {
                        _ = Self.slideUp(&side, &group)
                        _ = Self.previous(other, &otherGroup)
                    }
                } else {
                    var shift = max(earliestEnd, group.end - size - 1, group.end - 100)
                    var bestShift = -1, best = SplitScore()
                    while shift <= group.end {
                        var score = SplitScore()
                        score.add(Self.measure(side, shift))
                        score.add(Self.measure(side, shift - size))
                        if bestShift == -1 || score.compare(best) <= 0 {
                            best = score
                            bestShift = shift
                        }
                        shift += 1
                    }
                    while group.end > bestShift {
                        _ = Self.slideUp(&side, &group)
                        _ = Self.previous(other, &otherGroup)
                    }
                }
            }
            if !Self.next(side, &group) { break }
            _ = Self.next(other, &otherGroup)
        }
    }

    /// git's `measure_split`: the surroundings of a split before line `split`.
    private static func measure(_ side: Side, _ split: Int) -> SplitMeasurement {
        var measurement = SplitMeasurement()
        if split >= side.count {
            measurement.endOfFile = true
            measurement.indent = -1
        } else {
            measurement.indent = side.indent(split)
        }
        (measurement.preBlank, measurement.preIndent) = blanks(side, from: split - 1, step: -1)
        (measurement.postBlank, measurement.postIndent) = blanks(side, from: split + 1, step: 1)
        return measurement
    }

    /// From `line` on in direction `step`: how many blank lines come first (at most 20, and
    /// then an indent of 0), and the indent of the first other line (-1 at the file's edge).
    private static func blanks(_ side: Side, from line: Int, step: Int) -> (count: Int, indent: Int) {
        var line = line, count = 0
        while line >= 0 && line < side.count {
            let indent = side.indent(line)
            if indent != -1 { return (count, indent) }
            count += 1
            if count == 20 { return (count, 0) }
            line += step
        }
        return (count, -1)
    }

    // MARK: - The result (xdl_build_script)

    private func script() -> [LineHunk] {
        var hunks: [LineHunk] = []
        var lineA = 0, lineB = 0
        while lineA < a.count || lineB < b.count {
            if a.isChanged(lineA) || b.isChanged(lineB) {
                let startA = lineA, startB = lineB
                while lineA < a.count && a.isChanged(lineA) { lineA += 1 }
                while lineB < b.count && b.isChanged(lineB) { lineB += 1 }
                hunks.append(LineHunk(oldStart: startA, oldCount: lineA - startA, newStart: startB, newCount: lineB - startB))
            } else {
                lineA += 1
                lineB += 1
            }
        }
        return hunks
    }
}

/// git's `struct split_measurement`.
private struct SplitMeasurement {
    var endOfFile = false
    var indent = 0
    var preBlank = 0
    var preIndent = -1
    var postBlank = 0
    var postIndent = -1
}

/// git's `struct split_score` and `score_add_split` / `score_cmp`.
private struct SplitScore {
    var effectiveIndent = 0
    var penalty = 0

    mutating func add(_ m: SplitMeasurement) {
        if m.preIndent == -1 && m.preBlank == 0 { penalty += 1 }
        if m.endOfFile { penalty += 21 }
        let postBlank = m.indent == -1 ? 1 + m.postBlank : 0
        let totalBlank = m.preBlank + postBlank
        penalty += -30 * totalBlank
        penalty += 6 * postBlank
        let indent = m.indent != -1 ? m.indent : m.postIndent
        let anyBlanks = totalBlank != 0
        effectiveIndent += indent
        if indent == -1 || m.preIndent == -1 || indent == m.preIndent {
            return
        } else if indent > m.preIndent {
            penalty += anyBlanks ? 10 : -4
        } else if m.postIndent != -1 && m.postIndent > indent {
            penalty += anyBlanks ? 17 : 24
        } else {
            penalty += anyBlanks ? 17 : 23
        }
    }

    func compare(_ other: SplitScore) -> Int {
        let indents = (effectiveIndent > other.effectiveIndent ? 1 : 0) - (effectiveIndent < other.effectiveIndent ? 1 : 0)
        return 60 * indents + (penalty - other.penalty)
    }
}

/// Occurrence counts of the lines of the two middles: in the first middle, the second middle,
/// and the lines both sides share (open addressing over hashes, as this runs for every diff).
private struct CountTable {
    private var keys: [UInt64]
    private var used: [Bool]
    private var first: [Int32]
    private var second: [Int32]
    private var shared: [Int32]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        used = Array(repeating: false, count: size)
        first = Array(repeating: 0, count: size)
        second = Array(repeating: 0, count: size)
        shared = Array(repeating: 0, count: size)
        mask = size - 1
    }

    private func slot(_ key: UInt64) -> Int {
        var index = Int(truncatingIfNeeded: key) & mask
        while used[index] && keys[index] != key { index = (index + 1) & mask }
        return index
    }

    mutating func add(_ key: UInt64, toFirst: Bool) {
        let index = slot(key)
        if !used[index] {
            used[index] = true
            keys[index] = key
        }
        if toFirst { first[index] += 1 } else { second[index] += 1 }
    }

    /// Counts a line both sides have, if it is one of the middles' lines.
    mutating func addShared(_ key: UInt64) {
        let index = slot(key)
        if used[index] { shared[index] += 1 }
    }

    /// How often a middle line occurs in the whole first side.
    func inFirst(_ key: UInt64) -> Int {
        let index = slot(key)
        return used[index] ? Int(first[index] + shared[index]) : 0
    }

    /// How often a middle line occurs in the whole second side.
    func inSecond(_ key: UInt64) -> Int {
        let index = slot(key)
        return used[index] ? Int(second[index] + shared[index]) : 0
    }
}
