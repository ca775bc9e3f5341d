import Foundation
import GitKit

/// What a publish is about to change, written and synced before anything changes, so that an
/// interruption (a kill, a power loss) leaves enough for `bm-git recover` to finish the publish
/// or put everything back. It lives in `<gitdir>/bm-git/publish-journal` of the repository whose
/// branch moves, and covers a submodule's part too.
public struct PublishJournal: Codable, Sendable, Equatable {
    /// One repository's share: its index lock, the paths its checkout changes, and its HEAD move.
    public struct Part: Codable, Sendable, Equatable {
        public let gitdir: String
        /// Where its refs live (the main git directory, for a linked worktree).
        public let commondir: String
        public let workdir: String
        /// The inode of bm-git's `index.lock` there while it is empty (it also holds the
        /// journal's token then), and the inode it has once the new index is renamed over it:
        /// a lock file with another inode is not ours.
        public var lockInode: UInt64
        public var stagedInode: UInt64?
        public let paths: [CheckoutPath]
        public let head: HeadMove
    }

    /// How a part's HEAD moves.
    public enum HeadMove: Codable, Sendable, Equatable {
        /// `refs/heads/<name>` moves from `old` to `new` (with a compare-and-swap).
        case branch(name: String, old: String, new: String)
        /// HEAD is detached at `new`; before, it was on `branch` (when not already detached) at `old`.
        case detach(branch: String?, old: String, new: String)
    }

    /// How far the publish had got.
    public enum Phase: String, Codable, Sendable {
        /// Locks are being taken (or, for a roll, the submodule is being cloned): nothing is
        /// changed yet but those.
        case preparing
        /// The parts below are being written.
        case publishing
    }

    /// The command that wrote it, such as "revert-break".
    public let operation: String
    public let pid: Int32
    public let started: Int64
    /// Written into bm-git's index locks while they are empty, to know them again.
    public let token: String
    public var phase: Phase
    /// The git directories whose index bm-git locks.
    public let gitdirs: [String]
    /// In publishing order; the last part's branch move is the commit point.
    public var parts: [Part] = []
    /// A submodule clone made for this roll, to take back unless the publish completes.
    public var clone: SubmoduleClone?
    /// Git directories bm-git fetches into while planning: a kill there can leave libgit2's ref
    /// locks (and a truncated FETCH_HEAD) behind.
    public var fetchedInto: [String] = []
    /// The commit ORIG_HEAD is set to once the branch has moved (revert-break's undo point).
    public var origHead: String?

    /// A journal for a publish about to start in `gitdirs` (no parts yet).
    init(operation: String, gitdirs: [String], clone: SubmoduleClone? = nil) {
        self.operation = operation
        pid = getpid()
        started = Int64(time(nil))
        var random = SystemRandomNumberGenerator()
        token = "bm-git \(getpid()) " + String(random.next(), radix: 16)
        phase = .preparing
        self.gitdirs = gitdirs
        self.clone = clone
    }

    static let fileName = "publish-journal"

    static func path(in repository: Repository) -> String { repository.gitdir + "/bm-git/" + fileName }

    /// The journal of an interrupted publish in `repository`, if there is one.
    public static func load(from repository: Repository) throws -> PublishJournal? {
        let path = Self.path(in: repository)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path),
              let journal = try? JSONDecoder().decode(PublishJournal.self, from: data) else {
            throw BuildmeisterError.journalUnreadable(path: path)
        }
        return journal
    }

    /// Refuses to start a new publish while an interrupted one is unresolved (other than the
    /// one this process began, with `ownToken`).
    static func refuseIfPresent(in repository: Repository, ownToken: String? = nil) throws {
        let journal: PublishJournal?
        do {
            journal = try load(from: repository)
        } catch where ownToken != nil {
            return  // this process wrote it while planning; a passing read error changes nothing
        }
        if let journal, journal.token != ownToken {
            throw BuildmeisterError.interruptedPublish(operation: journal.operation)
        }
    }

    /// Writes the journal whole (a temporary file, synced, renamed, and the directory synced).
    func save(in repository: Repository) throws {
        let path = Self.path(in: repository)
        let directory = (path as NSString).deletingLastPathComponent
        if mkdir(directory, 0o777) != 0 && errno != EEXIST {
            throw BuildmeisterError.git(operation: "create \(directory)", message: String(cString: strerror(errno)))
        }
        let data = try JSONEncoder().encode(self)
        let temporary = path + ".tmp"
        try DurableFile.write(data, to: temporary)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw BuildmeisterError.git(operation: "write \(path)", message: String(cString: strerror(errno)))
        }
        try DurableFile.syncDirectory(directory)
    }

    /// Tried twice: a passing failure must not leave a finished publish looking interrupted.
    static func remove(from repository: Repository) {
        let path = path(in: repository)
        if unlink(path) != 0 && errno != ENOENT { unlink(path) }
    }
}

/// Files written so that they survive a crash once the call returns.
enum DurableFile {
    static func write(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw failure("write \(path)") }
        defer { close(descriptor) }
        let ok = data.withUnsafeBytes { FileDescriptor.writeAll(descriptor, $0) }
        guard ok, fsync(descriptor) == 0 else {
            let error = failure("write \(path)")
            unlink(path)
            throw error
        }
    }

    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("sync \(path)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("sync \(path)") }
    }

    private static func failure(_ operation: String) -> BuildmeisterError {
        .git(operation: operation, message: String(cString: strerror(errno)))
    }
}
