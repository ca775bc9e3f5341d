import Foundation

/// Repositories made by the project's own history generator (`scripts/lib/make_history.py`).
public enum SyntheticHistory {
    private static let generator = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/lib/make_history.py").standardizedFileURL.path

    /// A realistic Python monorepo history of about `commits` commits at `<sandbox>/<name>`.
    public static func make(in sandbox: Sandbox, name: String = "history", commits: Int,
                            seed: Int = 1) throws -> TestRepo {
        let python = Shell.which("python3") ?? "/usr/bin/python3"
        let result = try Shell.run(python, [generator, "history", sandbox.root + "/" + name,
                                            "--commits", String(commits), "--seed", String(seed)],
                                   in: sandbox.root, environment: sandbox.environment)
        guard result.status == 0 else { throw TestFailure("make_history.py failed: \(result.stderr)") }
        return sandbox.reopen(name)
    }
}

/// A small deterministic random number generator, so sampled tests pick the same cases each run.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        // SplitMix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
