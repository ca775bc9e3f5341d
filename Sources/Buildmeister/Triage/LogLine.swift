/// A CI log line without what CI wraps around it: the `job<TAB>step<TAB>` columns of
/// `gh run view --log`, a GitHub Actions timestamp, and ANSI colour codes.
enum LogLine {
    static func clean(_ raw: Substring) -> Substring {
        var line = raw.contains("\u{1B}") ? Substring(stripEscapes(raw)) : raw
        if line.hasSuffix("\r") { line = line.dropLast() }
        // `job<TAB>step<TAB>timestamp text`: the columns go only when a timestamp follows them,
        // so that a tab in the test's own output stays.
        if let first = line.firstIndex(of: "\t"), let second = line[line.index(after: first)...].firstIndex(of: "\t") {
            let rest = line[line.index(after: second)...]
            if isTimestamp(rest.prefix { $0 != " " }) { line = rest }
        }
        if let space = line.firstIndex(of: " "), isTimestamp(line[..<space]) {
            line = line[line.index(after: space)...]
        } else if isTimestamp(line) {
            line = ""
        }
        return line
    }

    /// The first column of a `job<TAB>step<TAB>timestamp text` line.
    static func jobColumn(_ raw: Substring) -> String? {
        guard let first = raw.firstIndex(of: "\t"), let second = raw[raw.index(after: first)...].firstIndex(of: "\t"),
              isTimestamp(raw[raw.index(after: second)...].prefix { $0 != " " }) else { return nil }
        let job = raw[..<first].trimmingCharacters(in: .whitespaces)
        return job.isEmpty ? nil : job
    }

    /// `2026-11-25T10:00:00.1234567Z`, as GitHub Actions prefixes its log lines.
    static func isTimestamp(_ text: Substring) -> Bool {
        text.count >= 20 && text.hasSuffix("Z") && text.dropFirst(10).first == "T"
            && text.prefix(4).allSatisfy(\.isNumber)
    }

    static func stripEscapes(_ text: Substring) -> String {
        var output = "", iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\u{1B}" else { output.unicodeScalars.append(scalar); continue }
            guard let next = iterator.next(), next == "[" else { continue }
            while let code = iterator.next(), !(0x40...0x7E).contains(code.value) {}
        }
        return output
    }
}
