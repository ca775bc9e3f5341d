import Clibgit2
import Glibc

extension Repository {
    /// Whether the index matches HEAD and, with `workTree`, every tracked file matches the
    /// index, decided from data git keeps for exactly this: the index's cached tree ids and
    /// its cached stat data. True only when that proves it; false means "cannot tell" (no
    /// valid cached tree, a stale or racily clean entry, a submodule or sparse entry), and a
    /// full status must decide. Writes nothing.
    func isCleanByCachedData(workTree: Bool) -> Bool {
        var index: OpaquePointer?
        guard git_repository_index(&index, pointer) == 0 else { return false }
        defer { git_index_free(index) }
        guard git_index_read(index, 0) == 0 else { return false }
        guard git_index_has_conflicts(index) == 0, let headTree = try? head().commit.map(tree(ofCommit:)),
              indexTreeFromCache(index) == headTree else {
            return false
        }
        guard workTree else { return true }
        guard let workdir, let directories = WorkTreeDirectories(root: workdir) else { return false }
        let indexTime = indexFileTime(String(cString: git_index_path(index)))
        for position in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, position)?.pointee,
                  UInt32(entry.flags_extended) & GIT_INDEX_ENTRY_EXTENDED_FLAGS.rawValue == 0,
                  entry.mode != 0o160000,
                  let info = directories.status(ofCPath: entry.path),
                  entry.vouches(for: info, indexTime: indexTime) else {
                return false
            }
        }
        return true
    }

    /// The root tree id the index's cached trees record, when they are valid; nil otherwise.
    /// The tree is "written" to a repository with an empty object database, so nothing can be
    /// written anywhere: only a valid cache answers.
    private func indexTreeFromCache(_ index: OpaquePointer?) -> OID? {
        var scratch: OpaquePointer?, odb: OpaquePointer?
        guard git_repository_new(&scratch) == 0 else { return nil }
        defer { git_repository_free(scratch) }
        guard git_odb_new(&odb) == 0 else { return nil }
        defer { git_odb_free(odb) }
        guard git_repository_set_odb(scratch, odb) == 0 else { return nil }
        var id = git_oid()
        return git_index_write_tree_to(&id, index, scratch) == 0 ? OID(id) : nil
    }
}
