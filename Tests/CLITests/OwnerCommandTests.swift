import Foundation
import Testing
import TestSupport

/// `bm-git owner` end to end on purpose-built repositories.
@Suite struct OwnerCommandTests {
    private func owner(_ sandbox: Sandbox, _ repo: TestRepo, _ arguments: [String], in directory: String? = nil,
                       input: String? = nil) throws -> (status: Int32, tests: [[String: Any]], result: ProcessResult) {
        let result = try sandbox.bmGit(["owner", "--json"] + arguments, in: directory ?? repo.path, input: input)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (result.status, report?["tests"] as? [[String: Any]] ?? [], result)
    }

    private func owner(of test: [String: Any]) -> String? { (test["owner"] as? [String: Any])?["email"] as? String }

    /// A test file written by Ana, with a test Bjørn rewrote most of.
    private func basicRepo(_ sandbox: Sandbox) throws -> TestRepo {
        let repo = try sandbox.makeRepo("r")
        try repo.commit("Add tests", files: ["pkg/test/test_utils.py": """
            import pytest


            class TestClean:
                def test_clean(self):
                    assert clean(" a ") == "a"
                    assert clean("") == ""

                @pytest.mark.parametrize("n", [1, 2])
                def test_param(self, n):
                    text = \"\"\"
            column zero
            \"\"\"
                    assert n


            class TestChild(TestClean):
                pass
            """])
        try repo.commit("Rewrite test_clean", files: ["pkg/test/test_utils.py": """
            import pytest


            class TestClean:
                def test_clean(self):
                    assert clean("  a  ") == "a"
                    assert clean("") == ""
                    assert clean("b") == "b"

                @pytest.mark.parametrize("n", [1, 2])
                def test_param(self, n):
                    text = \"\"\"
            column zero
            \"\"\"
                    assert n


            class TestChild(TestClean):
                pass
            """], author: .bjorn)
        return repo
    }

