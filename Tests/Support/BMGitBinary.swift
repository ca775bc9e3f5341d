import Foundation

/// Runs the built `bm-git` executable end to end.
public enum BMGitBinary {
    /// The binary under test: `$BM_GIT_BIN`, else the `bm-git` built beside the test bundle.
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["BM_GIT_BIN"] { return explicit }
        let candidates = [Bundle.main.executableURL, Bundle.main.bundleURL,
                          URL(fileURLWithPath: CommandLine.arguments[0])]
            .compactMap { $0?.resolvingSymlinksInPath().deletingLastPathComponent() }
        for directory in candidates {
            var dir = directory
            for _ in 0..<3 {
                let binary = dir.appendingPathComponent("bm-git").path
                if FileManager.default.isExecutableFile(atPath: binary) { return binary }
                dir = dir.deletingLastPathComponent()
            }
        }
        return "bm-git"
    }
}

extension Sandbox {
    /// Runs `bm-git arguments` in `directory` with the sandbox's environment plus `environment`.
    public func bmGit(_ arguments: [String], in directory: String, input: String? = nil,
                      environment extra: [String: String] = [:]) throws -> ProcessResult {
        try Shell.run(BMGitBinary.path, arguments, in: directory,
                      environment: environment.merging(extra) { $1 }, input: input)
    }
}
