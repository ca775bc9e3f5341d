import ArgumentParser
import Buildmeister
import Foundation

/// `bm-git culprit`: which commit of a range broke the build, ranked from git alone.
struct CulpritCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "culprit",
        abstract: "Rank the commits between a green and a red run by the evidence each explains.",
        discussion: """
        The suspects are the commits reachable from --bad but not from --good, one per commit of \
        the first-parent line (a merged pull request is one suspect; an amp roll is expanded into \
        the submodule's commits). Each scores what it explains: a traceback frame's line it last \
        changed (20), a frame's file (10), the failing test's lines (8) or file (6), a module the \
        test imports (3), a data file the tests read (1). Without real evidence the answer is \
        "no suspect". The failure is given as pytest ids, or --from a log, a JUnit report, \
        lastfailed, or bm-git triage --json output.
        """
    )

    @Option(help: ArgumentHelp("The last commit whose run was green.", valueName: "commit"))
    var good: String

    @Option(help: ArgumentHelp("The first commit whose run was red (default HEAD).", valueName: "commit"))
    var bad = "HEAD"

    @Argument(help: ArgumentHelp("Failing pytest ids.", valueName: "id"))
    var ids: [String] = []

    @Option(name: .customLong("from"), help: ArgumentHelp("A CI log, JUnit report, lastfailed or triage --json file (repeatable).", valueName: "file"))
    var from: [String] = []

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try FailureReporter.run(json: json) {
            let repository = try Workspace.open()
            var request = Culprit.Request(good: good, bad: bad)
            request.ids = ids
            request.from = from
            let report = try Culprit.rank(request, in: repository, settings: try Settings.load(from: repository))
            if json {
                try JSONOutput.print(report)
            } else {
                print(CulpritText(terminal: .standardOutput).render(report), terminator: "")
            }
        }
    }
}
