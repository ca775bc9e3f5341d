import GitKit

/// A CODEOWNERS file (`CODEOWNERS`, `.github/CODEOWNERS` or `docs/CODEOWNERS`): gitignore-style
/// patterns, each followed by owners; the last matching line wins.
struct CodeOwners {
    static let locations = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]

    private let rules: [(pattern: PathGlob, owners: [String])]

    init(_ text: String) {
        rules = text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first, let pattern = PathGlob(String(first)) else { return nil }
            return (pattern, fields.dropFirst().map(String.init))
        }
    }

    /// The owners of `path`, from the last rule that matches it (empty when none does, or when
    /// that rule names nobody).
    func owners(of path: String) -> [String] {
        rules.last { $0.pattern.matches(path) }?.owners ?? []
    }
}

extension CodeOwners {
    /// The CODEOWNERS file of the revision whose tree is `tree`, if it has one.
    static func load(tree: OID, in repository: Repository) throws -> CodeOwners? {
        for location in locations {
            if case .file(let blob) = try repository.treeEntryKind(in: tree, at: location) {
                return CodeOwners(try repository.withBlob(blob) { String(decoding: $0, as: UTF8.self) })
            }
        }
        return nil
    }
}
