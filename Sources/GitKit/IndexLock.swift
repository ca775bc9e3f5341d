import Clibgit2
import Glibc

/// git's index lock, held through a whole publication as git holds it: `index.lock` is created
/// exclusively before the index is read, the new index is written into it, and renaming it over
/// `index` commits it. While bm-git holds it, a concurrent `git commit` or `git add` fails
/// instead of being absorbed or undone. Nothing else ever writes the index meanwhile, because
/// libgit2 would need the same lock.
public final class IndexLock {
    public let indexPath: String
    public let lockPath: String
    /// Where the next index is written before it replaces the lock's content.
    private let nextPath: String
    /// The lock file's inode: what tells this lock from one another process took later.
    public private(set) var inode: UInt64
    public private(set) var isHeld = true

    private init(indexPath: String, nextPath: String, inode: UInt64) {
        self.indexPath = indexPath
        lockPath = indexPath + ".lock"
        self.nextPath = nextPath
        self.inode = inode
    }

    deinit { release() }

    /// Takes `repository`'s index lock, writing `token` into it (until the new index replaces
    /// it) so that a lock left by a killed bm-git can be told from another process's; a
    /// `GitError` whose `isLocked` is true when it exists.
    public static func acquire(_ repository: Repository, token: String = "") throws -> IndexLock {
        let indexPath = repository.gitdir + "/index"
        let lockPath = indexPath + ".lock"
        let scratch = repository.gitdir + "/bm-git"
        mkdir(scratch, 0o777)
        // The lock is made whole with its token: written under a private name, then hard-linked
        // to `index.lock` (which fails if it exists), so it is never seen empty.
        let marked = scratch + "/index.lock-\(getpid())"
        unlink(marked)
        let descriptor = open(marked, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw GitError.system("create \(marked)") }
        let written = token.isEmpty || token.withCString { write(descriptor, $0, strlen($0)) } == token.utf8.count
        close(descriptor)
        defer { unlink(marked) }
        guard written else { throw GitError.system("create \(marked)") }
        guard link(marked, lockPath) == 0 else {
            if errno == EEXIST {
                throw GitError(operation: "lock the index",
                               message: "\(lockPath) exists: another git process is using the repository, or one was "
                                   + "interrupted (if no git command is running, remove the file)",
                               code: GIT_ELOCKED.rawValue)
            }
            throw GitError.system("create \(lockPath)")
        }
        guard let inode = inode(of: lockPath) else {
            unlink(lockPath)
            throw GitError.system("create \(lockPath)")
        }
        return IndexLock(indexPath: indexPath, nextPath: scratch + "/index.next", inode: inode)
    }

    /// The index as it is on disk now (read under the lock), as a private copy to change.
    public func openIndex() throws -> StagedIndex {
        unlink(nextPath)
        if access(indexPath, F_OK) == 0 { try FileCopy.copy(indexPath, to: nextPath) }
        var index: OpaquePointer?
        try check(git_index_open(&index, nextPath), "read the index")
        return StagedIndex(pointer: index!, path: nextPath)
    }

    /// Writes `index` beside the lock, synced; returns the inode the lock will have once
    /// `stage` renames it over the lock (which a journal records first, to know the lock again).
    public func prepareStage(_ index: StagedIndex) throws -> UInt64 {
        try check(git_index_write(index.pointer), "write the index")
        try FileCopy.sync(nextPath)
        guard let inode = Self.inode(of: nextPath) else { throw GitError.system("write \(nextPath)") }
        return inode
    }

    /// Makes the index `prepareStage` wrote the lock's content: whole, by a rename.
    public func stage() throws {
        guard let next = Self.inode(of: nextPath), rename(nextPath, lockPath) == 0 else {
            throw GitError.system("write \(lockPath)")
        }
        inode = next
    }

    /// Makes the lock's content the index, which also releases the lock.
    public func commit() throws {
        guard rename(lockPath, indexPath) == 0 else { throw GitError.system("write \(indexPath)") }
        isHeld = false
    }

    /// Leaves the lock file (holding a staged index) for `bm-git recover` to commit.
    public func keepForRecovery() {
        isHeld = false
    }

    /// Gives the lock up, leaving the index as it was. Only a lock file that is still this
    /// one is removed.
    public func release() {
        guard isHeld else { return }
        isHeld = false
        for _ in 0..<2 {  // twice: a passing failure must not leave the lock behind
            unlink(nextPath)
            unlink(nextPath + ".lock")
            if Self.inode(of: lockPath) == inode { unlink(lockPath) }
        }
    }

    /// Whether the lock file at `path` is one a bm-git process made with `token` (and has not
    /// yet filled with an index).
    public static func holds(_ token: String, at path: String) -> Bool {
        guard !token.isEmpty, let data = try? FileCopy.read(path, limit: 256) else { return false }
        return data == Array(token.utf8)
    }

    /// The inode of the file at `path`, or nil.
    public static func inode(of path: String) -> UInt64? {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }
}

/// A private copy of an index, changed in memory and written only through its `IndexLock`.
public final class StagedIndex {
    let pointer: OpaquePointer
    let path: String

    init(pointer: OpaquePointer, path: String) {
        self.pointer = pointer
        self.path = path
    }

    deinit { git_index_free(pointer) }

    public var hasConflicts: Bool { git_index_has_conflicts(pointer) != 0 }
}

/// Whole-file copies and syncs for the publishing machinery.
enum FileCopy {
    static func copy(_ source: String, to destination: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw GitError.system("read \(source)") }
        defer { close(input) }
        let output = open(destination, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o666)
        guard output >= 0 else { throw GitError.system("write \(destination)") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw GitError.system("read \(source)") }
            if count == 0 { return }
            var written = 0
            while written < count {
                let done = buffer.withUnsafeBytes { Glibc.write(output, $0.baseAddress! + written, count - written) }
                if done < 0 && errno == EINTR { continue }
                guard done > 0 else { throw GitError.system("write \(destination)") }
                written += done
            }
        }
    }

    /// The first `limit` bytes of the file at `path`.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw GitError.system("read \(path)") }
        defer { close(input) }
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, limit) }
        guard count >= 0 else { throw GitError.system("read \(path)") }
        return Array(buffer[..<count])
    }

    /// fsync of the file at `path`.
    static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw GitError.system("open \(path)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw GitError.system("sync \(path)") }
    }
}
