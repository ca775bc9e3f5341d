import GitKit

/// Every failure bm-git reports to a user. The one-line messages are built here and nowhere else.
public enum BuildmeisterError: Error, Sendable, Equatable {
    /// No repository at or above the directory.
    case notARepository(path: String)
    /// A `bm.*` (or other) config value bm-git cannot use.
    case invalidSetting(key: String, value: String, expected: String, inTeamFile: Bool = false)
    /// A command-line option's value cannot be read.
    case invalidFlag(flag: String, value: String, expected: String)
    /// The pre-push hook's stdin has a line that is not `<local-ref> <sha> <remote-ref> <sha>`.
    case malformedPushInput(line: Int, text: String)
    /// The remote-tracking ref of the main branch does not exist.
    case mainRefMissing(ref: String, remote: String, branch: String)
    /// A commit id that the repository does not hold.
    case unknownCommit(String)
    /// The hooks directory cannot be created or written.
    case hooksDirectoryUnwritable(path: String, reason: String)
    /// A pre-push hook exists but cannot be read, so it cannot be chained safely.
    case hookUnreadable(path: String)
    /// A foreign pre-push hook exists and so does a chained one: chaining would lose one.
    case hookChainOccupied(hook: String, chained: String)
    /// `--uninstall` found a pre-push hook that bm-git did not install.
    case hookNotOurs(path: String)
    /// The hooks are committed to the repository (husky, a tracked `core.hooksPath`).
    case hooksCommitted(manager: String, hookFile: String, line: String)
    /// `bm.remote` names no remote of the repository.
    case noSuchRemote(name: String, known: [String])
    /// Another git process holds `index.lock`.
    case indexLocked(path: String)
    /// The branch moved (or HEAD switched) between planning and publishing.
    case branchMoved(branch: String)
    /// Checking out the new commit would overwrite local changes.
    case wouldOverwriteLocalChanges
    /// The command needs a branch checked out.
    case detachedHead(command: String)
    /// The current branch has no commits yet.
    case noCommits(branch: String)
    /// A merge, rebase, revert, cherry-pick, bisect or am is in progress.
    case operationInProgress(String)
    /// A revision that names nothing.
    case unknownRevision(String)
    /// An abbreviated sha that matches several objects.
    case ambiguousRevision(String)
    /// The commit is not in the history of the current branch.
    case notOnBranch(commit: String, branch: String, containing: [String])
    /// Staged, unstaged or conflicted changes to tracked files.
    case dirtyWorkTree(staged: Int, unstaged: Int)
    /// The fix-it window has not passed yet.
    case revertWindowOpen(commit: String, left: TimeSpan, endsAt: String, author: String)
    /// A later commit on the branch already reverts it.
    case alreadyReverted(commit: String, by: String, subject: String)
    /// A merge that is not on the branch's first-parent line needs `--mainline`.
    case mainlineRequired(commit: String, parents: Int)
    /// `--mainline` given for a commit that is not a merge, or out of range.
    case invalidMainline(commit: String, mainline: Int, parents: Int)
    /// The revert conflicts with later changes.
    case revertConflicts(commit: String, paths: [String])
    /// Reverting would change nothing: the changes are already gone.
    case nothingToRevert(commit: String)
    /// No author identity configured.
    case identityMissing
    /// `commit.gpgSign` is set and bm-git cannot sign.
    case signingUnsupported
    /// A time that is neither ISO 8601 nor unix seconds.
    case invalidTime(String)
    /// The submodule's work-tree path is a symbolic link.
    case submodulePathIsLink(path: String)
    /// `--broken-at` after now.
    case futureTime(String)
    /// revert-break was given a branch name: its tip moves, so reverting it needs `--yes`.
    case branchNameGiven(name: String, commit: String, subject: String)
    /// Reverting needs a parent that the shallow clone does not have.
    case beyondShallowHistory(commit: String)
    /// The command changes a work tree, and the repository is bare.
    case bareRepository(command: String)
    /// roll-amp was run inside the submodule rather than in its superproject.
    case insideSubmodule(submodule: String, superproject: String)
    /// The new commit is in place locally but the push failed.
    case pushFailed(commit: String, branch: String, reason: String)
    /// The committed branch may not be pushed: the pre-push guard refused it.
    case pushRefused(commit: String, branch: String, reason: String)
    /// The branch has no upstream to push to.
    case noUpstream(branch: String)
    /// Staged changes in the superproject would be swept into the roll commit.
    case stagedChanges(count: Int)
    /// The branch and its upstream have both moved on.
    case diverged(branch: String, upstream: String, ahead: Int, behind: Int)
    /// No submodule by that name or path.
    case noSuchSubmodule(String)
    /// The submodule's remote branch does not exist after fetching.
    case submoduleBranchMissing(submodule: String, ref: String)
    /// The target is not a descendant of the current pointer.
    case rewindRefused(submodule: String, from: String, to: String)
    /// The submodule's work tree has changes to tracked files.
    case submoduleDirty(submodule: String, changes: Int)
    /// The submodule's HEAD has commits that are on no remote and not in the target.
    case submoduleLocalCommits(submodule: String, count: Int)
    /// Fetching failed.
    case fetchFailed(remote: String, reason: String)
    /// The log file cannot be read.
    case unreadableLog(String, reason: String)
    /// culprit was given no failing test.
    case noFailuresGiven
    /// `--bad` is not after `--good`.
    case emptyRange(good: String, bad: String)
    /// The test command ended in a way bisect cannot read (a signal, an exit of 128 or more).
    case bisectAborted(commit: String, status: Int32)
    /// A triage input is in none of the formats triage reads.
    case unreadableTriageInput(String, reason: String)
    /// A libgit2 call failed in a way bm-git has no more specific message for.
    case git(operation: String, message: String)
    /// A lock file exists (or cannot be made); the message names it.
    case locked(String)
    /// A publish was interrupted; `bm-git recover` resolves it.
    case interruptedPublish(operation: String)
    case journalUnreadable(path: String)
    /// The branch moved, but an index could not be committed; `bm-git recover` finishes.
    case publishUnfinished(reason: String)
    /// Recovery found the branch neither where the publish started nor where it was going.
    case recoveryBranchMoved(branch: String)
    /// Another bm-git process is publishing right now.
    case publishRunning(pid: Int32)

