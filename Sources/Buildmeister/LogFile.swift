import Foundation

/// A log or report given on the command line (`-` for stdin), read in 1 MB chunks so that a
/// log of hundreds of megabytes streams through in bounded memory. Every failure to read it is
/// an `unreadableLog` error that says why (missing, a directory, no permission).
struct LogFile {
    let path: String
    private let handle: FileHandle

    init(path: String) throws {
        self.path = path
        if path == "-" {
            handle = .standardInput
            return
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw BuildmeisterError.unreadableLog(path, reason: String(cString: strerror(errno))) }
        if info.st_mode & S_IFMT == S_IFDIR { throw BuildmeisterError.unreadableLog(path, reason: "it is a directory") }
        guard let opened = FileHandle(forReadingAtPath: path) else {
            throw BuildmeisterError.unreadableLog(path, reason: String(cString: strerror(errno)))
        }
        handle = opened
    }

    /// The next chunk; empty at the end.
    func next() throws -> [UInt8] {
        do { return [UInt8](try handle.read(upToCount: 1 << 20) ?? Data()) } catch {
            throw BuildmeisterError.unreadableLog(path, reason: error.localizedDescription)
        }
    }

    /// Calls `body` with runs of whole lines (each run ends with a newline, or at the end of
    /// the file), starting with `head`, a chunk already read; a partial line waits for the next
    /// chunk.
    func forEachRunOfLines(after head: [UInt8], _ body: (ArraySlice<UInt8>) -> Void) throws {
        var pending: [UInt8] = []
        var chunk = head
        while !chunk.isEmpty {
            pending += chunk
            if let last = pending.lastIndex(of: 10) {
                body(pending[...last])
                pending.removeSubrange(...last)
            }
            chunk = try next()
        }
        if !pending.isEmpty { body(pending[...]) }
    }
}
