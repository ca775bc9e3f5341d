import Foundation
import Testing
import TestSupport

/// `bm-git triage` on real pytest output: the suite writes a small project with planted breaks
/// (two tests hitting one bug in non-test code, another bug, a failing assertion, a setup error,
/// a collection error, a flaky test under pytest-rerunfailures), commits it as three people,
/// runs the real pytest on it, and reads every shape of its output.
@Suite(.serialized) struct TriageTests {
    private static let expectedFailed: Set<String> = [
        "pkg/test/test_calc.py::TestDivide::TestNested::test_zero", "pkg/test/test_calc.py::test_ratio",
        "pkg/test/test_calc.py::test_parse[x y]", "pkg/test/test_calc.py::test_plain",
    ]
    private static let expectedErrors: Set<String> = ["pkg/test/test_calc.py::test_setup_error", "pkg/test/test_broken.py"]
    /// The planted causes, as sets of tests.
    private static let expectedClusters: Set<Set<String>> = [
        ["pkg/test/test_calc.py::TestDivide::TestNested::test_zero", "pkg/test/test_calc.py::test_ratio"],
        ["pkg/test/test_calc.py::test_parse[x y]"], ["pkg/test/test_calc.py::test_plain"],
        ["pkg/test/test_calc.py::test_setup_error"], ["pkg/test/test_broken.py"],
    ]

    private struct Corpus {
        let sandbox: Sandbox
        let repo: TestRepo
        /// Shape name → file.
        let inputs: [String: String]
        let divideCommit: String
        let parseCommit: String
    }

