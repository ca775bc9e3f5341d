import Clibgit2

/// The repository's mailmap (`.mailmap`, `mailmap.file`, `mailmap.blob`), mapping old names and
/// addresses to canonical ones as `git log --use-mailmap` and `git blame` do.
public final class Mailmap {
    private let pointer: OpaquePointer?

    /// Loads the mailmap of `repository`; an empty one when there is none.
    public init(repository: Repository) throws {
        var mailmap: OpaquePointer?
        try check(git_mailmap_from_repository(&mailmap, repository.pointer), "read the mailmap")
        pointer = mailmap
    }

    deinit { git_mailmap_free(pointer) }

    /// The canonical name and email for `name <email>`. Addresses match case-insensitively, as
    /// in git (libgit2 1.5 compares them exactly, so a lowercased address is tried as well).
    public func resolve(name: String, email: String) -> (name: String, email: String) {
        for candidate in [email, email.lowercased()] {
            var realName: UnsafePointer<CChar>?, realEmail: UnsafePointer<CChar>?
            guard git_mailmap_resolve(&realName, &realEmail, pointer, name, candidate) == 0 else { continue }
            let resolved = (realName.map { String(cString: $0) } ?? name, realEmail.map { String(cString: $0) } ?? candidate)
            if resolved.0 != name || resolved.1 != candidate { return resolved }
        }
        return (name, email)
    }
}
