#if canImport(Glibc)
import Glibc
#endif

/// One file of git's commit-graph (gitformat-commit-graph(5)): a single `commit-graph` or one
/// layer of a split chain. Only the chunks a reachability walk needs are read: OIDF, OIDL, CDAT,
/// EDGE, BASE, and the corrected commit dates of GDA2/GDO2. (GDAT/GDOV, which older gits wrote
/// with wrong values, are ignored as git ignores them.) Every chunk's size is checked when the
/// file is opened and every position when it is read, so a corrupt file is reported, never
/// followed out of bounds.
final class CommitGraphFile {
    /// The file's trailing checksum, which names a layer of a chain.
    let checksum: OID
    /// Commits in this file.
    let count: Int
    /// The layers below this one, as listed in its BASE chunk (oldest first).
    let baseLayers: [OID]
    /// Whether the file has corrected commit dates (GDA2).
    let hasGenerationData: Bool
    /// Commits in the layers below; positions in this file start there.
    var baseCount = 0

    private let file: MappedFile
    private let fanout: Int, lookup: Int, data: Int, generationData: Int
    private let edges: Int, edgeCount: Int, overflow: Int, overflowCount: Int

    static let parentNone: UInt32 = 0x7000_0000
    static let extraEdges: UInt32 = 0x8000_0000
    private static let recordWidth = 36
    private static let hashLength = 20

    /// Opens and checks the file at `path`; nil when it is missing or not a valid SHA-1 commit-graph.
    init?(path: String) {
        guard let file = MappedFile(path: path), file.length >= 8 + 12 + 20 else { return nil }
        self.file = file
        // Header: "CGPH", version 1, hash version 1 (SHA-1), chunk count, base graph count.
        let header = file.base.assumingMemoryBound(to: UInt8.self)
        guard file.bigEndian32(0) == 0x4347_5048, header[4] == 1, header[5] == 1 else { return nil }
        let chunkCount = Int(header[6]), baseCount = Int(header[7])
        let tableEnd = 8 + (chunkCount + 1) * 12, trailer = file.length - Self.hashLength
        guard file.contains(8, (chunkCount + 1) * 12), tableEnd <= trailer else { return nil }
        var chunks: [UInt32: (offset: Int, size: Int)] = [:]
        for index in 0..<chunkCount {
            let entry = 8 + index * 12
            let start = file.bigEndian64(entry + 4), end = file.bigEndian64(entry + 16)
            guard start >= UInt64(tableEnd), start <= end, end <= UInt64(trailer) else { return nil }
            chunks[file.bigEndian32(entry)] = (Int(start), Int(end - start))
        }
        func chunk(_ name: String) -> (offset: Int, size: Int)? {
            chunks[name.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }]
        }
        guard let fanoutChunk = chunk("OIDF"), fanoutChunk.size == 256 * 4,
              let lookupChunk = chunk("OIDL"), let dataChunk = chunk("CDAT") else { return nil }
        fanout = fanoutChunk.offset
        var previous: UInt32 = 0
        for byte in 0..<256 {
            let value = file.bigEndian32(fanout + byte * 4)
            guard value >= previous else { return nil }
            previous = value
        }
        count = Int(previous)
        guard count < Int(Self.parentNone), lookupChunk.size == count * Self.hashLength,
              dataChunk.size == count * Self.recordWidth else { return nil }
        lookup = lookupChunk.offset
        data = dataChunk.offset
        let edgeChunk = chunk("EDGE") ?? (0, 0)
        (edges, edgeCount) = (edgeChunk.offset, edgeChunk.size / 4)
        if let generation = chunk("GDA2"), generation.size == count * 4 {
            generationData = generation.offset
            let overflowChunk = chunk("GDO2") ?? (0, 0)
            (overflow, overflowCount) = (overflowChunk.offset, overflowChunk.size / 8)
            hasGenerationData = true
        } else {
            (generationData, overflow, overflowCount) = (0, 0, 0)
            hasGenerationData = false
        }
        var bases: [OID] = []
        if baseCount > 0 {
            guard let baseChunk = chunk("BASE"), baseChunk.size == baseCount * Self.hashLength else { return nil }
            bases = (0..<baseCount).map { file.oid(at: baseChunk.offset + $0 * Self.hashLength) }
        }
        baseLayers = bases
        checksum = file.oid(at: trailer)
    }

    /// Maps the whole file in at once (see `MappedFile.prefault`).
    func prefault() { file.prefault() }

    /// The index of `oid` in this file, by its fan-out and a binary search.
    func index(of oid: OID) -> Int? {
        withUnsafeBytes(of: oid.raw) { key -> Int? in
            let first = Int(key[0])
            var low = first == 0 ? 0 : Int(file.bigEndian32(fanout + (first - 1) * 4))
            var high = Int(file.bigEndian32(fanout + first * 4)) - 1
            while low <= high {
                let middle = (low + high) / 2
                let order = memcmp(file.base + lookup + middle * Self.hashLength, key.baseAddress!, Self.hashLength)
                if order == 0 { return middle }
                if order < 0 { low = middle + 1 } else { high = middle - 1 }
            }
            return nil
        }
    }

    func oid(_ index: Int) -> OID { file.oid(at: lookup + index * Self.hashLength) }

    /// The committer time (34 bits) of the commit at `index`.
    func time(_ index: Int) -> Int64 {
        let record = data + index * Self.recordWidth + Self.hashLength
        return Int64(file.bigEndian32(record + 8) & 0x3) << 32 | Int64(file.bigEndian32(record + 12))
    }

    /// The topological level (generation number v1) of the commit at `index`.
    func topologicalLevel(_ index: Int) -> UInt64 {
        UInt64(file.bigEndian32(data + index * Self.recordWidth + Self.hashLength + 8) >> 2)
    }

    /// The corrected commit date (generation number v2) of the commit at `index`; only when
    /// `hasGenerationData`.
    func correctedDate(_ index: Int) throws(CommitGraph.Corrupt) -> UInt64 {
        let offset = file.bigEndian32(generationData + index * 4)
        guard offset & 0x8000_0000 != 0 else { return UInt64(time(index)) + UInt64(offset) }
        let slot = Int(offset & 0x7fff_ffff)
        guard slot < overflowCount else { throw CommitGraph.Corrupt() }
        return UInt64(time(index)) &+ file.bigEndian64(overflow + slot * 8)
    }

    /// Calls `body` with the graph position of each parent of the commit at `index`, in order.
    /// Positions must lie below `limit` (this layer and the ones under it).
    @inline(__always)
    func forEachParent(_ index: Int, below limit: Int, _ body: (Int) throws -> Void) throws {
        let record = data + index * Self.recordWidth + Self.hashLength
        let first = file.bigEndian32(record)
        if first == Self.parentNone { return }
        guard Int(first) < limit else { throw CommitGraph.Corrupt() }
        try body(Int(first))
        let second = file.bigEndian32(record + 4)
        if second == Self.parentNone { return }
        guard second & Self.extraEdges != 0 else {
            guard Int(second) < limit else { throw CommitGraph.Corrupt() }
            return try body(Int(second))
        }
        var edge = Int(second & 0x7fff_ffff)
        while true {
            guard edge < edgeCount else { throw CommitGraph.Corrupt() }
            let value = file.bigEndian32(edges + edge * 4)
            let parent = Int(value & 0x7fff_ffff)
            guard parent < limit else { throw CommitGraph.Corrupt() }
            try body(parent)
            if value & 0x8000_0000 != 0 { return }
            edge += 1
        }
    }
}
