import GitKit

/// Gathers the facts a person on build duty checks first. Reads only; changes nothing.
public enum Doctor {
    public static func inspect(_ repository: Repository, settings: Settings) throws -> DoctorReport {
        do {
            let head = try repository.head()
            let headCommit = head.commit
            var upstream: DoctorReport.Comparison?
            if case .branch(let name, _) = head, let ref = try repository.upstream(ofBranch: name) {
                upstream = try compare(headCommit, with: ref, in: repository)
            }
            let hook = try HookStatus.read(repository)
            let outer = repository.superproject()
            return DoctorReport(
                repository: .init(root: repository.workdir, gitDir: repository.gitdir,
                                  commonDir: repository.commondir, bare: repository.isBare,
                                  linkedWorktree: repository.isLinkedWorktree, empty: repository.isEmpty,
                                  superproject: outer?.workTree, submoduleOf: outer?.submodule),
                head: .init(branch: head.branchName, detached: head.branchName == nil,
                            unborn: headCommit == nil && head.branchName != nil, commit: headCommit?.hex),
                upstream: upstream,
                main: .init(remote: settings.remote.value, branch: settings.mainBranch.value, reason: settings.mainBranchReason,
                            tracking: try compare(headCommit, with: settings.mainTrackingRef, in: repository)),
                status: repository.isBare ? nil : try repository.status(),
                submodule: try submodule(in: repository, head: head, settings: settings),
                hook: .init(directory: hook.directory, hooksPath: hook.fromHooksPath, path: hook.hookPath,
                            installed: hook.checkInstalled, outdated: hook.isOutdated, foreign: hook.present && !hook.isBmGit, chained: hook.chained,
                            manager: hook.manager?.rawValue, preCommitMigrationMode: hook.preCommitMigrationMode,
                            displacedShim: hook.displacedShim),
                settings: try settings.entries(from: repository.config()).map { .init(key: $0.key, value: $0.value, source: $0.source.rawValue,
                                                       origin: $0.origin?.rawValue) },
                teamConfig: teamConfig(repository.teamConfig),
                unknownSettings: try Settings.unknownKeys(in: repository.config()).map {
                    .init(key: $0.key, origin: $0.origin?.rawValue, didYouMean: $0.didYouMean)
                },
                libgit2: .init(version: LibGit2.version, features: LibGit2.features),
                interruptedPublish: try PublishJournal.load(from: repository)?.operation
            )
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    private static func teamConfig(_ team: TeamConfig) -> DoctorReport.TeamConfigFacts {
        switch team.state {
        case .absent: return .init(state: "absent")
        case .read(let path, let entries, let ignored):
            return .init(state: "read", path: path, entries: entries, ignoredKeys: ignored)
        case .ignored(let reason): return .init(state: "ignored", reason: reason)
        }
    }

    /// Compares `commit` with the tip of `ref`; counts are nil when either side is missing
    /// or the two share no objects (as when a submodule has not fetched the pointer).
    private static func compare(_ commit: OID?, with ref: String, in repository: Repository) throws
        -> DoctorReport.Comparison {
        let tip = try repository.resolve(ref)
        var comparison = DoctorReport.Comparison(ref: ref, exists: tip != nil, commit: tip?.hex)
        if let commit, let tip, let counts = try? repository.aheadBehind(commit, tip) {
            comparison.ahead = counts.ahead
            comparison.behind = counts.behind
        }
        return comparison
    }

    private static func submodule(in repository: Repository, head: Head, settings: Settings) throws
        -> DoctorReport.SubmoduleFacts {
        let name = settings.submodule.value
        guard !repository.isBare, let info = try repository.submodule(named: name) else {
            return .init(name: name, present: false, branch: settings.submoduleBranch(declared: nil, head: head),
                         initialised: false, cloned: false)
        }
        let branch = settings.submoduleBranch(declared: info.branch, head: head)
        var facts = DoctorReport.SubmoduleFacts(
            name: info.name, present: true, path: info.path, url: info.url, branch: branch,
            initialised: info.isInitialised, cloned: info.isCloned, pointer: info.headCommit?.hex,
            staged: info.indexCommit == info.headCommit ? nil : info.indexCommit?.hex,
            checkedOut: info.checkedOutCommit?.hex)
        if let inner = try repository.openSubmodule(named: info.name) {
            facts.tracking = try compare(info.headCommit, with: "refs/remotes/origin/\(branch)", in: inner)
        }
        return facts
    }
}
