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
    /// The one update the pre-commit framework describes in its `PRE_COMMIT_*` variables
    /// when it runs a `pre-push` stage hook.
    public static func fromPreCommit(environment: [String: String]) throws -> PushUpdate {
        func value(_ name: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw BuildmeisterError.missingPreCommitEnvironment(variable: name)
            }
            return value
        }
        let to = try value("PRE_COMMIT_TO_REF"), from = try value("PRE_COMMIT_FROM_REF")
        let branch = try value("PRE_COMMIT_REMOTE_BRANCH")
        guard let local = OID(hex: to), let remote = OID(hex: from) else {
            throw BuildmeisterError.malformedPushInput(line: 1, text: "PRE_COMMIT_FROM_REF=\(from) PRE_COMMIT_TO_REF=\(to)")
        }
        return PushUpdate(localRef: environment["PRE_COMMIT_LOCAL_BRANCH"] ?? "HEAD", localCommit: local,
                          remoteRef: branch.hasPrefix("refs/") ? branch : "refs/heads/" + branch,
                          remoteCommit: remote)
    }

    /// Whether `BM_SKIP` asks to skip the pre-push check: a comma- or space-separated list
    /// holding `pre-push` or `all`.
    public static func skipRequested(environment: [String: String]) -> Bool {
        let words = (environment["BM_SKIP"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " })
        return words.contains { $0 == "pre-push" || $0 == "all" }
    }
}
