import GitKit

/// One ref that `git push` is about to update, as the pre-push hook receives it on stdin:
/// `<local-ref> SP <local-sha> SP <remote-ref> SP <remote-sha>` (githooks(5)).
public struct PushUpdate: Sendable, Equatable {
    public let localRef: String
    public let localCommit: OID
    public let remoteRef: String
    public let remoteCommit: OID

    public init(localRef: String, localCommit: OID, remoteRef: String, remoteCommit: OID) {
        self.localRef = localRef
        self.localCommit = localCommit
        self.remoteRef = remoteRef
        self.remoteCommit = remoteCommit
    }

    /// The push deletes the remote ref.
    public var isDelete: Bool { localCommit.isZero }

    /// The branch name on the remote, when the push updates a branch.
    public var remoteBranch: String? {
        remoteRef.hasPrefix("refs/heads/") ? String(remoteRef.dropFirst("refs/heads/".count)) : nil
    }

    /// Parses the hook's stdin; blank lines are ignored. A line that does not follow the format
    /// is an error naming it.
    public static func parse(_ input: String) throws -> [PushUpdate] {
        var updates: [PushUpdate] = []
        for (index, line) in input.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.hasSuffix("\r") ? line.dropLast() : line
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = text.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 4, !fields[0].isEmpty, fields[2].hasPrefix("refs/"),
                  let local = OID(hex: String(fields[1])), let remote = OID(hex: String(fields[3]))
            else {
                throw BuildmeisterError.malformedPushInput(line: index + 1, text: String(text.prefix(80)))
            }
            updates.append(PushUpdate(localRef: String(fields[0]), localCommit: local,
                                      remoteRef: String(fields[2]), remoteCommit: remote))
        }
        return updates
    }
}

extension PushUpdate {
    /// The update the pre-commit framework describes in its `PRE_COMMIT_*` variables when it
    /// runs a `pre-push` stage hook: the first pushed ref with commits the remote lacks (it
    /// passes no others). When that push includes a root commit (a new, empty fork),
    /// pre-commit sets no `FROM_REF`/`TO_REF`, and the local branch is read instead. Nil when
    /// pre-commit passed no ref at all (as in `pre-commit run --hook-stage pre-push` by hand).
    public static func fromPreCommit(environment: [String: String], in repository: Repository) throws -> PushUpdate? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let local = value("PRE_COMMIT_LOCAL_BRANCH"), remoteBranch = value("PRE_COMMIT_REMOTE_BRANCH")
        let commit: OID
        if let to = value("PRE_COMMIT_TO_REF") {
            guard let id = OID(hex: to) else {
                throw BuildmeisterError.malformedPushInput(line: 1, text: "PRE_COMMIT_TO_REF=\(to)")
            }
            commit = id
        } else if let local {
            commit = try repository.commit(named: local)
        } else {
            return nil
        }
        let remote = remoteBranch ?? local ?? "HEAD"
        return PushUpdate(localRef: local ?? "HEAD", localCommit: commit,
                          remoteRef: remote.hasPrefix("refs/") ? remote : "refs/heads/" + remote,
                          remoteCommit: value("PRE_COMMIT_FROM_REF").flatMap(OID.init(hex:)) ?? .zero)
    }

    /// The push of the checked-out branch to the branch of the same name: what is checked when
    /// no refs are given (the hook run by hand). Nil on an unborn branch.
    public static func currentBranch(of repository: Repository) throws -> PushUpdate? {
        let head: Head
        do { head = try repository.head() } catch let error as GitError { throw BuildmeisterError(error) }
        guard let commit = head.commit else { return nil }
        let branch = head.branchName ?? "HEAD"
        return PushUpdate(localRef: head.branchName.map { "refs/heads/" + $0 } ?? "HEAD", localCommit: commit,
                          remoteRef: "refs/heads/" + branch, remoteCommit: .zero)
    }

    /// Whether `BM_SKIP` asks to skip the pre-push check: a comma- or space-separated list
    /// holding `pre-push` or `all`.
    public static func skipRequested(environment: [String: String]) -> Bool {
        let words = (environment["BM_SKIP"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " })
        return words.contains { $0 == "pre-push" || $0 == "all" }
    }
}