    private func corpus() throws -> Corpus {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("tri")
        try repo.git("remote", "add", "origin", "https://github.com/example/tri.git")
        try repo.commit("Package", files: ["pkg/__init__.py": "", "pkg/core/__init__.py": "", "pkg/test/__init__.py": ""], author: .ana)
        let divideCommit = try repo.commit("Add divide", files: ["pkg/core/calc.py": "def divide(a, b):\n    return a / b\n"], author: .chen)
        let parseCommit = try repo.commit("Add parse", files: ["pkg/core/parse.py": "def parse(text):\n    return int(text)\n"], author: .bjorn)
        try repo.commit("Tests", files: ["pkg/test/test_calc.py": """
            import pytest
            from pkg.core.calc import divide
            from pkg.core.parse import parse


            class TestDivide:
                class TestNested:
                    def test_zero(self):
                        assert divide(1, 0) == 0

                def test_ok(self):
                    assert divide(4, 2) == 2


            def test_ratio():
                assert divide(3, 0) > 1


            @pytest.mark.parametrize("text", ["1", "x y", "2"])
            def test_parse(text):
                assert parse(text) > 0


            def test_plain():
                assert "`$(touch pwned)`" == "ok"


            @pytest.fixture
            def broken():
                raise RuntimeError("fixture is broken at 0x7f3a2b")


            def test_setup_error(broken):
                pass


            counter = {"n": 0}


            @pytest.mark.flaky(reruns=2)
            def test_flaky():
                counter["n"] += 1
                assert counter["n"] > 1

            """, "pkg/test/test_broken.py": "import does_not_exist\n"], author: .ana)
        let pytest = try PythonTools.binDirectory() + "/pytest"
        var inputs: [String: String] = [:]
        func run(_ name: String, _ arguments: [String]) throws {
            let result = try Shell.run(pytest, ["pkg", "--continue-on-collection-errors"] + arguments, in: repo.path,
                                       environment: sandbox.environment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { $1 })
            let file = sandbox.root + "/\(name).log"
            try (result.stdout + result.stderr).write(toFile: file, atomically: true, encoding: .utf8)
            inputs[name] = file
        }
        try run("plain", ["-p", "no:cacheprovider"])
        try run("verbose", ["-p", "no:cacheprovider", "-v", "--color=yes", "-rR"])
        try run("all", ["-p", "no:cacheprovider", "-rA"])
        try run("xunit2", ["-p", "no:cacheprovider", "-q", "--junitxml", sandbox.root + "/xunit2.xml"])
        inputs["xunit2"] = sandbox.root + "/xunit2.xml"
        try run("xunit1", ["-p", "no:cacheprovider", "-q", "-o", "junit_family=xunit1", "--junitxml", sandbox.root + "/xunit1.xml"])
        inputs["xunit1"] = sandbox.root + "/xunit1.xml"
        try run("quiet", ["-q"])
        try FileManager.default.copyItem(atPath: repo.path + "/.pytest_cache/v/cache/lastfailed", toPath: sandbox.root + "/lastfailed")
        inputs["lastfailed"] = sandbox.root + "/lastfailed"
        let verbose = try String(contentsOfFile: inputs["verbose"]!, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        for (name, step) in [("gh-named", "Run tests"), ("gh-unknown", "UNKNOWN STEP")] {
            let wrapped = verbose.map { "test (3.11)\t\(step)\t2026-11-25T10:00:00.1234567Z \($0)" }
            try (["test (3.11)\t\(step)\t2026-11-25T09:59:59.0000000Z Run https://github.com/example/tri/actions/runs/4242"] + wrapped)
                .joined(separator: "\n").write(toFile: sandbox.root + "/\(name).log", atomically: true, encoding: .utf8)
            inputs[name] = sandbox.root + "/\(name).log"
        }
        let cut = verbose.prefix { !$0.contains("= ERRORS =") && !$0.contains("= FAILURES =") }
        try cut.joined(separator: "\n").write(toFile: sandbox.root + "/truncated.log", atomically: true, encoding: .utf8)
        inputs["truncated"] = sandbox.root + "/truncated.log"
        try repo.git("clean", "-qfdx")
        return Corpus(sandbox: sandbox, repo: repo, inputs: inputs, divideCommit: divideCommit, parseCommit: parseCommit)
    }

    private func triage(_ corpus: Corpus, _ arguments: [String]) throws -> (status: Int32, report: [String: Any], result: ProcessResult) {
        let result = try corpus.sandbox.bmGit(["triage", "--json"] + arguments, in: corpus.repo.path)
        let report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (result.status, report, result)
    }

    @Test func everyShapeOfARealPytestRunGivesTheSameFailuresCausesAndOwners() throws {
        let corpus = try corpus()
        for (shape, file) in corpus.inputs.sorted(by: { $0.key < $1.key }) {
            let (status, report, result) = try triage(corpus, [file, "--test-type", "fast_tests"])
            #expect(status == 0, "\(shape): \(result.stderr)")
            let failures = report["failures"] as? [[String: Any]] ?? []
            func ids(_ outcome: String) -> Set<String> {
                Set(failures.filter { $0["outcome"] as? String == outcome }.compactMap { $0["id"] as? String })
            }
            let summary = report["summary"] as? [String: Any] ?? [:]
            if shape == "lastfailed" {
                #expect(ids("failed") == Self.expectedFailed.union(Self.expectedErrors), "\(shape)")
                continue
            }
            #expect(ids("failed") == Self.expectedFailed, "\(shape)")
            // A log cut off before its ERRORS section has not yet shown the collection error.
            let errors = shape == "truncated" ? Self.expectedErrors.filter { $0.contains("::") } : Self.expectedErrors
            #expect(ids("error") == errors, "\(shape)")
            #expect(summary["failed"] as? Int == 4 && summary["errors"] as? Int == errors.count, "\(shape): \(summary)")
            #expect(summary["complete"] as? Bool == (shape != "truncated"), "\(shape)")
            if ["verbose", "gh-named", "gh-unknown", "truncated"].contains(shape) {
                #expect(ids("flaky") == ["pkg/test/test_calc.py::test_flaky"], "\(shape)")
            }
            guard shape != "truncated" else { continue }
            let clusters = report["clusters"] as? [[String: Any]] ?? []
            #expect(Set(clusters.map { Set($0["tests"] as? [String] ?? []) }) == Self.expectedClusters, "\(shape)")
            let divide = clusters.first { ($0["tests"] as? [String])?.contains("pkg/test/test_calc.py::test_ratio") == true } ?? [:]
            #expect(divide["exception"] as? String == "ZeroDivisionError", "\(shape)")
            #expect((divide["frame"] as? [String: Any])?["path"] as? String == "pkg/core/calc.py", "\(shape)")
            #expect((divide["suspect"] as? [String: Any])?["commit"] as? String == corpus.divideCommit, "\(shape)")
            #expect((divide["owner"] as? [String: Any])?["email"] as? String == "ana@example.com", "\(shape)")
            let parse = clusters.first { ($0["tests"] as? [String])?.contains("pkg/test/test_calc.py::test_parse[x y]") == true } ?? [:]
            #expect((parse["suspect"] as? [String: Any])?["email"] as? String == "bjorn@example.com", "\(shape)")
            let drafts = report["drafts"] as? [[String: Any]] ?? []
            #expect(drafts.count == 5, "\(shape)")
            let run = report["run"] as? [String: Any] ?? [:]
            let runPart = shape.hasPrefix("gh-") ? " (4242)" : ""
            #expect(drafts.allSatisfy { ($0["title"] as? String)?.hasPrefix("Build fail - tri fast_tests\(runPart) - ") == true },
                    "\(shape): \(drafts.map { $0["title"] ?? "" })")
            #expect(run["url"] as? String == (shape.hasPrefix("gh-") ? "https://github.com/example/tri/actions/runs/4242" : nil), "\(shape)")
        }
    }

