import ArgumentParser
import Buildmeister

/// `bm-git doctor`: what a person on build duty checks first, in one report.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Report the repository, branch, main branch, amp submodule, hook and settings."
    )

    @Flag(help: "Print the report as JSON (schema in the README).")
    var json = false

    @Option(help: ArgumentHelp("The remote whose main branch is the truth (overrides bm.remote).", valueName: "remote"))
    var remote: String?

    @Option(name: .customLong("main-branch"), help: ArgumentHelp("The main branch (overrides bm.mainBranch).", valueName: "branch"))
    var mainBranch: String?

    @Option(help: ArgumentHelp("The submodule to inspect (overrides bm.submodule).", valueName: "name"))
    var submodule: String?

    func run() throws {
        try FailureReporter.run(json: json) {
            let repository = try Workspace.open()
            let settings = try Settings.load(from: repository, overrides: .init(
                remote: remote, mainBranch: mainBranch, submodule: submodule))
            let report = try Doctor.inspect(repository, settings: settings)
            if json {
                try JSONOutput.print(report)
            } else {
                print(DoctorText(terminal: .standardOutput).render(report), terminator: "")
            }
        }
    }
}
