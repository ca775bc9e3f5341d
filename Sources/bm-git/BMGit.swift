import ArgumentParser
import Buildmeister
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
        Configuration is read from git config (bm.* keys) and the team's committed .bm-git file; \
        see `bm-git doctor`. Every command also takes git's habits: -C <path> (before the command), \
        -q/--quiet, -v/--verbose (traces fetches, pushes and credentials to stderr), \
        --color[=<when>] (auto, always or never; color.bm and color.ui are read too) and --no-color.
        """,
        version: Version.current,
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
        let rest: [String]
        do {
            rest = try GlobalOptions.apply(Array(arguments.dropFirst()))
        } catch let error as GlobalOptions.UsageError {
            usageError(error.message, usage: usageString())
        } catch {
            usageError("\(error)", usage: usageString())
        }
        if rest.isEmpty { usageError("no command given; see bm-git --help", usage: usageString()) }
        // The command, or the one `help` asks about: a typo gets "did you mean".
        let named = rest.first == "help" ? rest.dropFirst().first : rest.first
        if let name = named, !name.hasPrefix("-"), !commandNames.contains(name) {
            let close = Typos.nearest(to: name, among: commandNames, limit: 2)
            usageError("'\(Sanitizer.clean(name))' is not a bm-git command"
                       + (close.isEmpty ? "; see bm-git --help" : "; did you mean \(close.joined(separator: " or "))?"),
                       usage: usageString())
        }
        do {
            var command = try parseAsRoot(rest)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let subcommand = command(named: rest)
            if code == .success, rest.contains(where: { $0 == "-h" || $0 == "--help" }) || rest.first == "help" {
                // The parser's help page, then the examples.
                let page = helpMessage(for: subcommand).trimmingCharacters(in: .whitespacesAndNewlines)
                print(page + "\n\n" + Examples.section(for: subcommand._commandName), terminator: "")
                Foundation.exit(0)
            }
            if code.rawValue == 64 {
                // One bm-git line, then the usage: not the parser's three lines of framework text.
                let usage = usageString(for: subcommand)
                usageError(oneLine(message(for: error), usage: usage), usage: usage)
            }
            exit(withError: error)
        }
    }

    /// The (sub)command that the leading words of `arguments` name (`help` skipped), else bm-git.
    private static func command(named arguments: [String]) -> ParsableCommand.Type {
        var command: ParsableCommand.Type = BMGit.self
        for name in arguments.drop(while: { $0 == "help" }) where !name.hasPrefix("-") {
            guard let match = command.configuration.subcommands.first(where: { $0._commandName == name }) else { break }
            command = match
        }
        return command
    }

    private static var commandNames: [String] {
        configuration.subcommands.map { $0._commandName } + ["help"]
    }

    /// The parser's message as one bm-git line: its first line, starting in lower case, with a
    /// did-you-mean for an unknown option among those in `usage` and the global ones.
    private static func oneLine(_ message: String, usage: String) -> String {
        var line = message.components(separatedBy: "\n").first ?? ""
        if line.hasPrefix("Error: ") { line.removeFirst(7) }
        if let first = line.first, first.isUppercase, line.dropFirst().first?.isLowercase == true {
            line = first.lowercased() + line.dropFirst()
        }
        line = line.replacingOccurrences(of: #"\. Did you mean '([^']+)'\?"#, with: "; did you mean $1?", options: .regularExpression)
            .replacingOccurrences(of: ". Please provide one of ", with: "; give one of ")
        let prefix = "unknown option '"
        guard line.hasPrefix(prefix), line.hasSuffix("'") else { return line }
        let option = String(line.dropFirst(prefix.count).dropLast())
        let known = usage.split(whereSeparator: { !($0.isLetter || $0 == "-") }).map(String.init).filter { $0.hasPrefix("--") }
            + ["--quiet", "--verbose", "--color", "--no-color", "--help"]
        let close = Typos.nearest(to: option, among: known, limit: 2)
        return close.isEmpty ? line : line + "; did you mean \(close.joined(separator: " or "))?"
    }

    /// `bm-git: <message>` and the usage on stderr; exit 64.
    private static func usageError(_ text: String, usage: String) -> Never {
        let message = text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
        FileHandle.standardError.write(Data(("bm-git: " + Sanitizer.clean(message) + "\nusage: " + usage + "\n").utf8))
        Foundation.exit(64)
    }
}
