import Foundation
import Testing
import TestSupport
@testable import Buildmeister

/// Triage's parsers on hostile input (seeded, so a failure can be replayed): random bytes with
/// NULs, shuffled pieces of pytest output, 1 MB lines, broken and deeply nested XML. None may
/// crash or hang; every input either parses or is refused with an error.
@Suite struct TriageFuzzTests {
    private static let pieces = [
        "============ FAILURES ============", "===== ERRORS =====", "____ TestX.test_y ____", "____ ERROR at setup of t ____",
        "____ ERROR collecting a.py ____", "_ _ _ _ _ _", "a.py:12: in f", "a.py:3: ValueError", "E   ValueError: bad", "E   ",
        "    def f(x):", "FAILED a.py::t - x", "ERROR a.py::t[ - ]", "RERUN a.py::t", "a.py::t FAILED [ 50%]",
        "[gw0] [ 50%] FAILED a.py::t", "== 3 failed, 1 error in 0.1s ==", "3 failed, 2 passed in 1.0s", "t\tRun tests\t2026-01-01T00:00:00.0000000Z x",
        "\u{1B}[31mFAILED\u{1B}[0m a.py::t", "https://github.com/o/r/actions/runs/", "===", "____", "E", ":", "::", "[", "]",
    ]

    @Test(arguments: [1, 2, 3, 4])
    func hostileInputsNeitherCrashNorHang(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for round in 0..<24 {
            var bytes: [UInt8]
            switch round % 6 {
            case 0: bytes = (0..<Int.random(in: 0...4_000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1:
                bytes = Array((0..<200).map { _ in Self.pieces.randomElement(using: &random)! }.joined(separator: "\n").utf8)
            case 2:
                bytes = Array(("FAILED a.py::t - " + String(repeating: "x", count: 1 << 20) + "\n== 1 failed in 1s ==").utf8)
            case 3:
                let depth = Int.random(in: 1...20_000, using: &random)
                bytes = Array(("<testsuites>" + String(repeating: "<testcase name=\"a\">", count: depth)).utf8)
            case 4:
                let tags = ["<testcase", "</testcase>", "<failure message=\"&#x110000;&bogus;", ">", "/>", "<![CDATA[", "]]>",
                            "<!--", "-->", "<?xml", "?>", "\"", "'", "=", "&lt;", "\u{0}", "classname=\"a.b\""]
                bytes = Array(("<testsuites>" + (0..<300).map { _ in tags.randomElement(using: &random)! }.joined()).utf8)
            default:
                bytes = Array("{\"a.py::t\": true, ".utf8) + (0..<100).map { _ in UInt8.random(in: 0...127, using: &random) }
            }
            _ = try? TriageInput.read(bytes, name: "fuzz-\(seed)-\(round)", isFile: { $0.hasSuffix(".py") })
            _ = FailureLog.testIDs(in: String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func xmlNestingIsBoundedAndEntitiesDecode() throws {
        let deep = Array((String(repeating: "<a>", count: XMLScanner.maximumDepth + 1)
                          + String(repeating: "</a>", count: XMLScanner.maximumDepth + 1)).utf8)
        #expect(throws: XMLScanner.Malformed.self) { try XMLScanner.scan(deep) { _ in } }
        var texts: [String] = []
        try XMLScanner.scan(Array("<a x=\"1 &lt; 2\">&amp;&#65;&#x42;<![CDATA[<c>]]><!-- n --></a>".utf8)) { event in
            if case .text(let text) = event { texts.append(text) }
            if case .start(_, let attributes) = event { texts.append(attributes["x"] ?? "") }
        }
        #expect(texts == ["1 < 2", "&AB<c>"])
    }
}
