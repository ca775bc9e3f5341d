import Foundation
import Testing
import TestSupport
@testable import Buildmeister

/// Test line ranges must be what Python's `ast` reports; python3 is the oracle here.
@Suite struct TestLocatorTests {
    static let tricky = #"""
    import pytest

    TEXT = """
    not a def test_fake():
    """


    @pytest.mark.parametrize(
        "n", [1, 2],
    )
    @pytest.mark.slow
    def test_decorated(n):
        value = """
    column zero text
    def test_inside_string():
        """
        total = 1 + \
            2
        assert total == 3  # trailing comment
        # a comment at the end is not part of the test

    # nor is this one


    async def test_async():
        await thing(
            1,
        )


    class TestOuter:
        def test_a(self): assert 1

        class TestInner:
            def test_deep(self):
                x = {'a': "}"}
                return x

        def test_b(self):
            s = 'it\'s ( not a bracket'
            t = r"raw \" still a string"
            return (s,
                    t)
            # comment


    class TestChild(TestOuter):
        def test_c(self):
            pass
    """#

    private func astRanges(_ source: String) throws -> [String: ClosedRange<Int>] {
        let script = """
        import ast, sys
        tree = ast.parse(sys.stdin.read())
        def visit(nodes, prefix):
            for node in nodes:
                if isinstance(node, ast.ClassDef):
                    start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                    print(prefix + node.name, start, node.end_lineno)
                    visit(node.body, prefix + node.name + "::")
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                    print(prefix + node.name, start, node.end_lineno)
        visit(tree.body, "")
        """
        let result = try Shell.run(Shell.which("python3") ?? "/usr/bin/python3", ["-c", script], in: "/",
                                   environment: ["PATH": "/usr/bin:/bin"], input: source)
        var ranges: [String: ClosedRange<Int>] = [:]
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ")
            ranges[String(fields[0])] = Int(fields[1])!...Int(fields[2])!
        }
        return ranges
    }

    private func ourRanges(_ blocks: [PythonBlock], prefix: String = "") -> [String: ClosedRange<Int>] {
        var ranges: [String: ClosedRange<Int>] = [:]
        for block in blocks {
            ranges[prefix + block.name] = block.startLine...block.endLine
            if block.kind == .class {
                ranges.merge(ourRanges(block.children, prefix: prefix + block.name + "::")) { $1 }
            }
        }
        return ranges
    }

    @Test func matchesPythonsAstOnTrickySource() throws {
        let expected = try astRanges(Self.tricky)
        #expect(expected.count == 9)
        #expect(ourRanges(PythonBlock.parse(Self.tricky)) == expected)
    }

    @Test func matchesPythonsAstOnEveryFileOfASyntheticHistory() throws {
        let sandbox = try Sandbox()
        let repo = try SyntheticHistory.make(in: sandbox, commits: 300, seed: 3)
        let files = try repo.git("ls-files", "*.py").split(separator: "\n").filter { $0.contains("test") }
        #expect(!files.isEmpty)
        for file in files {
            let source = try String(contentsOfFile: repo.path + "/" + file, encoding: .utf8)
            #expect(ourRanges(PythonBlock.parse(source)) == (try astRanges(source)), "\(file)")
        }
    }

    @Test func locatesTestsClassesInheritedMethodsAndFallsBack() {
        let source = Self.tricky
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).count
        func locate(_ id: String) -> (ClosedRange<Int>, TestLocator.Resolution) {
            let parsed = PytestID("t.py::" + id)!
            let found = TestLocator.locate(parsed.names, in: source, lineCount: lines)
            return (found.range, found.resolvedAs)
        }
        #expect(locate("test_decorated[1]") == (8...19, .test))
        #expect(locate("TestOuter::TestInner::test_deep") == (35...37, .test))
        #expect(locate("TestChild::test_a") == (32...32, .test))
        #expect(locate("TestChild::test_c") == (48...49, .test))
        #expect(locate("TestOuter::test_gone") == (31...43, .class))
        #expect(locate("TestGone::test_a") == (1...lines, .file))
        #expect(locate("test_inside_string") == (1...lines, .file))
        // A method named without its class is suggested with it.
        let bare = TestLocator.locate(PytestID("t.py::test_deep")!.names, in: source, lineCount: lines)
        #expect(bare.missing == "test_deep" && bare.suggestions.first == "TestOuter::TestInner::test_deep")
    }

    @Test func parsesPytestIDs() {
        #expect(PytestID("a/b.py")?.names == [])
        #expect(PytestID("a/b.py::test_x[a::b c]")?.names == ["test_x"])
        #expect(PytestID("a/b.py::C::D::test[1-2]")?.names == ["C", "D", "test"])
        #expect(PytestID("a/b.py::C::D::test[1-2]")?.path == "a/b.py")
        #expect(PytestID("") == nil)
        #expect(PytestID("::test") == nil)
        #expect(PytestID("a.py::") == nil)
    }
}
