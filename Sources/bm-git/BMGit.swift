import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `bm-git` command: the Buildmeister's git chores, one native command each.
@main
struct BMGit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bm-git",
        abstract: "Git chores for the person on build duty, through libgit2.",
        discussion: """
        Exit codes: 0 done (or nothing to do), 1 refused by policy, 2 could not do it \
        (the repository is left untouched), 64 usage error.
        Configuration is read from git config (bm.* keys); see `bm-git doctor`.
        """,
        version: "0.1.0",
        subcommands: [DoctorCommand.self, OwnerCommand.self, TriageCommand.self, CulpritCommand.self, BisectCommand.self, RollAmpCommand.self, RevertBreakCommand.self, RecoverCommand.self,
                      InstallHooksCommand.self, HookCommand.self]
    )

    /// A closed stdout (`bm-git ... | head -1`) must not kill the process with SIGPIPE after its
    /// work is done: writes then just fail, and the exit code tells what happened.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        // No subcommand is a usage error, not a success: a hook shim must never take a lost
        // command line (the Swift runtime loses argv when it cannot read /proc/self) for "ok".
        if CommandLine.arguments.count < 2 {
            FileHandle.standardError.write(Data("bm-git: no command given (or the command line could not be read); see bm-git --help\n".utf8))
            Foundation.exit(64)
        }
        let arguments = CommandLine.arguments
        if arguments.count >= 3, arguments[1] == "hook", arguments[2] == "pre-push",
           let fromEnvironment = PrePushHook.plainInvocation(arguments.dropFirst(3)) {
            Foundation.exit(PrePushHook.run(fromEnvironment: fromEnvironment))
        }
        main(nil)
    }
}
