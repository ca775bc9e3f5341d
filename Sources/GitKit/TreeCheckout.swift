import CLibgit2Shims
import Clibgit2
import Glibc

/// A path a checkout changes: its baseline and target versions (nil where absent), as the
/// publish journal records them.
public struct CheckoutPath: Sendable, Codable, Equatable {
    public struct Version: Sendable, Codable, Equatable {
        public let blob: String
        public let mode: UInt32
    }

    public let path: String
    public let old: Version?
    public let new: Version?
}

/// Makes a work tree and a staged index hold `tree` where they held `baseline`, touching only
/// the paths that differ, and refusing (a `GitError` whose `isConflict` is true, before writing
/// anything) when that would overwrite a local change or an untracked file.
///
/// Every file is replaced whole: the new version is written beside it under a temporary name
/// and renamed over it, so no file is ever seen half written. Deletions come first (so a file
/// can become a directory and back). A failure puts back what was done, from the objects the
/// baseline names. Directories are opened one component at a time without following
/// symlinks, so nothing is ever written outside the work tree. Content filters (end of line,
/// `ident`) apply as git applies them.
public final class TreeCheckout {
    private let repository: Repository
    private let index: StagedIndex
    private let changes: [TreeFileChange]
    private let directories: WorkTreeDirectories
    private let filtered: Bool
    /// What was done so far, for `undo`.
    private var done: [TreeFileChange] = []
    private var createdDirectories: [String] = []
    /// A file under a temporary name in the work tree's root whose inode is reused for the next
    /// replacement: its new content is written into it, then it is exchanged with the file it
    /// replaces (which leaves the old inode under the temporary name for the one after). Creating
    /// a file costs several times more than rewriting one, and only one is created this way.
    private var spare: String?

    /// The paths this checkout changes.
    public var paths: [CheckoutPath] { changes.map(Self.record) }

    private init(repository: Repository, index: StagedIndex, changes: [TreeFileChange], directories: WorkTreeDirectories,
                 filtered: Bool) {
        self.repository = repository
        self.index = index
        self.changes = changes
        self.directories = directories
        self.filtered = filtered
    }

    /// A checkout from `baseline` to `tree` over `index` (which the caller read under the index
    /// lock), checked against the work tree and ready to apply.
    public static func prepare(from baseline: OID, to tree: OID, in repository: Repository,
                               index: StagedIndex) throws -> TreeCheckout {
        guard let workdir = repository.workdir, let directories = WorkTreeDirectories(root: workdir) else {
            throw GitError(operation: "check out", message: "the repository has no work tree", code: GIT_EBAREREPO.rawValue)
        }
        let changes = try repository.fileChanges(from: baseline, to: tree)
        let filtered = try !repository.filtersCannotApply(to: changes.map(\.path), in: tree)
        let checkout = TreeCheckout(repository: repository, index: index, changes: changes, directories: directories,
                                    filtered: filtered)
        if index.hasConflicts {
            throw GitError(operation: "check out", message: "the index has unresolved conflicts", code: GIT_ECONFLICT.rawValue)
        }
        let deleted = Set(changes.filter { $0.old != nil && $0.new == nil }.map(\.path))
        let indexTime = indexFileTime(repository.gitdir + "/index")
        for change in changes {
            guard try checkout.holdsBaseline(change, deleted: deleted, indexTime: indexTime) else {
                throw GitError(operation: "check out",
                               message: "\(change.path) has local changes or is in the way; commit, stash or move it first",
                               code: GIT_ECONFLICT.rawValue)
            }
        }
        return checkout
    }

    /// Writes the target into the work tree and the staged index. On failure, puts back what it
    /// had done (as far as it can) and throws.
    public func apply() throws {
        defer { dropSpare() }
        do {
            for change in changes where change.old != nil && change.new == nil {
                try remove(change)
                done.append(change)
            }
            for change in changes where change.new != nil {
                try write(change)
                done.append(change)
            }
        } catch {
            try? undo()
            throw error
        }
    }

    private func dropSpare() {
        guard let spare, case .open(let root) = directories.directory("") else { return }
        for _ in 0..<2 where unlinkat(root, spare, 0) != 0 && errno != ENOENT {}  // twice: a passing failure
        self.spare = nil
    }

    /// Puts back the baseline of every path done so far (the staged index is simply not used).
    public func undo() throws {
        var failure: Error?
        for change in done.reversed() {
            do {
                try Self.restore(change, in: repository, directories: directories, filtered: filtered)
            } catch {
                failure = failure ?? error
            }
        }
        done.removeAll()
        for directory in createdDirectories.reversed() { directories.removeIfEmpty(directory) }
        createdDirectories.removeAll()
        if let failure { throw failure }
    }

