import Foundation
import GitKit

/// The revisions blame should look through: `blame.ignoreRevsFile`, and `.git-blame-ignore-revs`
/// at the root of the work tree when it exists.
enum IgnoreRevs {
    static func load(_ repository: Repository) throws -> Set<OID> {
        var files: [String] = []
        if let configured = try repository.config().path("blame.ignoreRevsFile"), !configured.isEmpty {
            files.append(configured.hasPrefix("/") ? configured : (repository.workdir ?? repository.gitdir) + "/" + configured)
        }
        if let workdir = repository.workdir { files.append(workdir + "/.git-blame-ignore-revs") }
        var revisions = Set<OID>()
        for file in Set(files) {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            for line in text.split(whereSeparator: \.isNewline) {
                let entry = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                    .trimmingCharacters(in: .whitespaces)
                guard !entry.isEmpty, let id = try? repository.resolveCommit(entry) else { continue }
                revisions.insert(id)
            }
        }
        return revisions
    }
}
