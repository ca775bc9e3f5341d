import Clibgit2

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

/// A path a commit changes, and for a submodule the commits its gitlink moves between.
public struct PathChange: Sendable, Equatable {
    public let path: String
    /// The submodule commit before and after, when the path is a gitlink on that side.
    public let oldGitlink: OID?
    public let newGitlink: OID?
}

extension Repository {
    /// The paths `commit` changes against its first parent (every path, for a root commit).
    public func changedPaths(of commit: OID) throws -> [PathChange] {
        let facts = try commitFacts(commit)
        let parentTree = try facts.parents.first.map { try commitFacts($0).tree }
        var changes: [TreeFileChange] = []
        if let parentTree {
            changes = try fileChanges(from: parentTree, to: facts.tree)
        } else {
            changes = try fileChanges(from: try emptyTree(), to: facts.tree)
        }
        let gitlink: UInt32 = 0o160000
        return changes.map { change in
            PathChange(path: change.path, oldGitlink: change.old?.mode == gitlink ? change.old?.id : nil,
                       newGitlink: change.new?.mode == gitlink ? change.new?.id : nil)
        }
    }

    /// The id of the empty tree (written to the object database if need be).
    private func emptyTree() throws -> OID {
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, pointer, nil), "make an empty tree")
        defer { git_treebuilder_free(builder) }
        var id = git_oid()
        try check(git_treebuilder_write(&id, builder), "write an empty tree")
        return OID(id)
    }
}