    // MARK: - Checks

    private static let gitlink: UInt32 = 0o160000, symlink: UInt32 = 0o120000

    /// Whether the index and the work tree hold exactly the baseline side of `change` (for a
    /// new path: nothing there, or only what the checkout deletes).
    private func holdsBaseline(_ change: TreeFileChange, deleted: Set<String>, indexTime: timespec) throws -> Bool {
        guard Self.isSafePath(change.path) else { return false }
        let entry = git_index_get_bypath(index.pointer, change.path, 0)?.pointee
        guard let old = change.old else {
            var position = 0
            guard entry == nil else { return false }
            if git_index_find_prefix(&position, index.pointer, change.path + "/") == 0 {
                // Tracked files below: only when the checkout deletes all of them.
                var index = position
                while let below = git_index_get_byindex(self.index.pointer, index)?.pointee,
                      String(cString: below.path).hasPrefix(change.path + "/") {
                    guard deleted.contains(String(cString: below.path)) else { return false }
                    index += 1
                }
            }
            return onDiskOnlyDeleted(change.path, deleted: deleted)
        }
        guard let entry, OID(entry.id) == old.id, entry.mode == old.mode,
              UInt32(entry.flags_extended) & GIT_INDEX_ENTRY_EXTENDED_FLAGS.rawValue == 0 else {
            return false
        }
        if old.mode == Self.gitlink { return true }
        guard let info = directories.status(of: change.path) else { return false }
        if old.mode == Self.symlink {
            guard info.st_mode & S_IFMT == S_IFLNK else { return false }
            if entry.vouches(for: info, indexTime: indexTime) { return true }
            return try readLink(change.path) == repository.withBlob(old.id) { Array($0) }
        }
        guard info.st_mode & S_IFMT == S_IFREG, (info.st_mode & 0o100 != 0) == (old.mode == 0o100755) else { return false }
        if entry.vouches(for: info, indexTime: indexTime) { return true }
        var hashed = git_oid()
        let full = (repository.workdir ?? "") + "/" + change.path
        let result = filtered ? git_repository_hashfile(&hashed, repository.pointer, full, GIT_OBJECT_BLOB, change.path)
                              : git_odb_hashfile(&hashed, full, GIT_OBJECT_BLOB)
        return result == 0 && OID(hashed) == old.id
    }

    /// Nothing is at `path` or on the way to it, but directories and what the checkout deletes.
    private func onDiskOnlyDeleted(_ path: String, deleted: Set<String>) -> Bool {
        var prefix = ""
        for component in path.split(separator: "/").dropLast() {
            prefix += (prefix.isEmpty ? "" : "/") + component
            guard let info = directories.status(of: prefix) else { return true }
            if info.st_mode & S_IFMT != S_IFDIR && !deleted.contains(prefix) { return false }
            if info.st_mode & S_IFMT != S_IFDIR { return true }
        }
        guard let info = directories.status(of: path) else { return true }
        return info.st_mode & S_IFMT == S_IFDIR && Self.onlyTrackedBelow(path, deleted: deleted, in: directories)
    }

    /// A directory holding nothing but files the checkout deletes (and directories of them).
    private static func onlyTrackedBelow(_ path: String, deleted: Set<String>, in directories: WorkTreeDirectories) -> Bool {
        guard case .open(let fd) = directories.directory(path) else { return false }
        let duplicate = dup(fd)
        guard duplicate >= 0, let stream = fdopendir(duplicate) else { return false }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.allSatisfy { name in
            let child = path + "/" + name
            if deleted.contains(child) { return true }
            if let info = directories.status(of: child), info.st_mode & S_IFMT == S_IFDIR {
                return onlyTrackedBelow(child, deleted: deleted, in: directories)
            }
            return false
        }
    }

    /// No empty, `.`, `..`, `.git` (in any case or NTFS spelling) component, and no backslash:
    /// what git refuses to check out.
    private static func isSafePath(_ path: String) -> Bool {
        path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { component in
            var bare = component.lowercased()
            while bare.last == "." || bare.last == " " { bare.removeLast() }
            return !(component.isEmpty || component == "." || component == ".." || bare == ".git" || bare == "git~1"
                     || component.contains("\\"))
        }
    }

