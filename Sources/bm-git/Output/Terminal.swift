#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GitKit

/// Where output goes and whether it may be coloured: only on a terminal, never when `NO_COLOR`
/// is set to anything non-empty or `TERM` is `dumb`.
struct Terminal: Sendable {
    let colour: Bool

    static let standardOutput = Terminal(descriptor: STDOUT_FILENO)
    static let standardError = Terminal(descriptor: STDERR_FILENO)

    init(colour: Bool) { self.colour = colour }

    /// `--color=always` (or git's `color.bm`/`color.ui`) colours even a pipe; `never`, never;
    /// `auto` only a terminal, unless `NO_COLOR` is set to anything non-empty or `TERM` is `dumb`.
    init(descriptor: Int32, environment: [String: String] = Environment.values(["NO_COLOR", "TERM"]),
         choice: GlobalOptions.ColorChoice = GlobalOptions.effectiveColor) {
        switch choice {
        case .always: colour = true
        case .never: colour = false
        case .auto:
            let noColour = !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
            colour = !noColour && isatty(descriptor) == 1
        }
    }

    enum Tone: String {
        case good = "32", warn = "33", bad = "31", dim = "2", bold = "1"
    }

    /// `text` wrapped in the tone's SGR codes when colour is on.
    func paint(_ text: String, _ tone: Tone) -> String {
        colour ? "\u{1B}[\(tone.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Whether the descriptor is an interactive terminal (for progress output).
    static func isInteractive(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
