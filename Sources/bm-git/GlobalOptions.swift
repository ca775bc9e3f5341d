import Foundation
import Buildmeister
import GitKit

/// The options every bm-git command takes, as git users type them: `-C <path>` (before the
/// command), `-q`/`--quiet`, `-v`/`--verbose`, `--color[=<when>]`/`--no-color`. They are taken out
/// of the command line before the argument parser sees it.
enum GlobalOptions {
    enum ColorChoice: String { case auto, always, never }

    nonisolated(unsafe) static var quiet = false
    /// What `--color` or `--no-color` chose; nil when neither was given.
    nonisolated(unsafe) static var color: ColorChoice?

    /// A usage error in the global options.
    struct UsageError: Error { let message: String }

    /// `arguments` (without the program name) with the global options applied and removed:
    /// before the command any of them, in any order, as git takes them; after it all but `-C`.
    static func apply(_ arguments: [String]) throws -> [String] {
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("-") {
            if first == "-C" || (first.hasPrefix("-C") && first.count > 2) {
                let path: String
                if first == "-C" {
                    guard rest.count >= 2 else { throw UsageError(message: "-C needs a directory") }
                    path = rest[rest.startIndex + 1]
                    rest = rest.dropFirst(2)
                } else {
                    path = String(first.dropFirst(2))
                    rest = rest.dropFirst()
                }
                guard path.isEmpty || chdir(path) == 0 else {
                    throw UsageError(message: "cannot change to '\(path)': \(String(cString: strerror(errno)))")
                }
            } else if try take(first) {
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        var kept: [String] = []
        while let argument = rest.popFirst() {
            if argument == "--" { kept += ["--"] + rest; break }
            if try !take(argument) { kept.append(argument) }
        }
        return kept
    }

    /// Applies `argument` if it is `-q`, `-v`, `--color[=<when>]` or `--no-color`.
    private static func take(_ argument: String) throws -> Bool {
        switch argument {
        case "-q", "--quiet": quiet = true
        case "-v", "--verbose": Trace.enabled = true
        case "--no-color": color = .never
        case "--color": color = .always
        default:
            guard argument.hasPrefix("--color=") else { return false }
            guard let choice = ColorChoice(rawValue: String(argument.dropFirst(8))) else {
                throw UsageError(message: "--color takes auto, always or never, not '\(argument.dropFirst(8))'")
            }
            color = choice
        }
        return true
    }

    /// The colour choice in effect: the option, else git's `color.bm`, else `color.ui`
    /// (`always`/`true` force colour, `never`/`false` turn it off). The repository's config is
    /// read once, when output first needs it, so `--json` and the hook never open it for this.
    static let effectiveColor: ColorChoice = {
        if let color { return color }
        guard let repository = try? Repository.discover(from: Workspace.currentDirectory),
              let config = try? repository.config() else { return .auto }
        for key in ["color.bm", "color.ui"] {
            guard let value = (try? config.string(key)).flatMap({ $0 })?.lowercased() else { continue }
            switch value {
            case "always", "true", "yes", "on", "1": return .always
            case "never", "false", "no", "off", "0": return .never
            default: return .auto
            }
        }
        return .auto
    }()
}

/// Prints a command's informational output, unless `-q`.
func say(_ text: String, terminator: String = "\n") {
    if !GlobalOptions.quiet { print(text, terminator: terminator) }
}
