import Foundation
import GitKit

/// Installs, re-installs and removes bm-git's pre-push shim in the effective hooks directory,
/// keeping any previous hook as `pre-push.bm-chained` (run first by the shim, put back on
/// uninstall). Files are written to a temporary name and renamed into place.
///
/// Hooks that the repository commits (husky's `.husky/pre-push`, a tracked `core.hooksPath`)
/// are never rewritten behind the team's back: install refuses and prints the line to add, or
/// adds it when asked with `intoTrackedHook`.
public enum HookInstaller {
    /// What an install or uninstall did.
    public enum Change: String, Sendable {
        case installed, updated, unchanged, chained, removed, restored, notInstalled, repaired
        /// The check's line was added to, or removed from, the committed hook script.
        case lineAdded = "line-added", lineRemoved = "line-removed"
    }

    /// Installs the shim that calls `binaryPath`. `force` replaces a pre-push that cannot be
    /// read (a dangling link, a directory) instead of refusing; `intoTrackedHook` consents to
    /// adding the check's line to a committed hook script.
    public static func install(_ repository: Repository, binaryPath: String, force: Bool,
                               intoTrackedHook: Bool = false) throws -> (change: Change, status: HookStatus) {
        let status = try HookStatus.read(repository)
        if let file = status.trackedHook, let manager = status.manager {
            guard intoTrackedHook else {
                throw BuildmeisterError.hooksCommitted(manager: manager.rawValue, hookFile: file,
                                                       line: HookStatus.trackedLine)
            }
            if status.trackedHookHasCheck { return (.unchanged, status) }
            try addTrackedLine(to: file)
            return (.lineAdded, try HookStatus.read(repository))
        }
        try makeWritableDirectory(status.directory)
        let hook = status.hookPath, chained = status.directory + "/" + HookStatus.chainedName
        let shim = HookShim.text(binaryPath: binaryPath)
        if status.preCommitMigrationMode {
            try repairPreCommitMigration(status, shim: shim)
            try? warmAncestryIndex(repository)
            return (.repaired, try HookStatus.read(repository))
        }
        let existing = try? String(contentsOfFile: hook, encoding: .utf8)
        let change: Change
        if !entryExists(hook) {
            change = .installed
        } else if status.isBmGit {
            if existing == shim && isExecutable(hook) && !force { return (.unchanged, status) }
            change = .updated
        } else if existing == nil && !force {
            throw BuildmeisterError.hookUnreadable(path: hook)
        } else if entryExists(chained) && !sameGenerator(existing, chained) {
            throw BuildmeisterError.hookChainOccupied(hook: hook, chained: chained)
        } else {
            change = .chained
        }
        let temporary = try writeTemporary(shim, in: status.directory)
        if change == .chained {
            // Whatever is there, even a dangling link, is kept (as the message promised), never deleted.
            if rename(hook, chained) != 0 {
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
        // The copy of our shim another manager moved aside is redundant now (and would come
        // back in front of that manager's hook if it were uninstalled).
        if let displaced = status.displacedShim { unlink(status.directory + "/" + displaced) }
        try? warmAncestryIndex(repository)
        return (change, try HookStatus.read(repository))
    }

    /// Removes the shim and puts a chained hook back; refuses to touch a hook that is not bm-git's.
    public static func uninstall(_ repository: Repository) throws -> (change: Change, status: HookStatus) {
        let status = try HookStatus.read(repository)
        if let file = status.trackedHook {
            guard status.trackedHookHasCheck else { return (.notInstalled, status) }
            try removeTrackedLine(from: file)
            return (.lineRemoved, try HookStatus.read(repository))
        }
        let chained = status.directory + "/" + HookStatus.chainedName
        if status.preCommitMigrationMode {
            // pre-commit's script stays; it runs pre-push.legacy, which becomes the hook we chained.
            let legacy = status.directory + "/" + HookStatus.legacyName
            if let kept = try? String(contentsOfFile: chained, encoding: .utf8), !HookStatus.isPreCommitScript(kept) {
                try move(chained, to: legacy, in: status.directory)
            } else {
                try remove(legacy, in: status.directory)
                if entryExists(chained) { try remove(chained, in: status.directory) }
            }
            return (.removed, try HookStatus.read(repository))
        }
        guard status.present else { return (.notInstalled, status) }
        guard status.isBmGit else { throw BuildmeisterError.hookNotOurs(path: status.hookPath) }
        if entryExists(chained) {
            try move(chained, to: status.hookPath, in: status.directory)
            return (.restored, try HookStatus.read(repository))
        }
        try remove(status.hookPath, in: status.directory)
        return (.removed, try HookStatus.read(repository))
    }

    /// `pre-commit install` moved our shim to `pre-push.legacy` and put its script at `pre-push`,
    /// whose run of the legacy hook then recurses into pre-commit and fails every push. Put the
    /// shim back first, with pre-commit's newest script as the chained hook.
    private static func repairPreCommitMigration(_ status: HookStatus, shim: String) throws {
        let directory = status.directory
        let chained = directory + "/" + HookStatus.chainedName, legacy = directory + "/" + HookStatus.legacyName
        if let kept = try? String(contentsOfFile: chained, encoding: .utf8), !HookStatus.isPreCommitScript(kept) {
            throw BuildmeisterError.hookChainOccupied(hook: status.hookPath, chained: chained)
        }
        let temporary = try writeTemporary(shim, in: directory)
        guard rename(status.hookPath, chained) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw BuildmeisterError.hooksDirectoryUnwritable(path: directory, reason: why)
        }
        guard rename(temporary, status.hookPath) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw BuildmeisterError.hooksDirectoryUnwritable(path: directory, reason: why)
        }
        unlink(legacy)
    }

