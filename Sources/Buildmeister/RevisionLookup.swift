import GitKit

extension Repository {
    /// The commit `revision` names, with bm-git's messages for an unknown or ambiguous one.
    func commit(named revision: String) throws -> OID {
        do {
            return try resolveCommit(revision)
        } catch let error as GitError where error.isAmbiguous {
            throw BuildmeisterError.ambiguousRevision(revision)
        } catch is GitError {
            throw BuildmeisterError.unknownRevision(revision)
        }
    }
}
