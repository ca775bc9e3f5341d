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

    /// The canonical name and email for `name <email>`.
    public func resolve(name: String, email: String) -> (name: String, email: String) {
        var realName: UnsafePointer<CChar>?, realEmail: UnsafePointer<CChar>?
        guard git_mailmap_resolve(&realName, &realEmail, pointer, name, email) == 0 else { return (name, email) }
        return (realName.map { String(cString: $0) } ?? name, realEmail.map { String(cString: $0) } ?? email)
    }
}
