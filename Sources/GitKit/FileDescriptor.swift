#if canImport(Glibc)
import Glibc
#endif

/// Plain file-descriptor I/O that the standard library leaves to each caller.
public enum FileDescriptor {
    /// Writes all of `bytes` to `descriptor`, retrying short writes and interruptions; false
    /// (with `errno` set) when a write fails.
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var written = 0
        while written < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            written += count
        }
        return true
    }
}
