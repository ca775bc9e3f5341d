import Foundation
import Testing
import TestSupport

/// culprit and bisect on replayed breaks: small Python projects with real pytest suites and
/// planted breaks (library code with a traceback into it, the test file, an import chain, inside
/// an amp roll, a data file, a flaky test, a merged pull request).
@Suite(.serialized) struct CulpritBisectTests {
    private struct Project {
        let sandbox: Sandbox
        let repo: TestRepo
        let base: String
    }

    /// The project at its last green commit, with bisect's command set to the real pytest.
    private func project(_ sandbox: Sandbox, name: String = "proj") throws -> Project {
        let repo = try sandbox.makeRepo(name)
        let base = try repo.commit("Project", files: [
            "pkg/__init__.py": "", "pkg/core/__init__.py": "",
            "pkg/core/calc.py": "def divide(a, b):\n    return a / b\n",
            "pkg/core/helpers.py": "SCALE = 10\n",
            "pkg/api.py": "from pkg.core.helpers import SCALE\n\n\ndef scaled(x):\n    return x * SCALE\n",
            "tests/__init__.py": "",
            "tests/test_calc.py": "from pkg.core.calc import divide\n\n\ndef test_divide():\n    assert divide(4, 2) == 2\n",
            "tests/test_api.py": "from pkg.api import scaled\n\n\ndef test_scaled():\n    assert scaled(2) == 20\n",
            "tests/test_data.py": "import json\nimport pathlib\n\n\ndef test_expected():\n    data = json.loads((pathlib.Path(__file__).parent / \"data\" / \"expected.json\").read_text())\n    assert data[\"answer\"] == 42\n",
            "tests/data/expected.json": "{\"answer\": 42}\n",
            "tests/test_flaky.py": "import os\nimport pathlib\n\n\ndef test_flaky():\n    path = pathlib.Path(os.environ.get(\"FLAKY_FILE\", \"/nonexistent/flaky\"))\n    runs = int(path.read_text()) if path.exists() else 1\n    assert runs > 0\n",
        ], author: .ana)
        let python = try PythonTools.binDirectory() + "/python"
        try repo.git("config", "bm.bisect.command", "PYTHONDONTWRITEBYTECODE=1 \(python) -m pytest -x -q -p no:cacheprovider {tests}")
        return Project(sandbox: sandbox, repo: repo, base: base)
    }

    private func pad(_ repo: TestRepo, _ count: Int, _ tag: String) throws {
        for index in 0..<count { try repo.commit("Docs \(tag) \(index)", files: ["docs/\(tag)-\(index).md": "\(index)\n"], author: .chen) }
    }

