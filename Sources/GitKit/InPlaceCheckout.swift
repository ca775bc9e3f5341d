import Clibgit2
import Glibc

/// Checkout's fast path for the common case: every changed path is a plain file (or a submodule
/// pointer) whose index entry and work-tree file hold exactly the baseline's content, and no
/// content filter applies. Files are rewritten in place (written over, then cut to length)
/// instead of libgit2's truncate-then-write, which on ext4 costs a block-device flush when each
/// file is closed, and their index entries are made from the written files, so the index stays
/// fresh. A submodule pointer only changes in the index, as in `git checkout`.
///
/// `prepare` checks everything before anything is written and returns nil when a path needs
/// libgit2's general checkout (local changes, symlinks, mode changes, a file in the way...).
/// Directories are opened one component at a time without following symlinks, so nothing is
/// ever written outside the work tree.
final class InPlaceCheckout {
    private let repository: Repository
    private let index: OpaquePointer
    private let changes: [TreeFileChange]
    private let directories: WorkTreeDirectories
    /// The size of each file to be rewritten, as found when checking it.
    private var sizes: [String: Int] = [:]

    private init(repository: Repository, index: OpaquePointer, changes: [TreeFileChange],
                 directories: WorkTreeDirectories) {
        self.repository = repository
        self.index = index
        self.changes = changes
        self.directories = directories
    }

    deinit { git_index_free(index) }

    /// A checkout ready to apply, or nil (nothing changed) when the fast path does not apply.
    static func prepare(_ changes: [TreeFileChange], in repository: Repository) throws -> InPlaceCheckout? {
        guard let workdir = repository.workdir, Self.shapesAreSimple(changes),
              let directories = WorkTreeDirectories(root: workdir) else {
            return nil
        }
        var index: OpaquePointer?
        try check(git_repository_index(&index, repository.pointer), "read the index")
        let checkout = InPlaceCheckout(repository: repository, index: index!, changes: changes, directories: directories)
        // The repository's index object is shared: pick up changes another process made.
        try check(git_index_read(index, 0), "read the index")
        let indexPath = String(cString: git_index_path(index))
        if access(indexPath + ".lock", F_OK) == 0 {
            throw GitError(operation: "check out", message: "\(indexPath).lock exists: another git process may be running",
                           code: GIT_ELOCKED.rawValue)
        }
        guard git_index_has_conflicts(index) == 0 else { return nil }
        let indexTime = indexFileTime(indexPath)
        for change in changes {
            guard checkout.holdsBaseline(change, workdir: workdir, indexTime: indexTime) else { return nil }
        }
        return checkout
    }

    /// Writes every new and changed file, removes deleted ones (and directories left empty),
    /// and writes the index. On failure the in-memory index is reloaded from its file, so no
    /// half-made staging lingers in the repository's shared index.
    func apply() throws {
        do {
            try applyChanges()
        } catch {
            git_index_read(index, 1)
            throw error
        }
    }

    private func applyChanges() throws {
        for change in changes {
            guard let new = change.new else { continue }
            if new.mode == Self.gitlink {
                try repoint(change.path, to: new.id)
            } else {
                try write(change.path, blob: new.id, mode: new.mode)
            }
        }
        for change in changes where change.new == nil {
            try remove(change.path)
        }
        try check(git_index_write(index), "write the index")
    }

    // MARK: - Checks

    private static let gitlink: UInt32 = 0o160000

    /// Only regular files on both sides (or a submodule pointer that moves), the same mode where
    /// both exist, each path once, no path inside another changed path, and nothing git would
    /// refuse to check out.
    private static func shapesAreSimple(_ changes: [TreeFileChange]) -> Bool {
        let plain: Set<UInt32> = [0o100644, 0o100755]
        var paths = Set<String>(), parents = Set<String>()
        for change in changes {
            let movesPointer = change.old?.mode == gitlink && change.new?.mode == gitlink
            if !movesPointer {
                if let old = change.old, !plain.contains(old.mode) { return false }
                if let new = change.new, !plain.contains(new.mode) { return false }
                if let old = change.old, let new = change.new, old.mode != new.mode { return false }
            }
            let components = change.path.split(separator: "/", omittingEmptySubsequences: false)
            for component in components {
                // ".git" in any case, also as NTFS would read ".git. " or "git~1"; libgit2 refuses them.
                var bare = component.lowercased()
                while bare.last == "." || bare.last == " " { bare.removeLast() }
                if component.isEmpty || component == "." || component == ".." || bare == ".git" || bare == "git~1"
                    || component.contains("\\") {
                    return false
                }
            }
            guard paths.insert(change.path).inserted else { return false }
            for end in components.indices.dropLast() {
                parents.insert(components[...end].joined(separator: "/"))
            }
        }
        return paths.isDisjoint(with: parents)
    }

