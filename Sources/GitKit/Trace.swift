#if canImport(Glibc)
import Glibc
#endif

/// `-v`: one line on stderr per libgit2 step that matters to a person debugging a transfer
/// (fetch, push, each credential tried). Never a secret: credentials are named by kind.
public enum Trace {
    nonisolated(unsafe) public static var enabled = false

    static func log(_ line: @autoclosure () -> String) {
        guard enabled else { return }
        let text = "bm-git: trace: " + line() + "\n"
        _ = Array(text.utf8).withUnsafeBytes { FileDescriptor.writeAll(STDERR_FILENO, $0) }
    }
}
