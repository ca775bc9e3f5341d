#if canImport(Glibc)
import Glibc
#endif

/// A file mapped read-only into memory for as long as this object lives, with bounds-checked
/// big- and little-endian reads (a short or corrupt file can never make a read leave the map).
final class MappedFile {
    let base: UnsafeRawPointer
    let length: Int

    /// Maps the regular file at `path`; nil when it is missing, empty or cannot be mapped.
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0,
              let mapped = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED
        else { return nil }
        base = UnsafeRawPointer(mapped)
        length = Int(info.st_size)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    /// Maps every page now (MADV_POPULATE_READ, Linux 5.14), before a walk that would touch
    /// most of them in random order, one page fault each. Harmless where unsupported.
    func prefault() {
        _ = madvise(UnsafeMutableRawPointer(mutating: base), length, 22)
    }

    /// Whether `count` bytes at `offset` lie inside the file.
    @inline(__always)
    func contains(_ offset: Int, _ count: Int) -> Bool {
        offset >= 0 && count >= 0 && offset <= length && count <= length - offset
    }

    @inline(__always)
    func bigEndian32(_ offset: Int) -> UInt32 {
        UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    func bigEndian64(_ offset: Int) -> UInt64 {
        UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    func littleEndian32(_ offset: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    func littleEndian64(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The 20 bytes at `offset` as an object id.
    func oid(at offset: Int) -> OID {
        var id = OID.zero
        withUnsafeMutableBytes(of: &id.raw) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + offset, count: 20)) }
        return id
    }
}
