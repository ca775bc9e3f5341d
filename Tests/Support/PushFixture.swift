import Foundation

/// A bare `origin.git`, the developer's clone `work` with bm-git's hook installed, and a
/// colleague's clone `other` that moves origin's master on.
public struct PushFixture {
    public let sandbox: Sandbox
    public let origin: TestRepo
    public let work: TestRepo
    public let other: TestRepo

    public static func make(in sandbox: Sandbox, installHook: Bool = true) throws -> PushFixture {
        let seed = try sandbox.makeRepo("seed")
        try seed.commit("first", files: ["app.py": "print(1)\n"])
        try sandbox.git(["clone", "-q", "--bare", "seed", "origin.git"], in: sandbox.root)
        let origin = sandbox.reopen("origin.git")
        let work = try sandbox.clone(origin.path, as: "work")
        let other = try sandbox.clone(origin.path, as: "other")
        let fixture = PushFixture(sandbox: sandbox, origin: origin, work: work, other: other)
        if installHook {
            let result = try sandbox.bmGit(["install-hooks"], in: work.path)
            guard result.status == 0 else { throw TestFailure("install-hooks failed: \(result.stderr)") }
        }
        return fixture
    }

    /// Pushes `count` new commits to origin's master from `other`; `work` then fetches them.
    public func advanceMaster(by count: Int = 1, fetch: Bool = true) throws {
        for index in 0..<count {
            try other.commit("master moves \(index)", files: ["master-\(index).txt": "\(index)\n"], author: .bjorn)
        }
        try other.git("push", "-q", "origin", "master")
        if fetch { try work.git("fetch", "-q", "origin") }
    }

    /// Runs `git push ARGS` in `work` (hooks run), returning the whole result.
    public func push(_ arguments: String..., environment: [String: String] = [:]) throws -> ProcessResult {
        try push(arguments, environment: environment)
    }

    /// Runs `git push ARGS` in `work` (hooks run), returning the whole result.
    public func push(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try Shell.run(Shell.which("git") ?? "/usr/bin/git", ["push"] + arguments, in: work.path,
                      environment: sandbox.environment.merging(environment) { $1 })
    }

    /// Whether origin has `branch`.
    public func originHas(_ ref: String) throws -> Bool {
        (try? origin.git("rev-parse", "-q", "--verify", ref)) != nil
    }
}
