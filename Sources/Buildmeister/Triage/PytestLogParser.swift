/// Reads a pytest console log (plain, `-v`, `-rA`, coloured, inside a GitHub Actions log) line
/// by line: the FAILED and ERROR ids, reruns and passes, each failure's traceback (frames,
/// exception, message), and the final counts. No regular expressions: every line is looked at
/// once, with a few prefix and suffix tests.
import GitKit

struct PytestLogParser {
    private enum Section { case none, failures, errors, shortSummary, rerunSummary, other }

    /// A traceback section: `____ TestClass.test_name ____` and what follows it.
    private struct Entry {
        let header: String
        let phase: TriageFailure.Phase
        var frames: [TriageFailure.Frame] = []
        var exception: String?
        var errorLines: [String] = []
        var inErrorBlock = false
        var lastFunction = ""
        var lines: [String] = []
    }

    private var section = Section.none
    private var entry: Entry?
    private(set) var entries: [(header: String, phase: TriageFailure.Phase, frames: [TriageFailure.Frame],
                                exception: String?, message: String?, trace: [String])] = []
    /// Ids in the order first reported, with their last reported outcome.
    private(set) var order: [String] = []
    private(set) var outcomes: [String: String] = [:]
    private(set) var reruns = Set<String>()
    /// Tests a progress or summary line reported as passed (counted, not kept: a -v log of a
    /// large suite holds hundreds of thousands).
    private(set) var passed = 0
    private(set) var summary: [String: Int]?
    /// A URL of a GitHub Actions run, when the log names one.
    private(set) var runURL: String?
    /// The job column of a `gh run view --log` log (`tests (3.11)`), when it has one.
    private(set) var jobName: String?
    /// How many lines looked like a pytest log at all (for format detection).
    private(set) var pytestLines = 0

    mutating func consume(_ raw: Substring) {
        if jobName == nil, let job = LogLine.jobColumn(raw) { jobName = job }
        let line = LogLine.clean(raw)
        if runURL == nil, let url = Self.actionsRunURL(in: line) { runURL = url }
        if let title = Self.bannerTitle(line) {
            finishEntry()
            pytestLines += 1
            switch title {
            case "FAILURES": section = .failures
            case "ERRORS": section = .errors
            case "short test summary info": section = .shortSummary
            case "rerun test summary info": section = .rerunSummary
            default:
                section = .other
                if let counts = Self.counts(in: title) { summary = counts }
            }
            return
        }
        // `pytest -q` ends with the counts alone, without banners.
        if line.first?.isNumber == true, let counts = Self.bareCounts(line) {
            finishEntry()
            pytestLines += 1
            summary = counts
            section = .other
            return
        }
        if let progress = Self.progress(line) {
            pytestLines += 1
            record(progress.id, progress.status)
            return
        }
        switch section {
        case .failures, .errors: traceback(line)
        case .shortSummary, .rerunSummary:
            guard let space = line.firstIndex(of: " ") else { return }
            let status = String(line[..<space])
            guard ["FAILED", "ERROR", "PASSED", "RERUN", "XPASS", "XFAIL", "SKIPPED"].contains(status) else { return }
            var id = line[line.index(after: space)...]
            if let dash = Self.messageSeparator(in: id) { id = id[..<dash] }
            pytestLines += 1
            record(String(id.trimmingCharacters(in: .whitespaces)), status)
        case .none, .other: break
        }
    }

    mutating func finish() { finishEntry() }

    /// The frames, exception, message and trimmed text of one traceback on its own (as a JUnit
    /// report's failure text holds it).
    static func traceback(_ text: String) -> (frames: [TriageFailure.Frame], exception: String?, message: String?, trace: [String]) {
        var parser = PytestLogParser()
        parser.section = .failures
        parser.entry = Entry(header: "", phase: .call)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { parser.traceback(line) }
        parser.finishEntry()
        guard let entry = parser.entries.first else { return ([], nil, nil, []) }
        return (entry.frames, entry.exception, entry.message, entry.trace)
    }

    /// Takes one line of bytes, skipping those that cannot matter without decoding them: in a
    /// large log nearly every line is a passing test's progress line or captured output.
    mutating func consume(bytes whole: ArraySlice<UInt8>) {
        // No line pytest writes about a test is this long; a longer one is captured output.
        let line = whole.count > 65_536 ? whole.prefix(65_536) : whole
        if section == .none || section == .other {
            if line.count > 10, line.last == 93 || (line.last == 13 && line.dropLast().last == 93),
               Self.contains(line, Self.passedMark), !Self.contains(line, Self.rerunMark) {
                passed += 1
                return
            }
            if !Self.mayMatter(line) { return }
        }
        consume(Substring(String(decoding: line, as: UTF8.self)))
    }

