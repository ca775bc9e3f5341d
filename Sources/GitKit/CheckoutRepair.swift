import Clibgit2
import Glibc

extension TreeCheckout {
    /// What a journaled path holds now.
    public enum PathState: Sendable, Equatable {
        /// Nothing is there (for a path with no old version, that is `old`).
        case old, new, missing, other
    }

    /// Whether `path` in `repository`'s work tree holds its old version, its new one, nothing, or
    /// something else (a submodule directory counts as whatever its index entry says: `old`).
    public static func state(of path: CheckoutPath, in repository: Repository) -> PathState {
        guard let workdir = repository.workdir, let directories = WorkTreeDirectories(root: workdir) else { return .other }
        func holds(_ version: CheckoutPath.Version?) -> Bool {
            guard let version else { return directories.status(of: path.path) == nil }
            if version.mode == gitlinkMode { return true }
            guard let info = directories.status(of: path.path), let id = OID(hex: version.blob) else { return false }
            if version.mode == symlinkMode {
                guard info.st_mode & S_IFMT == S_IFLNK else { return false }
                var buffer = [CChar](repeating: 0, count: 4097)
                let count = readlink(workdir + "/" + path.path, &buffer, 4096)
                let target = count >= 0 ? Array(buffer[..<count].map { UInt8(bitPattern: $0) }) : nil
                return target == (try? repository.withBlob(id) { Array($0) })
            }
            guard info.st_mode & S_IFMT == S_IFREG, (info.st_mode & 0o100 != 0) == (version.mode == 0o100755) else {
                return false
            }
            var hashed = git_oid()
            return git_repository_hashfile(&hashed, repository.pointer, workdir + "/" + path.path, GIT_OBJECT_BLOB,
                                           path.path) == 0 && OID(hashed) == id
        }
        if holds(path.old) { return .old }
        if holds(path.new) { return .new }
        return directories.status(of: path.path) == nil ? .missing : .other
    }

    /// Gives `path` its old version again (whole, as a checkout writes it).
    public static func putBack(_ path: CheckoutPath, in repository: Repository) throws {
        guard let workdir = repository.workdir, let directories = WorkTreeDirectories(root: workdir) else { return }
        let change = TreeFileChange(path: path.path, old: path.old.flatMap(Self.version), new: path.new.flatMap(Self.version))
        let filtered = try !repository.filtersCannotApply(to: [path.path], in: repository.tree(ofCommit: repository.headCommit()))
        try restore(change, in: repository, directories: directories, filtered: filtered)
    }

    /// Removes what a killed bm-git process `pid` left of its temporary files in the
    /// directories of `paths` and the work tree's root (where the spare file lives).
    public static func removeTemporaryFiles(of pid: Int32, near paths: [CheckoutPath], in repository: Repository) {
        guard let workdir = repository.workdir else { return }
        let prefix = temporaryPrefix + "\(pid)-"
        for directory in Set(paths.map { WorkTreeDirectories.split($0.path).parent } + [""]) {
            let full = directory.isEmpty ? workdir : workdir + "/" + directory
            guard let stream = opendir(full) else { continue }
            defer { closedir(stream) }
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
                }
                if name.hasPrefix(prefix) { unlink(full + "/" + name) }
            }
        }
    }

    private static let gitlinkMode: UInt32 = 0o160000, symlinkMode: UInt32 = 0o120000

    private static func version(_ version: CheckoutPath.Version) -> (id: OID, mode: UInt32)? {
        OID(hex: version.blob).map { ($0, version.mode) }
    }
}

extension Repository {
    /// The commit HEAD points to (an error when there is none).
    func headCommit() throws -> OID {
        guard let commit = try head().commit else {
            throw GitError(operation: "read HEAD", message: "HEAD has no commit", code: GIT_EUNBORNBRANCH.rawValue)
        }
        return commit
    }
}
