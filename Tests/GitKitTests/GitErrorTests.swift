import Clibgit2
import Testing
@testable import GitKit

@Suite struct GitErrorTests {
    @Test func aCodeWithoutAMessageIsExplainedInWords() {
        LibGit2.ensureInitialised()
        git_error_clear()
        #expect(GitError(code: GIT_ELOCKED.rawValue, operation: "x").message == "a lock file exists, or a file cannot be written")
        git_error_clear()
        #expect(GitError(code: -99, operation: "x").message == "libgit2 error -99")
    }

    @Test func lockFailuresNameTheLockAndTellPermissionsApart() {
        let locked = GitError(operation: "update", message: "failed to lock file '/r/.git/refs/heads/master.lock' for writing: ",
                              code: GIT_ELOCKED.rawValue)
        #expect(locked.lockDescription.hasPrefix("/r/.git/refs/heads/master.lock exists: "))
        let denied = GitError(operation: "update", message: "failed to create locked file '/r/.git/index.lock': Permission denied",
                              code: GIT_ELOCKED.rawValue)
        #expect(denied.lockDescription == "cannot write /r/.git/index.lock: permission denied")
    }
}
