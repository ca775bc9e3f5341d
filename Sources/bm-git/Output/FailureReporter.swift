import ArgumentParser
import Buildmeister
import GitKit

/// Runs a command body and turns its failures into bm-git's one-line messages and exit codes.
enum FailureReporter {
    private struct JSONFailure: Encodable {
        struct Body: Encodable {
            let message: String
            let exitCode: Int32
        }
        let error: Body
    }

    private struct JSONNothingToDo: Encodable {
        let nothingToDo: String
    }

    /// Runs `body`; any error (a `BuildmeisterError`, a `GitError`, anything else) becomes
    /// `bm-git: <message>` on stderr
    /// (and `{"error": ...}` on stdout with `--json`) and the documented exit code. A failure
    /// whose exit code is 0 is "nothing to do": said on stdout (`{"nothingToDo": ...}` with
    /// `--json`), and a success.
    /// `text` with every token bm-git may authenticate with replaced by `***`: a message that
    /// quotes a URL or a server's answer must never show one.
    static func withoutTokens(_ text: String) -> String {
        ["BM_GIT_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"].compactMap { Environment.value($0) }.filter { $0.count >= 4 }
            .reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    static func run(json: Bool, _ body: () throws -> Void) throws {
        let failure: BuildmeisterError
        do {
            try body()
            return
        } catch let error as BuildmeisterError {
            failure = error
        } catch let error as GitError {
            failure = BuildmeisterError(error)
        } catch let error as ExitCode {
            throw error
        } catch {
            // Anything else (a file system error from Foundation) is still a failure to do it,
            // with bm-git's one line and exit 2, not the argument parser's "Error:" and exit 1.
            failure = .git(operation: "bm-git", message: "\(error)")
        }
        let message = Sanitizer.clean(Self.withoutTokens(failure.message))
        if failure.exitStatus == .ok {
            if json { try? JSONOutput.print(JSONNothingToDo(nothingToDo: Self.withoutTokens(failure.message))) } else { print(message) }
            return
        }
        printError("bm-git: " + Terminal.standardError.paint(message, .bad))
        if json {
            try? JSONOutput.print(JSONFailure(error: .init(message: Self.withoutTokens(failure.message),
                                                           exitCode: failure.exitStatus.rawValue)))
        }
        throw ExitCode(failure.exitStatus.rawValue)
    }
}
