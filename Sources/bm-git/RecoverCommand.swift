import ArgumentParser
import Buildmeister
import Foundation

/// `bm-git recover`: finishes or undoes a publish that was interrupted.
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Finish or undo a revert-break or roll-amp that was interrupted.",
        discussion: """
        A publish writes a journal first (.git/bm-git/publish-journal). When it was killed before \
        the branch moved, recover puts back every file, the index and the submodule's HEAD; when \
        the branch had moved, it finishes writing the index. With nothing to recover it changes \
        nothing and exits 0. Run it from the repository (or a linked worktree) where the command ran.
        """
    )

    @Flag(help: "Print the result as JSON: {\"outcome\": \"nothing\"|\"finished\"|\"rolled-back\"|\"discarded\", \"operation\", \"untouched\"}.")
    var json = false

    @Flag(help: "Forget the interrupted publish without touching files (after checking the work tree by hand).")
    var discard = false

    func run() throws {
        try FailureReporter.run(json: json) {
            if discard {
                let discarded = try Recovery.discard(in: Workspace.open())
                if json {
                    try JSONOutput.print(RecoverReport(outcome: discarded ? "discarded" : "nothing", operation: nil, untouched: []))
                } else {
                    say(discarded ? "Forgot the interrupted publish; the work tree was left as it is." : "Nothing to recover.")
                }
                return
            }
            let outcome = try Recovery.run(in: Workspace.open())
            if json {
                try JSONOutput.print(RecoverReport(outcome))
            } else {
                say(Self.text(outcome))
            }
        }
    }

    private static func text(_ outcome: Recovery.Outcome) -> String {
        switch outcome {
        case .nothingToRecover:
            return "Nothing to recover: no publish was interrupted here."
        case .finished(let operation):
            return "Finished the interrupted \(operation): the branch had moved; the index now matches it."
        case .rolledBack(let operation, let untouched):
            var text = "Put back the interrupted \(operation): the branch, index and files are as before it."
            if !untouched.isEmpty {
                text += "\nLeft alone (changed since, neither version): "
                    + untouched.map { Sanitizer.clean($0) }.joined(separator: ", ")
            }
            return text
        }
    }
}

/// The `--json` document of recover.
private struct RecoverReport: Encodable {
    let outcome: String
    let operation: String?
    let untouched: [String]

    init(outcome: String, operation: String?, untouched: [String]) {
        self.outcome = outcome
        self.operation = operation
        self.untouched = untouched
    }

    init(_ result: Recovery.Outcome) {
        switch result {
        case .nothingToRecover: (outcome, operation, untouched) = ("nothing", nil, [])
        case .finished(let name): (outcome, operation, untouched) = ("finished", name, [])
        case .rolledBack(let name, let paths): (outcome, operation, untouched) = ("rolled-back", name, paths)
        }
    }
}
