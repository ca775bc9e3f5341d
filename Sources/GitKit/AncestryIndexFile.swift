import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The on-disk form of an `AncestryIndex`: the commits that git's commit-graph (if any) lacks,
/// each with its id (sorted, for binary search), generation, committer time and parents,
/// memory-mapped so that opening it costs nothing.
///
/// Layout (little-endian): a 64-byte header ("BMAI", version 2, count, parent total, graph
/// count, flags, graph identity (20 bytes), parents digest (8), reserved); count ids (20 bytes
/// each, sorted); count generations (UInt64); count times (Int64); count+1 parent offsets (UInt32);
/// parent total parents (UInt32: a graph position below the graph count, else graph count plus
/// a node of this file); a checksum of all the above (UInt64).
///
/// A file that fails its checksum, its bounds or its order, or that was made for another
/// `HistoryShape`, is not used (and is replaced at the next save).
final class AncestryIndexFile {
    static let magic: UInt32 = 0x4941_4D42  // "BMAI"
    static let version: UInt32 = 2
    static let headerSize = 64

    let count: Int
    let shape: HistoryShape
    private let file: MappedFile
    private let generations: Int, times: Int, offsets: Int, parents: Int, parentTotal: Int

    /// Maps and checks the file at `path`; nil when it is missing, corrupt or made for another shape.
    init?(path: String, shape expected: HistoryShape) {
        guard let file = MappedFile(path: path), file.length >= Self.headerSize + 8 + 4,
              file.littleEndian32(0) == Self.magic, file.littleEndian32(4) == Self.version else { return nil }
        let count = Int(file.littleEndian32(8)), parentTotal = Int(file.littleEndian32(12))
        generations = Self.headerSize + count * 20
        times = generations + count * 8
        offsets = times + count * 8
        parents = offsets + (count + 1) * 4
        guard parents + parentTotal * 4 + 8 == file.length else { return nil }
        let body = UnsafeRawBufferPointer(start: file.base, count: file.length - 8)
        guard Checksum64.of(body) == file.littleEndian64(file.length - 8) else { return nil }
        shape = HistoryShape(graphIdentity: file.oid(at: 24), graphCount: Int(file.littleEndian32(16)),
                             correctedDates: file.littleEndian32(20) & 1 != 0,
                             parentsDigest: file.littleEndian64(44))
        guard shape == expected else { return nil }
        self.file = file
        self.count = count
        self.parentTotal = parentTotal
        guard structureIsSound() else { return nil }
    }

    /// Maps the whole file in at once (see `MappedFile.prefault`).
    func prefault() { file.prefault() }

    /// Offsets rise to the parent total, every parent is a graph position or a node of this
    /// file, and ids are strictly increasing (so that binary search finds every node).
    private func structureIsSound() -> Bool {
        let limit = UInt32(clamping: shape.graphCount + count)
        var previous: UInt32 = 0
        for node in 0...count {
            let offset = file.littleEndian32(offsets + node * 4)
            guard offset >= previous, Int(offset) <= parentTotal else { return false }
            previous = offset
        }
        guard Int(previous) == parentTotal else { return false }
        for index in 0..<parentTotal where file.littleEndian32(parents + index * 4) >= limit { return false }
        for node in 1..<max(count, 1)
        where memcmp(file.base + Self.headerSize + (node - 1) * 20, file.base + Self.headerSize + node * 20, 20) >= 0 {
            return false
        }
        return true
    }

    /// The node of `oid` in this file, by binary search over the sorted ids.
    func find(_ oid: OID) -> Int? {
        withUnsafeBytes(of: oid.raw) { key -> Int? in
            var low = 0, high = count - 1
            while low <= high {
                let middle = (low + high) / 2
                let order = memcmp(file.base + Self.headerSize + middle * 20, key.baseAddress!, 20)
                if order == 0 { return middle }
                if order < 0 { low = middle + 1 } else { high = middle - 1 }
            }
            return nil
        }
    }

    func oid(_ node: Int) -> OID { file.oid(at: Self.headerSize + node * 20) }

    func generation(_ node: Int) -> UInt64 { file.littleEndian64(generations + node * 8) }

    func time(_ node: Int) -> Int64 { Int64(bitPattern: file.littleEndian64(times + node * 8)) }

