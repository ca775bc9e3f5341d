import Foundation

/// A temporary directory holding a test's repositories, removed when the sandbox is released.
/// Every git command runs with a private HOME and global config and a fixed clock, so tests
/// are deterministic and never see the machine's own git settings.
public final class Sandbox {
    public let root: String
    /// Seconds since the epoch used for the next commit; each commit advances it by a minute.
    private var clock: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z

    public init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("bm-git-tests")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let dir = base.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        root = dir.resolvingSymlinksInPath().path
        try """
        [user]
        \tname = Test Runner
        \temail = runner@example.com
        [init]
        \tdefaultBranch = master
        [protocol "file"]
        \tallow = always
        [advice]
        \tdetachedHead = false
        """.write(toFile: root + "/.gitconfig", atomically: true, encoding: .utf8)
    }

    deinit { if ProcessInfo.processInfo.environment["BM_KEEP_SANDBOX"] == nil { try? FileManager.default.removeItem(atPath: root) } }

    /// The environment every process in the sandbox runs with.
    public var environment: [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var environment = [
            "PATH": inherited["PATH"] ?? "/usr/bin:/bin",
            "HOME": root,
            "XDG_CONFIG_HOME": root + "/.config",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": root + "/.gitconfig",
            "LANG": "C.UTF-8",
            "TZ": "UTC",
        ]
        // The sanitizer run's settings (suppressions) reach the bm-git processes too.
        for key in ["ASAN_OPTIONS", "LSAN_OPTIONS"] { environment[key] = inherited[key] }
        return environment
    }

    /// Runs git in `directory` and returns its trimmed stdout; throws with stderr on failure.
    @discardableResult
    public func git(_ arguments: [String], in directory: String, author: Author? = nil,
                    environment extra: [String: String] = [:]) throws -> String {
        var environment = self.environment
        if let author {
            let date = "@\(clock) +0000"
            clock += 60
            environment.merge([
                "GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email, "GIT_AUTHOR_DATE": date,
                "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email, "GIT_COMMITTER_DATE": date,
            ]) { $1 }
        }
        environment.merge(extra) { $1 }
        let result = try Shell.run(Shell.which("git") ?? "/usr/bin/git", arguments, in: directory,
                                   environment: environment)
        guard result.status == 0 else {
            throw TestFailure("git \(arguments.joined(separator: " ")) failed in \(directory): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new repository at `<root>/<name>` on branch `master` (bare if asked).
    public func makeRepo(_ name: String, bare: Bool = false) throws -> TestRepo {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git(["init", "-q"] + (bare ? ["--bare"] : []), in: path)
        return TestRepo(sandbox: self, path: path)
    }

    /// A PATH holding only `tools` (links to the caller's), so that a hook cannot find a bm-git
    /// installed on the machine.
    public func pathWithOnly(_ tools: [String] = ["git", "cat"]) throws -> String {
        let directory = root + "/only-bin"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for tool in tools where !FileManager.default.fileExists(atPath: directory + "/" + tool) {
            guard let found = Shell.which(tool) else { throw TestFailure("\(tool) is not on PATH") }
            try FileManager.default.createSymbolicLink(atPath: directory + "/" + tool, withDestinationPath: found)
        }
        return directory
    }

    /// A clone of `source` (a path or URL) at `<root>/<name>`.
    public func clone(_ source: String, as name: String, arguments: [String] = []) throws -> TestRepo {
        try git(["clone", "-q"] + arguments + [source, name], in: root)
        return TestRepo(sandbox: self, path: root + "/" + name)
    }
}

/// A failure in test setup, with a message that says what went wrong.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
