import Clibgit2
import Glibc

/// Directories of a work tree, opened one path component at a time without following
/// symlinks, so that a symlinked directory can never lead a read or write outside the tree.
/// Paths are relative to the work tree's root ("" is the root itself).
final class WorkTreeDirectories {
    enum State {
        case open(Int32)
        /// A component does not exist.
        case missing
        /// A component is a file or a symlink.
        case blocked
    }

    private var open: [String: Int32]
    /// The directory `status(ofCPath:)` used last, for its callers' runs of sibling paths.
    private var lastParent: [CChar] = [], lastParentState: State?
    /// How many directories stay open at most, far below the usual limit of 1,024 descriptors;
    /// past it, all but the root are closed and reopened as needed.
    private static let openLimit = 128

    /// Nil when the root cannot be opened.
    init?(root: String) {
        let fd = Glibc.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        open = ["": fd]
    }

    deinit {
        for fd in open.values { close(fd) }
    }

    /// Opens directory `path`, reusing what is already open. The descriptor stays valid until
    /// the next call.
    func directory(_ path: String) -> State {
        if let fd = open[path] { return .open(fd) }
        if open.count >= Self.openLimit {
            for (directory, fd) in open where !directory.isEmpty { close(fd) }
            open = open.filter { $0.key.isEmpty }
            lastParentState = nil
        }
        let (parent, name) = Self.split(path)
        let parentState = directory(parent)
        guard case .open(let parentFD) = parentState else { return parentState }
        let fd = openat(parentFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { return errno == ENOENT ? .missing : .blocked }
        open[path] = fd
        return .open(fd)
    }

    /// Removes directory `path` when it is empty, forgetting its descriptor (and those below it).
    /// Returns whether it was removed.
    @discardableResult
    func removeIfEmpty(_ path: String) -> Bool {
        let (parent, name) = Self.split(path)
        guard !path.isEmpty, case .open(let fd) = directory(parent), unlinkat(fd, name, AT_REMOVEDIR) == 0 else { return false }
        for (directory, descriptor) in open where directory == path || directory.hasPrefix(path + "/") {
            close(descriptor)
            open[directory] = nil
        }
        lastParentState = nil
        return true
    }

    /// Like `directory(_:)`, creating missing directories (mode 0777 less the umask, as git).
    func createdDirectory(_ path: String) throws -> Int32 {
        switch directory(path) {
        case .open(let fd): return fd
        case .blocked:
            throw GitError(operation: "create \(path)", message: "a file is in the way", code: GIT_ECONFLICT.rawValue)
        case .missing:
            let (parent, name) = Self.split(path)
            let parentFD = try createdDirectory(parent)
            guard mkdirat(parentFD, name, 0o777) == 0 || errno == EEXIST else { throw GitError.system("create \(path)") }
            guard case .open(let fd) = directory(path) else { throw GitError.system("open \(path)") }
            return fd
        }
    }

    /// The `lstat` of the file at `path`; nil when it or a directory on the way is missing,
    /// or a directory on the way is not a real directory.
    func status(of path: String) -> stat? {
        let (parent, name) = Self.split(path)
        guard case .open(let fd) = directory(parent) else { return nil }
        var info = stat()
        return fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
    }

    /// `status(of:)` for a C string. A run of paths in the same directory (the index's order)
    /// looks the directory up once, without building strings.
    func status(ofCPath path: UnsafePointer<CChar>) -> stat? {
        let slash = strrchr(path, 0x2F).map { UnsafePointer($0) }
        let parentLength = slash.map { $0 - path } ?? 0
        if lastParentState == nil || lastParent.count != parentLength || memcmp(lastParent, path, parentLength) != 0 {
            lastParent = Array(UnsafeBufferPointer(start: path, count: parentLength))
            lastParentState = directory(String(decoding: UnsafeRawBufferPointer(start: path, count: parentLength),
                                               as: UTF8.self))
        }
        guard case .open(let fd) = lastParentState else { return nil }
        var info = stat()
        return fstatat(fd, slash.map { $0 + 1 } ?? path, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
    }

    /// "a/b/c" → ("a/b", "c"); "c" → ("", "c").
    static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }
}

extension git_index_entry {
    /// Whether the entry's cached stat data proves that the file `info` describes still holds
    /// the entry's content: every field matches and the entry is not "racily clean" (modified
    /// no earlier than the index file itself, at `indexTime`, when a same-size change could
    /// hide behind an unchanged timestamp).
    func vouches(for info: stat, indexTime: timespec) -> Bool {
        let sameStat = mtime.seconds == Int32(truncatingIfNeeded: info.st_mtim.tv_sec)
            && mtime.nanoseconds == UInt32(truncatingIfNeeded: info.st_mtim.tv_nsec)
            && ctime.seconds == Int32(truncatingIfNeeded: info.st_ctim.tv_sec)
            && ctime.nanoseconds == UInt32(truncatingIfNeeded: info.st_ctim.tv_nsec)
            && file_size == UInt32(truncatingIfNeeded: info.st_size)
            && ino == UInt32(truncatingIfNeeded: info.st_ino)
            && (mode & 0o170000) == (info.st_mode & S_IFMT)
            && (info.st_mode & S_IFMT != S_IFREG || (mode & 0o100 != 0) == (info.st_mode & 0o100 != 0))
        let seconds = Int(mtime.seconds), nanoseconds = Int(mtime.nanoseconds)
        let beforeIndex = seconds < indexTime.tv_sec || (seconds == indexTime.tv_sec && nanoseconds < indexTime.tv_nsec)
        return sameStat && beforeIndex
    }
}

/// The modification time of the index file at `path`; zero (every entry racy) when unreadable.
func indexFileTime(_ path: String) -> timespec {
    var info = stat()
    return stat(path, &info) == 0 ? info.st_mtim : timespec()
}
