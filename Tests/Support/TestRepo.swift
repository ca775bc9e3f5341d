import Foundation

/// A real repository inside a `Sandbox`, with helpers to build history deterministically.
public struct TestRepo {
    public let sandbox: Sandbox
    public let path: String

    public init(sandbox: Sandbox, path: String) {
        self.sandbox = sandbox
        self.path = path
    }

    /// Runs git here (or in `subdirectory`), returning trimmed stdout.
    @discardableResult
    public func git(_ arguments: String..., author: Author? = nil) throws -> String {
        try sandbox.git(arguments, in: path, author: author)
    }

    /// Writes `contents` to `relativePath`, creating directories as needed.
    public func write(_ relativePath: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: false, encoding: .utf8)
    }

    /// Writes `files`, stages everything, and commits as `author`; returns the new commit's sha.
    @discardableResult
    public func commit(_ message: String, files: [String: String] = [:], author: Author = .ana) throws -> String {
        for (file, contents) in files.sorted(by: { $0.key < $1.key }) { try write(file, contents) }
        try git("add", "-A")
        try sandbox.git(["commit", "-q", "--allow-empty", "-m", message], in: path, author: author)
        return try head()
    }

    /// The full sha of HEAD.
    public func head() throws -> String { try git("rev-parse", "HEAD") }

    /// The full sha `revision` names.
    public func sha(_ revision: String) throws -> String { try git("rev-parse", "--verify", revision + "^{commit}") }

    /// Everything a command could change, for asserting that a refused command changed nothing.
    public func snapshot() throws -> RepoSnapshot { try RepoSnapshot(self) }
}
