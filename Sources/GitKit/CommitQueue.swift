/// Commits waiting to be processed, newest committer time first (ties: first queued first).
struct CommitQueue {
    private struct Item: Comparable {
        let time: Int64
        let sequence: Int
        let commit: OID

        static func < (a: Item, b: Item) -> Bool { a.time != b.time ? a.time > b.time : a.sequence < b.sequence }
        static func == (a: Item, b: Item) -> Bool { a.time == b.time && a.sequence == b.sequence }
    }

    private var heap = BinaryHeap<Item>()
    private var sequence = 0

    mutating func push(_ commit: OID, time: Int64) {
        sequence += 1
        heap.push(Item(time: time, sequence: sequence, commit: commit))
    }

    mutating func pop() -> OID? { heap.pop()?.commit }
}

/// Nodes waiting in a walk, highest generation first.
struct GenerationQueue {
    private struct Item: Comparable {
        let generation: UInt64
        let node: Int

        static func < (a: Item, b: Item) -> Bool { a.generation > b.generation }
        static func == (a: Item, b: Item) -> Bool { a.generation == b.generation && a.node == b.node }
    }

    private var heap = BinaryHeap<Item>()

    mutating func push(_ node: Int, generation: UInt64) { heap.push(Item(generation: generation, node: node)) }

    mutating func pop() -> Int? { heap.pop()?.node }
}
