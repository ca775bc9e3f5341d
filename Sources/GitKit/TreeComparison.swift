/// One path that differs between two trees: its blob and mode on either side (nil where absent).
struct TreeFileChange {
    let path: String
    let old: (id: OID, mode: UInt32)?
    let new: (id: OID, mode: UInt32)?
}

extension Repository {
    /// Every non-tree entry (file, symlink, submodule) that differs between trees `old` and
    /// `new`, found by descending only into subtrees whose ids differ. A path that is a file on
    /// one side and a directory on the other yields the file's change and the directory's.
    func fileChanges(from old: OID, to new: OID) throws -> [TreeFileChange] {
        var changes: [TreeFileChange] = []
        try compareTrees(old, new, prefix: "", into: &changes)
        return changes
    }

    private func compareTrees(_ old: OID?, _ new: OID?, prefix: String, into changes: inout [TreeFileChange]) throws {
        let oldEntries = try old.map(treeEntries) ?? [:], newEntries = try new.map(treeEntries) ?? [:]
        for name in Set(oldEntries.keys).union(newEntries.keys).sorted() {
            let before = oldEntries[name], after = newEntries[name]
            if let before, let after, before.id == after.id, before.mode == after.mode { continue }
            let path = prefix + name
            let beforeTree = before?.mode == Self.treeMode ? before?.id : nil
            let afterTree = after?.mode == Self.treeMode ? after?.id : nil
            if beforeTree != nil || afterTree != nil {
                try compareTrees(beforeTree, afterTree, prefix: path + "/", into: &changes)
            }
            let beforeFile = beforeTree == nil ? before : nil, afterFile = afterTree == nil ? after : nil
            if beforeFile != nil || afterFile != nil {
                changes.append(TreeFileChange(path: path, old: beforeFile, new: afterFile))
            }
        }
    }

    private static let treeMode: UInt32 = 0o040000

    /// The entries of tree `id` by name.
    private func treeEntries(_ id: OID) throws -> [String: (id: OID, mode: UInt32)] {
        var entries: [String: (id: OID, mode: UInt32)] = [:]
        try forEachEntry(in: id) { name, entryID, mode in entries[name] = (entryID, mode) }
        return entries
    }
}
