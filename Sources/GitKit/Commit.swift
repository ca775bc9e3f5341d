import Clibgit2

/// The facts of one commit, copied out of libgit2, its text converted from the commit's encoding.
public struct CommitInfo: Sendable, Hashable {
    public let id: OID
    public let parents: [OID]
    public let author: Signature
    public let committer: Signature
    /// The first paragraph of the message, joined on one line, as `git log --format=%s` shows it.
    public let subject: String
    /// The full raw message.
    public let message: String
}

extension Repository {
    /// Reads the commit `id`.
    public func commit(_ id: OID) throws -> CommitInfo {
        var raw = id.raw
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &raw), "look up commit \(id.short())")
        defer { git_commit_free(commit) }
        let parents = (0..<git_commit_parentcount(commit)).map { OID(git_commit_parent_id(commit, $0)) }
        let encoding = git_commit_message_encoding(commit).map { String(cString: $0) }
        return CommitInfo(
            id: id,
            parents: parents,
            author: Signature(git_commit_author(commit), encoding: encoding),
            committer: Signature(git_commit_committer(commit), encoding: encoding),
            subject: TextEncoding.decode(git_commit_summary(commit), encoding: encoding),
            message: TextEncoding.decode(git_commit_message(commit), encoding: encoding)
        )
    }
}
