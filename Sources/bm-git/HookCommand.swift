import ArgumentParser

/// `bm-git hook <name>`: the entry points that installed git hooks call.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run a git hook's check (called by the installed hook shims).",
        subcommands: [PrePushHookCommand.self]
    )
}
