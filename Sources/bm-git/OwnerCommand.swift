import ArgumentParser
import Buildmeister
import Foundation

/// `bm-git owner`: from failing pytest ids to the people who own them.
struct OwnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "owner",
        abstract: "Find who owns failing tests by blaming their lines.",
        discussion: """
        Each <id> is a pytest node id (path.py::Class::test[param]) relative to the repository root \
        or to the current directory. The test's lines (first decorator to the end of its body) are \
        blamed at the --rev <commit>, following renames, applying the mailmap and looking through the revisions in \
        blame.ignoreRevsFile and .git-blame-ignore-revs. The owner is the author of the most lines.
        """
    )

    @Argument(help: ArgumentHelp("Pytest node ids.", valueName: "id"))
    var ids: [String] = []

    @Option(name: .customLong("from-log"), help: ArgumentHelp("Read FAILED/ERROR ids from a pytest or CI log file ('-' for stdin).", valueName: "file"))
    var log: String?

    @Option(help: ArgumentHelp("Blame at this revision (default HEAD).", valueName: "commit"))
    var rev: String?

    @Option(name: .customLong("strip-prefix"),
            help: ArgumentHelp("Remove this directory from absolute test paths, such as /app inside a container (default: found from the repository's files).", valueName: "dir"))
    var stripPrefix: String?

    @Flag(name: .customLong("no-ignore-revs"), help: "Do not look through the ignore-revs files.")
    var noIgnoreRevs = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if ids.isEmpty && log == nil { throw ValidationError("give test ids or --from-log <file>") }
    }

    func run() throws {
        try FailureReporter.run(json: json) {
            var all = ids
            if let log {
                if log == "-" && !GlobalOptions.quiet && Terminal.isInteractive(STDIN_FILENO) {
                    printError("bm-git: reading a log from stdin; paste it and end with Ctrl-D (or give a file: --from-log <file>)")
                }
                all += try FailureLog.testIDs(inFileAt: log).filter { !all.contains($0) }
            }
            guard !all.isEmpty else {
                // A green (or empty) log is an answer, not an error, for a script that pipes CI logs in.
                if json { try JSONOutput.print(OwnerReport(tests: [])) } else {
                    print("no failed tests in \(log == "-" ? "the log on stdin" : Sanitizer.clean(log ?? ""))")
                }
                return
            }
            let repository = try Workspace.open()
            let results = try Ownership.find(all, at: rev, ignoreRevs: !noIgnoreRevs, in: repository,
                                             from: Workspace.currentDirectory, stripPrefix: stripPrefix)
            if json {
                try JSONOutput.print(OwnerReport(tests: results))
            } else {
                print(OwnerText(terminal: .standardOutput).render(results), terminator: "")
            }
            let failed = results.filter { $0.error != nil }
            for result in failed {
                printError("bm-git: " + Sanitizer.clean("\(result.id): \(result.error ?? "")"))
            }
            if !failed.isEmpty { throw ExitCode(ExitStatus.failed.rawValue) }
        }
    }
}

/// The `--json` document of owner.
private struct OwnerReport: Encodable {
    let tests: [TestOwnership]
}
