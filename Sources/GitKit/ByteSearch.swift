import CLibgit2Shims

/// Substring search over raw bytes at memory speed (glibc's `memmem`).
public enum ByteSearch {
    /// Calls `body` with the offset of every occurrence of `needle` in `buffer`.
    public static func forEachOccurrence(of needle: [UInt8], in buffer: UnsafeRawBufferPointer, _ body: (Int) -> Void) {
        guard let base = buffer.baseAddress, !needle.isEmpty else { return }
        needle.withUnsafeBytes { word in
            var offset = 0
            while offset < buffer.count,
                  let found = bm_memmem(base + offset, UInt(buffer.count - offset), word.baseAddress!, UInt(word.count)) {
                let at = base.distance(to: found)
                body(at)
                offset = at + 1
            }
        }
    }
}
