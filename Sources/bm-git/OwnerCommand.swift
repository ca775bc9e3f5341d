import ArgumentParser
import Buildmeister
import Foundation

/// `bm-git owner`: from failing pytest ids to the people who own them.
struct OwnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "owner",
        abstract: "Find who owns failing tests by blaming their lines.",
        discussion: """
        Each ID is a pytest node id (path.py::Class::test[param]) relative to the repository root \
        or to the current directory. The test's lines (first decorator to the end of its body) are \
        blamed at REV, following renames, applying the mailmap and looking through the revisions in \
        blame.ignoreRevsFile and .git-blame-ignore-revs. The owner is the author of the most lines.
        """
    )

    @Argument(help: "Pytest node ids.")
    var ids: [String] = []

    @Option(name: .customLong("from-log"), help: "Read FAILED/ERROR ids from a pytest or CI log file ('-' for stdin).")
    var log: String?

    @Option(help: "Blame at this revision (default HEAD).")
    var rev: String?

    @Flag(name: .customLong("no-ignore-revs"), help: "Do not look through the ignore-revs files.")
    var noIgnoreRevs = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if ids.isEmpty && log == nil { throw ValidationError("give test ids or --from-log FILE") }
    }

    func run() throws {
        try FailureReporter.run(json: json) {
            var all = ids
            if let log { all += try FailureLog.testIDs(in: Self.read(log)).filter { !all.contains($0) } }
            guard !all.isEmpty else { throw BuildmeisterError.noFailuresInLog(log ?? "") }
            let repository = try Workspace.open()
            let results = try Ownership.find(all, at: rev, ignoreRevs: !noIgnoreRevs, in: repository,
                                             from: Workspace.currentDirectory)
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

    private static func read(_ log: String) throws -> String {
        let data: Data?
        if log == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: log)
        }
        guard let data else { throw BuildmeisterError.unreadableLog(log) }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The `--json` document of owner.
private struct OwnerReport: Encodable {
    let tests: [TestOwnership]
}
