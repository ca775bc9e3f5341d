/// Pulls the failing test ids out of a pytest or CI log.
public enum FailureLog {
    /// Every `FAILED <id>` and `ERROR <id>` in `text`, first seen first, without duplicates.
    /// Understands pytest's short test summary (`FAILED id - message`), GitHub Actions timestamps,
    /// the `job<TAB>step<TAB>` prefixes of `gh run view --log-failed`, and ANSI colour codes.
    public static func testIDs(in text: String) -> [String] {
        var seen = Set<String>(), ids: [String] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = Substring(stripEscapes(String(rawLine)))
            if let tab = line.lastIndex(of: "\t") { line = line[line.index(after: tab)...] }
            line = line.drop { $0 == " " }
            if let space = line.firstIndex(of: " "), isTimestamp(line[..<space]) {
                line = line[line.index(after: space)...].drop { $0 == " " }
            }
            for keyword in ["FAILED ", "ERROR "] where line.hasPrefix(keyword) {
                var id = line.dropFirst(keyword.count).drop { $0 == " " }
                if let dash = messageSeparator(in: id) { id = id[..<dash] }
                let candidate = String(id).trimmingCharacters(in: .whitespaces)
                guard candidate.contains(".py"), !candidate.contains(" ") || candidate.contains("["),
                      seen.insert(candidate).inserted else { continue }
                ids.append(candidate)
            }
        }
        return ids
    }

    /// Where ` - message` starts after an id: the first ` - ` outside a parametrisation's brackets
    /// (`test[a - b] - assert 1` keeps `test[a - b]`).
    private static func messageSeparator(in text: Substring) -> Substring.Index? {
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            switch text[index] {
            case "[": depth += 1
            case "]": depth = max(0, depth - 1)
            case " " where depth == 0 && text[index...].hasPrefix(" - "): return index
            default: break
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// `2026-11-25T10:00:00.1234567Z`, as GitHub Actions prefixes its log lines.
    private static func isTimestamp(_ text: Substring) -> Bool {
        text.count >= 20 && text.hasSuffix("Z") && text.dropFirst(10).first == "T"
            && text.prefix(4).allSatisfy(\.isNumber)
    }

    private static func stripEscapes(_ text: String) -> String {
        var output = "", iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\u{1B}" else { output.unicodeScalars.append(scalar); continue }
            guard let next = iterator.next(), next == "[" else { continue }
            while let code = iterator.next(), !(0x40...0x7E).contains(code.value) {}
        }
        return output
    }
}