    public init(_ error: GitError) {
        self = error.isLocked ? .locked(error.lockDescription) : .git(operation: error.operation, message: error.message)
    }

    /// A failure while publishing onto `branch`, in the words of what it means there.
    public init(publishing error: GitError, branch: String) {
        if error.isModified {
            self = .branchMoved(branch: branch)
        } else if error.isConflict {
            self = .git(operation: "check out", message: error.message)
        } else {
            self.init(error)
        }
    }

    /// The exit code this failure leaves with.
    public var exitStatus: ExitStatus {
        switch self {
        case .invalidFlag, .noFailuresGiven: return .usage
        case .alreadyReverted, .nothingToRevert: return .ok
        case .mainRefMissing, .hooksCommitted, .revertWindowOpen, .pushRefused, .branchNameGiven: return .refused
        case .notARepository, .invalidSetting, .git, .malformedPushInput,
             .unknownCommit, .hooksDirectoryUnwritable, .hookUnreadable,
             .hookChainOccupied, .hookNotOurs, .indexLocked, .branchMoved, .wouldOverwriteLocalChanges,
             .detachedHead, .noCommits, .operationInProgress, .unknownRevision, .ambiguousRevision, .notOnBranch,
             .dirtyWorkTree, .mainlineRequired, .invalidMainline, .revertConflicts,
             .identityMissing, .signingUnsupported, .invalidTime, .pushFailed, .noUpstream, .stagedChanges, .noSuchRemote,
             .diverged, .noSuchSubmodule, .submoduleBranchMissing, .rewindRefused, .submoduleDirty,
             .submoduleLocalCommits, .fetchFailed, .unreadableLog, .locked, .interruptedPublish,
             .journalUnreadable, .publishUnfinished, .recoveryBranchMoved, .publishRunning,
             .futureTime, .submodulePathIsLink, .bareRepository, .insideSubmodule, .beyondShallowHistory,
             .unreadableTriageInput, .emptyRange, .bisectAborted:
            return .failed
        }
    }

