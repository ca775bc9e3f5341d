import Foundation
import GitKit

/// Installs, re-installs and removes bm-git's pre-push shim in the effective hooks directory,
/// keeping any previous hook as `pre-push.bm-chained` (run first by the shim, put back on
/// uninstall). Files are written to a temporary name and renamed into place.
public enum HookInstaller {
    /// What an install or uninstall did.
    public enum Change: String, Sendable {
        case installed, updated, unchanged, chained, removed, restored, notInstalled
    }

    /// Installs the shim that calls `binaryPath`. `force` replaces a pre-push that cannot be
    /// read (a dangling link, a directory) instead of refusing.
    public static func install(_ repository: Repository, binaryPath: String, force: Bool) throws
        -> (change: Change, status: HookStatus) {
        let status = try HookStatus.read(repository)
        let files = FileManager.default
        let hook = status.hookPath, chained = status.directory + "/" + HookStatus.chainedName
        do {
            try files.createDirectory(atPath: status.directory, withIntermediateDirectories: true)
        } catch {
            throw BuildmeisterError.hooksDirectoryUnwritable(path: status.directory, reason: reason(error))
        }
        guard access(status.directory, W_OK) == 0 else {
            throw BuildmeisterError.hooksDirectoryUnwritable(path: status.directory, reason: String(cString: strerror(errno)))
        }
        let shim = HookShim.text(binaryPath: binaryPath)
        let existing = try? String(contentsOfFile: hook, encoding: .utf8)
        let exists = entryExists(hook)
        var change: Change
        if !exists {
            change = .installed
        } else if status.isBmGit {
            if existing == shim && isExecutable(hook) && !force { return (.unchanged, status) }
            change = .updated
        } else if existing == nil && !force {
            throw BuildmeisterError.hookUnreadable(path: hook)
        } else if entryExists(chained) {
            throw BuildmeisterError.hookChainOccupied(hook: hook, chained: chained)
        } else {
            change = .chained
        }
        let temporary = status.directory + "/.pre-push.bm-git-\(getpid())"
        do {
            try Data(shim.utf8).write(to: URL(fileURLWithPath: temporary))
            try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
        } catch {
            try? files.removeItem(atPath: temporary)
            throw BuildmeisterError.hooksDirectoryUnwritable(path: status.directory, reason: reason(error))
        }
        if change == .chained {
            if existing == nil && isDanglingLink(hook) {
                try? files.removeItem(atPath: hook)
                change = .installed
            } else if rename(hook, chained) != 0 {
                let why = String(cString: strerror(errno))
                unlink(temporary)
                throw BuildmeisterError.hooksDirectoryUnwritable(path: status.directory, reason: why)
            }
        }
        if rename(temporary, hook) != 0 {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            if change == .chained { rename(chained, hook) }
            throw BuildmeisterError.hooksDirectoryUnwritable(path: status.directory, reason: why)
        }
        try? warmAncestryIndex(repository)
        return (change, try HookStatus.read(repository))
    }

    /// Builds the pre-push guard's ancestry cache for the main branch now, so that the first
    /// push does not pay for reading the whole history.
    private static func warmAncestryIndex(_ repository: Repository) throws {
        let settings = try Settings.load(from: repository)
        guard let tip = try repository.resolve(settings.mainTrackingRef) else { return }
        try AncestryIndex(repository: repository).prepare([tip])
    }

    /// Removes the shim and puts a chained hook back; refuses to touch a hook that is not bm-git's.
    public static func uninstall(_ repository: Repository) throws -> (change: Change, status: HookStatus) {
        let status = try HookStatus.read(repository)
        guard status.present else { return (.notInstalled, status) }
        guard status.isBmGit else { throw BuildmeisterError.hookNotOurs(path: status.hookPath) }
        let chained = status.directory + "/" + HookStatus.chainedName
        if entryExists(chained) {
            guard rename(chained, status.hookPath) == 0 else {
                throw BuildmeisterError.hooksDirectoryUnwritable(path: status.directory,
                                                                 reason: String(cString: strerror(errno)))
            }
            return (.restored, try HookStatus.read(repository))
        }
        guard unlink(status.hookPath) == 0 else {
            throw BuildmeisterError.hooksDirectoryUnwritable(path: status.directory,
                                                             reason: String(cString: strerror(errno)))
        }
        return (.removed, try HookStatus.read(repository))
    }

    /// Whether anything (even a dangling symbolic link) is at `path`.
    private static func entryExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private static func isDanglingLink(_ path: String) -> Bool {
        entryExists(path) && !FileManager.default.fileExists(atPath: path)
    }

    private static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

    private static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(code)))
        }
        return (error as NSError).localizedDescription
    }
}
