import GitKit

/// Groups failures by root cause. Two failures share a cause when the same exception was raised
/// from the same place in non-test code (the innermost repository frame outside the tests), or,
/// when no such frame is known, when their exception and normalised message are the same. The
/// cluster's key is a hash of what was compared, so the same break gets the same key every run.
enum TriageClusters {
    struct Cause: Hashable {
        let exception: String
        /// `path:function` of the innermost non-test repository frame, or the normalised message.
        let place: String
    }

    /// The cause of `failure`, from its exception, frames and message.
    static func cause(of failure: TriageFailure) -> Cause {
        let exception = failure.exception ?? (failure.phase == .collection ? "CollectionError" : "Failure")
        // Nothing known of the failure (a cut-off log, lastfailed): nothing connects it to another.
        if failure.exception == nil && failure.message == nil && failure.frames.isEmpty {
            return Cause(exception: exception, place: "unknown " + failure.id)
        }
        if let frame = failure.frames.last(where: { $0.inRepo && !isTestFile($0.path) }) {
            return Cause(exception: exception, place: "\(frame.path):\(frame.function)")
        }
        return Cause(exception: exception, place: normalised(failure.message ?? ""))
    }

    /// A short stable key: the first 12 hex digits of the cause's git blob id.
    static func key(of cause: Cause) -> String {
        String(OID.blob(of: "bm-git triage v1\n\(cause.exception)\n\(cause.place)\n").hex.prefix(12))
    }

    /// Test code, by pytest's naming: `test_*.py`, `*_test.py`, `conftest.py`, or under a
    /// `test`/`tests`/`testing` directory.
    static func isTestFile(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard let file = parts.last else { return false }
        if file.hasPrefix("test_") || file.hasSuffix("_test.py") || file == "conftest.py" { return true }
        return parts.dropLast().contains { $0 == "test" || $0 == "tests" || $0 == "testing" }
    }

    /// `message` with its volatile parts replaced: hexadecimal addresses and ids, numbers,
    /// temporary paths, timestamps, long hex and UUID-like runs; whitespace collapsed.
    static func normalised(_ message: String) -> String {
        var output = "", word = ""
        func flush() {
            guard !word.isEmpty else { return }
            output += normalisedWord(word)
            word = ""
        }
        for character in message.prefix(2_000) {
            if character.isWhitespace || "()[]{},;='\"<>".contains(character) {
                flush()
                if character.isWhitespace { if !output.hasSuffix(" ") { output += " " } } else { output.append(character) }
            } else {
                word.append(character)
            }
        }
        flush()
        return output.trimmingCharacters(in: .whitespaces)
    }

    private static func normalisedWord(_ word: String) -> String {
        if word.hasPrefix("/tmp/") || word.hasPrefix("/var/folders/") || word.hasPrefix("/private/var/") { return "<tmp>" }
        if word.hasPrefix("0x") && word.count > 3 && word.dropFirst(2).allSatisfy(\.isHexDigit) { return "<addr>" }
        let digits = word.filter(\.isNumber).count
        if digits > 0 && word.allSatisfy({ $0.isHexDigit || $0 == "-" || $0 == ":" || $0 == "." || $0 == "T" || $0 == "Z" || $0 == "+" }) {
            return "<n>"
        }
        // Digits inside a word (`worker-3`, `tmp_path0`) vary between runs too.
        var output = "", inNumber = false
        for character in word {
            if character.isNumber {
                if !inNumber { output += "<n>" }
                inNumber = true
            } else {
                output.append(character)
                inNumber = false
            }
        }
        return output
    }

    /// Tests ordered as the code is organised: top-level package, then path, then id.
    static func ordered(_ ids: [String]) -> [String] {
        ids.sorted { a, b in
            let pathA = PytestID(a)?.path ?? a, pathB = PytestID(b)?.path ?? b
            let topA = pathA.split(separator: "/").first ?? "", topB = pathB.split(separator: "/").first ?? ""
            if topA != topB { return topA < topB }
            if pathA != pathB { return pathA < pathB }
            return a < b
        }
    }
}
