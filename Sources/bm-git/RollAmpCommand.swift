import ArgumentParser
import Buildmeister
import Foundation

/// `bm-git roll-amp`: move the amp submodule pointer to the tip of amp's remote branch.
struct RollAmpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roll-amp",
        abstract: "Roll the amp submodule pointer forward to its remote branch tip and commit it.",
        discussion: """
        Replaces: cd amp && git checkout master && git pull origin master && cd .. && git add amp && \
        git commit -m "Update amp pointer". Pulls the current branch first (fast-forward only), fetches \
        the submodule, and commits the new pointer with the rolled commits in the message; or changes \
        nothing. The submodule follows its .gitmodules branch, then bm.mainBranch, then master.
        """
    )

    @Option(help: ArgumentHelp("The submodule to roll (overrides bm.submodule; default amp).", valueName: "name"))
    var submodule: String?

    @Option(name: .customLong("to"), help: ArgumentHelp("Roll to this revision of the submodule instead of its remote branch tip.", valueName: "commit"))
    var target: String?

    @Option(help: ArgumentHelp("The commit subject (default: \"Update <submodule> pointer\").", valueName: "msg"))
    var message: String?

    @Flag(name: .customLong("no-pull"), help: "Do not fast-forward the current branch from its upstream first.")
    var noPull = false

    @Flag(name: .customLong("allow-rewind"), help: "Allow a target that is older than the current pointer.")
    var allowRewind = false

    @Flag(help: "Push the branch to its upstream afterwards (the pre-push guard runs first).")
    var push = false

    @Flag(name: .customLong("dry-run"), help: "Print the plan; fetch nothing and change nothing.")
    var dryRun = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if dryRun && push { throw ValidationError("--dry-run and --push cannot be combined") }
        if let message, message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--message cannot be empty")
        }
    }

    func run() throws {
        try FailureReporter.run(json: json) {
            let repository = try Workspace.open()
            if dryRun { try repository.keepNewObjectsInMemory() }
            let settings = try Settings.load(from: repository, overrides: .init(submodule: submodule))
            var request = RollRequest()
            request.target = target
            request.subject = message
            request.pull = !noPull
            request.allowRewind = allowRewind
            request.dryRun = dryRun
            if !json, !GlobalOptions.quiet, Terminal.isInteractive(STDERR_FILENO) {
                let name = Sanitizer.clean(settings.submodule.value)
                request.progress = { received, total in
                    FileHandle.standardError.write(Data("\rFetching \(name): \(received)/\(total) objects".utf8))
                }
            }
            let plan = try AmpRoll.plan(request, in: repository, settings: settings)
            if request.progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            if !dryRun && !plan.isUpToDate {
                try AmpRoll.execute(plan, push: push, in: repository, settings: settings)
            }
            if json {
                try JSONOutput.print(RollReport(plan: plan, pushed: push && !dryRun && !plan.isUpToDate, dryRun: dryRun))
            } else {
                say(RollText(terminal: .standardOutput).render(plan, dryRun: dryRun, pushed: push), terminator: "")
            }
        }
    }
}

/// The `--json` form of roll-amp.
private struct RollReport: Encodable {
    let submodule: String
    let path: String
    let from: String
    let to: String
    @NullEncoded var commits: Int?
    @NullEncoded var commit: String?
    let pushed: Bool
    let dryRun: Bool

    init(plan: RollPlan, pushed: Bool, dryRun: Bool) {
        submodule = plan.submodule
        path = plan.path
        from = plan.from.hex
        to = plan.to.hex
        commits = plan.count
        commit = dryRun ? nil : plan.commit?.hex
        self.pushed = pushed
        self.dryRun = dryRun
    }
}
