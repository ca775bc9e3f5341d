import Foundation

/// Keeps FETCH_HEAD byte for byte as it was across a libgit2 fetch, which truncates it even
/// when told not to write it, in a way a kill cannot break: the original is kept under a second
/// name (a hard link, or a marker when there was none) while libgit2 truncates a copy, and is
/// renamed back afterwards. `restore` also repairs what a killed fetch left.
public enum FetchHeadGuard {
    static func protect(gitdir: String) throws {
        let (path, saved, absent) = names(gitdir)
        restore(gitdir: gitdir)
        if access(path, F_OK) != 0 {
            let marker = open(absent, O_CREAT | O_WRONLY | O_CLOEXEC, 0o666)
            guard marker >= 0 else { throw GitError.system("create \(absent)") }
            close(marker)
            return
        }
        guard link(path, saved) == 0 else { throw GitError.system("keep \(path)") }
        let copy = path + ".bm-git-tmp"
        do {
            try FileCopy.copy(path, to: copy)
            guard rename(copy, path) == 0 else { throw GitError.system("copy \(path)") }
        } catch {
            unlink(copy)
            restore(gitdir: gitdir)
            throw error
        }
    }

    /// Puts FETCH_HEAD back as `protect` found it (a no-op when nothing is kept). Each step is
    /// tried twice, so a passing failure does not leave it changed.
    public static func restore(gitdir: String) {
        let (path, saved, absent) = names(gitdir)
        for _ in 0..<2 {
            unlink(path + ".bm-git-tmp")
            if access(saved, F_OK) == 0 {
                if rename(saved, path) == 0 { return }
            } else if access(absent, F_OK) == 0 {
                if unlink(path) == 0 || errno == ENOENT, unlink(absent) == 0 { return }
            } else {
                return
            }
        }
    }

    private static func names(_ gitdir: String) -> (path: String, saved: String, absent: String) {
        let directory = gitdir.hasSuffix("/") ? gitdir : gitdir + "/"
        return (directory + "FETCH_HEAD", directory + "FETCH_HEAD.bm-git-saved", directory + "FETCH_HEAD.bm-git-absent")
    }
}
