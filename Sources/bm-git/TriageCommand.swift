import ArgumentParser
import Buildmeister
import Foundation

/// `bm-git triage`: from a red CI run to ready-to-file break issues, one per root cause.
struct TriageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Turn a failed CI run into break-issue drafts, one per root cause, with owners.",
        discussion: """
        Each INPUT (default: stdin) is a pytest console log (plain, -v, -rA, coloured), a GitHub \
        Actions log (gh run view --log or --log-failed, or the web UI's download), a JUnit XML \
        report (pytest --junitxml, xunit1 or xunit2) or .pytest_cache/v/cache/lastfailed. \
        Failures are grouped by root cause; each cause gets its owners, its suspect change (the \
        last commit to the line that raised) and a draft titled \
        "Build fail - <repo> <test type> (<run id>)". --out DIR writes N.title and N.md for \
        gh issue create --title "$(cat N.title)" --body-file N.md. A test that failed and then \
        passed on a rerun is flaky: reported, not drafted. Exit 0 when breaks were drafted or \
        nothing failed; 2 when an input is in no format triage reads.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, chat }

    @Argument(help: ArgumentHelp("Logs, JUnit reports or lastfailed files ('-' for stdin, the default).", valueName: "file"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("The repository's name in titles (default: bm.repoName, else origin's name).", valueName: "name"))
    var repo: String?

    @Option(name: .customLong("test-type"), help: ArgumentHelp("The test type in titles, such as fast_tests (default: the bm.testTypes name=pattern pairs).", valueName: "type"))
    var testType: String?

    @Option(name: .customLong("run-id"), help: ArgumentHelp("The CI run's number (default: from the run URL).", valueName: "id"))
    var runID: String?

    @Option(name: .customLong("run-url"), help: ArgumentHelp("The CI run's URL (default: the first Actions run URL in the logs).", valueName: "url"))
    var runURL: String?

    @Option(help: ArgumentHelp("Blame at this revision (default HEAD).", valueName: "commit"))
    var rev: String?

    @Option(help: ArgumentHelp("Write each draft as N.title and N.md in this directory.", valueName: "dir"))
    var out: String?

    @Option(help: "text (default), markdown (the drafts) or chat (the short post for the team's channel).")
    var format: Format = .text

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try FailureReporter.run(json: json) {
            let repository = try Workspace.open()
            var request = Triage.Request()
            request.inputs = inputs.isEmpty ? ["-"] : inputs
            if request.inputs.contains("-") && !GlobalOptions.quiet && Terminal.isInteractive(STDIN_FILENO) {
                printError("bm-git: reading a log from stdin; paste it and end with Ctrl-D (or give files)")
            }
            request.repo = repo
            request.testType = testType
            request.runID = runID
            request.runURL = runURL
            request.revision = rev
            let report = try Triage.run(request, in: repository)
            var written: [String] = []
            if let out { written = try Self.write(report.drafts, to: out) }
            if json {
                try JSONOutput.print(report)
                return
            }
            switch format {
            case .text: print(TriageText(terminal: .standardOutput).render(report, written: written), terminator: "")
            case .markdown: print(report.drafts.map { "# \($0.title)\n\n\($0.body)" }.joined(separator: "\n---\n\n"), terminator: "")
            case .chat: print(TriageDrafts.chatPost(report), terminator: "")
            }
        }
    }

    /// Writes `N.title` (one line) and `N.md` for each draft; returns the title files' paths.
    private static func write(_ drafts: [TriageReport.Draft], to directory: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return try drafts.enumerated().map { index, draft in
                let base = "\(directory)/\(index + 1)"
                try Data((draft.title + "\n").utf8).write(to: URL(fileURLWithPath: base + ".title"))
                try Data(draft.body.utf8).write(to: URL(fileURLWithPath: base + ".md"))
                return base + ".title"
            }
        } catch {
            throw BuildmeisterError.git(operation: "write the drafts to \(directory)", message: "\(error.localizedDescription)")
        }
    }
}