    private static let passedMark = Array(" PASSED".utf8), rerunMark = Array("RERUN".utf8)
    private static let marks = ["FAILED", "ERROR", "RERUN", "PASSED", "===", "!!!", "github.com", " in ", "\t"].map { Array($0.utf8) }

    private static func mayMatter(_ line: ArraySlice<UInt8>) -> Bool {
        marks.contains { contains(line, $0) }
    }

    private static func contains(_ line: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        line.withUnsafeBytes { buffer in
            var found = false
            ByteSearch.forEachOccurrence(of: needle, in: buffer) { _ in found = true }
            return found
        }
    }

    private mutating func record(_ id: String, _ status: String) {
        guard !id.isEmpty, id.contains(".py") else { return }
        if status == "RERUN" { reruns.insert(id); return }
        if status == "PASSED" { passed += 1; return }
        if outcomes[id] == nil { order.append(id) }
        outcomes[id] = status
    }

    // MARK: - Tracebacks

    private mutating func traceback(_ line: Substring) {
        if let header = Self.entryHeader(line) {
            finishEntry()
            entry = Self.entry(for: header)
            return
        }
        guard entry != nil else { return }
        if entry!.lines.count < 400 { entry!.lines.append(String(line)) }
        if line.hasPrefix("_ _ _") { entry!.lastFunction = ""; return }
        if line.hasPrefix("E ") || line == "E" {
            if !entry!.inErrorBlock { entry!.errorLines = [] }
            entry!.inErrorBlock = true
            if entry!.errorLines.count < 50 { entry!.errorLines.append(String(line.dropFirst().drop { $0 == " " })) }
            return
        }
        entry!.inErrorBlock = false
        if let function = Self.definedFunction(line) { entry!.lastFunction = function; return }
        if let frame = Self.frameLine(line) {
            var function = entry!.lastFunction
            var exception: String?
            if frame.rest.hasPrefix("in ") {
                function = String(frame.rest.dropFirst(3))
            } else if Self.isIdentifierPath(frame.rest) {
                exception = String(frame.rest)
            }
            entry!.frames.append(.init(path: frame.path, line: frame.line, function: function))
            if let exception { entry!.exception = exception }
        }
    }

    private static func entry(for header: String) -> Entry {
        for (prefix, phase) in [("ERROR at setup of ", TriageFailure.Phase.setup),
                                ("ERROR at teardown of ", .teardown), ("ERROR collecting ", .collection)]
        where header.hasPrefix(prefix) {
            return Entry(header: String(header.dropFirst(prefix.count)), phase: phase)
        }
        return Entry(header: header, phase: .call)
    }

    private mutating func finishEntry() {
        guard let done = entry else { return }
        entry = nil
        // "E   ZeroDivisionError: division by zero", or an assertion's "E   assert 1 == 2".
        var exception = done.exception, message = done.errorLines.first
        if let first = message, let colon = first.firstIndex(of: ":"), Self.isIdentifierPath(first[..<colon]) {
            if exception == nil || exception == String(first[..<colon]) || exception!.hasSuffix("." + first[..<colon]) {
                exception = String(first[..<colon])
                message = String(first[first.index(after: colon)...].drop { $0 == " " })
            }
        }
        entries.append((done.header, done.phase, done.frames, exception, message, Self.trimmed(done.lines)))
    }

    /// At most about 40 lines: the start of the traceback, then its innermost part.
    private static func trimmed(_ lines: [String]) -> [String] {
        var lines = lines
        while lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard lines.count > 40 else { return lines }
        return Array(lines.prefix(12)) + ["[... \(lines.count - 40) lines ...]"] + Array(lines.suffix(28))
    }

    // MARK: - Line shapes

    /// `==== title ====` (pytest's section banners and final summary); nil for other lines.
    static func bannerTitle(_ line: Substring) -> String? {
        for mark in ["=", "!"] {
            guard line.count >= 7, line.hasPrefix(mark + mark + mark), line.hasSuffix(mark + mark + mark) else { continue }
            let inner = line.drop { String($0) == mark }.reversed().drop { String($0) == mark }
            let title = String(inner.reversed()).trimmingCharacters(in: .whitespaces)
            return title.isEmpty ? nil : title
        }
        return nil
    }

    /// `3 failed, 4 passed, 1 error, 1 rerun in 0.03s` (also "1 error in 0.08s", "no tests ran in 0.01s").
    static func counts(in title: String) -> [String: Int]? {
        guard let range = title.range(of: " in ", options: .backwards),
              title[range.upperBound...].hasSuffix("s") else { return nil }
        var counts: [String: Int] = [:]
        for part in title[..<range.lowerBound].split(separator: ",") {
            let words = part.split(separator: " ")
            guard words.count == 2, let number = Int(words[0]) else { continue }
            var kind = String(words[1])
            if kind == "errors" { kind = "error" }
            if kind == "reruns" { kind = "rerun" }
            counts[kind, default: 0] += number
        }
        return counts.isEmpty && !title.hasPrefix("no tests ran") ? nil : counts
    }

