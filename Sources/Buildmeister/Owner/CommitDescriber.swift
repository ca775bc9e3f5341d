import GitKit

/// Commit authors after the mailmap, read once per commit.
final class CommitDescriber {
    struct Described {
        let name: String
        let email: String
        let time: Int64
        let subject: String
    }

    private let repository: Repository
    private let mailmap: Mailmap
    private var cache: [OID: Described] = [:]

    init(repository: Repository) throws {
        self.repository = repository
        mailmap = try Mailmap(repository: repository)
    }

    func describe(_ id: OID) throws -> Described {
        if let known = cache[id] { return known }
        let commit = try repository.commit(id)
        let canonical = mailmap.resolve(name: commit.author.name, email: commit.author.email)
        let described = Described(name: canonical.name, email: canonical.email, time: commit.author.time,
                                  subject: commit.subject)
        cache[id] = described
        return described
    }
}
