/// Commits waiting to be processed, newest committer time first (ties: first queued first).
struct CommitQueue {
    private var heap: [(time: Int64, sequence: Int, commit: OID)] = []
    private var sequence = 0

    mutating func push(_ commit: OID, time: Int64) {
        sequence += 1
        heap.append((time, sequence, commit))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> OID? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count, before(heap[left], heap[best]) { best = left }
            if right < heap.count, before(heap[right], heap[best]) { best = right }
            if best == parent { break }
            heap.swapAt(parent, best)
            parent = best
        }
        return top.commit
    }

    private func before(_ a: (time: Int64, sequence: Int, commit: OID), _ b: (time: Int64, sequence: Int, commit: OID)) -> Bool {
        a.time != b.time ? a.time > b.time : a.sequence < b.sequence
    }
}
