import ArgumentParser
import Buildmeister
import Foundation

/// `bm-git hook pre-push`: refuse to push a branch that lacks the latest main branch.
struct PrePushHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pre-push",
        abstract: "Refuse a push of a branch that has not merged the latest main branch.",
        discussion: """
        Git runs this as the pre-push hook with the remote's name and URL as arguments and one \
        line per ref on stdin. Each pushed branch other than the main branch must contain the tip \
        of <bm.remote>/<main> as last fetched (set bm.prePush.fetch to fetch it first). \
        Exit 1 refuses the push. Bypass once with BM_SKIP=pre-push git push, or git push --no-verify.
        """
    )

    @Argument(help: "The name of the remote being pushed to (given by git).")
    var remoteName: String?

    @Argument(help: "The URL of the remote being pushed to (given by git).")
    var remoteURL: String?

    @Flag(help: "Read the push from the pre-commit framework's PRE_COMMIT_* variables instead of stdin.")
    var fromEnv = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        if PushUpdate.skipRequested(environment: environment) {
            printError("bm-git: pre-push check skipped (BM_SKIP)")
            return
        }
        try FailureReporter.run(json: false) {
            let updates = fromEnv ? [try PushUpdate.fromPreCommit(environment: environment)] : try readStdin()
            guard !updates.isEmpty else { return }
            let repository = try Workspace.open()
            let settings = try Settings.load(from: repository)
            let verdict = try PushGuard.check(updates, in: repository, settings: settings)
            let report = PushVerdictText(terminal: .standardError, settings: settings)
            for line in report.lines(for: verdict) { printError(line) }
            if !verdict.refused.isEmpty { throw ExitCode(ExitStatus.refused.rawValue) }
        }
    }

    private func readStdin() throws -> [PushUpdate] {
        if Terminal.isInteractive(STDIN_FILENO) { throw BuildmeisterError.noPushInput }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return try PushUpdate.parse(String(decoding: data, as: UTF8.self))
    }
}
