import Foundation
import GitKit

/// Pulls the failing test ids out of a pytest or CI log, line by line, so that a log of
/// hundreds of megabytes streams through in bounded memory.
public struct FailureLog {
    private var seen = Set<String>()
    /// Every `FAILED` and `ERROR` id so far, first seen first, without duplicates.
    public private(set) var ids: [String] = []

    public init() {}

    /// Every failing id in `text` (see `consume`).
    public static func testIDs(in text: String) -> [String] {
        var log = FailureLog()
        for line in text.split(whereSeparator: \.isNewline) { log.consume(line) }
        return log.ids
    }

    /// Reads the log at `path` (`-` for stdin) in chunks. Throws with the reason when it
    /// cannot be read (missing, a directory, no permission).
    public static func testIDs(inFileAt path: String) throws -> [String] {
        let file = try LogFile(path: path)
        var log = FailureLog()
        try file.forEachRunOfLines(after: try file.next()) { log.consume(lines: $0) }
        return log.ids
    }

    /// Takes whole lines of bytes. Only lines holding `FAILED` or `ERROR` are decoded, found with
    /// `memmem` (gigabytes a second), so the bulk of a huge log is never turned into strings.
    private mutating func consume(lines data: ArraySlice<UInt8>) {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var hits: [Int] = []
            for keyword in ["FAILED", "ERROR"] {
                ByteSearch.forEachOccurrence(of: Array(keyword.utf8), in: bytes) { hits.append($0) }
            }
            var lastLineStart = -1
            for hit in hits.sorted() {
                var start = hit, end = hit
                while start > 0 && bytes[start - 1] != 10 { start -= 1 }
                if start == lastLineStart { continue }
                lastLineStart = start
                while end < bytes.count && bytes[end] != 10 { end += 1 }
                guard end - start < 100_000 else { continue }
                consume(Substring(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)))
            }
        }
    }

    /// Takes one line. Understands pytest's short test summary (`FAILED id - message`), its
    /// verbose progress lines (`id FAILED [ 50%]`), pytest-xdist's (`[gw1] [ 50%] FAILED id`),
    /// GitHub Actions timestamps, the `job<TAB>step<TAB>` prefixes of `gh run view --log`,
    /// and ANSI colour codes.
    public mutating func consume(_ rawLine: Substring) {
        var line = Substring(LogLine.stripEscapes(rawLine))
        if let tab = line.lastIndex(of: "\t") { line = line[line.index(after: tab)...] }
        line = line.drop { $0 == " " }
        if let space = line.firstIndex(of: " "), LogLine.isTimestamp(line[..<space]) {
            line = line[line.index(after: space)...].drop { $0 == " " }
        }
        // pytest-xdist: `[gw1] [ 50%] FAILED id` (and `[gw1] FAILED id`).
        while line.hasPrefix("["), let close = line.firstIndex(of: "]") {
            line = line[line.index(after: close)...].drop { $0 == " " }
        }
        for keyword in ["FAILED ", "ERROR "] where line.hasPrefix(keyword) {
            var id = line.dropFirst(keyword.count).drop { $0 == " " }
            if let dash = PytestLogParser.messageSeparator(in: id) { id = id[..<dash] }
            add(String(id).trimmingCharacters(in: .whitespaces))
            return
        }
        // Verbose: `path.py::test FAILED  [ 50%]`, where the id comes first.
        for keyword in [" FAILED", " ERROR"] {
            guard let range = line.range(of: keyword) else { continue }
            let after = line[range.upperBound...].drop { $0 == " " }
            guard after.isEmpty || after.hasPrefix("[") || after.hasPrefix("(") else { continue }
            add(String(line[..<range.lowerBound]).trimmingCharacters(in: .whitespaces))
            return
        }
    }

    private mutating func add(_ candidate: String) {
        guard candidate.contains(".py"), !candidate.contains(" ") || candidate.contains("["),
              seen.insert(candidate).inserted else { return }
        ids.append(candidate)
    }
}
