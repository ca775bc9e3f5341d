import Clibgit2
import Foundation

extension Repository {
    /// Who is committing, as git decides: `GIT_<ROLE>_NAME`/`_EMAIL` from the environment, else
    /// `<role>.name`/`.email`, else `user.name`/`user.email` from config; the time is now.
    /// Throws a `GitError` naming the missing key when there is no identity.
    public func identity(_ role: IdentityRole) throws -> Signature {
        let environment = ProcessInfo.processInfo.environment
        let config = try self.config()
        let prefix = role.rawValue
        func pick(_ variable: String, _ key: String) throws -> String? {
            if let value = environment["GIT_\(prefix.uppercased())_\(variable)"], !value.isEmpty { return value }
            if let value = try config.string("\(prefix).\(key)"), !value.isEmpty { return value }
            if let value = try config.string("user.\(key)"), !value.isEmpty { return value }
            return nil
        }
        guard let name = try pick("NAME", "name"), let email = try pick("EMAIL", "email") else {
            throw GitError(operation: "find the \(prefix) identity", message: "user.name and user.email are not set",
                           code: GIT_ENOTFOUND.rawValue)
        }
        var now = time(nil), local = tm()
        localtime_r(&now, &local)
        return Signature(name: name, email: email, time: Int64(now), offsetMinutes: Int32(local.tm_gmtoff / 60))
    }

    /// Writes a commit object (no ref is moved) and returns its id.
    public func createCommit(tree: OID, parents: [OID], message: String,
                             author: Signature, committer: Signature) throws -> OID {
        var parentObjects: [OpaquePointer?] = []
        defer { parentObjects.forEach { git_commit_free($0) } }
        for parent in parents {
            var raw = parent.raw
            var object: OpaquePointer?
            try check(git_commit_lookup(&object, pointer, &raw), "look up commit \(parent.short())")
            parentObjects.append(object)
        }
        let authorSignature = try author.makeGitSignature(), committerSignature = try committer.makeGitSignature()
        defer { git_signature_free(authorSignature); git_signature_free(committerSignature) }
        var id = git_oid()
        try withTree(tree) { treeObject in
            try parentObjects.withUnsafeMutableBufferPointer { buffer in
                _ = try check(git_commit_create(&id, pointer, nil, authorSignature, committerSignature, "UTF-8",
                                                message, treeObject, parents.count, buffer.baseAddress),
                              "create commit")
            }
        }
        return OID(id)
    }
}

/// Which identity of a commit: the one who wrote it, or the one who committed it.
public enum IdentityRole: String, Sendable {
    case author, committer
}

extension Signature {
    func makeGitSignature() throws -> UnsafeMutablePointer<git_signature>? {
        var signature: UnsafeMutablePointer<git_signature>?
        try check(git_signature_new(&signature, name, email, time, offsetMinutes), "make signature for \(email)")
        return signature
    }
}