    @Test func reportsTheOwnerAuthorsLastChangeAndHunksInTheDocumentedSchema() throws {
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        let (status, tests, _) = try owner(sandbox, repo, ["pkg/test/test_utils.py::TestClean::test_clean"])
        #expect(status == 0)
        let test = try #require(tests.first)
        #expect(Set(test.keys) == ["id", "path", "startLine", "endLine", "resolvedAs", "owner", "authors", "lastChange",
                                   "codeowners", "hunks", "ignoredRevisions", "shallowLines", "revertsLookedThrough",
                                   "repository", "error"])
        #expect(test["path"] as? String == "pkg/test/test_utils.py")
        #expect(test["startLine"] as? Int == 5 && test["endLine"] as? Int == 8)
        #expect(test["resolvedAs"] as? String == "test")
        #expect(owner(of: test) == "bjorn@example.com")
        #expect((test["owner"] as? [String: Any])?["lines"] as? Int == 2)
        let authors = test["authors"] as? [[String: Any]] ?? []
        #expect(authors.map { $0["email"] as? String } == ["bjorn@example.com", "ana@example.com"])
        let last = test["lastChange"] as? [String: Any] ?? [:]
        #expect(last["subject"] as? String == "Rewrite test_clean")
        #expect(last["commit"] as? String == (try repo.head()))
        #expect(last["time"] as? Int == Int(try repo.git("log", "-1", "--format=%at")))
        let hunks = test["hunks"] as? [[String: Any]] ?? []
        #expect(hunks.reduce(0) { $0 + ($1["lineCount"] as? Int ?? 0) } == 4)
        #expect(test["error"] is NSNull)
    }

    @Test func parametrisedInheritedMissingAndColumnZeroIds() throws {
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        let (status, tests, _) = try owner(sandbox, repo, [
            "pkg/test/test_utils.py::TestClean::test_param[1]",
            "pkg/test/test_utils.py::TestChild::test_clean",
            "pkg/test/test_utils.py::TestClean::test_gone",
            "pkg/test/test_utils.py::TestGone::test_x",
        ])
        #expect(status == 0)
        #expect(tests[0]["startLine"] as? Int == 10 && tests[0]["endLine"] as? Int == 15)  // column-0 text inside
        #expect(tests[1]["resolvedAs"] as? String == "test" && tests[1]["startLine"] as? Int == 5)
        #expect(tests[2]["resolvedAs"] as? String == "class" && tests[2]["startLine"] as? Int == 4)
        #expect(tests[3]["resolvedAs"] as? String == "file" && tests[3]["startLine"] as? Int == 1)
        let text = try sandbox.bmGit(["owner", "pkg/test/test_utils.py::TestClean::test_gone"], in: repo.path)
        #expect(text.stdout.contains("test not found; its class:"))
    }

    @Test func badIdsAreErrorsForThoseIdsOnly() throws {
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/link.py", withDestinationPath: "/etc/passwd")
        try repo.commit("add a link")
        let before = try repo.snapshot()
        let (status, tests, result) = try owner(sandbox, repo, [
            "../outside.py::test_x", "/etc/passwd", "link.py::test_x", "pkg/test/nope.py::test_x",
            "pkg/test/test_utils.py::TestClean::test_clean",
        ])
        #expect(status == 2)
        #expect((tests[0]["error"] as? String)?.contains("outside the repository") == true)
        #expect((tests[1]["error"] as? String)?.contains("give --strip-prefix") == true)
        #expect((tests[2]["error"] as? String)?.contains("symbolic link") == true)
        #expect((tests[3]["error"] as? String)?.contains("does not exist") == true)
        #expect(owner(of: tests[4]) == "bjorn@example.com")
        #expect(tests[0]["owner"] is NSNull)
        let messages = result.stderr.split(separator: "\n")
        #expect(messages.count == 4 && messages.allSatisfy { $0.hasPrefix("bm-git: ") })
        #expect(messages.first?.contains("../outside.py::test_x: ") == true)
        #expect(try repo.snapshot() == before)
        #expect(try sandbox.bmGit(["owner", "x.py", "--rev", "nope"], in: repo.path).stderr.contains("unknown revision 'nope'"))
        #expect(try sandbox.bmGit(["owner"], in: repo.path).status == 64)
    }

    @Test func idsRelativeToASubdirectoryWork() throws {
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        let (status, tests, _) = try owner(sandbox, repo, ["test_utils.py::TestClean::test_clean"],
                                           in: repo.path + "/pkg/test")
        #expect(status == 0)
        #expect(tests.first?["path"] as? String == "pkg/test/test_utils.py")
    }

    @Test func followsRenamesAndMergesAndAppliesTheMailmap() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let alias = Author(name: "Ana L", email: "ANA@old-laptop.local")
        try repo.commit("Add", files: ["test/test_a.py": "def test_a():\n    x = 1\n    assert x\n"], author: alias)
        try repo.git("checkout", "-q", "-b", "feature")
        try repo.commit("Feature edit", files: ["test/test_a.py": "def test_a():\n    x = 2\n    assert x\n"], author: .chen)
        try repo.git("checkout", "-q", "master")
        try repo.commit("Unrelated", files: ["other.py": "1\n"], author: .bjorn)
        try sandbox.git(["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"], in: repo.path, author: .bjorn)
        try repo.git("mv", "test", "tests")
        try repo.commit("Move tests", author: .bjorn)
        try repo.commit("mailmap", files: [".mailmap": "Ana Lima <ana@example.com> <ana@old-laptop.local>\n"])
        let (_, tests, _) = try owner(sandbox, repo, ["tests/test_a.py::test_a"])
        let hunks = tests.first?["hunks"] as? [[String: Any]] ?? []
        #expect(hunks.map { $0["email"] as? String } == ["ana@example.com", "chen@example.com", "ana@example.com"])
        #expect(hunks.map { $0["name"] as? String } == ["Ana Lima", "Chen Wei 陈伟", "Ana Lima"])
        #expect(owner(of: tests.first ?? [:]) == "ana@example.com")
        let git = try repo.git("blame", "--porcelain", "tests/test_a.py")
        #expect(git.contains(try repo.sha("feature")))
    }

    @Test func ignoreRevsPassReformattedLinesToTheParent() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("Add", files: ["t.py": "def test_a():\n    assert f(1) == 2\n    assert f(2) == 3\n"], author: .chen)
        let reformat = try repo.commit("Reformat", files: ["t.py": "def test_a():\n    assert f(1)  ==  2\n    assert f(2)  ==  3\n"],
                                       author: Author(name: "bot", email: "bot@example.com"))
        try repo.commit("ignore list", files: [".git-blame-ignore-revs": "# reformat\n\(reformat)\n"])
        let (_, with, _) = try owner(sandbox, repo, ["t.py::test_a"])
        #expect(owner(of: with[0]) == "chen@example.com")
        #expect(with[0]["ignoredRevisions"] as? Int == 1)
        let (_, without, _) = try owner(sandbox, repo, ["t.py::test_a", "--no-ignore-revs"])
        #expect(owner(of: without[0]) == "bot@example.com")
        #expect(without[0]["ignoredRevisions"] as? Int == 0)
        // blame.ignoreRevsFile works too, once the root file is gone.
        try repo.git("mv", ".git-blame-ignore-revs", "ignore.txt")
        try repo.commit("rename ignore list")
        try repo.git("config", "blame.ignoreRevsFile", "ignore.txt")
        #expect(owner(of: try owner(sandbox, repo, ["t.py::test_a"]).tests[0]) == "chen@example.com")
    }

    @Test func aTieGoesToTheAuthorWithTheNewestLine() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("Add", files: ["t.py": "def test_a():\n    a = 1\n"], author: .ana)
        try repo.commit("Edit", files: ["t.py": "def test_a():\n    a = 2\n"], author: .chen)
        let (_, tests, _) = try owner(sandbox, repo, ["t.py::test_a"])
        #expect(owner(of: tests[0]) == "chen@example.com")
        #expect((tests[0]["authors"] as? [[String: Any]])?.count == 2)
    }

    @Test func reportsTheCodeownersEntryLastMatchWins() throws {
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        try repo.commit("owners", files: [".github/CODEOWNERS": "* @everyone\n/pkg/ @pkg-team\n*.md @docs\npkg/test/ @qa @lead\n"])
        let (_, tests, _) = try owner(sandbox, repo, ["pkg/test/test_utils.py::TestClean::test_clean"])
        #expect(tests[0]["codeowners"] as? [String] == ["@qa", "@lead"])
    }

    @Test func readsFailedAndErrorIdsFromLogsInEveryFormat() throws {
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        let id = "pkg/test/test_utils.py::TestClean::test_clean"
        let param = "pkg/test/test_utils.py::TestClean::test_param[a::b c]"
        let logs = [
            "=== short test summary info ===\nFAILED \(id) - AssertionError: boom\nERROR \(param) - fixture\n",
            "2026-11-25T10:00:00.1234567Z FAILED \(id) - x\n2026-11-25T10:00:01.0000000Z ERROR \(param)\n",
            "tests\tRun pytest\t2026-11-25T10:00:00.1234567Z FAILED \(id) - x\ntests\tRun pytest\t2026-11-25T10:00:00.2Z ERROR \(param)\n",
            "\u{1B}[31mFAILED\u{1B}[0m \(id) - x\n\u{1B}[31mERROR\u{1B}[0m \(param)\nFAILED \(id) - again\n",
        ]
        for log in logs {
            let file = sandbox.root + "/ci.log"
            try log.write(toFile: file, atomically: true, encoding: .utf8)
            let (status, tests, result) = try owner(sandbox, repo, ["--from-log", file])
            #expect(status == 0, "\(result.stderr)")
            #expect(tests.map { $0["id"] as? String } == [id, param], "\(log)")
        }
        let (_, fromStdin, _) = try owner(sandbox, repo, ["--from-log", "-"], input: logs[0])
        #expect(fromStdin.count == 2)
        // A green log is an answer for a script: exit 0.
        let empty = try sandbox.bmGit(["owner", "--from-log", "-"], in: repo.path, input: "all passed\n")
        #expect(empty.status == 0 && empty.stdout.contains("no failed tests in the log on stdin"))
        let emptyJSON = try sandbox.bmGit(["owner", "--json", "--from-log", "-"], in: repo.path, input: "")
        #expect(emptyJSON.status == 0 && emptyJSON.stdout.contains("\"tests\" : ["))
        let missing = try sandbox.bmGit(["owner", "--from-log", sandbox.root + "/missing.log"], in: repo.path)
        #expect(missing.status == 2 && missing.stderr.contains("No such file or directory"))
        let directory = try sandbox.bmGit(["owner", "--from-log", sandbox.root], in: repo.path)
        #expect(directory.status == 2 && directory.stderr.contains("it is a directory"))
    }

    /// A log cut off before its summary has only pytest's verbose lines, or pytest-xdist's;
    /// paths from a container are mapped back into the repository.
    @Test func readsVerboseAndXdistLinesAndContainerPaths() throws {
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        let id = "pkg/test/test_utils.py::TestClean::test_clean"
        let param = "pkg/test/test_utils.py::TestClean::test_param[a::b c]"
        let verbose = "\(id) PASSED                 [ 25%]\n\(id) FAILED                 [ 50%]\n\(param) ERROR  [ 75%]\n"
        let xdist = "[gw0] [ 25%] PASSED \(id)\n[gw1] [ 50%] FAILED \(id)\n[gw0] [ 75%] ERROR \(param)\n"
        for log in [verbose, xdist] {
            let (status, tests, result) = try owner(sandbox, repo, ["--from-log", "-"], input: log)
            #expect(status == 0, "\(result.stderr)")
            #expect(tests.map { $0["id"] as? String } == [id, param], "\(log)")
        }
        let container = "FAILED /app/\(id) - AssertionError\n"
        let (inferred, found, _) = try owner(sandbox, repo, ["--from-log", "-"], input: container)
        #expect(inferred == 0)
        #expect(found.first?["path"] as? String == "pkg/test/test_utils.py")
        let (stripped, explicit, _) = try owner(sandbox, repo, ["--from-log", "-", "--strip-prefix", "/app"], input: container)
        #expect(stripped == 0)
        #expect(explicit.first?["path"] as? String == "pkg/test/test_utils.py")
        let (wrong, refused, _) = try owner(sandbox, repo, ["--from-log", "-", "--strip-prefix", "/srv"], input: container)
        #expect(wrong == 2)
        #expect((refused.first?["error"] as? String)?.contains("does not start with --strip-prefix /srv") == true)
    }

    /// A typo in a class or test name is "not found" with the names it may mean (exit 2), not
    /// the file's owner; a directory, a non-Python file and a missing file say what they are,
    /// naming the revision.
    @Test func typosDirectoriesAndOtherFilesAreToldApart() throws {
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        try repo.commit("docs", files: ["README.md": "# r\n"])
        let head = String(try repo.head().prefix(7))
        let (status, tests, _) = try owner(sandbox, repo, [
            "pkg/test/test_utils.py::TestClen::test_clean", "pkg/test/test_utils.py::TestClean::test_claen",
            "pkg/test", "README.md", "pkg/test/gone.py::test_x",
        ])
        #expect(status == 2)
        #expect((tests[0]["error"] as? String)?.contains("TestClen is not in pkg/test/test_utils.py at HEAD (\(head)); did you mean TestClean?") == true)
        #expect((tests[1]["error"] as? String)?.contains("did you mean test_clean?") == true)
        #expect(tests[0]["owner"] is NSNull)
        #expect((tests[2]["error"] as? String)?.contains("pkg/test is a directory at HEAD (\(head))") == true)
        #expect((tests[3]["error"] as? String)?.contains("README.md is not a Python file") == true)
        #expect((tests[4]["error"] as? String)?.contains("does not exist at HEAD (\(head))") == true)
    }

    @Test func textOutputGroupsTestsByOwner() throws {
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        let result = try sandbox.bmGit(["owner", "pkg/test/test_utils.py::TestClean::test_clean",
                                        "pkg/test/test_utils.py::TestClean::test_param"], in: repo.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("owner       Bjørn Ødegård <bjorn@example.com> (2 of 4 lines)"))
        #expect(result.stdout.contains("Owners\n"))
        #expect(result.stdout.contains("Ana Lima <ana@example.com>: 1 test"))
    }

    @Test func crlfFilesDuplicateTestsAndBracketsInPathsResolveAsPytestDoes() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let crlf = "import os\r\n\r\n\r\ndef test_one():\r\n    assert 1\r\n\r\n\r\ndef test_two():\r\n    x = 2\r\n    assert x\r\n"
        let twice = "def test_a():\n    assert 1\n\n\ndef test_a():\n    assert 2\n    assert 3\n"
        try repo.commit("Add", files: ["crlf/test_crlf.py": crlf, "test_twice.py": twice,
                                       "case[1]/test_b.py": "def test_b():\n    assert 1\n"])
        let (status, tests, _) = try owner(sandbox, repo, ["crlf/test_crlf.py::test_one", "crlf/test_crlf.py::test_two",
                                                           "test_twice.py::test_a", "case[1]/test_b.py::test_b"])
        #expect(status == 0)
        #expect(tests.map { [$0["startLine"] as? Int, $0["endLine"] as? Int] } == [[4, 5], [8, 10], [5, 7], [1, 2]])
        #expect(tests.allSatisfy { $0["resolvedAs"] as? String == "test" })
    }

    @Test func logIdsKeepDashesInsideTheirParameters() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("Add", files: ["t.py": "import pytest\n\n\n@pytest.mark.parametrize('v', ['a - b'])\ndef test_x(v):\n    assert v\n"])
        let log = "FAILED t.py::test_x[a - b] - AssertionError: assert 'a - b' == 1\n"
        let (status, tests, _) = try owner(sandbox, repo, ["--from-log", "-"], input: log)
        #expect(status == 0)
        #expect(tests.map { $0["id"] as? String } == ["t.py::test_x[a - b]"])
        #expect(tests.first?["startLine"] as? Int == 4)
    }

    @Test func namesInACommitsOwnEncodingAreConverted() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.write("t.py", "def test_a():\n    assert 1\n")
        try repo.git("add", "t.py")
        // git writes the author bytes as given and records `encoding ISO-8859-1`.
        let script = "printf 'Ren\\351' > name && GIT_AUTHOR_NAME=\"$(cat name)\" GIT_AUTHOR_EMAIL=rene@example.com "
            + "git -c i18n.commitEncoding=ISO-8859-1 commit -q -m \"$(printf 'Caf\\351')\""
        let result = try Shell.run("/bin/sh", ["-c", script], in: repo.path, environment: sandbox.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try repo.git("cat-file", "-p", "HEAD").contains("encoding ISO-8859-1"))
        let (_, tests, _) = try owner(sandbox, repo, ["t.py::test_a"])
        let ownerName = (tests.first?["owner"] as? [String: Any])?["name"] as? String
        #expect(ownerName == "René")
        #expect((tests.first?["lastChange"] as? [String: Any])?["subject"] as? String == "Café")
        #expect(ownerName == (try repo.git("log", "-1", "--format=%an")))
    }

    @Test func aPathologicalCodeownersPatternDoesNotStallTheAnswer() throws {
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        let pattern = String(repeating: "a*", count: 12) + "b"
        try repo.commit("owners", files: ["CODEOWNERS": "\(pattern) @x\npkg/**/test_*.py @tests\n",
                                          String(repeating: "a", count: 60) + ".py": "x = 1\n"])
        let (_, tests, _) = try owner(sandbox, repo, ["pkg/test/test_utils.py::TestClean::test_clean",
                                                      String(repeating: "a", count: 60) + ".py"])
        #expect(tests[0]["codeowners"] as? [String] == ["@tests"])
        #expect(tests[1]["codeowners"] as? [String] == [])
    }

    /// A shallow CI clone (actions/checkout's depth 1) blames up to where its history starts,
    /// marks those lines, and says how to deepen it, instead of failing on a missing parent.
    @Test func aShallowCloneBlamesUpToItsBoundaryAndSaysSo() throws {
        let sandbox = try Sandbox()
        let origin = try sandbox.makeRepo("origin")
        try origin.commit("Add", files: ["t.py": "def test_a():\n    a = 1\n    b = 2\n"], author: .ana)
        try origin.commit("Edit", files: ["t.py": "def test_a():\n    a = 1\n    b = 3\n"], author: .bjorn)
        try origin.commit("Edit again", files: ["t.py": "def test_a():\n    a = 1\n    b = 4\n"], author: .chen)
        let clone = try sandbox.clone("file://" + origin.path, as: "ci", arguments: ["--depth", "2"])
        let (status, tests, result) = try owner(sandbox, clone, ["t.py::test_a"])
        #expect(status == 0, "\(result.stderr)")
        #expect(tests[0]["shallowLines"] as? Int == 2)
        let hunks = tests[0]["hunks"] as? [[String: Any]] ?? []
        #expect(hunks.contains { $0["beyondShallowHistory"] as? Bool == true && $0["email"] as? String == "bjorn@example.com" })
        #expect(hunks.contains { $0["beyondShallowHistory"] as? Bool == false && $0["email"] as? String == "chen@example.com" })
        let text = try sandbox.bmGit(["owner", "t.py::test_a"], in: clone.path)
        #expect(text.stdout.contains("2 of 3 lines are where this clone's shallow history begins"))
        #expect(text.stdout.contains("git fetch --unshallow"))
    }

    /// After revert-break reverts a break, the person on duty does not become the owner, nor
    /// does whoever reverts the revert: the lines go back to their authors, and the answer says so.
    @Test func ownersAreFoundThroughRevertsAndRevertsOfReverts() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("Add test", files: ["t.py": "def test_a():\n    a = 1\n    assert a\n"], author: .ana)
        let breaking = try repo.commit("Break it", files: ["t.py": "def test_a():\n    a = 2\n    assert a == 3\n"], author: .bjorn)
        try repo.git("revert", "--no-edit", breaking, author: .chen)
        let revert = try repo.head()
        let (status, tests, _) = try owner(sandbox, repo, ["t.py::test_a"])
        #expect(status == 0)
        #expect(owner(of: tests[0]) == "ana@example.com")
        #expect((tests[0]["revertsLookedThrough"] as? [String])?.contains(revert) == true)
        let text = try sandbox.bmGit(["owner", "t.py::test_a"], in: repo.path)
        #expect(text.stdout.contains("looked through 1 revert"))

        // The fix was wrong: the revert is reverted, and Bjørn's change is live again, his.
        try repo.git("revert", "--no-edit", revert, author: .ana)
        let (_, again, _) = try owner(sandbox, repo, ["t.py::test_a"])
        #expect(owner(of: again[0]) == "bjorn@example.com")
        let (_, raw, _) = try owner(sandbox, repo, ["t.py::test_a", "--no-ignore-revs"])
        #expect(owner(of: raw[0]) == "ana@example.com" && (raw[0]["revertsLookedThrough"] as? [String])?.isEmpty == true)
    }

    /// An id under a submodule, named from the superproject as its CI log names it, is blamed in
    /// the submodule at the commit the superproject records.
    @Test func testsInsideASubmoduleAreBlamedThere() throws {
        let sandbox = try Sandbox()
        let amp = try sandbox.makeRepo("amp")
        try amp.commit("Add dbg test", files: ["helpers/test/test_dbg.py": "def test_dbg():\n    assert True\n"], author: .chen)
        let superproject = try sandbox.makeRepo("super")
        try superproject.commit("Add tests", files: ["pkg/test_x.py": "def test_x():\n    pass\n"])
        try superproject.git("submodule", "add", "-q", amp.path, "amp")
        try superproject.commit("Add amp")
        // A newer submodule checkout that the superproject does not record must not count.
        let inner = TestRepo(sandbox: sandbox, path: superproject.path + "/amp")
        try inner.commit("Rewrite", files: ["helpers/test/test_dbg.py": "def test_dbg():\n    assert 1\n"], author: .bjorn)
        let id = "amp/helpers/test/test_dbg.py::test_dbg"
        let (status, tests, result) = try owner(sandbox, superproject, [id, "pkg/test_x.py::test_x"])
        #expect(status == 0, "\(result.stderr)")
        #expect(tests[0]["id"] as? String == id)
        #expect(tests[0]["repository"] as? String == "amp")
        #expect(tests[0]["path"] as? String == "amp/helpers/test/test_dbg.py")
        #expect(owner(of: tests[0]) == "chen@example.com")
        #expect(tests[1]["repository"] is NSNull)
        let text = try sandbox.bmGit(["owner", id], in: superproject.path)
        #expect(text.stdout.contains("blamed in submodule amp"))

        try superproject.git("submodule", "deinit", "-q", "-f", "amp")
        let (missing, unchecked, _) = try owner(sandbox, superproject, [id])
        #expect(missing == 2)
        #expect((unchecked[0]["error"] as? String)?.contains("git submodule update --init amp") == true)
    }

    /// With stdin on a terminal, owner says it is waiting for a log (run under script(1) for a pty).
    @Test func saysItIsWaitingWhenStdinIsATerminal() throws {
        guard let script = Shell.which("script") else { return }
        let sandbox = try Sandbox()
        let repo = try basicRepo(sandbox)
        let result = try Shell.run(script, ["-qec", "\(BMGitBinary.path) owner --from-log -", "/dev/null"], in: repo.path,
                                   environment: sandbox.environment, input: "\u{04}")
        #expect(result.stdout.contains("reading a log from stdin; paste it and end with Ctrl-D"))
        #expect(result.stdout.contains("no failed tests in the log on stdin"))
    }
}
