import Foundation
import Testing
import TestSupport

/// The documentation a new user reads stays true to the binary: every help page ends with
/// examples, every command has a page under docs/ that shows its current usage and that the
/// README links, and the CI example is a workflow file that parses.
@Suite struct DocumentationTests {
    static let sourceRoot = URL(fileURLWithPath: #filePath).appendingPathComponent("../../..").standardizedFileURL.path
    static let commands = ["doctor", "owner", "triage", "culprit", "bisect", "roll-amp", "revert-break",
                           "recover", "install-hooks", "hook pre-push"]

    private func help(_ command: String) throws -> String {
        let sandbox = try Sandbox()
        let result = try sandbox.bmGit(command.split(separator: " ").map(String.init) + ["--help"], in: sandbox.root)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func everyHelpPageEndsWithExamples() throws {
        for command in [""] + Self.commands {
            let page = try help(command)
            let examples = page.components(separatedBy: "\nEXAMPLES:\n")
            #expect(examples.count == 2, "bm-git \(command) --help has no EXAMPLES section")
            let commandLines = examples.last?.split(separator: "\n").filter { $0.hasPrefix("    $ ") } ?? []
            #expect(commandLines.count >= 2, "bm-git \(command): \(commandLines)")
            // Placeholders are git's, never the parser's upper-case or property names.
            let usage = page.split(separator: "\n").first { $0.hasPrefix("USAGE: ") } ?? ""
            for placeholder in ["<sha>", "<rev>", "<k>", "<to>", "<message>", "<mainline>", "<run-url>", "<ids>", "<from-log>"] {
                #expect(!usage.contains(placeholder), "bm-git \(command): \(usage)")
            }
        }
        let sandbox = try Sandbox()
        let viaHelp = try sandbox.bmGit(["help", "owner"], in: sandbox.root)
        #expect(viaHelp.stdout == (try help("owner")))
    }

    @Test func everyCommandHasAPageThatTheReadmeLinks() throws {
        let readme = try String(contentsOfFile: Self.sourceRoot + "/README.md", encoding: .utf8)
        for command in Self.commands {
            let name = String(command.split(separator: " ")[0])
            let path = Self.sourceRoot + "/docs/\(name).md"
            let page = try String(contentsOfFile: path, encoding: .utf8)
            #expect(page.hasPrefix("# bm-git \(command)\n"), "docs/\(name).md")
            let usage = try help(command).split(separator: "\n").first { $0.hasPrefix("USAGE: ") }.map { String($0.dropFirst(7)) }
            #expect(usage.map { page.contains("```\n\($0)\n```") } == true, "docs/\(name).md does not show: \(usage ?? "")")
            #expect(readme.contains("(docs/\(name).md)"), "README does not link docs/\(name).md")
        }
    }

    @Test func theCIExampleIsAValidWorkflow() throws {
        let python = try PythonTools.binDirectory() + "/python"   // pre-commit brings PyYAML
        let file = Self.sourceRoot + "/docs/examples/triage-on-failure.yml"
        let check = """
            import sys, yaml
            workflow = yaml.safe_load(open(sys.argv[1]))
            steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
            assert workflow[True]["workflow_run"]["types"] == ["completed"], workflow[True]
            assert any("gh run view" in run and "--log-failed" in run and "bm-git triage" in run for run in steps), steps
            assert any("gh issue create" in run and "--body-file" in run for run in steps), steps
            print("ok")
            """
        let result = try Shell.run(python, ["-c", check, file], in: Self.sourceRoot, environment: ProcessInfo.processInfo.environment)
        #expect(result.status == 0 && result.stdout == "ok\n", "\(result.stderr)")
        // And a file that is not YAML fails the same check, so the check can fail.
        let sandbox = try Sandbox()
        let broken = sandbox.root + "/broken.yml"
        try "jobs: [unclosed\n".write(toFile: broken, atomically: false, encoding: .utf8)
        #expect(try Shell.run(python, ["-c", check, broken], in: Self.sourceRoot, environment: ProcessInfo.processInfo.environment).status != 0)
    }
}