    private func readLink(_ path: String) -> [UInt8]? {
        let (parent, name) = WorkTreeDirectories.split(path)
        guard case .open(let fd) = directories.directory(parent) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { readlinkat(fd, name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        return count >= 0 ? Array(buffer[..<count]) : nil
    }

    // MARK: - Writing

    private func remove(_ change: TreeFileChange) throws {
        var (parent, name) = WorkTreeDirectories.split(change.path)
        if change.old?.mode == Self.gitlink {
            directories.removeIfEmpty(change.path)  // an empty submodule directory goes, as in git
        } else {
            guard case .open(let fd) = directories.directory(parent), unlinkat(fd, name, 0) == 0 || errno == ENOENT else {
                throw GitError.system("remove \(change.path)")
            }
        }
        try check(git_index_remove(index.pointer, change.path, 0), "unstage \(change.path)")
        // Directories left empty go too, as git removes them.
        while !parent.isEmpty && directories.removeIfEmpty(parent) {
            (parent, name) = WorkTreeDirectories.split(parent)
        }
    }

    private func write(_ change: TreeFileChange) throws {
        guard let new = change.new else { return }
        let (parent, _) = WorkTreeDirectories.split(change.path)
        try createParents(parent)
        if new.mode == Self.gitlink {
            if case .open(let fd) = directories.directory(parent) {
                mkdirat(fd, WorkTreeDirectories.split(change.path).name, 0o777)
            }
            try stage(change.path, id: new.id, mode: new.mode, info: nil)
            return
        }
        let replacesFile = change.old.map { $0.mode & 0o170000 == 0o100000 } ?? false
        let info = try replacesFile && new.mode != Self.symlink
            ? exchange(change.path, with: new.id, mode: new.mode)
            : Self.replace(change.path, with: new.id, mode: new.mode, in: repository, directories: directories,
                           filtered: filtered)
        try stage(change.path, id: new.id, mode: new.mode, info: info)
    }

    /// Replaces the regular file `path` by writing the new version into the spare file and
    /// exchanging the two (a plain rename where the file system cannot exchange).
    private func exchange(_ path: String, with id: OID, mode: UInt32) throws -> stat {
        guard case .open(let root) = directories.directory("") else { throw GitError.system("open the work tree") }
        let (parent, name) = WorkTreeDirectories.split(path)
        let directory = try directories.createdDirectory(parent)
        let spareName = spare ?? Self.temporaryName()
        let fd = openat(root, spareName, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw GitError.system("write \(path)") }
        spare = spareName
        var written = 0
        do {
            defer { close(fd) }
            try repository.withCheckoutContent(id, path: path, filtered: filtered) { bytes in
                while written < bytes.count {
                    let count = pwrite(fd, bytes.baseAddress! + written, bytes.count - written, off_t(written))
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { throw GitError.system("write \(path)") }
                    written += count
                }
            }
            // Cut to length instead of O_TRUNC, which ext4 answers with a flush on close.
            guard ftruncate(fd, off_t(written)) == 0, fchmod(fd, (mode == 0o100755 ? 0o777 : 0o666) & ~Self.umask) == 0 else {
                throw GitError.system("write \(path)")
            }
        }
        if bm_exchange(root, spareName, directory, name) != 0 {
            guard errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP,
                  renameat(root, spareName, directory, name) == 0 else { throw GitError.system("write \(path)") }
            spare = nil
        }
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { throw GitError.system("write \(path)") }
        return info
    }

    /// The process's file creation mask, which git applies to the modes it writes.
    private static let umask: mode_t = {
        let mask = Glibc.umask(0)
        Glibc.umask(mask)
        return mask
    }()

    /// Creates the missing directories of `path`, remembering them for `undo`.
    private func createParents(_ path: String) throws {
        guard !path.isEmpty else { return }
        if case .open = directories.directory(path) { return }
        try createParents(WorkTreeDirectories.split(path).parent)
        if case .missing = directories.directory(path) { createdDirectories.append(path) }
        _ = try directories.createdDirectory(path)
    }

    /// Writes blob `id` as the file (or symbolic link) `path`: beside it under a temporary name,
    /// then renamed over it. Returns the new file's `lstat`.
    static func replace(_ path: String, with id: OID, mode: UInt32, in repository: Repository,
                        directories: WorkTreeDirectories, filtered: Bool) throws -> stat {
        let (parent, name) = WorkTreeDirectories.split(path)
        let directory = try directories.createdDirectory(parent)
        let temporary = temporaryName()
        defer { unlinkat(directory, temporary, 0) }
        if mode == symlink {
            let target = try repository.withBlob(id) { Array($0) } + [0]
            guard target.withUnsafeBytes({ symlinkat($0.baseAddress!.assumingMemoryBound(to: CChar.self), directory, temporary) }) == 0
            else { throw GitError.system("write \(path)") }
        } else {
            let fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                            mode == 0o100755 ? 0o777 : 0o666)
            guard fd >= 0 else { throw GitError.system("write \(path)") }
            defer { close(fd) }
            try repository.withCheckoutContent(id, path: path, filtered: filtered) { bytes in
                guard FileDescriptor.writeAll(fd, bytes) else { throw GitError.system("write \(path)") }
            }
        }
        guard renameat(directory, temporary, directory, name) == 0 else { throw GitError.system("write \(path)") }
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { throw GitError.system("write \(path)") }
        return info
    }

    /// A name no file of the work tree has: `.bm-git-<pid>-<n>`, so that recovery can find
    /// leftovers of a killed process.
    /// GitKit objects are used from one thread at a time (as libgit2's are).
    nonisolated(unsafe) private static var written = 0
    static func temporaryName() -> String {
        written += 1
        return "\(temporaryPrefix)\(getpid())-\(written)"
    }
    static let temporaryPrefix = ".bm-git-"

    private func stage(_ path: String, id: OID, mode: UInt32, info: stat?) throws {
        var entry = git_index_entry()
        if let info {
            entry.ctime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_ctim.tv_sec),
                                         nanoseconds: UInt32(truncatingIfNeeded: info.st_ctim.tv_nsec))
            entry.mtime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_mtim.tv_sec),
                                         nanoseconds: UInt32(truncatingIfNeeded: info.st_mtim.tv_nsec))
            entry.dev = UInt32(truncatingIfNeeded: info.st_dev)
            entry.ino = UInt32(truncatingIfNeeded: info.st_ino)
            entry.uid = info.st_uid
            entry.gid = info.st_gid
            entry.file_size = UInt32(truncatingIfNeeded: info.st_size)
            // Just written from the blob: libgit2 need not re-read the file for racy-git checks.
            entry.flags_extended = UInt16(GIT_INDEX_ENTRY_UPTODATE.rawValue)
        }
        entry.mode = mode
        entry.id = id.raw
        try path.withCString { cPath in
            entry.path = cPath
            try check(git_index_add(index.pointer, &entry), "stage \(path)")
        }
    }

    // MARK: - Putting back

    /// Gives `change.path` its baseline version again (or removes it when it had none).
    static func restore(_ change: TreeFileChange, in repository: Repository, directories: WorkTreeDirectories,
                        filtered: Bool) throws {
        let (parent, name) = WorkTreeDirectories.split(change.path)
        guard let old = change.old else {
            if change.new?.mode == gitlink {
                directories.removeIfEmpty(change.path)
            } else if case .open(let fd) = directories.directory(parent), unlinkat(fd, name, 0) != 0, errno != ENOENT {
                throw GitError.system("remove \(change.path)")
            }
            var directory = parent
            while !directory.isEmpty && directories.removeIfEmpty(directory) {
                directory = WorkTreeDirectories.split(directory).parent
            }
            return
        }
        if old.mode == gitlink {
            _ = try directories.createdDirectory(change.path)
            return
        }
        _ = try replace(change.path, with: old.id, mode: old.mode, in: repository, directories: directories, filtered: filtered)
    }

    private static func record(_ change: TreeFileChange) -> CheckoutPath {
        CheckoutPath(path: change.path, old: change.old.map { .init(blob: $0.id.hex, mode: $0.mode) },
                     new: change.new.map { .init(blob: $0.id.hex, mode: $0.mode) })
    }
}

extension Repository {
    /// Blob `id` as the work tree holds it at `path`: with the content filters git applies on
    /// checkout (end of line, `ident`) when `filtered`, else byte for byte.
    func withCheckoutContent(_ id: OID, path: String, filtered: Bool,
                             _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard filtered else { return try withBlob(id, body) }
        var raw = id.raw
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, &raw), "read blob \(id.short())")
        defer { git_blob_free(blob) }
        var options = git_blob_filter_options()
        try check(git_blob_filter_options_init(&options, UInt32(GIT_BLOB_FILTER_OPTIONS_VERSION)), "prepare filters")
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check(git_blob_filter(&buffer, blob, path, &options), "filter \(path)")
        try body(UnsafeRawBufferPointer(start: buffer.ptr, count: buffer.size))
    }
}
