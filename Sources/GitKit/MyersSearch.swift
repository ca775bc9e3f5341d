/// Myers' O(ND) search for the shortest edit between two sequences of line hashes, with
/// xdiff's heuristics (`xdl_recs_cmp` and `xdl_split`): the box is split at the middle snake,
/// found from both ends; past an edit cost of 256 a long enough snake ends the search early,
/// and past √N diagonals the furthest-reaching path is taken. The result is the same edit git
/// finds, which is not always a minimal one.
struct MyersSearch {
    private let a: [UInt64]
    private let b: [UInt64]
    /// Indices into `a` and `b` of the lines that changed.
    private(set) var changedA: [Int] = []
    private(set) var changedB: [Int] = []
    private var forward: [Int]
    private var backward: [Int]
    /// Where diagonal 0 sits in `forward` and `backward`.
    private let origin: Int
    private let maxCost: Int
    private static let snakeCount = 20
    private static let heuristicMinCost = 256
    private static let farAway = Int.max

    init(a: [UInt64], b: [UInt64]) {
        self.a = a
        self.b = b
        let diagonals = a.count + b.count + 3
        forward = Array(repeating: 0, count: diagonals + 2)
        backward = Array(repeating: 0, count: diagonals + 2)
        origin = b.count + 1
        var root = 1, n = diagonals
        while n > 0 {
            root <<= 1
            n >>= 2
        }
        maxCost = max(root, 256)
    }

    mutating func run() {
        compare(0, a.count, 0, b.count, needMinimal: false)
    }

    private mutating func compare(_ off1: Int, _ lim1: Int, _ off2: Int, _ lim2: Int, needMinimal: Bool) {
        var off1 = off1, lim1 = lim1, off2 = off2, lim2 = lim2
        while off1 < lim1 && off2 < lim2 && a[off1] == b[off2] {
            off1 += 1
            off2 += 1
        }
        while off1 < lim1 && off2 < lim2 && a[lim1 - 1] == b[lim2 - 1] {
            lim1 -= 1
            lim2 -= 1
        }
        if off1 == lim1 {
            changedB.append(contentsOf: off2..<lim2)
        } else if off2 == lim2 {
            changedA.append(contentsOf: off1..<lim1)
        } else {
            let split = self.split(off1, lim1, off2, lim2, needMinimal: needMinimal)
            compare(off1, split.i1, off2, split.i2, needMinimal: split.minLow)
            compare(split.i1, lim1, split.i2, lim2, needMinimal: split.minHigh)
        }
    }