    /// One line for the terminal, naming the cause and, where there is one, the way out.
    public var message: String {
        switch self {
        case .notARepository(let path):
            return "not a git repository (or any parent up to /): \(path); run bm-git inside a clone"
        case .invalidFlag(let flag, let value, let expected):
            return "invalid value '\(value)' for \(flag): expected \(expected)"
        case .invalidSetting(let key, let value, let expected, let inTeamFile):
            return "invalid value '\(value)' for \(key)" + (inTeamFile ? " in .bm-git" : "") + ": expected \(expected); "
                + (inTeamFile ? "fix it with `git config -f .bm-git \(key) <value>` and commit it, or override it with `git config \(key) <value>`"
                              : "fix it with `git config \(key) <value>`")
        case .malformedPushInput(let line, let text):
            return "malformed pre-push input on line \(line): '\(text)'; expected "
                + "'<local-ref> <local-sha> <remote-ref> <remote-sha>', as git push writes it (githooks(5))"
        case .mainRefMissing(let ref, let remote, let branch):
            return "cannot check the push: \(ref) does not exist; create it with `git fetch \(remote) \(branch)`"
        case .unknownCommit(let sha):
            return "commit \(sha) is not in this repository"
        case .hooksDirectoryUnwritable(let path, let reason):
            return "cannot write the hooks directory \(path): \(reason); nothing was changed"
        case .hookUnreadable(let path):
            return "\(path) exists but cannot be read; use --force to keep it as pre-push.bm-chained and install"
        case .hookChainOccupied(let hook, let chained):
            return "\(hook) is not bm-git's and \(chained) already exists; move one of them aside, then install again"
        case .hookNotOurs(let path):
            return "\(path) is not bm-git's hook; leaving it alone"
        case .hooksCommitted(let manager, let hookFile, let line):
            let whose = manager == "husky" ? "husky manages this repository's hooks" : "this repository commits its hooks"
            return "\(whose), so bm-git will not install a hook file; add this line to \(hookFile) and commit it "
                + "(or let `bm-git install-hooks --tracked` add it): \(line)"
        case .noSuchRemote(let name, let known):
            let choice = known.isEmpty ? "the repository has no remote; add one (git remote add origin <url>)"
                : "set bm.remote to one of: \(known.joined(separator: ", "))"
            return "cannot check the push: there is no remote named \(name); \(choice)"
        case .indexLocked(let path):
            return "the index is locked (\(path) exists): another git process is running; "
                + "wait for it, or remove the file if it crashed"
        case .branchMoved(let branch):
            return "\(branch) moved while bm-git was working (another process committed or switched branches); "
                + "nothing was changed, run the command again"
        case .wouldOverwriteLocalChanges:
            return "the change would overwrite local modifications; commit or stash them first"
        case .detachedHead(let command):
            return "HEAD is detached; check out the branch to \(command) first (git switch <branch>)"
        case .noCommits(let branch):
            return "\(branch) has no commits yet; there is nothing to work on"
        case .operationInProgress(let state):
            return "a \(state) is in progress; finish or abort it first (git status shows how)"
        case .unknownRevision(let revision):
            return "unknown revision '\(revision)': no commit by that name"
        case .ambiguousRevision(let revision):
            return "ambiguous revision '\(revision)': several objects start with it; give more digits"
        case .notOnBranch(let commit, let branch, let containing):
            let hint = containing.isEmpty ? "no local branch contains it"
                : "switch to \(containing.prefix(3).joined(separator: " or ")) (git switch \(containing[0]))"
            return "commit \(commit) is not in the history of \(branch); \(hint)"
        case .dirtyWorkTree(let staged, let unstaged):
            return "the work tree has \(staged) staged and \(unstaged) unstaged changes to tracked files; "
                + "commit or stash them first"
        case .revertWindowOpen(let commit, let left, let endsAt, let author):
            return "the fix-it window for \(commit) is still open: \(left) left (until \(endsAt)); "
                + "ask \(author) for a fix, or revert now with --now"
        case .alreadyReverted(let commit, let by, let subject):
            return "\(commit) is already reverted by \(by) \"\(subject)\"; nothing to do"
        case .mainlineRequired(let commit, let parents):
            return "\(commit) is a merge with \(parents) parents that is not on the branch's first-parent line; "
                + "choose the parent to keep with --mainline N (1-\(parents))"
        case .invalidMainline(let commit, let mainline, let parents):
            return parents < 2
                ? "--mainline \(mainline) given, but \(commit) is not a merge; drop --mainline"
                : "--mainline \(mainline) is out of range: \(commit) has \(parents) parents"
        case .revertConflicts(let commit, let paths):
            return "reverting \(commit) conflicts with later changes in \(paths.joined(separator: ", ")); "
                + "nothing was changed: revert it by hand (git revert \(commit))"
        case .nothingToRevert(let commit):
            return "reverting \(commit) changes nothing: its changes are already gone from the branch; nothing to do"
        case .identityMissing:
            return "no identity for the commit: set user.name and user.email (git config user.name \"Your Name\")"
        case .signingUnsupported:
            return "commit.gpgSign is true and bm-git cannot sign commits; nothing was changed: "
                + "make this commit with git, or run with commit.gpgSign=false for this repository"
        case .invalidTime(let text):
            return "invalid time '\(text)': use ISO 8601 (2026-11-25T10:00:00Z), unix seconds, "
                + "or a date as git reads it (\"2 hours ago\", \"yesterday 14:00\", \"2026-11-25 10:00\")"
        case .pushFailed(let commit, let branch, let reason):
            return "committed \(commit) on \(branch), but the push failed: \(reason); "
                + "the commit stays, push it with git push"
        case .pushRefused(let commit, let branch, let reason):
            return "committed \(commit) on \(branch), but did not push it: \(reason)"
        case .noUpstream(let branch):
            return "\(branch) has no upstream to push to; set one with git branch --set-upstream-to"
        case .stagedChanges(let count):
            return "\(count) staged change\(count == 1 ? "" : "s") would go into the roll commit; "
                + "commit or unstage them first (git restore --staged <path>)"
        case .diverged(let branch, let upstream, let ahead, let behind):
            return "\(branch) and \(upstream) have diverged (\(ahead) and \(behind) commits); "
                + "merge or rebase first, or roll without pulling (--no-pull)"
        case .noSuchSubmodule(let name):
            return "no submodule named \(name) here; name it with --submodule or git config bm.submodule"
        case .submoduleBranchMissing(let submodule, let ref):
            return "\(submodule) has no \(ref) after fetching; set submodule.\(submodule).branch in .gitmodules "
                + "or bm.mainBranch"
        case .rewindRefused(let submodule, let from, let to):
            return "\(to) is not a descendant of \(submodule)'s current pointer \(from): that would roll "
                + "\(submodule) back; use --allow-rewind if that is what you want"
        case .submoduleDirty(let submodule, let changes):
            return "\(submodule) has \(changes) uncommitted change\(changes == 1 ? "" : "s"); "
                + "commit or stash them in \(submodule) first"
        case .submoduleLocalCommits(let submodule, let count):
            return "\(submodule)'s HEAD has \(count) commit\(count == 1 ? "" : "s") that no remote has and "
                + "the target lacks; push or move them first, or they would be left behind"
        case .fetchFailed(let remote, let reason):
            return "could not fetch \(remote): \(reason); nothing was changed"
        case .emptyRange(let good, let bad):
            return "there is nothing between \(good) and \(bad): --bad must be a descendant of --good"
        case .bisectAborted(let commit, let status):
            return "the test command ended with \(status) at \(commit), which bisect does not read as good, bad or skip "
                + "(0 good, 125 skip, 1-127 bad): fix the command, or make it exit with one of those"
        case .noFailuresGiven:
            return "no failing test to explain: give pytest ids, or --from a log, a JUnit report or bm-git triage --json output"
        case .unreadableTriageInput(let input, let reason):
            return "cannot triage \(input == "-" ? "stdin" : input): \(reason); give a pytest console or CI log, "
                + "a JUnit XML report (pytest --junitxml) or .pytest_cache/v/cache/lastfailed"
        case .unreadableLog(let log, let reason):
            return "cannot read the log \(log): \(reason)"
        case .git(let operation, let message):
            return "\(operation) failed: \(message)"
        case .submodulePathIsLink(let path):
            return "\(path) is a symbolic link in the work tree; a submodule cannot be cloned through it "
                + "(git refuses too): remove the link, then run the command again"
        case .futureTime(let text):
            return "\(text) is in the future; give the time the build broke (--broken-at)"
        case .branchNameGiven(let name, let commit, let subject):
            return "\(name) is a branch, not a commit: reverting it would revert its tip, \(commit) \"\(subject)\", "
                + "whatever that is by now; give the commit's id, or add --yes to revert the tip"
        case .beyondShallowHistory(let commit):
            return "\(commit)'s parent is not in this shallow clone, so its change cannot be computed; "
                + "deepen it (git fetch --deepen=1, or --unshallow), then run again"
        case .insideSubmodule(let submodule, let superproject):
            return "this is the submodule \(submodule) of the superproject at \(superproject); "
                + "roll-amp moves the superproject's pointer: run it there (cd \(superproject))"
        case .bareRepository(let command):
            return "\(command) needs a work tree, and this repository is bare; run it in a clone with a checkout"
        case .locked(let description):
            return description + "; nothing was changed"
        case .interruptedPublish(let operation):
            return "an earlier \(operation) was interrupted before it finished; run bm-git recover first"
        case .journalUnreadable(let path):
            return "cannot read \(path), the record of an interrupted publish; check the repository by hand "
                + "(git status), then remove the file"
        case .publishUnfinished(let reason):
            return "the branch moved, but the index could not be written (\(reason)); run bm-git recover to finish"
        case .recoveryBranchMoved(let branch):
            return "\(branch) moved since the publish was interrupted; check the work tree by hand (git status), "
                + "then run bm-git recover --discard"
        case .publishRunning(let pid):
            return "bm-git (process \(pid)) is still publishing; wait for it to finish"
        }
    }
}