    private func culprit(_ project: Project, _ arguments: [String], in directory: String? = nil) throws -> [String: Any] {
        let result = try project.sandbox.bmGit(["culprit", "--json", "--good", project.base] + arguments, in: directory ?? project.repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }

    private func bisect(_ project: Project, _ test: String, environment: [String: String] = [:]) throws -> [String: Any] {
        let before = try project.repo.snapshot()
        let result = try project.sandbox.bmGit(["bisect", "--json", "--good", project.base, "--test", test],
                                               in: project.repo.path, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try project.repo.snapshot() == before, "bisect changed the repository")
        #expect(try project.repo.git("worktree", "list").split(separator: "\n").count == 1)
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }

    private func top(_ report: [String: Any]) -> [String: Any] { (report["suspects"] as? [[String: Any]])?.first ?? [:] }

    /// ⌈log2 N⌉ + 2 for the search, plus the two confirmations and two reproductions.
    private func runBudget(_ suspects: Int) -> Int { Int(ceil(log2(Double(max(suspects, 2))))) + 2 + 4 }

    @Test func aBreakInLibraryCodeWithATracebackIntoIt() throws {
        let sandbox = try Sandbox()
        let project = try project(sandbox)
        try pad(project.repo, 3, "a")
        let breaking = try project.repo.commit("Refuse twos", files: ["pkg/core/calc.py": "def divide(a, b):\n    if b == 2:\n        raise ValueError('no twos')\n    return a / b\n"], author: .bjorn)
        try pad(project.repo, 3, "b")
        let log = sandbox.root + "/ci.log"
        let python = try PythonTools.binDirectory() + "/python"
        let run = try Shell.run(python, ["-m", "pytest", "-p", "no:cacheprovider", "tests"], in: project.repo.path,
                                environment: sandbox.environment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { $1 })
        try (run.stdout + run.stderr).write(toFile: log, atomically: true, encoding: .utf8)
        let ranked = try culprit(project, ["--from", log])
        #expect(ranked["verdict"] as? String == "suspect")
        #expect(top(ranked)["commit"] as? String == breaking)
        #expect((top(ranked)["reasons"] as? [String])?.first?.contains("pkg/core/calc.py:3 (divide)") == true)
        let text = try sandbox.bmGit(["culprit", "--good", project.base, "--from", log], in: project.repo.path)
        #expect(text.stdout.contains("Revert it: bm-git revert-break \(breaking.prefix(10))"))
        let found = try bisect(project, "tests/test_calc.py::test_divide")
        #expect(found["culprit"] as? String == breaking && found["verified"] as? Bool == true)
        #expect((found["runs"] as? [Any])?.count ?? 99 <= 6, "a right guess costs 2 runs beyond confirming and verifying")
    }

    @Test func aBreakInTheTestFileAndThroughAnImportChain() throws {
        let sandbox = try Sandbox()
        let project = try project(sandbox)
        try pad(project.repo, 2, "a")
        let testBreak = try project.repo.commit("Tighten", files: ["tests/test_calc.py": "from pkg.core.calc import divide\n\n\ndef test_divide():\n    assert divide(4, 2) == 3\n"], author: .bjorn)
        try pad(project.repo, 2, "b")
        let importBreak = try project.repo.commit("Rescale", files: ["pkg/core/helpers.py": "SCALE = 11\n"], author: .bjorn)
        try pad(project.repo, 2, "c")
        let byTest = try culprit(project, ["tests/test_calc.py::test_divide"])
        #expect(top(byTest)["commit"] as? String == testBreak)
        let byImport = try culprit(project, ["tests/test_api.py::test_scaled"])
        #expect(top(byImport)["commit"] as? String == importBreak)
        #expect((top(byImport)["reasons"] as? [String])?.first?.contains("pkg/core/helpers.py, which tests/test_api.py imports (via pkg/api.py → pkg/core/helpers.py)") == true)
        for (test, expected) in [("tests/test_calc.py::test_divide", testBreak), ("tests/test_api.py::test_scaled", importBreak)] {
            let found = try bisect(project, test)
            #expect(found["culprit"] as? String == expected && found["verified"] as? Bool == true, "\(test)")
            #expect(((found["runs"] as? [Any])?.count ?? 99) <= runBudget(8), "\(test): \(found["runs"] ?? [])")
        }
    }

    /// A data file is weak evidence: culprit says "no suspect"; bisect, which runs the test, finds it.
    @Test func aDataFileChange() throws {
        let sandbox = try Sandbox()
        let project = try project(sandbox)
        try pad(project.repo, 3, "a")
        let breaking = try project.repo.commit("New expectations", files: ["tests/data/expected.json": "{\"answer\": 41}\n"], author: .bjorn)
        try pad(project.repo, 4, "b")
        let ranked = try culprit(project, ["tests/test_data.py::test_expected"])
        #expect(ranked["verdict"] as? String == "no-suspect")
        let text = try sandbox.bmGit(["culprit", "--good", project.base, "tests/test_data.py::test_expected"], in: project.repo.path)
        #expect(text.stdout.contains("No suspect") && text.stdout.contains("flaky, or caused by data"))
        let found = try bisect(project, "tests/test_data.py::test_expected")
        #expect(found["culprit"] as? String == breaking && found["verified"] as? Bool == true)
        #expect(((found["runs"] as? [Any])?.count ?? 99) <= runBudget(8))
    }

    /// A test that failed once in CI and passes whenever it is run again has no culprit.
    @Test func aFlakyTestHasNoCulprit() throws {
        let sandbox = try Sandbox()
        let project = try project(sandbox)
        try pad(project.repo, 4, "a")
        let ranked = try culprit(project, ["tests/test_flaky.py::test_flaky"])
        #expect(ranked["verdict"] as? String == "no-suspect")
        let counter = sandbox.root + "/flaky-runs"
        try "1\n".write(toFile: counter, atomically: true, encoding: .utf8)
        let found = try bisect(project, "tests/test_flaky.py::test_flaky", environment: ["FLAKY_FILE": counter])
        #expect(found["verdict"] as? String == "flaky")
        #expect(found["culprit"] is NSNull)
    }

    /// A merged pull request is one suspect for culprit; bisect lands on the merge and finds
    /// the branch commit inside it.
    @Test func aRangeWithAMergedPullRequest() throws {
        let sandbox = try Sandbox()
        let project = try project(sandbox)
        let repo = project.repo
        try repo.git("checkout", "-q", "-b", "feature")
        try repo.commit("Feature docs", files: ["docs/feature.md": "1\n"], author: .bjorn)
        let breaking = try repo.commit("Feature: faster divide", files: ["pkg/core/calc.py": "def divide(a, b):\n    return a // b + (1 if b == 2 else 0)\n"], author: .bjorn)
        try repo.commit("Feature tests docs", files: ["docs/feature2.md": "2\n"], author: .bjorn)
        try repo.git("checkout", "-q", "master")
        try pad(repo, 2, "m")
        try sandbox.git(["merge", "-q", "--no-ff", "-m", "Merge pull request #7 from feature", "feature"], in: repo.path, author: .chen)
        let merge = try repo.head()
        try pad(repo, 2, "n")
        let ranked = try culprit(project, ["tests/test_calc.py::test_divide"])
        #expect(top(ranked)["commit"] as? String == merge)
        #expect((top(ranked)["reasons"] as? [String])?.contains { $0.contains("in its branch commit \(breaking.prefix(7))") } == true)
        let found = try bisect(project, "tests/test_calc.py::test_divide")
        #expect(found["culprit"] as? String == breaking && found["verified"] as? Bool == true)
    }

    /// A break inside an amp roll: culprit names the submodule's commit and the roll that
    /// brought it in; bisect checks the submodule out at each of its commits to find it.
    @Test func aBreakInsideAnAmpRoll() throws {
        let sandbox = try Sandbox()
        let amp = try sandbox.makeRepo("amp")
        try amp.commit("Helpers", files: ["helpers/__init__.py": "", "helpers/dbg.py": "def value():\n    return 1\n",
                                          "helpers/test/__init__.py": "",
                                          "helpers/test/test_dbg.py": "from helpers.dbg import value\n\n\ndef test_value():\n    assert value() == 1\n"], author: .chen)
        let project = try project(sandbox, name: "super")
        let repo = project.repo
        try repo.git("submodule", "add", "-q", amp.path, "amp")
        try repo.commit("Add amp", author: .ana)
        let green = try repo.head()
        try amp.commit("amp docs", files: ["README.md": "amp\n"], author: .chen)
        let breaking = try amp.commit("Return two", files: ["helpers/dbg.py": "def value():\n    return 2\n"], author: .bjorn)
        try amp.commit("amp more docs", files: ["NOTES.md": "n\n"], author: .chen)
        let inner = TestRepo(sandbox: sandbox, path: repo.path + "/amp")
        try inner.git("pull", "-q", "origin", "master")
        try repo.git("add", "amp")
        try repo.git("commit", "-q", "-m", "Update amp pointer", author: .ana)
        let roll = try repo.head()
        try pad(repo, 2, "after")
        let id = "amp/helpers/test/test_dbg.py::test_value"
        let rankedResult = try sandbox.bmGit(["culprit", "--json", "--good", green, id], in: repo.path)
        let ranked = (try? JSONSerialization.jsonObject(with: Data(rankedResult.stdout.utf8))) as? [String: Any] ?? [:]
        #expect(top(ranked)["commit"] as? String == breaking, "\(rankedResult.stdout)")
        #expect(top(ranked)["rolledInBy"] as? String == roll)
        let before = try repo.snapshot()
        let result = try sandbox.bmGit(["bisect", "--json", "--good", green, "--test", id], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        let found = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        #expect(found["culprit"] as? String == breaking && found["rolledInBy"] as? String == roll, "\(result.stdout)")
        #expect(try repo.snapshot() == before)
        #expect(try inner.git("worktree", "list").split(separator: "\n").count == 1)
    }

    /// `--run` reads exits as `git bisect run` does (125 skips), and Ctrl-C removes the worktree
    /// and leaves the repository as it was.
    @Test func runSemanticsAndInterruption() throws {
        let sandbox = try Sandbox()
        let project = try project(sandbox)
        try pad(project.repo, 2, "a")
        let breaking = try project.repo.commit("Marker", files: ["BROKEN": "1\n"], author: .bjorn)
        let skipped = try project.repo.commit("Skip me", files: ["SKIP": "1\n"], author: .chen)
        try project.repo.commit("Unskip", files: ["docs/x.md": "x\n"], author: .chen)
        try project.repo.git("rm", "-q", "SKIP")
        try project.repo.git("commit", "-q", "-m", "Remove skip marker", author: .chen)
        let script = "test -e SKIP && exit 125; test -e BROKEN && exit 1; exit 0"
        let before = try project.repo.snapshot()
        let result = try sandbox.bmGit(["bisect", "--json", "--good", project.base, "--run", script], in: project.repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        let found = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        #expect(found["culprit"] as? String == breaking)
        #expect(!((found["runs"] as? [[String: Any]]) ?? []).contains { $0["commit"] as? String == skipped && $0["result"] as? String != "skip" })

        let aborted = try sandbox.bmGit(["bisect", "--good", project.base, "--run", "kill -9 $$"], in: project.repo.path)
        #expect(aborted.status == 2 && aborted.stderr.contains("which bisect does not read as good, bad or skip"))

        // Ctrl-C while a run is in progress: the worktree goes, nothing else changed.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BMGitBinary.path)
        process.arguments = ["bisect", "--good", project.base, "--run", "sleep 30"]
        process.currentDirectoryURL = URL(fileURLWithPath: project.repo.path)
        process.environment = sandbox.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130 || process.terminationReason == .uncaughtSignal)
        #expect(try project.repo.snapshot() == before)
        #expect(try project.repo.git("worktree", "list").split(separator: "\n").count == 1)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
            .filter { $0.hasPrefix("bm-git-bisect-\(process.processIdentifier)-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// A bisection killed outright leaves its worktree and branch; the next one removes them.
    @Test func theNextBisectionSweepsAKilledOnesWorktree() throws {
        let sandbox = try Sandbox()
        let project = try project(sandbox)
        try project.repo.commit("Marker", files: ["BROKEN": "1\n"], author: .bjorn)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BMGitBinary.path)
        process.arguments = ["bisect", "--good", project.base, "--run", "sleep 30"]
        process.currentDirectoryURL = URL(fileURLWithPath: project.repo.path)
        process.environment = sandbox.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try project.repo.git("worktree", "list").split(separator: "\n").count == 2)
        let result = try sandbox.bmGit(["bisect", "--good", project.base, "--run", "test ! -e BROKEN"], in: project.repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try project.repo.git("worktree", "list").split(separator: "\n").count == 1)
        #expect(try project.repo.git("branch", "--list", "bm-git-bisect-*").isEmpty)
    }
}