    /// Builds the pre-push guard's ancestry cache for the main branch now, so that the first
    /// push does not pay for reading the whole history.
    private static func warmAncestryIndex(_ repository: Repository) throws {
        let settings = try Settings.load(from: repository)
        guard let tip = try repository.resolve(settings.mainTrackingRef) else { return }
        try AncestryIndex(repository: repository).prepare([tip])
    }

    // MARK: - The committed hook script

    /// Inserts the check's line right after the script's first line (so that it runs before
    /// anything that might `exit 0`), creating the script if there is none.
    private static func addTrackedLine(to file: String) throws {
        let directory = (file as NSString).deletingLastPathComponent
        try makeWritableDirectory(directory)
        var lines = (try? String(contentsOfFile: file, encoding: .utf8))?.components(separatedBy: "\n") ?? []
        let mode = (try? FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) ?? 0o755
        if lines.isEmpty || lines == [""] { lines = ["#!/bin/sh", ""] }
        lines.insert(HookStatus.trackedLine, at: lines[0].hasPrefix("#!") ? 1 : 0)
        try replace(file, with: lines.joined(separator: "\n"), mode: mode)
    }

    private static func removeTrackedLine(from file: String) throws {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        let mode = (try? FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) ?? 0o755
        let kept = text.components(separatedBy: "\n").filter { $0 != HookStatus.trackedLine }
        try replace(file, with: kept.joined(separator: "\n"), mode: mode)
    }

    // MARK: - Files

    private static func replace(_ file: String, with text: String, mode: Int) throws {
        let directory = (file as NSString).deletingLastPathComponent
        let temporary = try writeTemporary(text, in: directory, mode: mode)
        guard rename(temporary, file) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw BuildmeisterError.hooksDirectoryUnwritable(path: directory, reason: why)
        }
    }

    private static func makeWritableDirectory(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BuildmeisterError.hooksDirectoryUnwritable(path: directory, reason: reason(error))
        }
        guard access(directory, W_OK) == 0 else {
            throw BuildmeisterError.hooksDirectoryUnwritable(path: directory, reason: String(cString: strerror(errno)))
        }
    }

    /// Writes `text` to a new temporary file in `directory` and returns its path.
    private static func writeTemporary(_ text: String, in directory: String, mode: Int = 0o755) throws -> String {
        let temporary = directory + "/.pre-push.bm-git-\(getpid())"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw BuildmeisterError.hooksDirectoryUnwritable(path: directory, reason: reason(error))
        }
        return temporary
    }

    private static func move(_ source: String, to destination: String, in directory: String) throws {
        guard rename(source, destination) == 0 else {
            throw BuildmeisterError.hooksDirectoryUnwritable(path: directory, reason: String(cString: strerror(errno)))
        }
    }

    private static func remove(_ path: String, in directory: String) throws {
        guard unlink(path) == 0 else {
            throw BuildmeisterError.hooksDirectoryUnwritable(path: directory, reason: String(cString: strerror(errno)))
        }
    }

    /// Whether the hook now at `pre-push` and the chained one were both written by the same
    /// manager's install (run again after bm-git's): the newer one replaces the older.
    private static func sameGenerator(_ existing: String?, _ chained: String) -> Bool {
        guard let existing, let kept = try? String(contentsOfFile: chained, encoding: .utf8),
              let kind = HookStatus.generator(of: existing) else { return false }
        return HookStatus.generator(of: kept) == kind
    }

    /// Whether anything (even a dangling symbolic link) is at `path`.
    private static func entryExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
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
