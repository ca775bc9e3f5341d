/// A fast 64-bit checksum for bm-git's own cache files: it detects any change to a single
/// 8-byte word (each step is a bijection of the running value), which covers every flipped
/// bit or byte. Not cryptographic; the cache is an accelerator, not a trust boundary.
enum Checksum64 {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let words = bytes.count / 8
        for index in 0..<words {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            hash ^= hash >> 29
        }
        var tail: UInt64 = UInt64(bytes.count)
        for index in (words * 8)..<bytes.count { tail = tail << 8 | UInt64(bytes[index]) }
        hash = (hash ^ tail) &* 0x0000_0100_0000_01b3
        return hash ^ (hash >> 32)
    }
}
