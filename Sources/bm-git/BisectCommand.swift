import ArgumentParser
import Buildmeister
import GitKit
import Foundation

/// `bm-git bisect`: prove which commit broke the tests by running them, in a temporary worktree.
struct BisectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bisect",
        abstract: "Find the commit that broke the tests by running them, aware of flakes.",
        discussion: """
        Runs in a temporary linked worktree (removed on every exit, Ctrl-C included); the \
        user's HEAD, index, work tree, branches and stash are never touched. Submodules are \
        checked out there at the recorded pointers. It checks that --good passes and --bad fails, \
        tries culprit's top suspect and its parent, then halves the first-parent line and the \
        merge or amp roll it lands on; contradicting results are rerun (--reruns, majority) and \
        the answer is reproduced before it is reported. --test runs `python -m pytest -x -q` \
        (or bm.bisect.command with {tests}); --run runs any command with `git bisect run` \
        semantics (0 good, 125 skip, 1-127 bad). A timeout is bad unless --timeout-skip.
        """
    )

    @Option(help: ArgumentHelp("The last commit whose run was green.", valueName: "commit"))
    var good: String

    @Option(help: ArgumentHelp("The first commit whose run was red (default HEAD).", valueName: "commit"))
    var bad = "HEAD"

    @Option(name: .customLong("test"), help: ArgumentHelp("A failing pytest id (repeatable).", valueName: "id"))
    var tests: [String] = []

    @Option(name: .customLong("run"), help: ArgumentHelp("A command to run instead, as git bisect run runs it.", valueName: "command"))
    var command: String?

    @Option(help: ArgumentHelp("How many runs decide a result that contradicts an earlier one (default 3).", valueName: "n"))
    var reruns = 3

    @Option(help: ArgumentHelp("The bound on one run, such as 10m (default none).", valueName: "duration"))
    var timeout: String?

    @Flag(name: .customLong("timeout-skip"), help: "Count a run that times out as a skip instead of bad.")
    var timeoutSkip = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if tests.isEmpty == (command == nil) { throw ValidationError("give --test <id> (repeatable) or --run <command>") }
        if reruns < 1 { throw ValidationError("--reruns must be 1 or more") }
    }

    func run() throws {
        try FailureReporter.run(json: json) {
            let repository = try Workspace.open()
            var request = Bisect.Request(good: good, bad: bad)
            request.tests = tests
            request.command = command
            request.reruns = reruns
            request.timeoutSkip = timeoutSkip
            if let timeout {
                guard let span = TimeSpan(parsing: timeout), span.seconds > 0 else {
                    throw BuildmeisterError.invalidFlag(flag: "--timeout", value: timeout, expected: "a duration such as 10m or 90s")
                }
                request.timeout = TimeInterval(span.seconds)
            }
            BisectInterruption.install()
            let report: BisectReport
            do {
                let showProgress = !json && !GlobalOptions.quiet && (Terminal.isInteractive(STDERR_FILENO) || Trace.enabled)
                report = try Bisect.run(request, in: repository, settings: try Settings.load(from: repository),
                                        progress: { line in if showProgress { printError("bisect: " + Sanitizer.clean(line)) } },
                                        interrupted: BisectInterruption.happened)
            } catch is Bisect.Interrupted {
                printError("bm-git: bisect interrupted; the temporary worktree was removed and nothing else was changed")
                throw ExitCode(130)
            }
            if json {
                try JSONOutput.print(report)
            } else {
                print(BisectText.render(report), terminator: "")
            }
        }
    }
}

/// Ctrl-C (or SIGTERM) during a bisection: noted, so that the run in progress ends (it gets the
/// signal too) and the worktree is removed before bm-git exits.
enum BisectInterruption {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static func install() {
        signal(SIGINT) { _ in BisectInterruption.flag = 1 }
        signal(SIGTERM) { _ in BisectInterruption.flag = 1 }
        // A parent may have started bm-git with these signals blocked; they must get through.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &signals, nil)
    }

    static func happened() -> Bool { flag != 0 }
}

/// The text form of a bisection's answer.
enum BisectText {
    static func render(_ report: BisectReport) -> String {
        let runs = "\(report.runs.count) run\(report.runs.count == 1 ? "" : "s")"
        switch report.verdict {
        case .culprit:
            let culprit = report.culprit.map { String($0.prefix(10)) } ?? "?"
            let roll = report.rolledInBy.map { ", rolled in by \($0.prefix(10))" } ?? ""
            return "The break came with \(culprit)\(roll) \"\(Sanitizer.clean(report.culpritSubject))\" "
                + "(\(Sanitizer.clean(report.culpritAuthor))): \(report.explanation) (\(runs)).\n"
                + "Revert it: bm-git revert-break \(String((report.rolledInBy ?? report.culprit ?? "").prefix(10)))\n"
        case .flaky, .notARegression, .inconclusive:
            return "No culprit: \(report.explanation) (\(runs)).\n"
        }
    }
}
