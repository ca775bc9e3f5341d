import GitKit

/// Refuses a push of a branch that does not contain the latest main branch of the configured
/// remote (`<bm.remote>/<main>` as last fetched, or fetched first with `bm.prePush.fetch`).
public enum PushGuard {
    /// Checks each update of a push. The pushed commit counts, not HEAD; the comparison is
    /// always with the configured remote's main branch, whichever remote is pushed to.
    public static func check(_ updates: [PushUpdate], in repository: Repository,
                             settings: Settings) throws -> PushVerdict {
        let mainBranch = settings.mainBranch.value
        let mainRef = settings.mainTrackingRef
        let toCheck = updates.filter { reasonNotChecked($0, mainBranch: mainBranch) == nil }
        var warnings: [String] = []
        do {
            if !toCheck.isEmpty, settings.prePushFetch.value {
                try requireRemote(settings.remote.value, in: repository)
                warnings += fetchMain(repository, settings: settings)
            }
            var mainTip: OID?
            if !toCheck.isEmpty {
                guard let tip = try repository.resolve(mainRef) else {
                    try requireRemote(settings.remote.value, in: repository)
                    throw BuildmeisterError.mainRefMissing(ref: mainRef, remote: settings.remote.value,
                                                           branch: mainBranch)
                }
                mainTip = tip
            }
            let index = AncestryIndex(repository: repository)
            defer { index.saveIfWorthwhile() }
            let checks = try updates.map { update -> PushVerdict.Check in
                if let reason = reasonNotChecked(update, mainBranch: mainBranch) {
                    return .init(update: update, outcome: .notChecked(reason))
                }
                return .init(update: update, outcome: try outcome(of: update.localCommit, against: mainTip!,
                                                                  index: index, repository: repository,
                                                                  maxBehind: settings.prePushMaxBehind.value))
            }
            let checkedOut = checks.contains(where: \.isRefused) ? try repository.head().branchName : nil
            return PushVerdict(mainRef: mainRef, checks: checks, warnings: warnings, checkedOutBranch: checkedOut)
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    /// Throws a clear error when `remote` is not a remote of the repository.
    private static func requireRemote(_ remote: String, in repository: Repository) throws {
        let known = try repository.remoteNames()
        guard known.contains(remote) else { throw BuildmeisterError.noSuchRemote(name: remote, known: known) }
    }

    private static func reasonNotChecked(_ update: PushUpdate, mainBranch: String) -> String? {
        if update.isDelete { return "delete" }
        guard let branch = update.remoteBranch else { return "not a branch" }
        if branch == mainBranch { return "the main branch itself" }
        return nil
    }

    private static func outcome(of pushed: OID, against mainTip: OID, index: AncestryIndex,
                                repository: Repository, maxBehind: Int) throws -> PushVerdict.Outcome {
        guard repository.contains(pushed) else { throw BuildmeisterError.unknownCommit(pushed.hex) }
        if try index.isAncestor(mainTip, of: pushed) { return .merged }
        let missing = try index.missing(from: mainTip, notIn: pushed)
        if missing.count <= maxBehind { return .tolerated(missing: missing.count) }
        return .behind(missing: missing.count, oldestTime: missing.oldestTime ?? 0)
    }

    /// Fetches the main branch within `bm.prePush.fetchTimeout`; returns a warning if it failed.
    private static func fetchMain(_ repository: Repository, settings: Settings) -> [String] {
        let remote = settings.remote.value, branch = settings.mainBranch.value
        let timeout = settings.prePushFetchTimeout.value
        let outcome = repository.fetch(remote: remote, refspecs: ["+refs/heads/\(branch):\(settings.mainTrackingRef)"],
                                       timeout: Double(timeout.seconds))
        switch outcome {
        case .fetched:
            return []
        case .timedOut:
            return ["fetching \(remote) \(branch) took longer than \(timeout); checking against the last fetched \(remote)/\(branch)"]
        case .failed(let reason):
            return ["could not fetch \(remote) \(branch) (\(reason)); checking against the last fetched \(remote)/\(branch)"]
        }
    }
}