    /// The same break gets the same cluster key on every run (for dedup), and the drafts'
    /// files are safe to hand to `gh issue create`.
    @Test func keysAreStableAndDraftFilesAreInert() throws {
        let corpus = try corpus()
        let first = try triage(corpus, [corpus.inputs["plain"]!]).report
        let second = try triage(corpus, [corpus.inputs["verbose"]!]).report
        let keys = { (report: [String: Any]) in Set((report["clusters"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }) }
        #expect(keys(first) == keys(second) && keys(first).count == 5)
        let out = corpus.sandbox.root + "/drafts"
        let text = try corpus.sandbox.bmGit(["triage", corpus.inputs["plain"]!, "--out", out, "--run-id", "77"], in: corpus.repo.path)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Build fail - tri (77)"))
        let titles = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".title") }.sorted()
        #expect(titles == ["1.title", "2.title", "3.title", "4.title", "5.title"])
        for title in titles {
            let content = try String(contentsOfFile: out + "/" + title, encoding: .utf8)
            #expect(content.split(separator: "\n").count == 1)
            let body = try String(contentsOfFile: out + "/" + title.replacingOccurrences(of: ".title", with: ".md"), encoding: .utf8)
            #expect(body.contains("<!-- bm-git-cluster: "))
        }
        let bodies = try titles.map { try String(contentsOfFile: out + "/" + $0.replacingOccurrences(of: ".title", with: ".md"), encoding: .utf8) }
        let plain = try #require(bodies.first { $0.contains("test_plain") })
        #expect(plain.contains("$(touch pwned)"))
        #expect(!FileManager.default.fileExists(atPath: corpus.repo.path + "/pwned"))
        let chat = try corpus.sandbox.bmGit(["triage", corpus.inputs["verbose"]!, "--format", "chat"], in: corpus.repo.path)
        #expect(chat.stdout.hasPrefix("Build fail - tri: 4 failed, 2 errors"))
        #expect(chat.stdout.contains("Flaky (passed on a rerun): pkg/test/test_calc.py::test_flaky"))
    }

    @Test func aGreenRunAndUnreadableInputs() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("one", files: ["a.py": "x = 1\n"])
        let green = try sandbox.bmGit(["triage", "-"], in: repo.path,
                                      input: "===== test session starts =====\n..\n===== 2 passed in 0.01s =====\n")
        #expect(green.status == 0)
        #expect(green.stdout.contains("No failed tests."))
        let garbage = try sandbox.bmGit(["triage", "-"], in: repo.path, input: "hello\nworld\n")
        #expect(garbage.status == 2)
        #expect(garbage.stderr.hasPrefix("bm-git: cannot triage stdin: no pytest output"))
        let broken = try sandbox.bmGit(["triage", "-"], in: repo.path, input: "<testsuites><testcase name=\"x\"")
        #expect(broken.status == 2 && broken.stderr.contains("not a well-formed JUnit report"))
        let missing = try sandbox.bmGit(["triage", sandbox.root + "/none.log"], in: repo.path)
        #expect(missing.status == 2 && missing.stderr.contains("No such file or directory"))
    }

    /// `bm.repoName` and `bm.testTypes` (`<name>=<pattern>` pairs, the pattern matched against the
    /// CI job's name, the input files' names or the run URL) fill the title when no flag does.
    @Test func titlesTakeTheRepositoryNameAndTestTypeFromConfig() throws {
        let corpus = try corpus()
        try corpus.repo.git("config", "bm.repoName", "helpers")
        try corpus.repo.git("config", "--add", "bm.testTypes", "slow_tests=slow")
        try corpus.repo.git("config", "--add", "bm.testTypes", "fast_tests=(3.11)")
        let (status, report, result) = try triage(corpus, [corpus.inputs["gh-named"]!])
        #expect(status == 0, "\(result.stderr)")
        let run = report["run"] as? [String: Any] ?? [:]
        #expect(run["repo"] as? String == "helpers" && run["testType"] as? String == "fast_tests" && run["runId"] as? String == "4242")
        let titles = (report["drafts"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        #expect(titles.allSatisfy { $0.hasPrefix("Build fail - helpers fast_tests (4242) - ") }, "\(titles)")
    }
}