    /// Calls `body` with each parent, as a graph position or graph count plus a node of this file.
    @inline(__always)
    func forEachParent(_ node: Int, _ body: (Int) throws -> Void) rethrows {
        let start = Int(file.littleEndian32(offsets + node * 4)), end = Int(file.littleEndian32(offsets + node * 4 + 4))
        for index in start..<end { try body(Int(file.littleEndian32(parents + index * 4))) }
    }

    /// The nodes to write: ids, generations, times, and parents as graph positions or as
    /// `shape.graphCount` plus an index into these arrays.
    struct Contents {
        var oids: [OID] = []
        var generations: [UInt64] = []
        var times: [Int64] = []
        var parentStarts: [Int] = [0]
        var parents: [Int] = []
    }

    /// Writes `contents` for `shape` to `path` atomically, renumbering the nodes in id order.
    static func write(path: String, shape: HistoryShape, contents: Contents) throws {
        let count = contents.oids.count, graphCount = shape.graphCount
        let order = sortedByID(contents.oids)
        var renumbered = [Int](repeating: 0, count: count)
        for (new, old) in order.enumerated() { renumbered[old] = new }
        let parentTotal = contents.parents.count
        let length = headerSize + count * 36 + (count + 1) * 4 + parentTotal * 4 + 8
        var bytes = [UInt8](repeating: 0, count: length)
        bytes.withUnsafeMutableBytes { out in
            var at = 0
            func put32(_ value: UInt32) { out.storeBytes(of: value.littleEndian, toByteOffset: at, as: UInt32.self); at += 4 }
            func put64(_ value: UInt64) { out.storeBytes(of: value.littleEndian, toByteOffset: at, as: UInt64.self); at += 8 }
            func putID(_ id: OID) { withUnsafeBytes(of: id.raw) { out.baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress!, byteCount: 20) }; at += 20 }
            [magic, version, UInt32(count), UInt32(parentTotal), UInt32(graphCount), shape.correctedDates ? 1 : 0].forEach(put32)
            putID(shape.graphIdentity)
            put64(shape.parentsDigest)
            at = headerSize
            for old in order { putID(contents.oids[old]) }
            for old in order { put64(contents.generations[old]) }
            for old in order { put64(UInt64(bitPattern: contents.times[old])) }
            var offset: UInt32 = 0
            for old in order {
                put32(offset)
                offset += UInt32(contents.parentStarts[old + 1] - contents.parentStarts[old])
            }
            put32(offset)
            for old in order {
                for parent in contents.parents[contents.parentStarts[old]..<contents.parentStarts[old + 1]] {
                    put32(UInt32(parent < graphCount ? parent : graphCount + renumbered[parent - graphCount]))
                }
            }
            put64(Checksum64.of(UnsafeRawBufferPointer(rebasing: out[0..<at])))
        }
        try writeAtomically(bytes, to: path)
    }

    /// Indices of `oids` in ascending id order: sorted on the first eight bytes, ties on all twenty.
    private static func sortedByID(_ oids: [OID]) -> [Int] {
        let keys = oids.map { id in withUnsafeBytes(of: id.raw) { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) } }
        return oids.indices.sorted { a, b in
            if keys[a] != keys[b] { return keys[a] < keys[b] }
            return withUnsafeBytes(of: oids[a].raw) { x in withUnsafeBytes(of: oids[b].raw) { y in memcmp(x.baseAddress!, y.baseAddress!, 20) < 0 } }
        }
    }

    /// Removes what killed writers left beside `path` (`<name>.tmp-<pid>` of processes that are
    /// gone), and the cache of bm-git 0.1 (`ancestry-v1.idx`), which nothing reads any more.
    static func removeLeftovers(beside path: String) {
        let directory = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            if entry == "ancestry-v1.idx" { unlink(directory + "/" + entry) }
            guard entry.hasPrefix(name + ".tmp-"), let pid = Int32(entry.dropFirst(name.count + 5)),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(directory + "/" + entry)
        }
    }

    private static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        removeLeftovers(beside: path)
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw GitError.system("write \(temporary)") }
        let written = bytes.withUnsafeBytes { FileDescriptor.writeAll(descriptor, $0) }
        let error = written ? nil : GitError.system("write \(temporary)")
        close(descriptor)
        if let error {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = GitError.system("write \(path)")
            unlink(temporary)
            throw error
        }
    }
}
