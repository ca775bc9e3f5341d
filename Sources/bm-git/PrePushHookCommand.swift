import ArgumentParser
import Buildmeister
import Foundation
import GitKit

/// `bm-git hook pre-push`: refuse to push a branch that lacks the latest main branch.
struct PrePushHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pre-push",
        abstract: "Refuse a push of a branch that has not merged the latest main branch.",
        discussion: """
        Git runs this as the pre-push hook with the remote's name and URL as arguments and one \
        line per ref on stdin. Each pushed branch other than the main branch must contain the tip \
        of <bm.remote>/<main> as last fetched (set bm.prePush.fetch to fetch it first). \
        Run by hand (stdin a terminal), or by pre-commit without refs, it checks the current branch. \
        Exit 1 refuses the push, 2 means it could not be checked (the push is refused too). \
        Bypass once with BM_SKIP=pre-push git push, or git push --no-verify.
        """
    )

    @Argument(help: "The name of the remote being pushed to (given by git).")
    var remoteName: String?

    @Argument(help: "The URL of the remote being pushed to (given by git).")
    var remoteURL: String?

    @Flag(help: "Read the push from the pre-commit framework's PRE_COMMIT_* variables instead of stdin.")
    var fromEnv = false

    func run() throws {
        let status = PrePushHook.run(fromEnvironment: fromEnv)
        if status != 0 { throw ExitCode(status) }
    }
}

/// The hook's work, callable without the argument parser: the hook is the one command on the
/// hot path of every `git push`, and `BMGit.main` calls this directly for its plain form.
enum PrePushHook {
    /// The arguments of `bm-git hook pre-push ...` when they need no parsing (git's two
    /// positional arguments, `--from-env`): whether to read pre-commit's variables; nil
    /// otherwise (help, a typo), for the argument parser to handle.
    static func plainInvocation(_ arguments: ArraySlice<String>) -> Bool? {
        var fromEnvironment = false, positional = 0
        for argument in arguments {
            if argument == "--from-env" {
                fromEnvironment = true
            } else if argument.hasPrefix("-") {
                return nil
            } else {
                positional += 1
            }
        }
        return positional <= 2 ? fromEnvironment : nil
    }

    /// Checks the push and returns the exit status: 0 allowed, 1 refused, 2 not checked.
    static func run(fromEnvironment: Bool) -> Int32 {
        let environment = Environment.values(["BM_SKIP", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF",
                                              "PRE_COMMIT_LOCAL_BRANCH", "PRE_COMMIT_REMOTE_BRANCH"])
        if PushUpdate.skipRequested(environment: environment) {
            printError("bm-git: pre-push check skipped (BM_SKIP)")
            return 0
        }
        var refused = false
        do {
            try FailureReporter.run(json: false) {
                let repository = try Workspace.open()
                guard let updates = try updates(fromEnvironment: fromEnvironment, environment, repository),
                      !updates.isEmpty else { return }
                let settings = try Settings.load(from: repository)
                let verdict = try PushGuard.check(updates, in: repository, settings: settings)
                let report = PushVerdictText(terminal: .standardError, settings: settings)
                for line in report.lines(for: verdict) { printError(line) }
                refused = !verdict.refused.isEmpty
            }
            return refused ? ExitStatus.refused.rawValue : 0
        } catch let exit as ExitCode {
            // A push that could not be checked is refused as well: say how to push anyway.
            printError(PushVerdictText.bypass)
            return exit.rawValue
        } catch {
            return ExitStatus.failed.rawValue
        }
    }

    /// The refs being pushed: git's stdin, or pre-commit's variables; with neither (a run by
    /// hand, or pre-commit passing no ref), the current branch, with a note saying so.
    private static func updates(fromEnvironment: Bool, _ environment: [String: String],
                                _ repository: Repository) throws -> [PushUpdate]? {
        if fromEnvironment {
            if let update = try PushUpdate.fromPreCommit(environment: environment, in: repository) { return [update] }
        } else if !Terminal.isInteractive(STDIN_FILENO) {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return try PushUpdate.parse(String(decoding: data, as: UTF8.self))
        }
        guard let current = try PushUpdate.currentBranch(of: repository) else { return nil }
        let name = current.remoteBranch ?? "HEAD"
        printError("bm-git: no pushed refs were given; checking the current branch, \(Sanitizer.clean(name))")
        return [current]
    }
}
