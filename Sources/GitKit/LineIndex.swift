#if canImport(Glibc)
import Glibc
#endif

/// The lines of one file version, read once and kept with its blob: where each line starts and
/// a 64-bit hash of its bytes (newline included). Diffs compare lines by these hashes, and a
/// version is usually diffed twice (against its child and against its parent), so the work of
/// splitting and hashing is done once per version rather than once per diff side.
struct LineIndex {
    /// `count + 1` offsets: each line's start, then the content's length.
    let starts: [Int]
    let hashes: [UInt64]

    var count: Int { hashes.count }

    init(_ bytes: UnsafeRawBufferPointer) {
        var starts: [Int] = [], hashes: [UInt64] = []
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            self.starts = [0]
            self.hashes = []
            return
        }
        starts.reserveCapacity(bytes.count / 32 + 2)
        hashes.reserveCapacity(bytes.count / 32 + 1)
        var start = 0
        while start < bytes.count {
            let newline = memchr(base + start, 10, bytes.count - start)
            let end = newline.map { base.distance(to: UnsafeRawPointer($0)) + 1 } ?? bytes.count
            starts.append(start)
            hashes.append(Self.hash(base + start, end - start))
            start = end
        }
        starts.append(bytes.count)
        self.starts = starts
        self.hashes = hashes
    }

    /// A fast 64-bit hash of `length` bytes, eight at a time.
    private static func hash(_ pointer: UnsafeRawPointer, _ length: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(length) &* 0xFF51_AFD7_ED55_8CCD)
        var offset = 0
        while offset + 8 <= length {
            let word = pointer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            offset += 8
        }
        if offset < length {
            var word: UInt64 = 0
            if length >= 8 {
                // The last eight bytes, overlapping the words already taken.
                word = pointer.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
            } else {
                for index in 0..<length {
                    word |= UInt64(pointer.load(fromByteOffset: index, as: UInt8.self)) << (8 * UInt64(index))
                }
            }
            h = (h ^ word) &* 0x94D0_49BB_1331_11EB
        }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }
}
