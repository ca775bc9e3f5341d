import Buildmeister
import Foundation

/// The pre-push guard's messages: one line per refused or tolerated ref, then the fix and
/// the bypass once. A push that passes cleanly prints nothing.
struct PushVerdictText {
    let terminal: Terminal
    let settings: Settings

    func lines(for verdict: PushVerdict, now: Date = Date()) -> [String] {
        let main = Sanitizer.clean("\(settings.remote.value)/\(settings.mainBranch.value)")
        var lines = verdict.warnings.map { "bm-git: warning: " + Sanitizer.clean($0) }
        for check in verdict.checks {
            let name = branchName(check.update)
            switch check.outcome {
            case .behind(let missing, let oldest):
                let age = RelativeTime.describe(seconds: Int64(now.timeIntervalSince1970) - oldest)
                lines.append("bm-git: " + terminal.paint("push of \(name) refused", .bad)
                             + ": it lacks \(commits(missing)) of \(main), the oldest from \(age)")
            case .tolerated(let missing):
                lines.append("bm-git: \(name) lacks \(commits(missing)) of \(main) "
                             + "(allowed: bm.prePush.maxBehind = \(settings.prePushMaxBehind.value))")
            case .merged, .notChecked:
                break
            }
        }
        if !verdict.refused.isEmpty {
            let fetch = "git fetch " + Sanitizer.clean(settings.remote.value)
            let branches = verdict.refused.map { localBranch($0.update) }
            for branch in branches.reduce(into: [String?](), { if !$0.contains($1) { $0.append($1) } }) {
                if let branch, branch != verdict.checkedOutBranch {
                    // Merging while another branch is checked out would merge into that one.
                    lines.append("bm-git: fix it:  \(fetch) && git checkout \(Sanitizer.clean(branch)) && git merge \(main)")
                } else {
                    lines.append("bm-git: fix it:  \(fetch) && git merge \(main)")
                }
            }
            lines.append(Self.bypass)
        }
        return lines
    }

    /// How to push anyway, once.
    static let bypass = "bm-git: bypass:  BM_SKIP=pre-push git push   (or git push --no-verify)"

    /// The local branch a push update comes from; nil for HEAD or another kind of ref.
    private func localBranch(_ update: PushUpdate) -> String? {
        update.localRef.hasPrefix("refs/heads/") ? String(update.localRef.dropFirst("refs/heads/".count)) : nil
    }

    private func branchName(_ update: PushUpdate) -> String {
        let target = Sanitizer.clean(update.remoteBranch ?? update.remoteRef)
        let local = update.localRef.hasPrefix("refs/heads/")
            ? String(update.localRef.dropFirst("refs/heads/".count)) : update.localRef
        return local == target ? target : "\(Sanitizer.clean(local)) (to \(target))"
    }

    private func commits(_ count: Int) -> String { count == 1 ? "1 commit" : "\(count) commits" }
}
