import Foundation

/// Config entries written as a private git-config file (mode 0600 in the temporary directory),
/// for libgit2 to read as a level; every file is removed when the process exits.
enum PrivateConfigFile {
    /// The file holding `entries`, in order (multi-valued keys repeat); nil when it cannot be
    /// written.
    static func write(_ entries: [(key: String, value: String)]) -> String? {
        var text = ""
        for (key, value) in entries {
            guard let first = key.firstIndex(of: "."), let last = key.lastIndex(of: "."),
                  key.index(after: last) < key.endIndex else { continue }
            let section = key[..<first], name = key[key.index(after: last)...]
            let subsection = first < last ? String(key[key.index(after: first)..<last]) : nil
            text += "[\(section)" + (subsection.map { " \"\(escaped($0))\"" } ?? "") + "]\n"
            text += "\t\(name) = \"\(escaped(value))\"\n"
        }
        return copy(Array(text.utf8))
    }

    /// Writes `bytes` as they are to a private file (removed at exit); nil when it cannot.
    static func copy(_ bytes: [UInt8]) -> String? {
        var template = Array((NSTemporaryDirectory() + "/bm-git-config-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return nil }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let written = bytes.withUnsafeBytes { FileDescriptor.writeAll(descriptor, $0) }
        close(descriptor)
        removeAtExit(path)
        return written ? path : nil
    }

    nonisolated(unsafe) private static var files: [String] = []

    private static func removeAtExit(_ path: String) {
        if files.isEmpty { atexit { PrivateConfigFile.files.forEach { unlink($0) } } }
        files.append(path)
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
    }
}
