import GitKit

/// The author and committer of a commit bm-git makes, from the user's git identity.
public enum CommitIdentity {
    /// Both signatures, dated now. Refuses when `commit.gpgSign` asks for a signature bm-git
    /// cannot make, rather than making an unsigned commit silently.
    public static func signatures(for repository: Repository) throws -> (author: Signature, committer: Signature) {
        do {
            if try repository.config().bool("commit.gpgSign") == true {
                throw BuildmeisterError.signingUnsupported
            }
            return (try repository.identity(.author), try repository.identity(.committer))
        } catch let error as GitError where error.isNotFound {
            throw BuildmeisterError.identityMissing
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }
}