    private struct Split {
        var i1 = 0, i2 = 0
        var minLow = false, minHigh = false
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    private mutating func split(_ off1: Int, _ lim1: Int, _ off2: Int, _ lim2: Int, needMinimal: Bool) -> Split {
        let o = origin
        let dmin = off1 - lim2, dmax = lim1 - off2
        let fmid = off1 - off2, bmid = lim1 - lim2
        let odd = (fmid - bmid) & 1 != 0
        var fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid
        forward[o + fmid] = off1
        backward[o + bmid] = lim1
        var cost = 1
        while true {
            var gotSnake = false
            if fmin > dmin { fmin -= 1; forward[o + fmin - 1] = -1 } else { fmin += 1 }
            if fmax < dmax { fmax += 1; forward[o + fmax + 1] = -1 } else { fmax -= 1 }
            var d = fmax
            while d >= fmin {
                var i1 = forward[o + d - 1] >= forward[o + d + 1] ? forward[o + d - 1] + 1 : forward[o + d + 1]
                let previous = i1
                var i2 = i1 - d
                while i1 < lim1 && i2 < lim2 && a[i1] == b[i2] {
                    i1 += 1
                    i2 += 1
                }
                if i1 - previous > Self.snakeCount { gotSnake = true }
                forward[o + d] = i1
                if odd && bmin <= d && d <= bmax && backward[o + d] <= i1 {
                    return Split(i1: i1, i2: i2, minLow: true, minHigh: true)
                }
                d -= 2
            }

            if bmin > dmin { bmin -= 1; backward[o + bmin - 1] = Self.farAway } else { bmin += 1 }
            if bmax < dmax { bmax += 1; backward[o + bmax + 1] = Self.farAway } else { bmax -= 1 }
            d = bmax
            while d >= bmin {
                var i1 = backward[o + d - 1] < backward[o + d + 1] ? backward[o + d - 1] : backward[o + d + 1] - 1
                let previous = i1
                var i2 = i1 - d
                while i1 > off1 && i2 > off2 && a[i1 - 1] == b[i2 - 1] {
                    i1 -= 1
                    i2 -= 1
                }
                if previous - i1 > Self.snakeCount { gotSnake = true }
                backward[o + d] = i1
                if !odd && fmin <= d && d <= fmax && i1 <= forward[o + d] {
                    return Split(i1: i1, i2: i2, minLow: true, minHigh: true)
                }
                d -= 2
            }

            if needMinimal {
                cost += 1
                continue
            }

            if gotSnake && cost > Self.heuristicMinCost {
                var best = 0, found = Split()
                d = fmax
                while d >= fmin {
                    let distance = d > fmid ? d - fmid : fmid - d
                    let i1 = forward[o + d], i2 = i1 - d
                    let value = (i1 - off1) + (i2 - off2) - distance
                    if value > 4 * cost && value > best && off1 + Self.snakeCount <= i1 && i1 < lim1
                        && off2 + Self.snakeCount <= i2 && i2 < lim2 {
                        var k = 1
                        while a[i1 - k] == b[i2 - k] {
                            if k == Self.snakeCount {
                                best = value
                                found = Split(i1: i1, i2: i2)
                                break
                            }
                            k += 1
                        }
                    }
                    d -= 2
                }
                if best > 0 {
                    found.minLow = true
                    return found
                }
                d = bmax
                while d >= bmin {
                    let distance = d > bmid ? d - bmid : bmid - d
                    let i1 = backward[o + d], i2 = i1 - d
                    let value = (lim1 - i1) + (lim2 - i2) - distance
                    if value > 4 * cost && value > best && off1 < i1 && i1 <= lim1 - Self.snakeCount
                        && off2 < i2 && i2 <= lim2 - Self.snakeCount {
                        var k = 0
                        while a[i1 + k] == b[i2 + k] {
                            if k == Self.snakeCount - 1 {
                                best = value
                                found = Split(i1: i1, i2: i2)
                                break
                            }
                            k += 1
                        }
                    }
                    d -= 2
                }
                if best > 0 {
                    found.minHigh = true
                    return found
                }
            }

            if cost >= maxCost {
                var forwardBest = -1, forwardBest1 = -1
                d = fmax
                while d >= fmin {
                    var i1 = min(forward[o + d], lim1), i2 = i1 - d
                    if lim2 < i2 {
                        i1 = lim2 + d
                        i2 = lim2
                    }
                    if forwardBest < i1 + i2 {
                        forwardBest = i1 + i2
                        forwardBest1 = i1
                    }
                    d -= 2
                }
                var backwardBest = Self.farAway, backwardBest1 = Self.farAway
                d = bmax
                while d >= bmin {
                    var i1 = max(off1, backward[o + d]), i2 = i1 - d
                    if i2 < off2 {
                        i1 = off2 + d
                        i2 = off2
                    }
                    if i1 + i2 < backwardBest {
                        backwardBest = i1 + i2
                        backwardBest1 = i1
                    }
                    d -= 2
                }
                if (lim1 + lim2) - backwardBest < forwardBest - (off1 + off2) {
                    return Split(i1: forwardBest1, i2: forwardBest - forwardBest1, minLow: true, minHigh: false)
                }
                return Split(i1: backwardBest1, i2: backwardBest - backwardBest1, minLow: false, minHigh: true)
            }
            cost += 1
        }
    }
}