    /// `4 failed, 4 passed, 2 errors in 0.05s`, as `pytest -q` prints it: every part a count of
    /// an outcome pytest reports.
    static func bareCounts(_ line: Substring) -> [String: Int]? {
        let kinds: Set<String> = ["failed", "passed", "error", "errors", "skipped", "xfailed", "xpassed", "warning",
                                  "warnings", "rerun", "reruns", "deselected"]
        guard let range = line.range(of: " in ", options: .backwards) else { return nil }
        let parts = line[..<range.lowerBound].split(separator: ",")
        guard !parts.isEmpty, parts.allSatisfy({ part in
            let words = part.split(separator: " ")
            return words.count == 2 && Int(words[0]) != nil && kinds.contains(String(words[1]))
        }) else { return nil }
        return counts(in: String(line).trimmingCharacters(in: .whitespaces))
    }

    /// `path::id STATUS [ 50%]` (-v) or `[gw1] [ 50%] STATUS path::id` (pytest-xdist).
    static func progress(_ line: Substring) -> (id: String, status: String)? {
        let statuses = ["PASSED", "FAILED", "ERROR", "RERUN", "SKIPPED", "XFAIL", "XPASS"]
        if line.hasPrefix("[gw") {
            var rest = line
            while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") { rest = rest[rest.index(after: close)...].drop { $0 == " " } }
            guard let space = rest.firstIndex(of: " "), statuses.contains(String(rest[..<space])) else { return nil }
            return (String(rest[rest.index(after: space)...].trimmingCharacters(in: .whitespaces)), String(rest[..<space]))
        }
        guard line.contains("::") || line.contains(".py "), let bracket = line.lastIndex(of: "["), line.hasSuffix("%]") else {
            return nil
        }
        let head = line[..<bracket].trimmingCharacters(in: .whitespaces)
        guard let space = head.lastIndex(of: " "), statuses.contains(String(head[head.index(after: space)...])) else { return nil }
        return (String(head[..<space]).trimmingCharacters(in: .whitespaces), String(head[head.index(after: space)...]))
    }

    /// `____ name ____` inside FAILURES or ERRORS.
    static func entryHeader(_ line: Substring) -> String? {
        guard line.hasPrefix("___"), line.hasSuffix("___") else { return nil }
        let title = line.drop { $0 == "_" }.reversed().drop { $0 == "_" }
        let text = String(title.reversed()).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }

    /// `path.py:123: rest`: a traceback frame (`rest` is `in func`, an exception type, or empty).
    static func frameLine(_ line: Substring) -> (path: String, line: Int, rest: Substring)? {
        guard let py = line.range(of: ".py:"), !line.hasPrefix(" ") else { return nil }
        let afterPath = line[py.upperBound...]
        let digits = afterPath.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int(digits), afterPath.dropFirst(digits.count).hasPrefix(":") else { return nil }
        let rest = afterPath.dropFirst(digits.count + 1).drop { $0 == " " }
        return (String(line[..<py.lowerBound]) + ".py", number, rest)
    }

    /// `def name(` at the start of a listed source line: the function a long-style entry is in.
    static func definedFunction(_ line: Substring) -> String? {
        var text = line.drop { $0 == " " }
        if text.hasPrefix("async ") { text = text.dropFirst(6) }
        guard text.hasPrefix("def ") else { return nil }
        let name = text.dropFirst(4).prefix { $0 == "_" || $0.isLetter || $0.isNumber }
        return name.isEmpty ? nil : String(name)
    }

    /// `ValueError`, `module.Error`: a dotted Python identifier.
    static func isIdentifierPath(_ text: Substring) -> Bool {
        !text.isEmpty && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, first == "_" || first.isLetter else { return false }
            return part.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
        }
    }

    /// Where ` - message` starts after an id: the first ` - ` outside a parametrisation's brackets
    /// (`test[a - b] - assert 1` keeps `test[a - b]`).
    static func messageSeparator(in text: Substring) -> Substring.Index? {
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

    /// `https://github.com/<owner>/<repo>/actions/runs/<id>`, wherever it appears in `line`.
    static func actionsRunURL(in line: Substring) -> String? {
        guard let start = line.range(of: "https://github.com/") else { return nil }
        let url = line[start.lowerBound...].prefix { !$0.isWhitespace && $0 != "\"" && $0 != "'" && $0 != ")" }
        guard let runs = url.range(of: "/actions/runs/") else { return nil }
        let id = url[runs.upperBound...].prefix { $0.isNumber }
        return id.isEmpty ? nil : String(url[..<runs.upperBound]) + id
    }
}
