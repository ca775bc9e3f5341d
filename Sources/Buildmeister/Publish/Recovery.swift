import Foundation
import GitKit

/// `bm-git recover`: resolves a publish that was interrupted, from its journal. When the branch
/// already moved (the commit point was passed) the publish is finished: the staged indexes are
/// committed. When it did not, everything is put back: files, the submodule's HEAD, the locks.
/// Running it again, or with nothing to recover, changes nothing.
public enum Recovery {
    public enum Outcome: Sendable, Equatable {
        case nothingToRecover
        /// The publish was finished.
        case finished(operation: String)
        /// Everything was put back; `untouched` paths held neither version and were left alone.
        case rolledBack(operation: String, untouched: [String])
    }

    public static func run(in repository: Repository) throws -> Outcome {
        do {
            // A journal write that was killed leaves only its temporary file; other writes of
            // a killed bm-git leave theirs (named with its process id) in its directories.
            unlink(PublishJournal.path(in: repository) + ".tmp")
            removeTemporaryFilesOfDeadProcesses(in: [repository.gitdir + "/bm-git", repository.commondir + "/bm-git"])
            restoreFetchHeads(in: repository)
            guard let journal = try PublishJournal.load(from: repository) else { return .nothingToRecover }
            // Planning writes caches (the ancestry index) in the submodule's directories too.
            removeTemporaryFilesOfDeadProcesses(in: (journal.gitdirs + journal.fetchedInto).map { $0 + "/bm-git" })
            if journal.pid != getpid() && kill(journal.pid, 0) == 0 && isBMGit(journal.pid) {
                throw BuildmeisterError.publishRunning(pid: journal.pid)
            }
            guard journal.phase == .publishing else {
                // Interrupted while planning (fetching, cloning) or taking locks: only those to
                // take back.
                for gitdir in journal.gitdirs { releaseLock(in: gitdir, token: journal.token, inodes: []) }
                for gitdir in journal.fetchedInto { removeFetchLocks(in: gitdir) }
                if let clone = journal.clone {
                    if clone.urlKey != nil { removeStaleLock(repository.commondir + "/config.lock") }
                    clone.remove(from: repository)
                }
                PublishJournal.remove(from: repository)
                return .rolledBack(operation: journal.operation, untouched: [])
            }
            guard let main = journal.parts.last, case .branch(let branch, let old, let new) = main.head else {
                throw BuildmeisterError.journalUnreadable(path: PublishJournal.path(in: repository))
            }
            for part in journal.parts { removeStaleReferenceLocks(part) }
            let tip = try repository.resolve("refs/heads/" + branch)?.hex
            let outcome: Outcome
            if tip == new {
                try finish(journal, main: repository)
                outcome = .finished(operation: journal.operation)
            } else if tip == old {
                outcome = .rolledBack(operation: journal.operation, untouched: try rollBack(journal, main: repository))
                journal.clone?.remove(from: repository)
            } else {
                throw BuildmeisterError.recoveryBranchMoved(branch: branch)
            }
            PublishJournal.remove(from: repository)
            return outcome
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    /// Forgets an interrupted publish without touching the work tree: bm-git's own locks and
    /// the journal go. For when the branch moved since, and the person has checked by hand.
    public static func discard(in repository: Repository) throws -> Bool {
        guard let journal = try PublishJournal.load(from: repository) else { return false }
        for gitdir in journal.gitdirs {
            let inodes = journal.parts.filter { $0.gitdir == gitdir }.flatMap { [$0.lockInode] + ($0.stagedInode.map { [$0] } ?? []) }
            releaseLock(in: gitdir, token: journal.token, inodes: inodes)
        }
        PublishJournal.remove(from: repository)
        return true
    }

    /// Puts a part's HEAD back where it was, when it is where the publish moved it.
    static func putBack(_ move: PublishJournal.HeadMove, in repository: Repository) throws {
        switch move {
        case .branch(let name, let old, let new):
            guard try repository.resolve("refs/heads/" + name)?.hex == new else { return }
            try repository.updateReference("refs/heads/" + name, to: OID(hex: old)!, expecting: OID(hex: new)!,
                                           message: "bm-git recover: put back")
        case .detach(let branch, let old, let new):
            guard case .detached(let at) = try repository.head(), at.hex == new else { return }
            if let branch {
                try repository.attachHead(toBranch: branch)
            } else {
                try repository.detachHead(at: OID(hex: old)!)
            }
        }
    }

    /// Past the commit point: commits the staged indexes still in their locks.
    private static func finish(_ journal: PublishJournal, main: Repository) throws {
        for part in journal.parts.reversed() {
            let repository = try open(part, main: main)
            TreeCheckout.removeTemporaryFiles(of: journal.pid, near: part.paths, in: repository)
            let lock = part.gitdir + "/index.lock"
            if let staged = part.stagedInode, IndexLock.inode(of: lock) == staged {
                guard rename(lock, part.gitdir + "/index") == 0 else {
                    throw BuildmeisterError.git(operation: "write \(part.gitdir)/index", message: String(cString: strerror(errno)))
                }
            }
            unlink(part.gitdir + "/bm-git/index.next")
            unlink(part.gitdir + "/bm-git/index.next.lock")
        }
        if let origHead = journal.origHead {
            removeLock(main.gitdir + "/ORIG_HEAD.lock", holding: ["", origHead + "\n"])  // the killed write's
            setOrigHead(origHead, in: main, reason: "\(journal.operation) (recovered)")
        }
    }

    /// Points ORIG_HEAD at `hex`, the last step of a publish; the revert stands either way, so a
    /// failure only takes back the lock it may leave (empty, or holding `hex`).
    static func setOrigHead(_ hex: String, in repository: Repository, reason: String) {
        guard let commit = OID(hex: hex) else { return }
        if (try? repository.setOrigHead(commit, reason: reason)) == nil {
            removeLock(repository.gitdir + "/ORIG_HEAD.lock", holding: ["", hex + "\n"])
        }
    }

    /// Before the commit point: every part back as it was, last first. Returns the paths that
    /// held neither version (changed by hand since) and were left alone.
    private static func rollBack(_ journal: PublishJournal, main: Repository) throws -> [String] {
        var untouched: [String] = []
        for part in journal.parts.reversed() {
            let repository = try open(part, main: main)
            TreeCheckout.removeTemporaryFiles(of: journal.pid, near: part.paths, in: repository)
            try putBack(part.head, in: repository)
            for path in part.paths.reversed() {
                switch TreeCheckout.state(of: path, in: repository) {
                case .old: continue
                case .new, .missing: try TreeCheckout.putBack(path, in: repository)
                case .other: untouched.append(path.path)
                }
            }
            releaseLock(in: part.gitdir, token: journal.token, inodes: [part.lockInode] + (part.stagedInode.map { [$0] } ?? []))
        }
        return untouched
    }

    /// Removes bm-git's index lock in `gitdir` (known by its token while empty, else by one of
    /// its journaled inodes) and the next index it was writing.
    private static func releaseLock(in gitdir: String, token: String, inodes: [UInt64]) {
        let lock = gitdir + "/index.lock"
        if IndexLock.holds(token, at: lock) || IndexLock.inode(of: lock).map(inodes.contains) == true { unlink(lock) }
        unlink(gitdir + "/bm-git/index.next")
        unlink(gitdir + "/bm-git/index.next.lock")
    }

    /// A ref lock the killed process held: empty, or holding the value it was writing. (A lock
    /// another process takes afterwards holds another value.)
    private static func removeStaleReferenceLocks(_ part: PublishJournal.Part) {
        var candidates: [(path: String, values: [String])] = []
        switch part.head {
        case .branch(let name, _, let new):
            candidates.append((part.commondir + "/refs/heads/" + name + ".lock", ["", new + "\n"]))
        case .detach(let branch, _, let new):
            candidates.append((part.gitdir + "/HEAD.lock", ["", new + "\n"] + (branch.map { ["ref: refs/heads/\($0)\n"] } ?? [])))
        }
        for (path, values) in candidates { removeLock(path, holding: values) }
    }

    /// Removes the lock at `path` if it holds one of `values` (what the killed write was writing).
    private static func removeLock(_ path: String, holding values: [String]) {
        guard let data = FileManager.default.contents(atPath: path),
              values.contains(String(decoding: data, as: UTF8.self)) else { return }
        unlink(path)
    }

    /// `name.tmp-<pid>` and `index.lock-<pid>` files whose process no longer runs.
    private static func removeTemporaryFilesOfDeadProcesses(in directories: [String]) {
        for directory in Set(directories) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                guard let dash = name.lastIndex(of: "-"), let pid = Int32(name[name.index(after: dash)...]),
                      name[..<dash].hasSuffix(".tmp") || name[..<dash].hasSuffix("index.lock"),
                      kill(pid, 0) != 0 else { continue }
                unlink(directory + "/" + name)
            }
        }
    }

