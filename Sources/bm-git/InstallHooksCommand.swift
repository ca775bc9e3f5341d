import ArgumentParser
import Buildmeister
import Foundation

/// `bm-git install-hooks`: install, show or remove the pre-push hook.
struct InstallHooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-hooks",
        abstract: "Install bm-git's pre-push hook (honouring core.hooksPath), show it, or remove it.",
        discussion: """
        A pre-push hook that is already there is kept as pre-push.bm-chained and run first; \
        --uninstall puts it back. Installing again is harmless, and repairs a hook that \
        `pre-commit install` moved aside (its migration mode). Hooks the repository commits \
        (husky's .husky/pre-push, a tracked core.hooksPath) are never replaced: install-hooks \
        prints the line to add, and --tracked adds it.
        """
    )

    @Flag(help: "Show what is installed, where, and what is chained; change nothing.")
    var status = false

    @Flag(help: "Remove bm-git's hook and restore the chained one.")
    var uninstall = false

    @Flag(help: "Replace an unreadable or broken pre-push hook instead of refusing.")
    var force = false

    @Flag(help: "Add the check's line to the committed hook script (husky, a tracked core.hooksPath).")
    var tracked = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if status && uninstall { throw ValidationError("--status and --uninstall cannot be combined") }
        if force && (status || uninstall) { throw ValidationError("--force only applies to installing") }
        if tracked && (status || uninstall) { throw ValidationError("--tracked only applies to installing") }
    }

    func run() throws {
        try FailureReporter.run(json: json) {
            let repository = try Workspace.open()
            let change: HookInstaller.Change?
            let current: HookStatus
            if status {
                (change, current) = (nil, try HookStatus.read(repository))
            } else if uninstall {
                (change, current) = try HookInstaller.uninstall(repository)
            } else {
                (change, current) = try HookInstaller.install(repository, binaryPath: Self.executablePath(), force: force,
                                                                  intoTrackedHook: tracked)
            }
            if json {
                try JSONOutput.print(HookReport(change: change, status: current))
            } else {
                let text = HookStatusText(terminal: .standardOutput).render(change: change, status: current)
                if status { print(text) } else { say(text) }
            }
        }
    }

    /// The absolute path of this bm-git binary, which the shim will call.
    private static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}

/// The `--json` form of `install-hooks`.
private struct HookReport: Encodable {
    @NullEncoded var action: String?
    let directory: String
    let path: String
    let hooksPath: Bool
    let installed: Bool
    let foreign: Bool
    let chained: Bool
    @NullEncoded var binary: String?
    @NullEncoded var manager: String?
    @NullEncoded var trackedHook: String?
    let outdated: Bool
    let preCommitMigrationMode: Bool

    init(change: HookInstaller.Change?, status: HookStatus) {
        action = change?.rawValue
        directory = status.directory
        path = status.hookPath
        hooksPath = status.fromHooksPath
        installed = status.checkInstalled
        foreign = status.present && !status.isBmGit
        chained = status.chained
        binary = status.binaryPath
        manager = status.manager?.rawValue
        trackedHook = status.trackedHook
        outdated = status.isOutdated
        preCommitMigrationMode = status.preCommitMigrationMode
    }
}
