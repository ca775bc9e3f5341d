/// Failures from a JUnit XML report as `pytest --junitxml` writes it: `xunit1` (with `file` and
/// `line` on each test case) or the default `xunit2` (only `classname`, a dotted module and class
/// path, mapped back to a file with `isFile`, a lookup in the tree at the revision).
enum JUnitReport {
    struct Case {
        var classname = "", name = "", file: String?
        var outcome: TriageFailure.Outcome?
        var phase = TriageFailure.Phase.call
        var message = "", text = ""
    }

    static func failures(in bytes: [UInt8], isFile: (String) -> Bool) throws -> (failures: [TriageFailure], passed: Int) {
        var cases: [Case] = [], current: Case?, inFailure = false, passing: [Case] = []
        try XMLScanner.scan(bytes) { event in
            switch event {
            case .start("testcase", let attributes):
                current = Case(classname: attributes["classname"] ?? "", name: attributes["name"] ?? "", file: attributes["file"])
            case .start(let element, let attributes) where current != nil && (element == "failure" || element == "error"):
                inFailure = true
                current!.outcome = element == "failure" ? .failed : .error
                current!.message = attributes["message"] ?? ""
                if element == "error" {
                    let message = current!.message
                    current!.phase = message.hasPrefix("failed on setup") ? .setup
                        : message.hasPrefix("failed on teardown") ? .teardown
                        : message.hasPrefix("collection failure") || current!.classname.isEmpty ? .collection : .call
                }
            case .text(let text) where inFailure:
                current!.text += text
            case .end("failure"), .end("error"):
                inFailure = false
            case .end("testcase"):
                if let done = current {
                    if done.outcome == nil { passing.append(done) } else { cases.append(done) }
                }
                current = nil
            default:
                break
            }
        }
        // A rerun test appears once per attempt: count tests, not attempts.
        let failingIDs = Set(cases.map { id(of: $0, isFile: isFile) })
        let passed = Set(passing.map { id(of: $0, isFile: isFile) }).subtracting(failingIDs).count
        let failures = cases.map { item -> TriageFailure in
            var failure = TriageFailure(id: id(of: item, isFile: isFile), outcome: item.outcome!, phase: item.phase)
            let traceback = PytestLogParser.traceback(item.text)
            failure.frames = traceback.frames
            failure.exception = traceback.exception
            failure.message = traceback.message ?? (item.message.isEmpty ? nil : item.message)
            failure.trace = traceback.trace
            return failure
        }
        return (failures, passed)
    }

    /// The pytest id of a test case: `file::Class::name`, the file from `file` or else the longest
    /// prefix of `classname` that names a file at the revision.
    private static func id(of item: Case, isFile: (String) -> Bool) -> String {
        let parts = item.classname.split(separator: ".").map(String.init)
        if item.phase == .collection && item.classname.isEmpty {
            return item.name.replacingOccurrences(of: ".", with: "/") + ".py"
        }
        if let file = item.file {
            let module = file.dropLast(3).replacingOccurrences(of: "/", with: ".")
            let classes = item.classname.hasPrefix(module) ? item.classname.dropFirst(module.count).split(separator: ".").map(String.init) : []
            return ([file] + classes + [item.name]).joined(separator: "::")
        }
        for end in stride(from: parts.count, through: 1, by: -1) {
            let path = parts[..<end].joined(separator: "/") + ".py"
            if isFile(path) { return ([path] + parts[end...] + [item.name]).joined(separator: "::") }
        }
        return (parts.isEmpty ? [] : [parts.joined(separator: "/") + ".py"] + [item.name]).joined(separator: "::")
    }
}
