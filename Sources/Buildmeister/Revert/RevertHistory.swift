import GitKit

/// Finds whether a commit was already reverted later on a branch, following revert chains
/// (a revert of the revert makes the break live again).
enum RevertHistory {
    /// The commit ids a message says it reverts: `This reverts commit <sha>` and `Reverts: <sha>`.
    static func revertedIDs(in message: String) -> [String] {
        var ids: [String] = []
        for line in message.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            for prefix in ["This reverts commit ", "Reverts: "] where text.hasPrefix(prefix) {
                let id = text.dropFirst(prefix.count).prefix { $0.isHexDigit }
                if id.count >= 7 { ids.append(id.lowercased()) }
            }
        }
        return ids
    }

    /// The commit that currently undoes `commit` on the branch at `tip`, or nil when the change
    /// is live (never reverted, or reverted and then reapplied).
    static func activeRevert(of commit: OID, tip: OID, in repository: Repository) throws -> CommitInfo? {
        var chain: [CommitInfo] = []
        var current = commit.hex
        for id in try repository.commits(from: tip, hiding: [commit]) {
            let info = try repository.commit(id)
            if revertedIDs(in: info.message).contains(where: { current.hasPrefix($0) }) {
                chain.append(info)
                current = id.hex
            }
        }
        return chain.count % 2 == 1 ? chain.last : nil
    }
}
