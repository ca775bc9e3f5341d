import ArgumentParser
import Buildmeister
import Foundation

/// `bm-git revert-break`: the revert half of "fix it or revert".
struct RevertBreakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert-break",
        abstract: "Revert the commit that broke the build, once the fix-it window has passed.",
        discussion: """
        Reverts exactly <commit> as one clean commit on the current branch, or changes nothing. \
        Inside the window (bm.revertWindow, default 1h, counted from --broken-at or the commit's \
        landing) it refuses with exit 1 and names the author to ask; --now reverts anyway. \
        A merge on the branch's first-parent line is reverted against its first parent. \
        A branch name (whose tip is reverted) needs --yes, or a yes on a terminal. \
        ORIG_HEAD is left at the branch's previous tip: `git reset --keep ORIG_HEAD` undoes the \
        revert until it is pushed. Already reverted, or nothing left to revert, is nothing to do (exit 0).
        """
    )

    @Argument(help: ArgumentHelp("The commit that broke the build (a sha, abbreviated sha or any revision).", valueName: "commit"))
    var sha: String

    @Flag(help: "Revert now, even inside the fix-it window.")
    var now = false

    @Option(name: .customLong("broken-at"), parsing: .unconditional,
            help: ArgumentHelp("When the build broke: ISO 8601, unix seconds, or as git reads dates (\"2 hours ago\", \"yesterday 14:00\"); default: when <commit> landed.", valueName: "time"))
    var brokenAt: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("The fix-it window, such as 1h or 45m (overrides bm.revertWindow).", valueName: "duration"))
    var window: String?

    @Flag(help: "Revert the tip of a branch given by name (instead of a commit id) without asking.")
    var yes = false

    @Option(help: ArgumentHelp("For a merge: the parent number (1-based) whose side is kept.", valueName: "parent-number"))
    var mainline: Int?

    @Option(name: .customLong("run-url"), help: ArgumentHelp("The failing CI run, recorded as a Build-Run trailer.", valueName: "url"))
    var runURL: String?

    @Option(name: .customLong("issue"), help: ArgumentHelp("The issue tracking the break, recorded as a Build-Issue trailer.", valueName: "issue"))
    var issueURL: String?

    @Option(name: .customLong("test"), help: ArgumentHelp("A failing test id, recorded as a Failing-Test trailer (repeatable).", valueName: "id"))
    var tests: [String] = []

    @Flag(help: "Push the branch to its upstream afterwards (the pre-push guard runs first).")
    var push = false

    @Flag(name: .customLong("dry-run"), help: "Print the message and diffstat; change nothing.")
    var dryRun = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if let mainline, mainline < 1 { throw ValidationError("--mainline must be 1 or more") }
        if dryRun && push { throw ValidationError("--dry-run and --push cannot be combined") }
    }

    func run() throws {
        try FailureReporter.run(json: json) {
            let repository = try Workspace.open()
            if dryRun { try repository.keepNewObjectsInMemory() }
            let settings = try Settings.load(from: repository, overrides: .init(revertWindow: window))
            let now = Int64(Date().timeIntervalSince1970)
            var request = RevertRequest(revision: sha)
            request.now = self.now
            request.brokenAt = try brokenAt.map { try Timestamp.parse($0, now: now) }
            request.mainline = mainline
            request.runURL = runURL
            request.issueURL = issueURL
            request.failingTests = tests
            request.branchNameConfirmed = yes
            let plan: RevertPlan
            do {
                plan = try RevertBreak.plan(request, in: repository, settings: settings, now: now)
            } catch BuildmeisterError.branchNameGiven(let name, let commit, let subject)
                        where !json && Terminal.isInteractive(STDIN_FILENO) && Terminal.isInteractive(STDERR_FILENO) {
                FileHandle.standardError.write(Data("\(Sanitizer.clean(name)) is a branch: revert its tip, \(commit) \"\(Sanitizer.clean(subject))\"? [y/N] ".utf8))
                guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                    printError("bm-git: nothing was changed")
                    throw ExitCode(ExitStatus.refused.rawValue)
                }
                request.branchNameConfirmed = true
                plan = try RevertBreak.plan(request, in: repository, settings: settings, now: now)
            }
            if !dryRun {
                try RevertBreak.execute(plan, push: push, in: repository, settings: settings)
            }
            if json {
                try JSONOutput.print(RevertReport(plan: plan, pushed: push && !dryRun, dryRun: dryRun))
            } else {
                say(RevertText(terminal: .standardOutput).render(plan, dryRun: dryRun, pushed: push), terminator: "")
            }
        }
    }
}

/// The `--json` form of revert-break.
private struct RevertReport: Encodable {
    struct Person: Encodable {
        let name: String
        let email: String
    }
    let reverted: String
    @NullEncoded var commit: String?
    let subject: String
    let author: Person
    let brokenAt: Int64
    let windowEndsAt: Int64
    @NullEncoded var mainline: Int?
    let pushed: Bool
    let dryRun: Bool

    init(plan: RevertPlan, pushed: Bool, dryRun: Bool) {
        reverted = plan.reverted.id.hex
        commit = dryRun ? nil : plan.commit.hex
        subject = plan.reverted.subject
        author = Person(name: plan.reverted.author.name, email: plan.reverted.author.email)
        brokenAt = plan.brokenAt
        windowEndsAt = plan.windowEndsAt
        mainline = plan.mainline
        self.pushed = pushed
        self.dryRun = dryRun
    }
}
