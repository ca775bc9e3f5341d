import GitKit

/// Reverts among blamed lines. Once `revert-break` reverts a break, blame names the person on
/// duty for the restored lines, and whoever reverts the revert after them. Owner looks through
/// both: a blamed revert commit (`This reverts commit <sha>`, `Reverts: <sha>`) and the commit
/// it reverts are ignored, as ignore-revs are. A revert of a revert thus hands the lines back to
/// the author of the change it brings back; a single revert, to the lines' earlier authors.
enum RevertLookThrough {
    /// The revert commits among `blamed` (not in `known`), with the commits they revert.
    static func reverts(among blamed: Set<OID>, known: Set<OID>, in repository: Repository) throws -> Set<OID> {
        var found = Set<OID>()
        for id in blamed.subtracting(known) {
            let reverted = RevertHistory.revertedIDs(in: try repository.commit(id).message)
            guard !reverted.isEmpty else { continue }
            found.insert(id)
            for text in reverted {
                if let target = try? repository.commit(named: text) { found.insert(target) }
            }
        }
        return found
    }
}
