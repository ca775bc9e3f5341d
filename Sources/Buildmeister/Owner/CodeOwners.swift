import Foundation
import GitKit

/// A CODEOWNERS file (`CODEOWNERS`, `.github/CODEOWNERS` or `docs/CODEOWNERS`): gitignore-style
/// patterns, each followed by owners; the last matching line wins.
struct CodeOwners {
    static let locations = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]

    private let rules: [(pattern: NSRegularExpression, owners: [String])]

    init(_ text: String) {
        rules = text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first, let pattern = Self.regex(for: String(first)) else { return nil }
            return (pattern, fields.dropFirst().map(String.init))
        }
    }

    /// The owners of `path`, from the last rule that matches it (empty when none does, or when
    /// that rule names nobody).
    func owners(of path: String) -> [String] {
        let range = NSRange(path.startIndex..., in: path)
        return rules.last { $0.pattern.firstMatch(in: path, range: range) != nil }?.owners ?? []
    }

    /// A gitignore pattern as a regular expression over repository-relative paths.
    private static func regex(for pattern: String) -> NSRegularExpression? {
        var body = pattern
        let anchored = body.hasPrefix("/") || body.dropLast().contains("/")
        if body.hasPrefix("/") { body.removeFirst() }
        let directoryOnly = body.hasSuffix("/")
        if directoryOnly { body.removeLast() }
        var regex = anchored ? "^" : "(^|.*/)"
        var index = body.startIndex
        while index < body.endIndex {
            let character = body[index]
            if body[index...].hasPrefix("**/") {
                regex += "(.*/)?"
                index = body.index(index, offsetBy: 3)
                continue
            }
            if body[index...].hasPrefix("**") {
                regex += ".*"
                index = body.index(index, offsetBy: 2)
                continue
            }
            switch character {
            case "*": regex += "[^/]*"
            case "?": regex += "[^/]"
            default: regex += NSRegularExpression.escapedPattern(for: String(character))
            }
            index = body.index(after: index)
        }
        // A match may be the path itself or a directory containing it.
        regex += directoryOnly ? "/.*$" : "(/.*)?$"
        return try? NSRegularExpression(pattern: regex)
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