    /// FETCH_HEAD as it was before a killed fetch, in the repository and its submodules.
    private static func restoreFetchHeads(in repository: Repository) {
        FetchHeadGuard.restore(gitdir: repository.gitdir)
        let modules = repository.commondir + "/modules"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: modules)) ?? [] {
            FetchHeadGuard.restore(gitdir: modules + "/" + name)
        }
    }

    /// What a killed (or failed) libgit2 fetch leaves: its temporary packs, and the ref locks it
    /// holds while updating remote-tracking refs (empty, or the new object id).
    static func removeFetchLocks(in gitdir: String) {
        // libgit2's indexer names its temporary packs pack_git2_*; git never does.
        let packs = gitdir + "/objects/pack"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: packs)) ?? [] where name.hasPrefix("pack_git2_") {
            unlink(packs + "/" + name)
        }
        for directory in [gitdir + "/refs/remotes", gitdir] {
            guard let walker = FileManager.default.enumerator(atPath: directory) else { continue }
            while let relative = walker.nextObject() as? String {
                if directory == gitdir { walker.skipDescendants() }
                guard relative.hasSuffix(".lock"), directory != gitdir || relative == "packed-refs.lock"
                        || relative == "FETCH_HEAD.lock" else { continue }
                removeStaleLock(directory + "/" + relative)
            }
        }
    }

    /// Removes a lock file holding nothing, an object id, or what libgit2 writes into a config
    /// or packed-refs lock: the trace of a killed write. (A live process's lock is not touched
    /// while its journal names a running bm-git, which `run` checks first.)
    private static func removeStaleLock(_ path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let text = String(decoding: data.prefix(64), as: UTF8.self)
        let objectID = text.trimmingCharacters(in: .newlines)
        if data.isEmpty || (objectID.count == 40 && objectID.allSatisfy(\.isHexDigit)) || path.hasSuffix("config.lock")
            || path.hasSuffix("packed-refs.lock") || path.hasSuffix("FETCH_HEAD.lock") {
            unlink(path)
        }
    }

    private static func open(_ part: PublishJournal.Part, main: Repository) throws -> Repository {
        part.gitdir == main.gitdir ? main : try Repository.open(at: part.workdir)
    }

    /// Whether process `pid` runs bm-git (a reused pid of another program does not count).
    private static func isBMGit(_ pid: Int32) -> Bool {
        guard let command = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else { return false }
        return command.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("bm-git")
    }
}
