/// Where the lines of an ignored revision's change came from in its parent: git blame's
/// `fuzzy_find_matching_lines` (the line pair matched with the most certainty splits the hunk,
/// and each side is matched the same way, so lines keep their order), then `scan_parent_range`
/// over the whole parent for the lines left over. Matched parts of parent lines are used up.
struct IgnoredLineMatcher {
    /// The parent's lines; matching subtracts from them, as git does.
    private var parent: [LineFingerprint]
    private let target: [LineFingerprint]

    init(parent: [LineFingerprint], target: [LineFingerprint]) {
        self.parent = parent
        self.target = target
    }

    /// For each target line of a hunk (target lines [targetStart, +targetCount) replaced parent
    /// lines [parentStart, +parentCount)), the parent line it is blamed on, or nil.
    mutating func match(targetStart: Int, targetCount: Int, parentStart: Int, parentCount: Int) -> [Int?] {
        let fuzzy = parentCount > 0 ? fuzzyMatches(startA: parentStart, lengthA: parentCount, startB: targetStart,
                                                   lengthB: targetCount) : nil
        return (0..<targetCount).map { offset in
            if let found = fuzzy?[offset], found >= 0 { return found }
            return scanParent(for: targetStart + offset)
        }
    }

    /// The most similar parent line with a similarity of at least 10, the closest to `line` on ties.
    private func scanParent(for line: Int) -> Int? {
        var best = 10, bestIndex: Int?
        for index in parent.indices {
            let similarity = target[line].similarity(to: parent[index])
            if similarity < best { continue }
            if similarity == best, let bestIndex, abs(bestIndex - line) < abs(index - line) { continue }
            best = similarity
            bestIndex = index
        }
        return bestIndex
    }

    private static let notCalculated = -1, nothingMatches = -2

    /// The state of one `fuzzyMatches` call; arrays are indexed by target line from its start.
    private struct Search {
        let mapping: (destinationStart: Int, destinationLength: Int, sourceStart: Int, sourceLength: Int)
        let maxA: Int, maxB: Int
        var similarities: [Int]
        var certainties: [Int]
        var secondBest: [Int]
        var result: [Int]

        /// The line of A at the same relative position as line `b` of B (the middle one of several).
        func closestA(_ b: Int) -> Int {
            ((b - mapping.sourceStart) * 2 + 1) * mapping.destinationLength / (mapping.sourceLength * 2)
                + mapping.destinationStart
        }

        func slot(localA: Int, row: Int, closestLocalA: Int) -> Int {
            localA - closestLocalA + maxA + row * (maxA * 2 + 1)
        }
    }

    private mutating func fuzzyMatches(startA: Int, lengthA: Int, startB: Int, lengthB: Int) -> [Int] {
        var maxA = 10
        if maxA >= lengthA { maxA = lengthA - 1 }
        let maxB = ((2 * maxA + 1) * lengthB - 1) / lengthA
        var search = Search(mapping: (startA, lengthA, startB, lengthB), maxA: maxA, maxB: maxB,
                            similarities: Array(repeating: -1, count: lengthB * (maxA * 2 + 1)),
                            certainties: Array(repeating: Self.notCalculated, count: lengthB),
                            secondBest: Array(repeating: -1, count: lengthB),
                            result: Array(repeating: -1, count: lengthB))
        recurse(startA: startA, startB: startB, lengthA: lengthA, lengthB: lengthB, row: 0, &search)
        return search.result
    }

    /// `row` is where B line `startB` sits in the search's arrays.
    private mutating func recurse(startA: Int, startB: Int, lengthA: Int, lengthB: Int, row: Int, _ search: inout Search) {
        var mostCertainB = -1, mostCertainty = -1
        for local in 0..<lengthB {
            findBest(startA: startA, lengthA: lengthA, startB: startB, localB: local, row: row + local, &search)
            if search.certainties[row + local] > mostCertainty {
                mostCertainty = search.certainties[row + local]
                mostCertainB = local
            }
        }
        guard mostCertainB >= 0 else { return }
        let mostCertainA = search.result[row + mostCertainB]
        parent[mostCertainA].subtract(target[startB + mostCertainB])

        let invalidateMin = max(0, mostCertainB - search.maxB), invalidateMax = min(lengthB, mostCertainB + search.maxB + 1)
        for local in invalidateMin..<invalidateMax {
            let closestLocalA = search.closestA(local + startB) - startA
            if abs(mostCertainA - startA - closestLocalA) > search.maxA { continue }
            search.similarities[search.slot(localA: mostCertainA - startA, row: row + local, closestLocalA: closestLocalA)] = -1
        }
        // Matches that would cross the most certain pair are worked out again.
        for local in stride(from: mostCertainB - 1, through: invalidateMin, by: -1)
        where search.certainties[row + local] >= 0
            && (search.result[row + local] >= mostCertainA || search.secondBest[row + local] >= mostCertainA) {
            search.certainties[row + local] = Self.notCalculated
        }
        for local in (mostCertainB + 1)..<max(mostCertainB + 1, invalidateMax)
        where search.certainties[row + local] >= 0
            && (search.result[row + local] <= mostCertainA || search.secondBest[row + local] <= mostCertainA) {
            search.certainties[row + local] = Self.notCalculated
        }
        if mostCertainB > 0 {
            recurse(startA: startA, startB: startB, lengthA: mostCertainA + 1 - startA, lengthB: mostCertainB, row: row,
                    &search)
        }
        if mostCertainB + 1 < lengthB {
            let offset = mostCertainB + 1
            recurse(startA: mostCertainA, startB: startB + offset, lengthA: lengthA + startA - mostCertainA,
                    lengthB: lengthB - offset, row: row + offset, &search)
        }
    }

    /// git's `find_best_line_matches` for B line `startB + localB`.
    private func findBest(startA: Int, lengthA: Int, startB: Int, localB: Int, row: Int, _ search: inout Search) {
        guard search.certainties[row] == Self.notCalculated else { return }
        let closestLocalA = search.closestA(localB + startB) - startA
        let searchStart = max(0, closestLocalA - search.maxA), searchEnd = min(lengthA, closestLocalA + search.maxA + 1)
        var best = 0, secondBest = 0, bestIndex = 0, secondBestIndex = 0
        if searchStart < searchEnd {
            for localA in searchStart..<searchEnd {
                let slot = search.slot(localA: localA, row: row, closestLocalA: closestLocalA)
                if search.similarities[slot] == -1 {
                    search.similarities[slot] = target[startB + localB].similarity(to: parent[startA + localA])
                        * (1000 - abs(localA - closestLocalA))
                }
                let similarity = search.similarities[slot]
                if similarity > best {
                    secondBest = best
                    secondBestIndex = bestIndex
                    best = similarity
                    bestIndex = localA
                } else if similarity > secondBest {
                    secondBest = similarity
                    secondBestIndex = localA
                }
            }
        }
        if best == 0 {
            search.certainties[row] = Self.nothingMatches
            search.result[row] = -1
        } else {
            search.certainties[row] = best * 2 - secondBest
            search.result[row] = startA + bestIndex
            search.secondBest[row] = startA + secondBestIndex
        }
    }
}
