import Buildmeister
import Foundation

/// The pre-push guard's messages: one line per refused or tolerated ref, then the fix and
/// the bypass once. A push that passes cleanly prints nothing.
struct PushVerdictText {
    let terminal: Terminal
    let settings: Settings

    func lines(for verdict: PushVerdict, now: Date = Date()) -> [String] {
        let main = "\(settings.remote.value)/\(settings.mainBranch.value)"
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
            let remote = settings.remote.value
            lines.append("bm-git: fix it:  git fetch \(remote) && git merge \(main)")
            lines.append("bm-git: bypass:  BM_SKIP=pre-push git push   (or git push --no-verify)")
        }
        return lines
    }

    private func branchName(_ update: PushUpdate) -> String {
        let target = Sanitizer.clean(update.remoteBranch ?? update.remoteRef)
        let local = update.localRef.hasPrefix("refs/heads/")
            ? String(update.localRef.dropFirst("refs/heads/".count)) : update.localRef
        return local == target ? target : "\(Sanitizer.clean(local)) (to \(target))"
    }

    private func commits(_ count: Int) -> String { count == 1 ? "1 commit" : "\(count) commits" }
}
