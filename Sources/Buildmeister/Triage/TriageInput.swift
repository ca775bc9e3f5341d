import Foundation
import GitKit

/// What one input says about a run: its failures, counts and, when a log names them, the run's
/// URL. The format is found from the content: JUnit XML, pytest's `lastfailed` cache, or a
/// console log (plain or inside a GitHub Actions log).
struct TriageInput {
    var failures: [TriageFailure] = []
    var summary = TriageSummary()
    var runURL: String?
    /// The CI job the log comes from (`gh run view --log`'s first column).
    var jobName: String?

    /// Reads the input at `path` (`-` for stdin): a console log is streamed through in 1 MB
    /// chunks (memory stays bounded whatever its size); XML and JSON are read whole.
    static func read(path: String, isFile: (String) -> Bool) throws -> TriageInput {
        let file = try LogFile(path: path)
        var head = try file.next()
        let start = head.firstIndex { ![32, 9, 10, 13, 0xEF, 0xBB, 0xBF].contains($0) }
        if let start, head[start] == UInt8(ascii: "<") || head[start] == UInt8(ascii: "{") {
            while true {
                let more = try file.next()
                if more.isEmpty { break }
                head += more
            }
            return try read(head, name: path, isFile: isFile)
        }
        var parser = PytestLogParser()
        try file.forEachRunOfLines(after: head) { consume($0, into: &parser) }
        return try console(parser, name: path)
    }

    private static func consume(_ bytes: ArraySlice<UInt8>, into parser: inout PytestLogParser) {
        var lineStart = bytes.startIndex
        bytes.withUnsafeBytes { buffer in
            ByteSearch.forEachOccurrence(of: [10], in: buffer) { offset in
                let end = bytes.startIndex + offset
                parser.consume(bytes: bytes[lineStart..<end])
                lineStart = end + 1
            }
        }
        if lineStart < bytes.endIndex { parser.consume(bytes: bytes[lineStart...]) }
    }

    /// Reads `bytes`; `isFile` tells whether a repository path exists at the revision (JUnit's
    /// `xunit2` names classes, not files). Throws `unreadable` when nothing in it is a test report.
    static func read(_ bytes: [UInt8], name: String, isFile: (String) -> Bool) throws -> TriageInput {
        let start = bytes.firstIndex { ![32, 9, 10, 13, 0xEF, 0xBB, 0xBF].contains($0) } ?? bytes.endIndex
        if start < bytes.endIndex, bytes[start] == UInt8(ascii: "<") {
            do {
                let report = try JUnitReport.failures(in: bytes, isFile: isFile)
                var input = TriageInput(failures: report.failures)
                input.summary.failed = report.failures.filter { $0.outcome == .failed }.count
                input.summary.errors = report.failures.filter { $0.outcome == .error }.count
                input.summary.passed = report.passed
                input.summary.complete = true
                return input
            } catch {
                throw BuildmeisterError.unreadableTriageInput(name, reason: "it starts like XML but is not a well-formed JUnit report")
            }
        }
        if start < bytes.endIndex, bytes[start] == UInt8(ascii: "{"), let ids = lastFailed(bytes) {
            var input = TriageInput(failures: ids.map { TriageFailure(id: $0, outcome: .failed, phase: .call) })
            input.summary.failed = ids.count
            return input
        }
        var parser = PytestLogParser()
        consume(bytes[...], into: &parser)
        return try console(parser, name: name)
    }

    /// pytest's `.pytest_cache/v/cache/lastfailed`: a JSON object of ids.
    private static func lastFailed(_ bytes: [UInt8]) -> [String]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              object.keys.allSatisfy({ $0.contains(".py") }) else { return nil }
        return object.keys.sorted()
    }

    /// The console log's failures: ids from the short summary and progress lines, details from
    /// the FAILURES and ERRORS sections, flaky tests from RERUN lines.
    private static func console(_ parser: PytestLogParser, name: String) throws -> TriageInput {
        var parser = parser
        parser.finish()
        guard parser.pytestLines > 0 else {
            throw BuildmeisterError.unreadableTriageInput(name, reason: "no pytest output, JUnit XML or lastfailed cache was found in it")
        }
        var input = TriageInput(runURL: parser.runURL, jobName: parser.jobName)
        for id in parser.order {
            switch parser.outcomes[id] {
            case "FAILED": input.failures.append(TriageFailure(id: id, outcome: .failed, phase: .call))
            case "ERROR": input.failures.append(TriageFailure(id: id, outcome: .error, phase: .call))
            default: break
            }
        }
        for entry in parser.entries {
            let index = input.failures.firstIndex { matches($0.id, entry.header, entry.phase) }
                ?? appendUnlisted(&input, header: entry.header, phase: entry.phase, frames: entry.frames)
            guard let index else { continue }
            input.failures[index].phase = entry.phase
            input.failures[index].frames = entry.frames
            input.failures[index].exception = entry.exception
            input.failures[index].message = entry.message
            input.failures[index].trace = entry.trace
        }
        let failing = Set(input.failures.map(\.id))
        for id in parser.reruns.sorted() where !failing.contains(id) {
            input.failures.append(TriageFailure(id: id, outcome: .flaky, phase: .call))
        }
        input.summary.flaky = input.failures.filter { $0.outcome == .flaky }.count
        if let counts = parser.summary {
            input.summary.failed = counts["failed", default: 0]
            input.summary.errors = counts["error", default: 0]
            input.summary.passed = counts["passed", default: 0]
            input.summary.complete = true
        } else {
            input.summary.failed = input.failures.filter { $0.outcome == .failed }.count
            input.summary.errors = input.failures.filter { $0.outcome == .error }.count
            input.summary.passed = parser.passed > 0 ? parser.passed : nil
        }
        return input
    }

    /// Whether a FAILURES/ERRORS header names the test `id`: `Class.test[param]` for a failure,
    /// the test's own name for a setup or teardown error, the file for a collection error.
    private static func matches(_ id: String, _ header: String, _ phase: TriageFailure.Phase) -> Bool {
        guard let separator = id.range(of: "::") else { return phase == .collection && id == header }
        let names = String(id[separator.upperBound...])
        switch phase {
        case .collection: return false
        case .setup, .teardown: return names.components(separatedBy: "::").last == header || names.replacingOccurrences(of: "::", with: ".") == header
        case .call: return names.replacingOccurrences(of: "::", with: ".") == header
        }
    }

    /// A traceback whose test the log does not list (no short summary): its id rebuilt from the
    /// header and the test file among the frames.
    private static func appendUnlisted(_ input: inout TriageInput, header: String, phase: TriageFailure.Phase,
                                       frames: [TriageFailure.Frame]) -> Int? {
        let id: String
        if phase == .collection {
            id = header
        } else if let file = frames.first(where: { TriageClusters.isTestFile($0.path) })?.path {
            id = file + "::" + header.replacingOccurrences(of: ".", with: "::")
        } else {
            return nil
        }
        input.failures.append(TriageFailure(id: id, outcome: phase == .call ? .failed : .error, phase: phase))
        return input.failures.count - 1
    }
}
