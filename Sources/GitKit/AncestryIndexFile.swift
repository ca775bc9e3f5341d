import Foundation
import Clibgit2
#if canImport(Glibc)
import Glibc
#endif

/// The on-disk form of an `AncestryIndex`: every known commit's id (sorted, for binary search),
/// generation number, committer time and parents, memory-mapped so that opening it costs nothing.
///
/// Layout (little-endian): "BMAI", version, count, parent total (UInt32 each); then count ids
/// (20 bytes each, sorted); count generations (UInt32); count times (Int64); count+1 parent
/// offsets (UInt32); parent total parent node numbers (UInt32).
final class AncestryIndexFile {
    static let magic: UInt32 = 0x4941_4D42  // "BMAI"
    static let version: UInt32 = 1
    static let headerSize = 16

    let count: Int
    private let base: UnsafeRawPointer
    private let length: Int
    private let generations: Int, times: Int, offsets: Int, parents: Int

    /// Maps the file at `path`; nil when it is missing, unreadable or not a valid index.
    init?(path: String) {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size >= Self.headerSize else { return nil }
        length = Int(info.st_size)
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            return nil
        }
        let start = UnsafeRawPointer(mapped)
        base = start
        let header = (0..<4).map { start.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) }
        count = Int(header[2])
        generations = Self.headerSize + count * 20
        times = generations + count * 4
        offsets = times + count * 8
        parents = offsets + (count + 1) * 4
        guard header[0] == Self.magic, header[1] == Self.version, parents + Int(header[3]) * 4 == length else {
            munmap(mapped, length)
            return nil
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    /// The node number of `oid`, by binary search over the sorted ids.
    func find(_ oid: OID) -> Int? {
        var key = oid.raw
        return withUnsafeBytes(of: &key) { key -> Int? in
            var low = 0, high = count - 1
            while low <= high {
                let middle = (low + high) / 2
                let order = memcmp(base + Self.headerSize + middle * 20, key.baseAddress!, 20)
                if order == 0 { return middle }
                if order < 0 { low = middle + 1 } else { high = middle - 1 }
            }
            return nil
        }
    }

    func oid(_ node: Int) -> OID {
        var raw = OID.zero.raw
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + Self.headerSize + node * 20, count: 20)) }
        return OID(raw)
    }

    func generation(_ node: Int) -> UInt32 { base.loadUnaligned(fromByteOffset: generations + node * 4, as: UInt32.self) }

    func time(_ node: Int) -> Int64 { base.loadUnaligned(fromByteOffset: times + node * 8, as: Int64.self) }

    /// Calls `body` with each parent's node number.
    @inline(__always)
    func forEachParent(_ node: Int, _ body: (Int) -> Void) {
        let start = Int(base.loadUnaligned(fromByteOffset: offsets + node * 4, as: UInt32.self))
        let end = Int(base.loadUnaligned(fromByteOffset: offsets + node * 4 + 4, as: UInt32.self))
        for index in start..<end {
            body(Int(base.loadUnaligned(fromByteOffset: parents + index * 4, as: UInt32.self)))
        }
    }

    /// Writes nodes (ids, generations, times, parent lists by node number) to `path` atomically,
    /// renumbering them in id order.
    static func write(path: String, oids: [OID], generations: [UInt32], times: [Int64], parents: [[Int]]) throws {
        let order = oids.indices.sorted { oids[$0].raw < oids[$1].raw }
        var renumbered = [UInt32](repeating: 0, count: oids.count)
        for (new, old) in order.enumerated() { renumbered[old] = UInt32(new) }
        var data = Data(capacity: headerSize + oids.count * 36 + parents.count * 8)
        func append<T>(_ value: T) { withUnsafeBytes(of: value) { data.append(contentsOf: $0) } }
        let parentTotal = parents.reduce(0) { $0 + $1.count }
        [magic, version, UInt32(oids.count), UInt32(parentTotal)].forEach { append($0.littleEndian) }
        for old in order { append(oids[old].raw) }
        for old in order { append(generations[old].littleEndian) }
        for old in order { append(times[old].littleEndian) }
        var offset: UInt32 = 0
        for old in order { append(offset.littleEndian); offset += UInt32(parents[old].count) }
        append(offset.littleEndian)
        for old in order { for parent in parents[old] { append(renumbered[parent].littleEndian) } }
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
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

private extension git_oid {
    static func < (lhs: git_oid, rhs: git_oid) -> Bool {
        withUnsafeBytes(of: lhs) { a in withUnsafeBytes(of: rhs) { b in memcmp(a.baseAddress!, b.baseAddress!, 20) < 0 } }
    }
}