    /// Whether the index and the work tree hold exactly the baseline side of `change`.
    private func holdsBaseline(_ change: TreeFileChange, workdir: String, indexTime: timespec) -> Bool {
        let (parent, name) = WorkTreeDirectories.split(change.path)
        let entry = git_index_get_bypath(index, change.path, 0)?.pointee
        guard let old = change.old else {
            // An added file: nothing tracked there or below it, and nothing on disk.
            var position = 0
            guard entry == nil, git_index_find_prefix(&position, index, change.path + "/") != 0 else { return false }
            switch directories.directory(parent) {
            case .missing: return true
            case .blocked: return false
            case .open(let fd):
                var info = stat()
                return fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT
            }
        }
        guard let entry, OID(entry.id) == old.id, entry.mode == old.mode,
              UInt32(entry.flags_extended) & GIT_INDEX_ENTRY_EXTENDED_FLAGS.rawValue == 0 else {
            return false
        }
        if old.mode == Self.gitlink { return true }
        guard let info = directories.status(of: change.path), info.st_mode & S_IFMT == S_IFREG,
              (info.st_mode & 0o100 != 0) == (old.mode == 0o100755) else {
            return false
        }
        sizes[change.path] = Int(info.st_size)
        if entry.vouches(for: info, indexTime: indexTime) { return true }
        var hashed = git_oid()
        guard git_odb_hashfile(&hashed, workdir + "/" + change.path, GIT_OBJECT_BLOB) == 0 else { return false }
        return OID(hashed) == old.id
    }

    // MARK: - Writing

    private func write(_ path: String, blob: OID, mode: UInt32) throws {
        let (parent, name) = WorkTreeDirectories.split(path)
        let oldSize = sizes[path], replacing = oldSize != nil
        let directory = try directories.createdDirectory(parent)
        let flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC | (replacing ? 0 : O_CREAT | O_EXCL)
        let fd = openat(directory, name, flags, mode == 0o100755 ? 0o777 : 0o666)
        guard fd >= 0 else { throw GitError.system("write \(path)") }
        defer { close(fd) }
        let size = try repository.withBlob(blob) { bytes in
            var written = 0
            while written < bytes.count {
                let count = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
                guard count > 0 else { throw GitError.system("write \(path)") }
                written += count
            }
            return bytes.count
        }
        if let oldSize, oldSize > size, ftruncate(fd, off_t(size)) != 0 { throw GitError.system("write \(path)") }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw GitError.system("write \(path)") }
        var entry = git_index_entry()
        entry.ctime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_ctim.tv_sec),
                                     nanoseconds: UInt32(truncatingIfNeeded: info.st_ctim.tv_nsec))
        entry.mtime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_mtim.tv_sec),
                                     nanoseconds: UInt32(truncatingIfNeeded: info.st_mtim.tv_nsec))
        entry.dev = UInt32(truncatingIfNeeded: info.st_dev)
        entry.ino = UInt32(truncatingIfNeeded: info.st_ino)
        entry.mode = mode
        entry.uid = info.st_uid
        entry.gid = info.st_gid
        entry.file_size = UInt32(truncatingIfNeeded: info.st_size)
        entry.id = blob.raw
        // Just written from the blob: libgit2 need not re-read the file for racy-git checks
        // when it writes the index.
        entry.flags_extended = UInt16(GIT_INDEX_ENTRY_UPTODATE.rawValue)
        try path.withCString { cPath in
            entry.path = cPath
            try check(git_index_add(index, &entry), "stage \(path)")
        }
    }

    /// Points a submodule's index entry at `commit`; its work tree is left alone.
    private func repoint(_ path: String, to commit: OID) throws {
        guard var entry = git_index_get_bypath(index, path, 0)?.pointee else {
            throw GitError(operation: "stage \(path)", message: "not in the index", code: GIT_ENOTFOUND.rawValue)
        }
        entry.id = commit.raw
        try path.withCString { cPath in
            entry.path = cPath
            try check(git_index_add(index, &entry), "stage \(path)")
        }
    }

    /// Removes a deleted file, then its directories as long as they are left empty, as git does.
    private func remove(_ path: String) throws {
        var (parent, name) = WorkTreeDirectories.split(path)
        guard case .open(let fd) = directories.directory(parent), unlinkat(fd, name, 0) == 0 || errno == ENOENT else {
            throw GitError.system("remove \(path)")
        }
        try check(git_index_remove(index, path, 0), "unstage \(path)")
        while !parent.isEmpty {
            (parent, name) = WorkTreeDirectories.split(parent)
            guard case .open(let fd) = directories.directory(parent), unlinkat(fd, name, AT_REMOVEDIR) == 0 else { return }
        }
    }
}
